import { isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { isKrmObject } from './resource';

/**
 * A `kind: List` (apiVersion v1) is what `kubectl get -o yaml` writes and `kubectl apply`
 * takes: a wrapper whose `items` are the resources. retarget treats it as a container,
 * like a file: its KRM items are resources, edited in place, and a resource created for
 * one of them is appended to the same `items`. Items that are not KRM objects stay as
 * they are. Other `*List` kinds (e.g. `DeploymentList`) are API read types, not written
 * by hand, and are left alone.
 */
export function isListWrapper(node: unknown): node is YAMLMap {
  if (!isKrmObject(node)) return false;
  const kind = node.get('kind', true);
  const apiVersion = node.get('apiVersion', true);
  return (
    isScalar(kind) &&
    kind.value === 'List' &&
    isScalar(apiVersion) &&
    apiVersion.value === 'v1' &&
    isSeq(node.get('items'))
  );
}

/** The `items` of a List wrapper. */
export function listItems(list: YAMLMap): YAMLSeq {
  return list.get('items', true) as unknown as YAMLSeq;
}

/** The KRM objects among a List wrapper's items, in order. */
export function listMembers(list: YAMLMap): YAMLMap[] {
  return listItems(list).items.filter((item): item is YAMLMap => isMap(item) && isKrmObject(item));
}
