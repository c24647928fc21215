import { BUILTIN_POD_SPEC_PATHS } from '../../workload/pod-specs';
import { isObject } from './strict-validate';
import type { Segment, Violation } from './strict-validate';

/**
 * `restartPolicy` as the API server validates it. The published OpenAPI documents give
 * both fields as plain strings (their allowed values are only in the descriptions), so
 * the schema walk cannot see a wrong one; these are the hand-written rules of
 * kubernetes/kubernetes:
 * - pkg/apis/core/validation/validation.go `validateRestartPolicy`: a pod's is Always,
 *   OnFailure or Never (an absent or empty one is defaulted to Always first);
 * - `validateInitContainers` / `validateInitContainerRestartPolicy`: an init container's
 *   may only be Always (a sidecar), an empty one included; `validateContainers`: a
 *   regular container's "may not be set for non-init containers" (container restart
 *   rules, 1.34, are an alpha feature gate, off by default);
 * - pkg/apis/apps/validation, ValidatePodTemplateSpecForReplicationController: the pods
 *   of a Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController restart
 *   Always; pkg/apis/batch/validation `validateJobSpec`: a Job's (a CronJob's) OnFailure
 *   or Never, and its absence (defaulted to Always) is refused too.
 */
const POD = ['Always', 'OnFailure', 'Never'];
const CONTROLLED: Record<string, readonly string[]> = {
  Deployment: ['Always'],
  ReplicaSet: ['Always'],
  StatefulSet: ['Always'],
  DaemonSet: ['Always'],
  ReplicationController: ['Always'],
  Job: ['OnFailure', 'Never'],
  CronJob: ['OnFailure', 'Never'],
};
const SIDECAR = ['Always'];

/** The restartPolicy violations of a built-in workload's pod spec (none for custom kinds). */
export function restartPolicyViolations(
  kind: string,
  value: unknown,
  custom: boolean,
): Violation[] {
  if (custom || !Object.hasOwn(BUILTIN_POD_SPEC_PATHS, kind)) return [];
  const path: Segment[] = [...BUILTIN_POD_SPEC_PATHS[kind]];
  let spec = value;
  for (const key of path) spec = isObject(spec) ? spec[key] : undefined;
  if (!isObject(spec)) return [];
  const out: Violation[] = [];
  const allowed = Object.hasOwn(CONTROLLED, kind) ? CONTROLLED[kind] : POD;
  const policy = spec.restartPolicy ?? '';
  // Absent, null and "" are defaulted to Always before validation; other types are the
  // schema's to report.
  const effective = policy === '' ? 'Always' : policy;
  if (typeof effective === 'string' && !allowed.includes(effective)) {
    out.push({ kind: 'enum', segments: [...path, 'restartPolicy'], allowed: [...allowed] });
  }
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      const own = isObject(container) ? container.restartPolicy : undefined;
      if (typeof own !== 'string') return;
      const segments = [...path, list, i, 'restartPolicy'];
      if (list === 'containers') {
        out.push({
          kind: 'constraint',
          segments,
          constraint:
            'may not be set for non-init containers (a sidecar is an init container with restartPolicy: Always)',
        });
      } else if (!SIDECAR.includes(own)) {
        out.push({ kind: 'enum', segments, allowed: [...SIDECAR] });
      }
    });
  }
  return out;
}
