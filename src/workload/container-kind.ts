import type { YAMLMap } from 'yaml';
import type { ContainerKind, RuntimeSetting } from '../config/types';
import {
  artifactEvidenceOf,
  decideRuntime,
  LEGACY_PROBE,
  RuntimeConflictError,
  SERVICE_MANAGER_PROBES,
} from '../runtime/evidence';
import type { RuntimeEvidence } from '../runtime/evidence';
import { MapNode, ScalarNode, SeqNode } from '../yaml/classes';
import { FieldTypeError, plainValueAt, valueAt } from '../yaml/edit';
import type { ContainerRef } from './pod-specs';

/** The Migrate for Anthos runtime's entrypoint, in both runtime generations. */
export const V2K_ENTRYPOINT = '/.v2k.go';

/**
 * What the deployment spec says about one container's runtime, from what the generator
 * writes, or undefined when it carries no runtime signature (a plain container, unless
 * another artifact says otherwise):
 * - service-manager runtime (v1.9+, the m2c CLI): env `HC_V2K_SERVICE_MANAGER=true` (the
 *   runtime's own switch, decisive even next to the generation-neutral `/.v2k.go`
 *   entrypoint), or `/gamma`, `gamma` or `/ko-app/service-manager-runtime` probes;
 * - legacy runtime (Migrate for Anthos v1.x, or v1.9+ with `v2kServiceManager: false`):
 *   probe `/code/ready.sh`, privileged with the `/sys/fs/cgroup` hostPath mount, or the
 *   `/.v2k.go` entrypoint with no service-manager sign.
 */
export function specEvidence(container: ContainerRef): RuntimeEvidence | undefined {
  const node = container.node;
  const where = whereOf(container);
  const evidence = (kind: ContainerKind, reason: string): RuntimeEvidence => ({
    source: 'spec',
    kind,
    allows: [kind],
    reason: `container ${container.name}: ${reason}`,
    ...(where ? { where } : {}),
  });
  // Kubernetes env values are strings; an unquoted `true` is the same switch to the runtime.
  if (String(envValue(node, 'HC_V2K_SERVICE_MANAGER')) === 'true') {
    return evidence('service-manager', 'env HC_V2K_SERVICE_MANAGER="true"');
  }
  const probes = ['readinessProbe', 'livenessProbe', 'startupProbe'].map((p) =>
    probeCommand(node, p),
  );
  const smProbe = probes.find((c) => SERVICE_MANAGER_PROBES.includes(c[0]));
  const legacyProbe = probes.some((c) => c[0] === LEGACY_PROBE);
  if (smProbe && !legacyProbe) return evidence('service-manager', `probe ${smProbe[0]}`);
  if (legacyProbe && !smProbe) return evidence('legacy', `probe ${LEGACY_PROBE}`);
  if (isPrivileged(node) && mountsCgroupHostPath(container)) {
    return evidence('legacy', 'privileged with the /sys/fs/cgroup hostPath mount');
  }
  const argv = [...strings(valueAt(node, 'command')), ...strings(valueAt(node, 'args'))];
  if (argv.includes(V2K_ENTRYPOINT)) return evidence('legacy', `command ${V2K_ENTRYPOINT}`);
  return undefined;
}

/**
 * The container's kind: `containerRuntimes` or `runtime` when the config sets one, else
 * the decision from the spec and the artifacts found beside it (its folder's migration
 * plan and Dockerfile). Artifacts that contradict the spec are an error on the container
 * (RuntimeConflictError, which guard() turns into a located result).
 */
export function containerKind(
  container: ContainerRef,
  runtime: RuntimeSetting,
  overrides: Record<string, ContainerKind> | undefined,
): ContainerKind {
  const forced = overrides?.[container.name];
  if (forced) return forced;
  if (runtime && runtime !== 'auto') return runtime;
  const spec = specEvidence(container);
  const artifacts = artifactEvidenceOf(container.pod.resource);
  // No evidence at all (no decision) is a plain container.
  try {
    return decideRuntime(spec ? [spec, ...artifacts] : artifacts)?.kind ?? 'plain';
  } catch (error) {
    if (!(error instanceof RuntimeConflictError)) throw error;
    throw new ContainerRuntimeConflict(container, error);
  }
}

/** A runtime contradiction as a located error on the container (via guard()). */
export class ContainerRuntimeConflict extends FieldTypeError {
  constructor(
    container: ContainerRef,
    readonly conflict: RuntimeConflictError,
  ) {
    super(container.field, 'one runtime', container.node);
  }

  override get reason(): string {
    return this.conflict.message;
  }
}

function whereOf(container: ContainerRef): string | undefined {
  const origin = container.pod.resource.origin;
  if (origin.path === undefined) return undefined;
  const offset = container.node.range?.[0];
  if (!origin.lineCounter || offset === undefined) return origin.path;
  return `${origin.path}:${origin.lineCounter.linePos(offset).line}`;
}

function strings(node: unknown): string[] {
  if (!(node instanceof SeqNode)) return [];
  return node.items.map((i) => (i instanceof ScalarNode ? String(i.value) : ''));
}

function probeCommand(container: YAMLMap, probe: string): string[] {
  const p = valueAt(container, probe);
  if (!(p instanceof MapNode)) return [];
  const exec = valueAt(p, 'exec');
  return exec instanceof MapNode ? strings(valueAt(exec, 'command')) : [];
}

/** The first `name` entry's value as written (a scalar's value, or a node), else undefined. */
function envValue(container: YAMLMap, name: string): unknown {
  const env = valueAt(container, 'env');
  if (!(env instanceof SeqNode)) return undefined;
  const item = env.items.find((i) => i instanceof MapNode && plainValueAt(i, 'name') === name);
  return item instanceof MapNode ? plainValueAt(item, 'value') : undefined;
}

function isPrivileged(container: YAMLMap): boolean {
  const sc = valueAt(container, 'securityContext');
  return sc instanceof MapNode && plainValueAt(sc, 'privileged') === true;
}

function mountsCgroupHostPath(container: ContainerRef): boolean {
  const mounts = valueAt(container.node, 'volumeMounts');
  if (!(mounts instanceof SeqNode)) return false;
  const names = mounts.items
    .filter(
      (m): m is YAMLMap =>
        m instanceof MapNode && plainValueAt(m, 'mountPath') === '/sys/fs/cgroup',
    )
    .map((m) => plainValueAt(m, 'name'));
  const volumes = valueAt(container.pod.node, 'volumes');
  if (!(volumes instanceof SeqNode)) return false;
  return volumes.items.some(
    (v) =>
      v instanceof MapNode &&
      names.includes(plainValueAt(v, 'name')) &&
      valueAt(v, 'hostPath') instanceof MapNode,
  );
}
