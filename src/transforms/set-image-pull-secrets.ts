import type { SetImagePullSecretsConfig } from '../config/types';
import { imageFromRegistry } from '../image/reference';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import { appendValue, ensureSeq, mapItems, readSeq } from '../yaml/edit';
import type { NodeOwner } from '../yaml/edit';
import type { YAMLMap } from 'yaml';
import { containersOf } from '../workload/pod-specs';
import type { PodSpecRef } from '../workload/pod-specs';
import { guard, selectedPodSpecs } from './context';
import type { TransformContext } from './context';

/**
 * Adds pull-secret refs to pod templates (appended in order, never duplicated),
 * optionally merges them into ServiceAccounts by name, and optionally emits the
 * Secret itself as an ExternalSecret so no credential is written to the output.
 */
export function setImagePullSecrets(
  ctx: TransformContext,
  config: SetImagePullSecretsConfig,
): void {
  const pods = selectedPodSpecs(ctx, config).filter((pod) => {
    let selected = false;
    guard(ctx, pod.resource, () => {
      selected = !config.registries?.length || podUsesRegistry(pod, config.registries);
    });
    return selected;
  });
  if (config.pods !== false) {
    for (const pod of pods) {
      guard(ctx, pod.resource, () => {
        const field = `${pod.field}.imagePullSecrets`;
        mergeRefs(pod.resource, pod.node, 'imagePullSecrets', config.names, field);
      });
    }
  }
  const namespaces = namespacesOf(pods);
  for (const [namespace, near] of namespaces) {
    for (const name of config.serviceAccounts ?? []) {
      const existing = findResource(ctx.set, 'ServiceAccount', name, namespace);
      if (existing) {
        guard(ctx, existing, () =>
          mergeRefs(existing, existing.node, 'imagePullSecrets', config.names, 'imagePullSecrets'),
        );
      } else {
        ctx.set.add(
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: withNamespace({ name }, namespace),
            imagePullSecrets: config.names.map((n) => ({ name: n })),
          },
          near,
        );
      }
    }
    if (config.externalSecret) emitExternalSecret(ctx, config, namespace, near);
  }
  if (config.externalSecret?.apiVersion === LAST_SERVED_BY_0_16 && namespaces.size) {
    ctx.results.push({
      severity: 'warning',
      message: `${LAST_SERVED_BY_0_16} is not served by External Secrets Operator 0.17.0 and later (only external-secrets.io/v1 is): applying it there fails with "no matches for kind ExternalSecret"; keep it only for a cluster on ESO 0.16 or earlier`,
      field: { path: 'externalSecret.apiVersion', currentValue: LAST_SERVED_BY_0_16 },
    });
  }
}

/**
 * ESO v0.17.0 stopped serving v1beta1 ("v0.17.0 Stops serving `v1beta1` apis",
 * github.com/external-secrets/external-secrets/releases/tag/v0.17.0).
 */
const LAST_SERVED_BY_0_16 = 'external-secrets.io/v1beta1';

function podUsesRegistry(pod: PodSpecRef, registries: readonly string[]): boolean {
  return containersOf(pod, ['containers', 'initContainers']).some((c) => {
    const image = c.node.get('image');
    return typeof image === 'string' && registries.some((r) => imageFromRegistry(image, r));
  });
}

/** Appends `{name}` refs missing from the list at `key`; the API has no merge key for it. */
function mergeRefs(
  owner: NodeOwner,
  parent: YAMLMap,
  key: string,
  names: readonly string[],
  field: string,
): void {
  const present = new Set(
    mapItems(readSeq(parent, key, field), field).map((item) => item.get('name')),
  );
  const missing = names.filter((n) => !present.has(n));
  // With none missing the list exists (names is never empty): ensureSeq then changes nothing.
  const seq = ensureSeq(owner, parent, key, field);
  for (const name of missing) appendValue(owner, seq, { name });
}

/** Each namespace of the selected workloads with the first workload in it. */
function namespacesOf(pods: readonly PodSpecRef[]): Map<string | undefined, Resource> {
  const out = new Map<string | undefined, Resource>();
  for (const pod of pods) {
    if (!out.has(pod.resource.namespace)) out.set(pod.resource.namespace, pod.resource);
  }
  return out;
}

function withNamespace(
  metadata: Record<string, unknown>,
  namespace: string | undefined,
): Record<string, unknown> {
  return namespace ? { ...metadata, namespace } : metadata;
}

function emitExternalSecret(
  ctx: TransformContext,
  config: SetImagePullSecretsConfig,
  namespace: string | undefined,
  near: Resource,
): void {
  const es = config.externalSecret!;
  const name = es.secretName ?? config.names[0];
  if (findResource(ctx.set, 'ExternalSecret', name, namespace)) return;
  const user = es.username;
  // Sprig template rendered by the External Secrets operator in the cluster: the
  // password only ever exists there, never in these manifests.
  const dockerConfig =
    `{"auths":{${JSON.stringify(es.server)}:{"username":${JSON.stringify(user)},` +
    `"password":{{ .password | toJson }},` +
    `"auth":{{ printf "%s:%s" ${JSON.stringify(user)} .password | b64enc | toJson }}}}}`;
  const remoteRef: Record<string, string> = { key: es.remoteKey };
  if (es.remoteProperty) remoteRef.property = es.remoteProperty;
  ctx.set.add(
    {
      apiVersion: es.apiVersion,
      kind: 'ExternalSecret',
      metadata: withNamespace({ name }, namespace),
      spec: {
        refreshInterval: es.refreshInterval,
        secretStoreRef: { name: es.secretStoreRef.name, kind: es.secretStoreRef.kind },
        target: {
          name,
          creationPolicy: 'Owner',
          template: {
            type: 'kubernetes.io/dockerconfigjson',
            data: { '.dockerconfigjson': dockerConfig },
          },
        },
        data: [{ secretKey: 'password', remoteRef }],
      },
    },
    near,
  );
}
