import { Document, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import type { DocumentOptions, Node, SchemaOptions } from 'yaml';

type Options = DocumentOptions & SchemaOptions;
import { createPlainNode } from '../../src/yaml/create-node';

/**
 * createPlainNode (src/yaml/create-node.ts) is `doc.createNode(value)` for the plain data
 * transforms add: the oracle is the library's own createNode, compared node by node
 * (class, value, key order, flow) and as printed, for every kind of value.
 */
function shape(node: unknown): unknown {
  if (isScalar(node)) return { scalar: node.value, type: node.type, format: node.format };
  if (isAlias(node)) return { alias: node.source };
  if (isMap(node)) {
    return {
      map: node.items.map((pair) => [shape(pair.key), shape(pair.value)]),
      flow: node.flow,
      anchor: node.anchor,
    };
  }
  if (isSeq(node)) return { seq: node.items.map(shape), flow: node.flow, anchor: node.anchor };
  return { other: node };
}

function same(value: unknown, options: Options = {}) {
  const doc = new Document(null, null, options);
  const fast = new Document(null, null, options);
  const expected = doc.createNode(value) as Node;
  const actual = createPlainNode(fast, value);
  expect(shape(actual)).toEqual(shape(expected));
  doc.contents = expected;
  fast.contents = actual;
  expect(fast.toString()).toBe(doc.toString());
  return actual;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('createPlainNode makes the nodes doc.createNode makes', () => {
  test.each([
    ['a string', 'text'],
    ['an empty string', ''],
    ['a string that reads as a number', '0x10'],
    ['a multi-line string', 'a\nb\n'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['an integer', 2000],
    ['zero', 0],
    ['a negative integer', -1],
    ['a float', 1.5],
    ['NaN', Number.NaN],
    ['a big integer', BigInt(12)],
    ['an empty map', {}],
    ['an empty list', []],
    ['a list of every scalar', ['x', 1, true, null, 1.5]],
    ['nested maps and lists', { a: [{ b: { c: [1, [2, []]] } }], d: {} }],
    ['a map with undefined values (skipped)', { skipped: undefined, kept: 'y', also: undefined }],
    ['a list holding undefined', [1, undefined, 2]],
    ['a map without a prototype', Object.assign(Object.create(null) as object, { z: 1, a: 2 })],
    ['a class instance', new Point(1, 2)],
    ['a JavaScript Map', new Map([['k', 'v']])],
    ['a Set', new Set(['a'])],
    ['a Date', new Date(0)],
    ['a float deep in a map', { a: { b: [1, 2.5] } }],
    ['a class instance deep in a list', [{ p: new Point(3, 4) }]],
  ])('%s', (_, value) => {
    same(value);
  });

  test('an object met twice becomes an anchor and an alias, as the library makes it', () => {
    const shared = { x: 1 };
    const node = same({ a: shared, b: shared, c: [shared] });
    let aliases = 0;
    visit(new Document(node), { Alias: () => void aliases++ });
    expect(aliases).toBe(2);
  });

  test('a list met twice too', () => {
    const shared = [1];
    same([shared, { l: shared }]);
  });

  test('the same scalar values twice are no alias', () => {
    const node = same({ a: 'x', b: 'x', c: 1, d: 1 });
    let aliases = 0;
    visit(new Document(node), { Alias: () => void aliases++ });
    expect(aliases).toBe(0);
  });

  test('a document that sorts map entries gets them sorted', () => {
    const value = { b: 1, a: { d: 2, c: 3 } };
    const node = same(value, { sortMapEntries: true });
    const doc = new Document(null);
    doc.contents = node;
    expect(doc.toString()).toBe('a:\n  c: 3\n  d: 2\nb: 1\n');
  });

  test('new nodes carry no range and belong to the document schema', () => {
    const doc = new Document(null, null, { version: '1.1' });
    const node = createPlainNode(doc, { a: ['x'] });
    expect(node.range).toBeUndefined();
    doc.contents = node;
    // YAML 1.1 quotes a string that reads as a boolean there.
    const map = node as unknown as { set(k: string, v: unknown): void };
    map.set('b', createPlainNode(doc, 'yes'));
    expect(doc.toString()).toBe('a:\n  - x\nb: "yes"\n');
  });
});

/**
 * The point of createPlainNode is to skip the library's per-value tag lookup for the data
 * transforms add (a few hundred nodes per workload): plain data must never reach
 * doc.createNode, and anything else must (the library then decides, as above).
 */
describe('which values go through doc.createNode', () => {
  function delegated(value: unknown, options: Options = {}) {
    const doc = new Document(null, null, options);
    const spy = jest.spyOn(doc, 'createNode');
    createPlainNode(doc, value);
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    return calls > 0;
  }

  test.each([
    ['a string', 'x'],
    ['a boolean', false],
    ['null', null],
    ['an integer', 7],
    ['a list of plain values', ['x', true, 1, null]],
    ['a map of plain values', { a: 'x', b: { c: [1] } }],
    ['a map with undefined values', { a: undefined, b: 1 }],
    ['a map without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    ['the same scalar twice', { a: 'x', b: 'x' }],
    ['two equal but distinct objects', [{ a: 1 }, { a: 1 }]],
  ])('built directly: %s', (_, value) => {
    expect(delegated(value)).toBe(false);
  });

  test.each([
    ['a float', 1.5],
    ['a float in a list', [1, 1.5]],
    ['a float in a map', { a: { b: 1.5 } }],
    ['a big integer', BigInt(1)],
    ['a class instance', new Point(1, 2)],
    ['a class instance in a list', [new Point(1, 2)]],
    ['a class instance in a map', { p: new Point(1, 2) }],
    ['a JavaScript Map', new Map()],
    ['undefined in a list', [undefined]],
    ['an object met twice', [{ a: 1 }].flatMap((o) => [o, o])],
    ['a list met twice', [[1]].flatMap((l) => ({ a: l, b: l }))],
  ])('left to the library: %s', (_, value) => {
    expect(delegated(value)).toBe(true);
  });

  test('everything is left to the library in a document that sorts map entries', () => {
    expect(delegated({ a: 1 }, { sortMapEntries: true })).toBe(true);
    expect(
      delegated('x', { sortMapEntries: (a, b) => (String(a.key) < String(b.key) ? -1 : 1) }),
    ).toBe(true);
  });
});
