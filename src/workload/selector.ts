import type { Resource } from '../krm/resource';
import type { Selector } from '../config/types';

/** An absent or empty selector field matches everything. */
export function selectsResource(selector: Selector | undefined, resource: Resource): boolean {
  if (!selector) return true;
  const { kinds, names, namespaces, labels } = selector;
  if (kinds?.length && !kinds.includes(resource.kind)) return false;
  if (names?.length && !names.includes(resource.name)) return false;
  if (namespaces?.length && !namespaces.includes(resource.namespace ?? '')) return false;
  if (labels && Object.keys(labels).length) {
    const actual = resource.labels();
    if (!Object.entries(labels).every(([k, v]) => actual[k] === v)) return false;
  }
  return true;
}

export function selectsContainer(selector: Selector | undefined, name: string): boolean {
  return !selector?.containers?.length || selector.containers.includes(name);
}
