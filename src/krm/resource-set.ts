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
  /** By name, then namespace (undefined for none): kinds sharing both are few. */
  byName: Map<string, Map<string | undefined, Resource[]>>;
}

const indexes = new WeakMap<ResourceSet, Index>();

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
    index = { size: 0, byName: new Map() };
    indexes.set(set, index);
  }
  for (; index.size < set.resources.length; index.size++) {
    const r = set.resources[index.size];
    let byNamespace = index.byName.get(r.name);
    if (!byNamespace) index.byName.set(r.name, (byNamespace = new Map()));
    const list = byNamespace.get(r.namespace);
    if (list) list.push(r);
    else byNamespace.set(r.namespace, [r]);
  }
  // Checked again: a resource renamed after it was indexed is not taken for its old name.
  return index.byName
    .get(name)
    ?.get(namespace)
    ?.find((r) => r.kind === kind && r.name === name && r.namespace === namespace);
}
