import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { checkUniqueKeys, parseAllUnique, parseOneUnique } from '../../src/yaml/unique-keys';

/**
 * The linear duplicate-key check (src/yaml/unique-keys.ts) against the yaml library's own
 * (uniqueKeys: true) as the oracle: the same errors, in the same order, at the same
 * offsets and lines, for hand-written documents at every place a key can repeat.
 */
function errors(docs: readonly Document.Parsed[]) {
  return docs.map((doc) =>
    doc.errors.map((e: YAMLError) => ({
      code: e.code,
      pos: e.pos,
      line: e.linePos?.[0],
      message: e.message.split(' at line ')[0],
    })),
  );
}

const CASES: [string, string][] = [
  ['no duplicate', 'a: 1\nb: 2\n'],
  ['at the top', 'a: 1\nb: 2\na: 3\n'],
  ['three times', 'a: 1\na: 2\na: 3\n'],
  ['nested, then at the top: source order', 'a: 1\nb:\n  c: 1\n  c: 2\na: 3\n'],
  ['at the top, then nested: source order', 'a: 1\na: 2\nb:\n  c: 1\n  c: 2\n'],
  ['in a list item', 'l:\n- a: 1\n  a: 2\n- a: 3\n'],
  ['in a list of lists', 'l:\n- - x: 1\n    x: 2\n'],
  ['in a flow map', 'a: {b: 1, b: 2}\n'],
  ['in flow pairs of a list', 'a: [b: 1, b: 2]\n'],
  ['in a map that is a key', '? {a: 1, a: 2}\n: v\n'],
  ['quoted and plain alike', 'a: 1\n"a": 2\n'],
  ['a number and its string differ', '1: a\n"1": b\n'],
  ['numbers of the same value', '1: a\n0x1: b\n'],
  ['null keys', ': a\n: b\n'],
  ['NaN keys never repeat', '.nan: 1\n.nan: 2\n'],
  ['collection keys are never equal', '? [a]\n: 1\n? [a]\n: 2\n'],
  ['a duplicate before a syntax error', 'a: 1\na: 2\nb: "x\n'],
  ['a syntax error before a duplicate', 'a: [\nb: 1\nb: 2\n'],
  ['in the second document', 'a: 1\n---\nb: 1\nb: 2\n---\nc: 1\nc: 2\n'],
  ['an empty stream', ''],
  ['a comment only', '# c\n'],
];

describe('parseAllUnique finds what the library finds', () => {
  test.each(CASES)('%s', (_, text) => {
    const expected = errors(
      parseAllDocuments(text, {
        lineCounter: new LineCounter(),
        uniqueKeys: true,
      }) as Document.Parsed[],
    );
    const lineCounter = new LineCounter();
    expect(errors(parseAllUnique(text, { lineCounter, uniqueKeys: true }))).toEqual(expected);
    // uniqueKeys is on unless it is turned off, as in the library.
    expect(errors(parseAllUnique(text, { lineCounter: new LineCounter() }))).toEqual(expected);
  });

  test.each(CASES.filter(([, text]) => !text.includes('---')))('parseOneUnique: %s', (_, text) => {
    const lineCounter = new LineCounter();
    const expected = errors([parseDocument(text, { lineCounter: new LineCounter() })]);
    expect(errors([parseOneUnique(text, { lineCounter })])).toEqual(expected);
  });

  test('the duplicate error without a line counter has no line, and the same offset', () => {
    const [doc] = parseAllUnique('a: 1\nb: 2\na: 3\n', {});
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0].code).toBe('DUPLICATE_KEY');
    expect(doc.errors[0].pos).toEqual([10, 11]);
    expect(doc.errors[0].linePos).toBeUndefined();
    expect(doc.errors[0].message).toBe('Map keys must be unique');
  });

  test('uniqueKeys: false checks nothing (the library would check nothing either)', () => {
    const text = 'a: 1\na: 2\n';
    expect(parseAllUnique(text, { uniqueKeys: false })[0].errors).toEqual([]);
    expect(parseOneUnique(text, { uniqueKeys: false }).errors).toEqual([]);
    const doc = parseDocument(text, { uniqueKeys: false });
    checkUniqueKeys(doc);
    expect(doc.errors.map((e) => e.code)).toEqual(['DUPLICATE_KEY']);
  });

  test('an empty stream is an empty array', () => {
    const docs = parseAllUnique('', {});
    expect(Array.isArray(docs)).toBe(true);
    expect(docs).toHaveLength(0);
  });
});
