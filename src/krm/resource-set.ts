import type { Resource } from './resource';

/**
 * The resources a transform sees and the one way it may add new ones. Where a
 * new resource is written (next to `near`, or at the end) is the I/O layer's business.
 */
export interface ResourceSet {
  readonly resources: readonly Resource[];
  add(value: Record<string, unknown>, near?: Resource): Resource;
  /**
   * Takes a resource out of the output (its document, with the comments above it, or its
   * item of a `kind: List`). Only for a function whose job is to drop it (a dumped
   * PersistentVolume replaced by dynamic provisioning); everything else comes out.
   */
  remove(resource: Resource): void;
}

interface Index {
  /** How many of `set.resources` are indexed; resources are only ever appended. */
  size: number;
  byKey: Map<string, Resource[]>;
}

const indexes = new WeakMap<ResourceSet, Index>();

function keyOf(kind: string, name: string, namespace: string | undefined): string {
  return `${kind}\0${namespace ?? ''}\0${name}`;
}

/**
 * The first resource with this kind, name and namespace. Transforms look resources up
 * once per workload, so a scan of the whole set would make a run quadratic: the set is
 * indexed on first use and the index catches up with resources added since.
 */
export function findResource(
  set: ResourceSet,
  kind: string,
  name: string,
  namespace: string | undefined,
): Resource | undefined {
  let index = indexes.get(set);
  if (!index || index.size > set.resources.length) {
    index = { size: 0, byKey: new Map() };
    indexes.set(set, index);
  }
  for (; index.size < set.resources.length; index.size++) {
    const r = set.resources[index.size];
    const key = keyOf(r.kind, r.name, r.namespace);
    const list = index.byKey.get(key);
    if (list) list.push(r);
    else index.byKey.set(key, [r]);
  }
  // Checked again: a resource renamed after it was indexed is not taken for its old name.
  return index.byKey
    .get(keyOf(kind, name, namespace))
    ?.find((r) => r.kind === kind && r.name === name && r.namespace === namespace);
}
