import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { ContainerKind, RuntimeSetting } from '../config/types';
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
  const argv = [...strings(node.get('command', true)), ...strings(node.get('args', true))];
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
  if (!isSeq(node)) return [];
  return node.items.map((i) => (isScalar(i) ? String(i.value) : ''));
}

function probeCommand(container: YAMLMap, probe: string): string[] {
  const p = container.get(probe, true);
  if (!isMap(p)) return [];
  const exec = p.get('exec', true);
  return isMap(exec) ? strings(exec.get('command', true)) : [];
}

function envValue(container: YAMLMap, name: string): string | undefined {
  const env = container.get('env', true);
  if (!isSeq(env)) return undefined;
  for (const item of env.items) {
    if (isMap(item) && item.get('name') === name) {
      const value = item.get('value');
      return value === undefined || value === null ? undefined : String(value);
    }
  }
  return undefined;
}

function isPrivileged(container: YAMLMap): boolean {
  const sc = container.get('securityContext', true);
  return isMap(sc) && sc.get('privileged') === true;
}

function mountsCgroupHostPath(container: ContainerRef): boolean {
  const mounts = container.node.get('volumeMounts', true);
  if (!isSeq(mounts)) return false;
  const names = mounts.items
    .filter((m): m is YAMLMap => isMap(m) && m.get('mountPath') === '/sys/fs/cgroup')
    .map((m) => m.get('name'));
  const volumes = container.pod.node.get('volumes', true);
  if (!isSeq(volumes)) return false;
  return volumes.items.some(
    (v) => isMap(v) && names.includes(v.get('name')) && isMap(v.get('hostPath', true)),
  );
}
