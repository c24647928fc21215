import type { YAMLMap } from 'yaml';
import { containerKind } from '../workload/container-kind';
import { containersOf } from '../workload/pod-specs';
import { readMap } from '../yaml/edit';
import { autopilotViolations } from './autopilot';
import type { PreflightContext } from './context';
import { evaluatePodSecurity, policyMinor } from './pod-security';
import { PodView } from './pod-view';
import type { Workload } from './workloads';

const LEGACY_FIX =
  'this is the legacy Migrate for Anthos runtime, which needs privileged mode and the /sys/fs/cgroup hostPath: regenerate the artifacts with the simplified Linux service manager (v2kServiceManager: true in the migration plan), whose containers need neither';

/**
 * Admission: what the Pod Security level enforced on the namespace (baseline,
 * restricted, at `podSecurityVersion`) and GKE Autopilot's policy reject. A Deployment
 * is accepted but its pods are not, so the rollout never makes progress.
 */
export function checkAdmission(ctx: PreflightContext, workloads: readonly Workload[]): void {
  const level = ctx.config.podSecurity;
  const autopilot = ctx.config.platform === 'gke-autopilot';
  const podSecurity = level === 'baseline' || level === 'restricted' ? level : undefined;
  if (!autopilot && !podSecurity) return;
  const minor = policyMinor(ctx.config.podSecurityVersion);
  const version = `v1.${minor}`;
  const asked = ctx.config.podSecurityVersion ?? 'latest';
  const versionText =
    asked === 'latest'
      ? `${version}, latest`
      : asked === version
        ? asked
        : `${asked}, evaluated as ${version}, the newest the admission plugin defines`;
  const allowlists = autopilot ? allowlistsOf(ctx) : [];
  for (const workload of workloads) {
    ctx.safely(workload.resource, () => {
      const pod = podView(workload);
      const legacy = containersOf(workload.pod, ['containers', 'initContainers']).some(
        (c) => containerKind(c, ctx.config.runtime, ctx.config.containerRuntimes) === 'legacy',
      );
      if (autopilot) {
        for (const v of autopilotViolations(pod, workload.resource.kind)) {
          ctx.report(workload.resource, {
            check: 'autopilot',
            // An allowlist the package installs may exempt the workload: preflight cannot match it.
            severity: allowlists.length && v.severity === 'error' ? 'warning' : v.severity,
            message: allowlists.length
              ? `${v.message}: GKE Autopilot rejects the pods unless an allowlist of ${allowlists.join(', ')} matches this workload`
              : `${v.message}: GKE Autopilot rejects the pods`,
            fix: legacy && v.hostAccess ? LEGACY_FIX : v.fix,
            field: v.field,
            node: v.node,
            tags: { control: v.control },
          });
        }
      }
      if (!podSecurity) return;
      for (const v of evaluatePodSecurity(pod, podSecurity, minor)) {
        ctx.report(workload.resource, {
          check: v.level === 'baseline' ? 'pod-security-baseline' : 'pod-security-restricted',
          severity: 'error',
          message: `${v.message}: Pod Security "${podSecurity}" (${versionText}) rejects the pods (control ${v.control})`,
          fix: legacy && v.hostAccess ? LEGACY_FIX : v.fix,
          field: v.field,
          node: v.node,
          tags: { control: v.control, level: podSecurity, version },
        });
      }
    });
  }
}

/** The pod spec with its metadata: the template's beside it, a Pod's its own. */
function podView(workload: Workload): PodView {
  const { node, field } = workload.pod;
  const metadataPath = [...field.split('.').slice(0, -1), 'metadata'];
  let metadata: YAMLMap | undefined = workload.resource.node;
  let at = '';
  for (const key of metadataPath) {
    at = at ? `${at}.${key}` : key;
    metadata = metadata && readMap(metadata, key, at);
  }
  return new PodView(node, field, metadata, metadataPath);
}

/**
 * The package's AllowlistSynchronizers and WorkloadAllowlists (auto.gke.io): an installed
 * allowlist lets the workloads it matches past Autopilot's constraints
 * (https://cloud.google.com/kubernetes-engine/docs/reference/crds/allowlistsynchronizer).
 */
function allowlistsOf(ctx: PreflightContext): string[] {
  return ctx.set.resources
    .filter(
      (r) =>
        (r.kind === 'AllowlistSynchronizer' || r.kind === 'WorkloadAllowlist') &&
        r.apiVersion.startsWith('auto.gke.io/') &&
        !r.isLocalConfig(),
    )
    .map((r) => `${r.kind}/${r.name}`);
}
