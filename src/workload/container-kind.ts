import type { YAMLMap } from 'yaml';
import type { ContainerKind, RuntimeSetting } from '../config/types';
import { MapNode, ScalarNode, SeqNode } from '../yaml/classes';
import { plainValueAt, valueAt } from '../yaml/edit';
import type { ContainerRef } from './pod-specs';

/**
 * Tells the three kinds of container apart from what the generator writes:
 * - legacy runtime (Migrate for Anthos v1.x): probe `/code/ready.sh`, entrypoint
 *   `/.v2k.go`, or privileged with the `/sys/fs/cgroup` hostPath mount;
 * - service-manager runtime (v1.9+): env `HC_V2K_SERVICE_MANAGER=true` or `/gamma` probes;
 * - anything else is a plain application container.
 */
export function detectContainerKind(container: ContainerRef): ContainerKind {
  const node = container.node;
  const probes = ['readinessProbe', 'livenessProbe', 'startupProbe'].map((p) =>
    probeCommand(node, p),
  );
  const argv = [...strings(valueAt(node, 'command')), ...strings(valueAt(node, 'args'))];
  if (probes.some((c) => c[0] === '/code/ready.sh') || argv.includes('/.v2k.go')) return 'legacy';
  if (envValue(node, 'HC_V2K_SERVICE_MANAGER') === 'true') return 'service-manager';
  if (probes.some((c) => c[0] === '/gamma')) return 'service-manager';
  if (isPrivileged(node) && mountsCgroupHostPath(container)) return 'legacy';
  return 'plain';
}

export function containerKind(
  container: ContainerRef,
  runtime: RuntimeSetting,
  overrides: Record<string, ContainerKind> | undefined,
): ContainerKind {
  const forced = overrides?.[container.name];
  if (forced) return forced;
  if (runtime && runtime !== 'auto') return runtime;
  return detectContainerKind(container);
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

function envValue(container: YAMLMap, name: string): string | undefined {
  const env = valueAt(container, 'env');
  if (!(env instanceof SeqNode)) return undefined;
  for (const item of env.items) {
    if (item instanceof MapNode && plainValueAt(item, 'name') === name) {
      const value = plainValueAt(item, 'value');
      return value === undefined || value === null ? undefined : String(value);
    }
  }
  return undefined;
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
