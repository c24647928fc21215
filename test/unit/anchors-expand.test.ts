import { isMap, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import { SourceError } from '../../src/errors';
import { expandAliases, MAX_ALIAS_EXPANSION, mayHoldAliases } from '../../src/yaml/anchors';

/**
 * Aliases and `<<` merge keys expanded as kubectl and kpt read them (src/yaml/anchors.ts),
 * stated from hand-written documents: the data after expansion, where each refusal is
 * located and what it says, and what the copies carry (no range, no anchor).
 */
function expanded(text: string, limit?: number): Document.Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: false, uniqueKeys: false });
  expect(doc.errors).toEqual([]);
  expandAliases(doc, { path: 'in.yaml', lineCounter }, limit);
  return doc;
}

function refusal(text: string, limit?: number): { message: string; location: unknown } {
  try {
    expanded(text, limit);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    const e = error as SourceError;
    return { message: e.reason, location: e.location };
  }
  throw new Error('expanded without an error');
}

/** Every node of the document: none is an alias any more. */
function aliasesLeft(doc: Document): number {
  let count = 0;
  visit(doc, { Alias: () => void count++ });
  return count;
}

describe('mayHoldAliases: only the document range is searched', () => {
  test.each([
    ['an alias', 'a: *x\n', 0, 6, true],
    ['a merge key', '<<: {}\n', 0, 7, true],
    ['neither', 'a: b\n', 0, 5, false],
    ['a single <', 'a: <b\n', 0, 6, false],
    ['an alias after the range', 'a: b\nc: *x\n', 0, 5, false],
    ['an alias before the range', 'c: *x\na: b\n', 6, 11, false],
    ['a merge key after the range', 'a: b\n<<: {}\n', 0, 5, false],
    ['an alias inside a later range', 'a: b\nc: *x\n', 5, 11, true],
    ['a merge key inside a middle range', 'a: b\n<<: x\nd: e\n', 5, 11, true],
  ])('%s', (_, text, start, end, expected) => {
    expect(mayHoldAliases(text, start, end)).toBe(expected);
  });
});

describe('expandAliases: the data as Kubernetes reads it', () => {
  test('the limit is 100,000 nodes', () => {
    expect(MAX_ALIAS_EXPANSION).toBe(100_000);
  });

  test('a document without content is left alone', () => {
    const doc = expanded('# only a comment\n');
    expect(doc.contents).toBeNull();
  });

  test('an alias of a scalar, a map and a list becomes a copy of each', () => {
    const doc = expanded(
      'a: &s text\nb: &m {x: 1}\nc: &l [1, 2]\nd: *s\ne: *m\nf: *l\ng: [*s, *m]\n',
    );
    expect(aliasesLeft(doc)).toBe(0);
    expect(doc.toJS()).toEqual({
      a: 'text',
      b: { x: 1 },
      c: [1, 2],
      d: 'text',
      e: { x: 1 },
      f: [1, 2],
      g: ['text', { x: 1 }],
    });
  });

  test('an alias as a key and as the whole document', () => {
    const keyed = expanded('a: &k name\n*k : v\n');
    expect(aliasesLeft(keyed)).toBe(0);
    expect(keyed.toJS()).toEqual({ a: 'name', name: 'v' });
    const root = expanded('&r a\n');
    expect(root.toJS()).toBe('a');
  });

  test('copies carry no source range and no anchor; the anchored node keeps both', () => {
    const doc = expanded('a: &m\n  x: &i 1\nb: *m\n');
    const map = doc.contents as YAMLMap;
    const original = map.get('a', true) as unknown as YAMLMap;
    const copy = map.get('b', true) as unknown as YAMLMap;
    expect(original.anchor).toBe('m');
    expect(original.range).toBeDefined();
    expect((original.get('x', true) as Node).anchor).toBe('i');
    expect(copy).not.toBe(original);
    expect(copy.range).toBeUndefined();
    expect(copy.anchor).toBeUndefined();
    const inner = copy.items[0];
    expect((inner.key as Node).range).toBeUndefined();
    expect((inner.value as Node).range).toBeUndefined();
    expect((inner.value as Node).anchor).toBeUndefined();
    // An edit of the copy never reaches the anchored node.
    copy.set('x', 2);
    expect(original.toJSON()).toEqual({ x: 1 });
  });

  test('an alias of a node that holds an alias copies the expanded node', () => {
    const doc = expanded('a: &a {b: 1}\nc: &c [*a, 2]\nd: *c\n');
    expect(aliasesLeft(doc)).toBe(0);
    expect(doc.toJS()).toEqual({ a: { b: 1 }, c: [{ b: 1 }, 2], d: [{ b: 1 }, 2] });
  });

  test('an anchor redefined: each alias takes the latest one before it', () => {
    const doc = expanded('a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
    expect(doc.toJS()).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });

  test('an alias after the node it names has ended is fine, even deep in a sibling', () => {
    const doc = expanded('a: &x\n  b: [1]\nc:\n  d:\n  - *x\n');
    expect(doc.toJS()).toEqual({ a: { b: [1] }, c: { d: [{ b: [1] }] } });
  });
});

describe('expandAliases: refusals, located', () => {
  test('an alias with no anchor', () => {
    expect(refusal('a: 1\nb:\n  c: *nowhere\n')).toEqual({
      message: 'alias *nowhere has no anchor &nowhere before it in its document',
      location: { path: 'in.yaml', line: 3, column: 6, code: 'ALIAS' },
    });
  });

  test('an alias before its anchor', () => {
    expect(refusal('a: *x\nb: &x 1\n')).toEqual({
      message: 'alias *x has no anchor &x before it in its document',
      location: { path: 'in.yaml', line: 1, column: 4, code: 'ALIAS' },
    });
  });

  test('an alias inside the node it names', () => {
    expect(refusal('a: &x\n  b:\n    - *x\n')).toEqual({
      message: 'alias *x is inside the node it names, which would never end',
      location: { path: 'in.yaml', line: 3, column: 7, code: 'ALIAS' },
    });
  });

  test('expansion past the limit, at the alias that passes it; the limit itself is fine', () => {
    // A list of three scalars is four nodes; two aliases of it add eight.
    const text = 'a: &l [1, 2, 3]\nb: *l\nc: *l\n';
    expect(expanded(text, 8).toJS()).toEqual({ a: [1, 2, 3], b: [1, 2, 3], c: [1, 2, 3] });
    expect(refusal(text, 7)).toEqual({
      message:
        'aliases expand this document past 7 nodes (an alias bomb?); retarget will not expand it',
      location: { path: 'in.yaml', line: 3, column: 4, code: 'ALIAS' },
    });
    expect(refusal(text, 3).location).toEqual({
      path: 'in.yaml',
      line: 2,
      column: 4,
      code: 'ALIAS',
    });
  });

  test('merged pairs count a node for the pair and its value nodes, at the << key', () => {
    // The alias adds the map's 7 nodes (map, x, 1, y, list, 1, 2); the merge then adds
    // 1 + 1 for x and 1 + 3 for y: 13 in all.
    const text = 'a: &b {x: 1, y: [1, 2]}\nc:\n  <<: *b\n';
    const limitFor = (limit: number) => () => expanded(text, limit);
    expect(limitFor(7 + 6)).not.toThrow();
    expect(refusal(text, 7 + 5)).toEqual({
      message:
        'aliases expand this document past 12 nodes (an alias bomb?); retarget will not expand it',
      location: { path: 'in.yaml', line: 3, column: 3, code: 'ALIAS' },
    });
  });

  test('the default limit refuses a bomb and allows a large but bounded document', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    // Five levels of ten aliases: over 100,000 nodes.
    expect(refusal(`${levels.join('\n')}\n`).message).toBe(
      'aliases expand this document past 100000 nodes (an alias bomb?); retarget will not expand it',
    );
    // Four levels: about 12,000 nodes, expanded.
    const doc = expanded(`${levels.slice(0, 4).join('\n')}\n`);
    expect(aliasesLeft(doc)).toBe(0);
  });
});

describe('expandAliases: << merge keys', () => {
  test("the map's own keys win, wherever they are; merged keys take the << place", () => {
    const doc = expanded('base: &b {x: 1, y: 2, z: 3}\nm:\n  y: own\n  <<: *b\n  w: 4\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    expect(m.items.map((p) => String((p.key as { value: unknown }).value))).toEqual([
      'y',
      'x',
      'z',
      'w',
    ]);
    expect(m.toJSON()).toEqual({ y: 'own', x: 1, z: 3, w: 4 });
  });

  test('a list of maps: earlier sources win', () => {
    const doc = expanded('a: &a {k: 1}\nb: &b {k: 2, j: 3}\nm:\n  <<: [*a, *b]\n');
    expect((doc.contents as YAMLMap).get('m')).toBeDefined();
    expect(doc.toJS().m).toEqual({ k: 1, j: 3 });
  });

  test('an inline map is merged too, and the merged pairs are new (no range)', () => {
    const doc = expanded('m:\n  <<: {k: 1}\n  j: 2\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    expect(m.toJSON()).toEqual({ k: 1, j: 2 });
    expect((m.items[0].key as Node).range).toBeUndefined();
    expect((m.items[1].key as Node).range).toBeDefined();
  });

  test('a map without a merge key keeps its very pairs', () => {
    const doc = expanded('m:\n  a: 1\n  b: 2\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    const list = m.items;
    const before = [...m.items];
    expandAliases(doc, { path: 'in.yaml', lineCounter: new LineCounter() });
    expect(m.items).toEqual(before);
    expect(m.items[0]).toBe(before[0]);
    expect(m.items).toBe(list);
  });

  test('collection keys of a merged map are merged, each apart', () => {
    const doc = expanded('a: &a\n  ? [x]\n  : 1\n  ? [y]\n  : 2\nm:\n  <<: *a\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    expect(m.items).toHaveLength(2);
    expect(m.items.map((p) => String(p.value))).toEqual(['1', '2']);
  });

  test('a copied map with an explicit key and no value', () => {
    const doc = expanded('a: &m\n  ? k\nb: *m\n');
    expect(doc.toJS()).toEqual({ a: { k: null }, b: { k: null } });
    expect(expanded('a: &m\n  ? k\nb: *m\n', 3).toJS().b).toEqual({ k: null });
  });

  test('an explicit key without a value is walked as null', () => {
    const doc = expanded('? a\nb: &x 1\nc: *x\n');
    expect(doc.toJS()).toEqual({ a: null, b: 1, c: 1 });
  });

  test('a quoted "<<" key of the merged map is merged like any other key', () => {
    const doc = expanded('a: &a {"<<": 1, k: 2}\nm:\n  <<: *a\n');
    expect(doc.toJS().m).toEqual({ '<<': 1, k: 2 });
  });

  test('a comment above a << line that brings nothing is no crash', () => {
    const doc = expanded('a: &a {k: 1}\nm:\n  k: 2\n  # why\n  <<: *a\n');
    expect(doc.toJS().m).toEqual({ k: 2 });
  });

  test('a quoted "<<" is an ordinary key', () => {
    for (const key of ['"<<"', "'<<'"]) {
      const doc = expanded(`m:\n  ${key}: {k: 1}\n`);
      expect(doc.toJS()).toEqual({ m: { '<<': { k: 1 } } });
    }
  });

  test('two merge keys in one map: the first wins', () => {
    const doc = expanded('a: &a {k: 1}\nb: &b {k: 2, j: 3}\nm:\n  <<: *a\n  <<: *b\n');
    expect(doc.toJS().m).toEqual({ k: 1, j: 3 });
  });

  test('a comment above the << line goes to the first merged key', () => {
    const doc = expanded('a: &a {k: 1}\nm:\n  j: 2\n  # why\n  <<: *a\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    expect((m.items[1].key as Node).commentBefore).toBe(' why');
    expect(doc.toString()).toBe('a: &a { k: 1 }\nm:\n  j: 2\n  # why\n  k: 1\n');
  });

  test('a merged key with a comment of its own keeps it', () => {
    const doc = expanded('a: &a\n  z: 0\n  # own\n  k: 1\nm:\n  z: 9\n  # why\n  <<: *a\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    expect(m.toJSON()).toEqual({ z: 9, k: 1 });
    expect((m.items[1].key as Node).commentBefore).toBe(' own');
  });

  test('a merge that brings nothing new drops the << pair', () => {
    const doc = expanded('a: &a {k: 1}\nm:\n  # why\n  <<: *a\n  k: 2\n');
    expect(doc.toJS().m).toEqual({ k: 2 });
  });

  test.each([
    ['a scalar', 'm:\n  <<: 1\n', 2, 7],
    ['a list holding a scalar', 'a: &a {k: 1}\nm:\n  <<: [*a, x]\n', 3, 12],
    ['an alias of a scalar (a copy has no place: at the key)', 'a: &s x\nm:\n  <<: *s\n', 3, 3],
    ['an alias of a list', 'a: &l [x]\nm:\n  <<: *l\n', 3, 3],
    ['null', 'm:\n  <<:\n  k: 1\n', 2, 6],
  ])('refused: a merge of %s', (_, text, line, column) => {
    expect(refusal(text)).toEqual({
      message: 'a << merge key takes a map, an alias of a map, or a list of those',
      location: { path: 'in.yaml', line, column, code: 'ALIAS' },
    });
  });

  test('a merged value is a copy: editing it leaves the source map alone', () => {
    const doc = expanded('a: &a {k: {v: 1}}\nm:\n  <<: *a\n');
    const m = (doc.contents as YAMLMap).get('m') as unknown as YAMLMap;
    (m.get('k') as unknown as YAMLMap).set('v', 2);
    expect(doc.toJS().a).toEqual({ k: { v: 1 } });
    expect(isMap(m.get('k'))).toBe(true);
  });
});
