import { loadConfig } from '../config/load';
import type { ConfigKind } from '../config/schemas';
import type { PodTemplatePath } from '../config/types';
import { isWorkloadKind } from '../workload/pod-specs';

/**
 * The config kinds whose functions read only workloads (their pod templates) and the
 * kinds below, which they look up by name or unwrap: a file's other resources (Services,
 * PersistentVolumeClaims, ...) are copied through without being composed. Preflight reads
 * everything, so neither it nor a Retarget config with a `target` (or `dataVolumes`) lets
 * anything through.
 */
const WORKLOAD_FUNCTIONS = new Set<ConfigKind>([
  'Retarget',
  'SetImagePullSecrets',
  'SetFsGroup',
  'LinkKubernetesInfoSecrets',
  'SetAwsWorkloadIdentity',
  'SetGcpWorkloadIdentity',
]);
const LOOKED_UP = new Set([
  'ServiceAccount',
  'ConfigMap',
  'ExternalSecret',
  'List',
  // set-aws-workload-identity's emitted association, found again on a rerun.
  'PodIdentityAssociation',
  // set-gcp-workload-identity's emitted grants, found again on a rerun.
  'IAMPolicyMember',
]);

/** Which resource kinds a run with this config never reads; undefined when it may read any. */
export function passThroughKinds(
  kind: ConfigKind,
  raw: unknown,
): ((resourceKind: string) => boolean) | undefined {
  if (!WORKLOAD_FUNCTIONS.has(kind)) return undefined;
  let config: { podTemplatePaths?: PodTemplatePath[]; target?: unknown; dataVolumes?: unknown };
  try {
    config = loadConfig(kind, raw);
  } catch {
    return undefined; // the run reports the bad config; the input is read in full
  }
  // Retarget's data volumes read the PersistentVolumes and claims (and drop some), its
  // target (preflight) every kind. Elsewhere these keys mean something else: the link's
  // target path, set-fs-group's dataVolumes policy (read from the pod's own volumes).
  const hydrate = kind === 'Retarget';
  if (hydrate && (config.target !== undefined || config.dataVolumes !== undefined)) {
    return undefined;
  }
  const custom = config.podTemplatePaths;
  // hydrate reads the PersistentVolumes it would pass on unported, to warn about them.
  const read = (k: string) => hydrate && k === 'PersistentVolume';
  return (resourceKind) =>
    !LOOKED_UP.has(resourceKind) && !read(resourceKind) && !isWorkloadKind(resourceKind, custom);
}
