import { parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Selector } from '../../src/config/types';
import { Resource } from '../../src/krm/resource';
import { selectsContainer, selectsResource } from '../../src/workload/selector';

/** Which resources and containers a function's `selector` picks: each field, alone and together. */
function resource(text: string): Resource {
  const doc = parseDocument(text);
  return new Resource(doc.contents as YAMLMap, doc, {});
}

const web = resource(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { app: web, tier: front }
`);
const clusterScoped = resource(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
`);

describe('selectsResource', () => {
  test.each<[string, Selector | undefined, boolean, boolean]>([
    ['no selector', undefined, true, true],
    ['an empty selector', {}, true, true],
    ['empty lists and labels', { kinds: [], names: [], namespaces: [], labels: {} }, true, true],
    ['kind', { kinds: ['Deployment'] }, true, false],
    ['another kind', { kinds: ['DaemonSet'] }, false, false],
    ['name', { names: ['db', 'other'] }, false, true],
    ['namespace', { namespaces: ['shop'] }, true, false],
    ['no namespace given is the empty one', { namespaces: [''] }, false, true],
    ['one label', { labels: { app: 'web' } }, true, false],
    ['two labels, both there', { labels: { app: 'web', tier: 'front' } }, true, false],
    ['two labels, one differs', { labels: { app: 'web', tier: 'back' } }, false, false],
    ['a label with no value there', { labels: { zone: 'a' } }, false, false],
    ['kind and name: both must match', { kinds: ['Deployment'], names: ['db'] }, false, false],
    [
      'every field matching',
      { kinds: ['Deployment'], names: ['web'], namespaces: ['shop'], labels: { tier: 'front' } },
      true,
      false,
    ],
  ])('%s', (_name, selector, selectsWeb, selectsDb) => {
    expect([selectsResource(selector, web), selectsResource(selector, clusterScoped)]).toEqual([
      selectsWeb,
      selectsDb,
    ]);
  });
});

describe('selectsContainer', () => {
  test.each<[string, Selector | undefined, string, boolean]>([
    ['no selector', undefined, 'app', true],
    ['no containers field', { kinds: ['Deployment'] }, 'app', true],
    ['an empty list', { containers: [] }, 'app', true],
    ['named', { containers: ['sidecar', 'app'] }, 'app', true],
    ['not named', { containers: ['sidecar'] }, 'app', false],
  ])('%s', (_name, selector, container, selected) => {
    expect(selectsContainer(selector, container)).toBe(selected);
  });
});
