import type { Resource } from './resource';

/**
 * The resources a transform sees and the one way it may add new ones. Where a
 * new resource is written (next to `near`, or at the end) is the I/O layer's business.
 */
export interface ResourceSet {
  readonly resources: readonly Resource[];
  add(value: Record<string, unknown>, near?: Resource): Resource;
}

export function findResource(
  set: ResourceSet,
  kind: string,
  name: string,
  namespace: string | undefined,
): Resource | undefined {
  return set.resources.find((r) => r.kind === kind && r.name === name && r.namespace === namespace);
}
