import type { V1EnvVar, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import type { ResourceSet } from '../krm/resource-set';
import {
  appendValue,
  ensureMap,
  ensureSeq,
  indexByName,
  mapItems,
  readSeq,
  setScalar,
} from '../yaml/edit';
import { plainValue } from '../yaml/plain-value';
import type { ContainerRef, PodSpecRef } from './pod-specs';

export type Change = 'added' | 'replaced' | 'unchanged';

/**
 * Makes the item named `value.name` in the list at `key` equal `value`: appended
 * when absent, replaced when different, untouched when equal (so reruns change nothing).
 */
export function upsertNamedItem<T extends { name: string }>(
  owner: Resource,
  parent: YAMLMap,
  key: string,
  value: T,
  field: string,
): Change {
  const items = mapItems(readSeq(parent, key, field), field);
  const index = indexByName(items, value.name);
  if (index < 0) {
    appendValue(owner, ensureSeq(owner, parent, key, field), value);
    return 'added';
  }
  if (sameJson(plainValue(items[index], owner.doc), value)) return 'unchanged';
  const seq = ensureSeq(owner, parent, key, field);
  const replacement = owner.doc.createNode(value) as YAMLMap;
  replacement.commentBefore = items[index].commentBefore;
  seq.items[index] = replacement;
  owner.touch();
  return 'replaced';
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with every map's keys sorted (the default sort: UTF-16 order), lists as they are. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function ensureVolume(
  pod: PodSpecRef,
  // Typed by the Kubernetes client's models: a misspelt or misplaced field fails to compile.
  volume: V1Volume,
): Change {
  return upsertNamedItem(pod.resource, pod.node, 'volumes', volume, `${pod.field}.volumes`);
}

export function ensureVolumeMount(container: ContainerRef, mount: V1VolumeMount): Change {
  const field = `${container.field}.volumeMounts`;
  const mounts = mapItems(readSeq(container.node, 'volumeMounts', field), field);
  // Several mounts may share a volume (subPath); match on the mount path as well.
  const index = mounts.findIndex((m) => m.get('mountPath') === mount.mountPath);
  const owner = container.pod.resource;
  if (index < 0) {
    appendValue(owner, ensureSeq(owner, container.node, 'volumeMounts', field), mount);
    return 'added';
  }
  if (sameJson(plainValue(mounts[index], owner.doc), mount)) return 'unchanged';
  const seq = ensureSeq(owner, container.node, 'volumeMounts', field);
  seq.items[index] = owner.doc.createNode(mount);
  owner.touch();
  return 'replaced';
}

/** Sets an env var to a literal value (a `valueFrom` of the same name is replaced). */
export function ensureEnv(container: ContainerRef, name: string, value: string): Change {
  return upsertNamedItem(
    container.pod.resource,
    container.node,
    'env',
    { name, value } satisfies V1EnvVar,
    `${container.field}.env`,
  );
}

/** A ConfigMap retarget owns: created next to `near`, or its data keys brought up to date. */
export function ensureConfigMap(
  set: ResourceSet,
  name: string,
  namespace: string | undefined,
  data: Record<string, string>,
  near: Resource,
): Resource {
  const existing = findResource(set, 'ConfigMap', name, namespace);
  if (!existing) {
    const metadata: Record<string, unknown> = { name };
    if (namespace) metadata.namespace = namespace;
    return set.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data }, near);
  }
  const dataMap = ensureMap(existing, existing.node, 'data', 'data');
  for (const [key, value] of Object.entries(data)) {
    setScalar(existing, dataMap, key, value, `data.${key}`);
  }
  return existing;
}
