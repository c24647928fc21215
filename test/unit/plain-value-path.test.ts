import { Document, Pair, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { plainValue } from '../../src/yaml/plain-value';

/**
 * plainValue (src/yaml/plain-value.ts) exists so that checks reading every resource do not
 * pay for the library's toJS (a context, anchors and a reviver per call): plain trees must
 * be converted without calling it, and everything else must go through it (then the value
 * is the library's by construction). Each case also compares the value with toJS.
 */
function convert(node: Node, doc: Document): { value: unknown; viaLibrary: boolean } {
  const expected = node.toJS(doc, { maxAliasCount: 100 }) as unknown;
  const spy = jest.spyOn(node, 'toJS');
  try {
    const value = plainValue(node, doc);
    expect(value).toStrictEqual(expected);
    return { value, viaLibrary: spy.mock.calls.length > 0 };
  } finally {
    spy.mockRestore();
  }
}

function parsed(text: string): { node: Node; doc: Document } {
  const doc = parseDocument(text, { resolveKnownTags: false, uniqueKeys: false });
  expect(doc.errors).toEqual([]);
  return { node: doc.contents as Node, doc };
}

describe('plain trees are converted without the library', () => {
  test.each([
    ['a map of every scalar', 'a: x\nb: 1\nc: true\nd: null\ne: 1.5\nf: ""\n'],
    ['keys of every scalar type', '1: a\ntrue: b\nnull: c\n~: d\n1.5: e\n'],
    ['nested lists and maps', 'a:\n- b: [1, [2, {}]]\n- []\n'],
    ['a big integer', 'a: 123456789012345678901234567890\n'],
    ['a list at the top', '- 1\n- x\n'],
    ['a scalar at the top', 'text\n'],
    ['a __proto__ key', '__proto__:\n  polluted: true\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['a key with no value', 'a:\n'],
  ])('%s', (_, text) => {
    const { node, doc } = parsed(text);
    expect(convert(node, doc).viaLibrary).toBe(false);
  });

  test('values set as they are (strings, numbers, booleans, big integers, null)', () => {
    const doc = new Document({});
    const map = doc.contents as YAMLMap;
    map.items.push(new Pair('s', 'text'), new Pair('n', 2), new Pair('b', false));
    map.items.push(new Pair('big', BigInt(7)), new Pair('nil', null));
    map.items.push(new Pair(null, 'null key'), new Pair(3, 'number key'));
    map.items.push(new Pair(true, 'boolean key'), new Pair(BigInt(4), 'bigint key'));
    const { value, viaLibrary } = convert(map, doc);
    expect(viaLibrary).toBe(false);
    expect(value).toStrictEqual({
      s: 'text',
      n: 2,
      b: false,
      big: BigInt(7),
      nil: null,
      '': 'null key',
      3: 'number key',
      true: 'boolean key',
      4: 'bigint key',
    });
  });

  test('a list holding values set as they are', () => {
    const doc = new Document([]);
    const seq = doc.contents as YAMLSeq;
    seq.items.push('x', 1, true, null, BigInt(2));
    expect(convert(seq, doc)).toStrictEqual({
      value: ['x', 1, true, null, BigInt(2)],
      viaLibrary: false,
    });
  });
});

describe('own properties as the library defines them', () => {
  test.each([
    ['a __proto__ key', '__proto__:\n  polluted: true\na: 1\n'],
    ['a repeated key', 'a: 1\nb: 2\na: 3\n'],
    ['a toString key', 'toString: 1\n'],
  ])('%s: the same property descriptors', (_, text) => {
    const { node, doc } = parsed(text);
    const expected = node.toJS(doc, { maxAliasCount: 100 }) as object;
    const actual = plainValue(node, doc) as object;
    expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
    expect(Object.getOwnPropertyDescriptors(actual)).toEqual(
      Object.getOwnPropertyDescriptors(expected),
    );
  });
});

describe('anything else goes through the library', () => {
  test.each([
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['an alias deep in a list', 'a: &x 1\nb: [[*x]]\n'],
    ['a merge key', 'a: &x {b: 1}\nc:\n  <<: *x\n'],
    ['a collection as key', '? [a]\n: 1\n'],
    ['a map as key', '? {a: 1}\n: 1\n'],
  ])('%s', (_, text) => {
    const { node, doc } = parsed(text);
    expect(convert(node, doc).viaLibrary).toBe(true);
  });

  test('a merge key, in a document that merges', () => {
    const doc = parseDocument('a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n', { merge: true });
    const { value, viaLibrary } = convert(doc.contents as Node, doc);
    expect(viaLibrary).toBe(true);
    expect(value).toEqual({ a: { b: 1 }, c: { b: 1, d: 2 } });
  });

  test.each([
    ['a timestamp', 'a: !!timestamp 2001-12-14\n'],
    ['binary data', 'a: !!binary aGVsbG8=\n'],
  ])('a scalar whose value is an object: %s', (_, text) => {
    const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
    expect(doc.errors).toEqual([]);
    const node = doc.contents as Node;
    expect(convert(node, doc).viaLibrary).toBe(true);
  });

  test('undefined, only in created lists, stays undefined as the library keeps it', () => {
    const list = new Document([]);
    (list.contents as YAMLSeq).items.push(undefined, null);
    expect(convert(list.contents as Node, list)).toStrictEqual({
      value: [undefined, null],
      viaLibrary: true,
    });
  });

  test('a map item that is not a pair, and a list item that is no node', () => {
    const doc = new Document({});
    const map = doc.contents as YAMLMap;
    map.items.push(new YAMLMap() as never);
    const spy = jest.spyOn(map, 'toJS').mockReturnValue('from the library');
    expect(plainValue(map, doc)).toBe('from the library');
    expect(spy).toHaveBeenCalledWith(doc, { maxAliasCount: 100 });
    spy.mockRestore();
    const seq = new YAMLSeq();
    seq.items.push(Symbol('s') as never);
    const seqSpy = jest.spyOn(seq, 'toJS').mockReturnValue('listed');
    expect(plainValue(seq, doc)).toBe('listed');
    seqSpy.mockRestore();
  });

  test('an error that is not the fast path declining is thrown', () => {
    const doc = new Document({});
    const map = doc.contents as YAMLMap;
    const pair = new Pair('a', 1);
    Object.defineProperty(pair, 'value', {
      get() {
        throw new RangeError('boom');
      },
    });
    map.items.push(pair);
    const spy = jest.spyOn(map, 'toJS').mockReturnValue('fallback');
    expect(() => plainValue(map, doc)).toThrow('boom');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
