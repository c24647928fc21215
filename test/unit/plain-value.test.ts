import fc from 'fast-check';
import { isNode, parseAllDocuments, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { plainValue } from '../../src/yaml/plain-value';

const FC_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261130;

/** The value and the own-property layout (a __proto__ key is an own property, not a prototype). */
function same(text: string): void {
  for (const doc of parseAllDocuments(text, { resolveKnownTags: false, uniqueKeys: false })) {
    if (doc.errors.length || !isNode(doc.contents)) continue;
    let expected: unknown;
    try {
      expected = doc.contents.toJS(doc, { maxAliasCount: 100 });
    } catch {
      continue;
    }
    const actual = plainValue(doc.contents, doc);
    expect(actual).toStrictEqual(expected);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  }
}

describe('plainValue is toJS for the trees documents hold', () => {
  test.each([
    [
      'a Deployment',
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: a\n        args: [x, 1, true, null]\n',
    ],
    ['keys of every scalar type', '1: a\ntrue: b\nnull: c\n~: d\n1.5: e\n0x10: f\n'],
    ['a __proto__ key', '__proto__:\n  polluted: true\na: 1\n'],
    ['repeated keys', 'a: 1\na: 2\ntoString: 3\n'],
    ['big integers', 'a: 123456789012345678901234567890\n'],
    ['an alias and a merge key', 'a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n'],
    ['a collection as key', '? [a, b]\n: c\n'],
    ['tags', 'a: !!binary aGVsbG8=\nb: !!set {x}\nc: !custom d\nd: !!omap [{a: 1}]\n'],
    ['empty values', 'a:\nb: []\nc: {}\nd: ""\n'],
  ])('%s', (_, text) => same(text));

  test('maps with values set as they are', () => {
    const doc = parseDocument('a: 1\n');
    const map = doc.contents as YAMLMap;
    map.set('b', 'text');
    map.set(2, true);
    map.set('c', null);
    map.set('big', BigInt(5));
    expect(plainValue(map, doc)).toStrictEqual(map.toJS(doc, { maxAliasCount: 100 }));
  });

  test('random YAML values', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('block', 'flow'),
        (value, style) => {
          const text = style === 'flow' ? JSON.stringify(value) : JSON.stringify(value, null, 1);
          same(text);
        },
      ),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});
