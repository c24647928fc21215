import { parseDocument } from 'yaml';
import type { Document, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { applyEdits, patchDocument } from '../../src/yaml/patch';

/**
 * Flow collections that lost an item, or kept a trailing comma. Each expected text is written
 * out by hand: only the lines of what changed differ from the source.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

function patched(text: string, edit: (doc: Document) => void): string | undefined {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  edit(doc);
  const edits = patchDocument(doc, text, STYLE);
  return edits && applyEdits(text, edits);
}

const top = (d: Document) => d.contents as YAMLMap;

describe('a flow collection that lost an item is rendered again', () => {
  test.each([
    ['its last pair', 'm: {a: 1, b: 2}\nz: 0\n', 'b', 'm: { a: 1 }\nz: 0\n'],
    [
      'its last pair, with a trailing comma',
      'm: {a: 1, b: 2,}\nz: 0\n',
      'b',
      'm: { a: 1 }\nz: 0\n',
    ],
    ['its first pair', 'm: {a: 1, b: 2}\nz: 0\n', 'a', 'm: { b: 2 }\nz: 0\n'],
  ])('%s', (_name, text, key, expected) => {
    expect(patched(text, (d) => (top(d).get('m', true) as unknown as YAMLMap).delete(key))).toBe(
      expected,
    );
  });

  test('its last item', () => {
    expect(
      patched('l: [a, b]\nz: 0\n', (d) => (top(d).get('l', true) as unknown as YAMLSeq).delete(1)),
    ).toBe('l: [ a ]\nz: 0\n');
  });

  test('left as parsed, with a trailing comma: no edit', () => {
    const text = 'm: {a: 1, b: 2,}\nl: [a, b,]\ne: {}\nf: []\n';
    expect(patched(text, () => undefined)).toBe(text);
    const doc = parseDocument(text);
    expect(patchDocument(doc, text, STYLE)).toEqual([]);
  });
});
