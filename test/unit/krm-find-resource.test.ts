import { parseAllDocuments } from 'yaml';
import type { YAMLMap } from 'yaml';
import { Resource } from '../../src/krm/resource';
import { findResource } from '../../src/krm/resource-set';
import type { ResourceSet } from '../../src/krm/resource-set';

/**
 * findResource (src/krm/resource-set.ts): the first resource of a kind, name and
 * namespace, through an index that follows the set as it grows, shrinks or is edited.
 */
function resources(text: string): Resource[] {
  return parseAllDocuments(text).map((doc) => new Resource(doc.contents as YAMLMap, doc, {}));
}
function setOf(list: Resource[]): ResourceSet {
  return {
    resources: list,
    add: () => {
      throw new Error('not used');
    },
    remove: () => {
      throw new Error('not used');
    },
  };
}
const label = (r: Resource | undefined) =>
  r && `${r.kind}/${r.namespace ?? '-'}/${r.name}/${String(r.node.get('n'))}`;

const PACKAGE = `kind: Deployment
apiVersion: apps/v1
metadata: {name: web, namespace: shop}
n: 1
---
kind: Service
apiVersion: v1
metadata: {name: web, namespace: shop}
n: 2
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: web, namespace: shop}
n: 3
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: web, namespace: other}
n: 4
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: web}
n: 5
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: web, namespace: shop}
n: 6
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: api, namespace: shop}
n: 7
`;

describe('findResource', () => {
  test.each([
    ['Deployment', 'web', 'shop', 'Deployment/shop/web/1'],
    ['Service', 'web', 'shop', 'Service/shop/web/2'],
    ['ServiceAccount', 'web', 'shop', 'ServiceAccount/shop/web/3'],
    ['ServiceAccount', 'web', 'other', 'ServiceAccount/other/web/4'],
    ['ServiceAccount', 'web', undefined, 'ServiceAccount/-/web/5'],
    ['ServiceAccount', 'api', 'shop', 'ServiceAccount/shop/api/7'],
    ['ServiceAccount', 'api', undefined, undefined],
    ['ServiceAccount', 'api', 'other', undefined],
    ['ServiceAccount', 'db', 'shop', undefined],
    ['Deployment', 'web', 'other', undefined],
    ['Deployment', 'api', 'shop', undefined],
    ['ConfigMap', 'web', 'shop', undefined],
  ])('%s %s in %s: %s', (kind, name, namespace, expected) => {
    const set = setOf(resources(PACKAGE));
    expect(label(findResource(set, kind, name, namespace))).toBe(expected);
    // Asked again (from the index built by the first call), the same answer.
    expect(label(findResource(set, kind, name, namespace))).toBe(expected);
  });

  test('every resource of the set is found, whatever the order of the lookups', () => {
    const list = resources(PACKAGE);
    const set = setOf(list);
    for (const r of [...list].reverse()) {
      const found = findResource(set, r.kind, r.name, r.namespace);
      // The sixth is a duplicate of the third: the first one is the answer.
      expect(found).toBe(r === list[5] ? list[2] : r);
    }
  });

  test('resources added after the first lookup are found', () => {
    const list = resources(PACKAGE);
    const set = setOf(list.slice(0, 2));
    expect(findResource(set, 'ServiceAccount', 'web', 'shop')).toBeUndefined();
    (set.resources as Resource[]).push(...list.slice(2));
    expect(findResource(set, 'ServiceAccount', 'web', 'shop')).toBe(list[2]);
    expect(findResource(set, 'ServiceAccount', 'api', 'shop')).toBe(list[6]);
    expect(findResource(set, 'Deployment', 'web', 'shop')).toBe(list[0]);
  });

  test('a resource taken out of the set is no longer found', () => {
    const list = resources(PACKAGE);
    const set = setOf(list);
    expect(findResource(set, 'ServiceAccount', 'api', 'shop')).toBe(list[6]);
    list.splice(6, 1);
    list.splice(2, 1);
    expect(findResource(set, 'ServiceAccount', 'api', 'shop')).toBeUndefined();
    // The duplicate that came after it is the answer now.
    expect(findResource(set, 'ServiceAccount', 'web', 'shop')).toBe(list[4]);
    expect(String(list[4].node.get('n'))).toBe('6');
  });

  test.each([
    ['name', ['metadata', 'name'], 'renamed'],
    ['namespace', ['metadata', 'namespace'], 'elsewhere'],
    ['kind', ['kind'], 'Role'],
  ])(
    'a resource whose %s changed after it was indexed is not found by the old one',
    (_, path, value) => {
      const list = resources(PACKAGE);
      const set = setOf(list);
      expect(findResource(set, 'ServiceAccount', 'api', 'shop')).toBe(list[6]);
      list[6].node.setIn(path, value);
      expect(findResource(set, 'ServiceAccount', 'api', 'shop')).toBeUndefined();
    },
  );

  test('each set has its own index', () => {
    const a = setOf(resources(PACKAGE));
    const b = setOf(resources(PACKAGE));
    const inA = findResource(a, 'Service', 'web', 'shop');
    const inB = findResource(b, 'Service', 'web', 'shop');
    expect(inA).toBe(a.resources[1]);
    expect(inB).toBe(b.resources[1]);
  });
});
