import { Document, LineCounter, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { isKrmObject, LOCAL_CONFIG_ANNOTATION, Resource, stringMap } from '../../src/krm/resource';
import type { ResourceOrigin } from '../../src/krm/resource';

/**
 * A resource as transforms read it (src/krm/resource.ts): its identity, labels and
 * annotations (strings only), the local-config mark, and results located by file, index,
 * line and column.
 */
function resource(text: string, origin: ResourceOrigin = {}, onTouch?: () => void): Resource {
  const doc = parseDocument(text, origin.lineCounter ? { lineCounter: origin.lineCounter } : {});
  return new Resource(doc.contents as YAMLMap, doc, origin, onTouch);
}

describe('identity', () => {
  test('apiVersion, kind, name, namespace and ref', () => {
    const r = resource(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n',
    );
    expect([r.apiVersion, r.kind, r.name, r.namespace]).toEqual([
      'apps/v1',
      'Deployment',
      'web',
      'shop',
    ]);
    expect(r.ref()).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
    });
  });

  test('no namespace, or an empty one: none, and no namespace in the ref', () => {
    for (const text of ['metadata: {name: a}\n', 'metadata: {name: a, namespace: ""}\n']) {
      const r = resource(`apiVersion: v1\nkind: Service\n${text}`);
      expect(r.namespace).toBeUndefined();
      expect(r.ref()).toEqual({ apiVersion: 'v1', kind: 'Service', name: 'a' });
      expect(Object.keys(r.ref())).toEqual(['apiVersion', 'kind', 'name']);
    }
  });

  test.each([
    ['no metadata', 'apiVersion: v1\nkind: Service\n'],
    ['metadata that is not a map', 'apiVersion: v1\nkind: Service\nmetadata: [a]\n'],
    ['metadata with no value', 'apiVersion: v1\nkind: Service\nmetadata:\n'],
  ])('%s: no name, no namespace, no labels or annotations', (_, text) => {
    const r = resource(text);
    expect(r.metadata).toBeUndefined();
    expect(r.name).toBe('');
    expect(r.namespace).toBeUndefined();
    expect(r.labels()).toEqual({});
    expect(r.annotations()).toEqual({});
    expect(r.isLocalConfig()).toBe(false);
  });

  test.each([
    ['missing', 'metadata: {}\n'],
    ['a number', 'apiVersion: 1\nkind: 2\nmetadata: {name: 3, namespace: 4}\n'],
    ['a map', 'apiVersion: {a: b}\nkind: {a: b}\nmetadata: {name: {a: b}, namespace: {a: b}}\n'],
    ['a list', 'apiVersion: [a]\nkind: [a]\nmetadata: {name: [a], namespace: [a]}\n'],
    ['null', 'apiVersion: null\nkind: ~\nmetadata: {name: null, namespace: null}\n'],
  ])('a field that is %s reads as empty', (_, text) => {
    const r = resource(text);
    expect([r.apiVersion, r.kind, r.name, r.namespace]).toEqual(['', '', '', undefined]);
  });

  test('the metadata node is the map in the document', () => {
    const r = resource('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n');
    expect(r.metadata).toBe(r.node.get('metadata', true));
  });
});

describe('labels and annotations: string-valued entries only', () => {
  const r = resource(`apiVersion: v1
kind: Service
metadata:
  labels:
    app: web
    tier: 3
    on: true
    empty: ""
    none:
    nil: null
    nested: {a: b}
    list: [a]
    1: number key
    [x]: list key
  annotations:
    note: hello
    count: 2
    none:
`);

  test('labels', () => {
    expect({ ...r.labels() }).toEqual({ app: 'web', tier: '3', on: 'true', empty: '' });
  });

  test('annotations', () => {
    expect({ ...r.annotations() }).toEqual({ note: 'hello', count: '2' });
  });

  test('labels and annotations that are not maps are empty', () => {
    const s = resource(
      'apiVersion: v1\nkind: Service\nmetadata:\n  labels: [a]\n  annotations: x\n',
    );
    expect(s.labels()).toEqual({});
    expect(s.annotations()).toEqual({});
  });

  test('stringMap of anything that is not a map is empty, and has no prototype', () => {
    for (const node of [undefined, null, 'x', parseDocument('[a, b]').contents]) {
      const out = stringMap(node);
      expect(out).toEqual({});
      expect(Object.getPrototypeOf(out)).toBeNull();
    }
    expect(Object.getPrototypeOf(stringMap(parseDocument('a: b').contents))).toBeNull();
  });
});

describe('isLocalConfig', () => {
  test.each([
    ['"true"', true],
    ['true', true],
    ["'true'", true],
    ['"false"', false],
    ['false', false],
    ['"True"', false],
    ['null', false],
    ['', false],
    ['{a: b}', false],
    ['[true]', false],
  ])('annotation %s: %s', (value, expected) => {
    const r = resource(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    ${LOCAL_CONFIG_ANNOTATION}: ${value}\n`,
    );
    expect(r.isLocalConfig()).toBe(expected);
  });

  test('the annotation key is config.kubernetes.io/local-config', () => {
    expect(LOCAL_CONFIG_ANNOTATION).toBe('config.kubernetes.io/local-config');
  });

  test('no annotations, annotations not a map, another annotation: not local config', () => {
    for (const meta of [
      '{name: c}',
      '{name: c, annotations: [a]}',
      '{name: c, annotations: {x: "true"}}',
    ]) {
      expect(resource(`apiVersion: v1\nkind: ConfigMap\nmetadata: ${meta}\n`).isLocalConfig()).toBe(
        false,
      );
    }
  });
});

describe('changed and touch', () => {
  test('a resource starts unchanged; touch marks it and tells its owner each time', () => {
    let touched = 0;
    const r = resource('apiVersion: v1\nkind: Service\n', {}, () => touched++);
    expect(r.changed).toBe(false);
    r.touch();
    r.touch();
    expect(r.changed).toBe(true);
    expect(touched).toBe(2);
  });

  test('touch with no owner to tell', () => {
    const r = resource('apiVersion: v1\nkind: Service\n');
    r.touch();
    expect(r.changed).toBe(true);
  });
});

describe('result', () => {
  const TEXT =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 1\n';
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' };

  test('with a file, an index, lines: file, index, the line and column of the resource', () => {
    const r = resource(TEXT, { path: 'a.yaml', index: 2, lineCounter: new LineCounter() });
    expect(r.result('warning', 'm')).toStrictEqual({
      message: 'm',
      severity: 'warning',
      resourceRef: ref,
      file: { path: 'a.yaml', index: 2 },
      tags: { line: '1', column: '1' },
    });
  });

  test('a node and a field path: the line and column of that node', () => {
    const r = resource(TEXT, { path: 'a.yaml', index: 0, lineCounter: new LineCounter() });
    const replicas = r.node.getIn(['spec', 'replicas'], true) as never;
    expect(r.result('error', 'bad', 'spec.replicas', replicas)).toStrictEqual({
      message: 'bad',
      severity: 'error',
      resourceRef: ref,
      field: { path: 'spec.replicas' },
      file: { path: 'a.yaml', index: 0 },
      tags: { line: '7', column: '13' },
    });
  });

  test('a file with no index: no index; no lines: no tags', () => {
    const r = resource(TEXT, { path: 'a.yaml' });
    expect(r.result('info', 'm', '')).toStrictEqual({
      message: 'm',
      severity: 'info',
      resourceRef: ref,
      file: { path: 'a.yaml' },
    });
  });

  test('lines but no file (a ResourceList item): tags and no file', () => {
    const r = resource(TEXT, { index: 4, lineCounter: new LineCounter() });
    expect(r.result('info', 'm')).toStrictEqual({
      message: 'm',
      severity: 'info',
      resourceRef: ref,
      tags: { line: '1', column: '1' },
    });
  });

  test('a created resource (no source range): no tags, whatever the origin', () => {
    const doc = new Document();
    const node = doc.createNode({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
    });
    const r = new Resource(node as YAMLMap, doc, {
      path: 'a.yaml',
      lineCounter: new LineCounter(),
    });
    expect(r.result('info', 'made')).toStrictEqual({
      message: 'made',
      severity: 'info',
      resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'sa' },
      file: { path: 'a.yaml' },
    });
    const plain = new Resource(node as YAMLMap, doc, {});
    expect(plain.result('info', 'made')).toStrictEqual({
      message: 'made',
      severity: 'info',
      resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'sa' },
    });
  });
});

describe('isKrmObject', () => {
  test.each([
    ['apiVersion and kind', 'apiVersion: v1\nkind: Service\n', true],
    ['empty strings', 'apiVersion: ""\nkind: ""\n', true],
    ['no kind', 'apiVersion: v1\n', false],
    ['no apiVersion', 'kind: Service\n', false],
    ['a number kind', 'apiVersion: v1\nkind: 1\n', false],
    ['a number apiVersion', 'apiVersion: 1\nkind: Service\n', false],
    ['a map kind', 'apiVersion: v1\nkind: {a: b}\n', false],
    ['a list apiVersion', 'apiVersion: [v1]\nkind: Service\n', false],
    ['a null kind', 'apiVersion: v1\nkind:\n', false],
    ['a list', '- apiVersion: v1\n  kind: Service\n', false],
    ['a scalar', 'Service\n', false],
  ])('%s', (_, text, expected) => {
    expect(isKrmObject(parseDocument(text).contents)).toBe(expected);
  });

  test('nothing is no object', () => {
    expect(isKrmObject(undefined)).toBe(false);
    expect(isKrmObject(null)).toBe(false);
    expect(isKrmObject({ apiVersion: 'v1', kind: 'Service' })).toBe(false);
  });
});
