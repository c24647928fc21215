import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import { canonicalRegistry, splitRegistry } from '../image/reference';
import type { ImageReference } from '../image/reference';
import type { Resource } from '../krm/resource';
import type { PreflightContext } from './context';
import type { Workload } from './workloads';

export const DOCKER_CONFIG_TYPES: Record<string, string> = {
  'kubernetes.io/dockerconfigjson': '.dockerconfigjson',
  'kubernetes.io/dockercfg': '.dockercfg',
};

/** A pull Secret the cluster will have: declared in the target, or created by the package. */
export interface KnownPullSecret {
  name: string;
  /** undefined: declared in the target, assumed in every workload namespace. */
  namespace?: string;
  /** Registry keys it holds credentials for (`gcr.io`, `gcr.io/project`, `*.example.com`). */
  registries: string[];
  /** ServiceAccounts (in the cluster) that already list it. */
  serviceAccounts: string[];
  source: 'target' | 'Secret' | 'ExternalSecret';
}

/** Every pull Secret the cluster will have, from the target description and the package. */
export function knownPullSecrets(ctx: PreflightContext): KnownPullSecret[] {
  const out: KnownPullSecret[] = (ctx.config.pullSecrets ?? []).map((s) => ({
    name: s.name,
    registries: [...s.registries],
    serviceAccounts: [...(s.serviceAccounts ?? [])],
    source: 'target',
  }));
  for (const resource of ctx.set.resources) {
    if (resource.isLocalConfig()) continue;
    if (resource.kind === 'Secret') {
      const registries = secretRegistries(resource);
      if (registries)
        out.push({
          name: resource.name,
          namespace: resource.namespace,
          registries,
          serviceAccounts: [],
          source: 'Secret',
        });
    } else if (resource.kind === 'ExternalSecret') {
      const secret = externalSecretTarget(resource);
      if (secret)
        out.push({
          ...secret,
          namespace: resource.namespace,
          serviceAccounts: [],
          source: 'ExternalSecret',
        });
    }
  }
  return out;
}

/** The registries of a docker-config Secret's data (decoded here, never reported); undefined if it is none. */
function secretRegistries(secret: Resource): string[] | undefined {
  const type = secret.node.get('type');
  const key = typeof type === 'string' ? DOCKER_CONFIG_TYPES[type] : undefined;
  if (!key) return undefined;
  const data = secret.node.get('data', true);
  const stringData = secret.node.get('stringData', true);
  let text: string | undefined;
  const plain = isMap(stringData) ? stringData.get(key) : undefined;
  const encoded = isMap(data) ? data.get(key) : undefined;
  if (typeof plain === 'string') text = plain;
  else if (typeof encoded === 'string') text = Buffer.from(encoded, 'base64').toString('utf8');
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as { auths?: unknown };
    const auths = key === '.dockerconfigjson' ? parsed.auths : parsed;
    return auths && typeof auths === 'object' ? Object.keys(auths).map(registryKey) : [];
  } catch {
    return [];
  }
}

/**
 * An ExternalSecret that templates a docker-config Secret: the Secret's name and the
 * registries named in the template's `auths` (e.g. what set-image-pull-secrets emits).
 */
function externalSecretTarget(
  resource: Resource,
): { name: string; registries: string[] } | undefined {
  const spec = resource.node.get('spec', true);
  if (!isMap(spec)) return undefined;
  const target = spec.get('target', true);
  const template = isMap(target) ? target.get('template', true) : undefined;
  const type = isMap(template) ? template.get('type') : undefined;
  const key = typeof type === 'string' ? DOCKER_CONFIG_TYPES[type] : undefined;
  if (!key || !isMap(template)) return undefined;
  const name = (isMap(target) ? target.get('name') : undefined) ?? resource.name;
  const data = template.get('data', true);
  const body = isMap(data) ? data.get(key) : undefined;
  const registries: string[] = [];
  if (typeof body === 'string') {
    // Keys whose value opens with a credential field: {"gcr.io":{"username":...
    const entry = /"([^"{}\s]+)"\s*:\s*\{\s*"(?:username|password|auth|email)"/g;
    for (const match of body.matchAll(entry)) registries.push(registryKey(match[1]));
  }
  return typeof name === 'string' ? { name, registries } : undefined;
}

/** A docker config key as a registry prefix: no scheme, no `/v1/` API suffix. */
function registryKey(key: string): string {
  const bare = key
    .replace(/^https?:\/\//, '')
    .replace(/\/v[12]\/?$/, '')
    .replace(/\/+$/, '');
  const slash = bare.indexOf('/');
  return slash < 0
    ? canonicalRegistry(bare)
    : `${canonicalRegistry(bare.slice(0, slash))}${bare.slice(slash)}`;
}

/**
 * Whether credentials stored under `key` are used for `ref`, as the kubelet matches
 * them: same host (a leading `*.` matches one label), same port, path prefix.
 */
export function keyMatches(key: string, ref: ImageReference): boolean {
  const normalized = registryKey(key);
  const slash = normalized.indexOf('/');
  const keyRegistry = slash < 0 ? normalized : normalized.slice(0, slash);
  const keyPath = slash < 0 ? '' : normalized.slice(slash + 1);
  const wanted = splitRegistry(keyRegistry);
  const actual = splitRegistry(ref.registry);
  if (wanted.port !== actual.port) return false;
  if (wanted.host.startsWith('*.')) {
    const suffix = wanted.host.slice(1);
    const label = actual.host.slice(0, actual.host.length - suffix.length);
    if (!actual.host.endsWith(suffix) || !label || label.includes('.')) return false;
  } else if (wanted.host !== actual.host) {
    return false;
  }
  return !keyPath || ref.repository === keyPath || ref.repository.startsWith(`${keyPath}/`);
}

/** The pull Secret names a workload's pods get: their own and their ServiceAccount's. */
export function attachedSecretNames(
  workload: Workload,
  known: readonly KnownPullSecret[],
): string[] {
  const names = new Set<string>();
  for (const name of refNames(workload.pod.node)) names.add(name);
  if (workload.serviceAccount)
    for (const name of refNames(workload.serviceAccount.node)) names.add(name);
  for (const secret of known) {
    if (secret.serviceAccounts.includes(workload.serviceAccountName)) names.add(secret.name);
  }
  return [...names];
}

function refNames(owner: YAMLMap): string[] {
  const refs = owner.get('imagePullSecrets', true);
  if (!isSeq(refs)) return [];
  return refs.items
    .map((item) => (isMap(item) ? item.get('name', true) : undefined))
    .filter((n) => isScalar(n) && typeof n.value === 'string')
    .map((n) => (n as { value: string }).value);
}

/** Known secrets of that name visible to the workload's namespace. */
export function secretsNamed(
  name: string,
  workload: Workload,
  known: readonly KnownPullSecret[],
): KnownPullSecret[] {
  return known.filter(
    (s) => s.name === name && (s.source === 'target' || s.namespace === workload.namespace),
  );
}
