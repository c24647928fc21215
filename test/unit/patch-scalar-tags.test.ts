import { parseAllDocuments, parseDocument, Scalar } from 'yaml';
import type { Document, ToStringOptions } from 'yaml';
import { applyEdits, patchDocument } from '../../src/yaml/patch';

/**
 * A tag dropped from a parsed scalar whose value did not change (what `setScalar` does
 * when it writes the same value over `fsGroup: !!binary 2000` or `a: !Custom x`) must
 * show in the output: the value and its source still agree, so only the tag tells.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

function patched(doc: Document, text: string): string | undefined {
  const edits = patchDocument(doc, text, STYLE);
  return edits && applyEdits(text, edits);
}

/** The scalar at `path` (keys and indexes). */
function scalarAt(doc: Document, path: (string | number)[]): Scalar {
  const node = doc.getIn(path, true);
  if (!(node instanceof Scalar)) throw new Error(`no scalar at ${path.join('.')}`);
  return node;
}

describe('a tag dropped from an unchanged scalar is written', () => {
  test.each([
    ['a block map value', 'a: !Custom x\nb: y\n', ['a'], 'a: x\nb: y\n'],
    ['a string tag', 'a: !!str x\nb: y\n', ['a'], 'a: x\nb: y\n'],
    ['a number', 'fsGroup: !!int 2000\nb: y\n', ['fsGroup'], 'fsGroup: 2000\nb: y\n'],
    ['a null', 'a: !!null ~\nb: y\n', ['a'], 'a: ~\nb: y\n'],
    ['an anchor before the tag', 'a: &n !T x\nb: y\n', ['a'], 'a: &n x\nb: y\n'],
    ['an anchor after the tag', 'a: !T &n x\nb: y\n', ['a'], 'a: &n x\nb: y\n'],
    ['a tab before the value', 'a: !T\tx\nb: y\n', ['a'], 'a: x\nb: y\n'],
    ['a nested value', 'm:\n  a: !T x\n  b: y\n', ['m', 'a'], 'm:\n  a: x\n  b: y\n'],
    ['a list item', 'l:\n- !T x\n- y\n', ['l', 0], 'l:\n- x\n- y\n'],
    ['a flow list item, first', 'l: [!T x, y]\n', ['l', 0], 'l: [ x, y ]\n'],
    ['a flow list item, later', 'l: [y,!T x]\n', ['l', 1], 'l: [ y, x ]\n'],
    ['a flow map value', 'm: {a: !T x}\n', ['m', 'a'], 'm: { a: x }\n'],
    ['a CRLF document', 'a: !T x\r\nb: y\r\n', ['a'], 'a: x\r\nb: y\r\n'],
  ])('%s', (_name, text, path, expected) => {
    const doc = parseDocument(text);
    const node = scalarAt(doc, path);
    expect(node.tag).toBeDefined();
    node.tag = undefined;
    expect(patched(doc, text)).toBe(expected);
  });

  test('a tagged key: the tag is outside the key, so the document is rendered whole', () => {
    const text = 'a: 1\n!T b: 2\n';
    const doc = parseDocument(text);
    const key = doc.contents as unknown as { items: { key: Scalar }[] };
    key.items[1].key.tag = undefined;
    expect(patchDocument(doc, text, STYLE)).toBeUndefined();
  });

  test('in a later document of a stream, at its own offsets', () => {
    const text = 'a: !T x\n---\na: !T x\nb: y\n';
    const [first, second] = parseAllDocuments(text) as Document[];
    scalarAt(second, ['a']).tag = undefined;
    const edits = patchDocument(second, text, STYLE);
    expect(edits).toEqual([{ start: 12, end: 20, text: 'a: x\n' }]);
    expect(patchDocument(first, text, STYLE)).toEqual([]);
  });
});

describe('untagged scalars, and tags kept, need no edit', () => {
  test.each([
    ['a tagged value kept', 'a: !Custom x\n'],
    ['an anchor only', 'a: &n x\n'],
    ['an anchor, then a key', 'a: &n x\nb: y\n'],
    ['a key with a ! inside', 'a!b: x\n'],
    ['a value with a ! inside', 'a: x!y\nb: y!\n'],
    ['a flow list', 'l: [x, y]\n'],
    ['a flow list without spaces', 'l: [x,y]\n'],
    ['a flow map', 'm: {a: x, b: y}\n'],
    ['a tag on the map, on its own line', 'm: !T\n  a: x\n'],
    ['a tag on the document', '--- !T\na: x\n'],
    ['a tag on the line above the value', 'a: !T\n  x\n'],
    ['a value first in its document', 'x\n'],
    ['a quoted value after a tagged one', 'a: !T "x"\nb: "y"\n'],
  ])('%s', (_name, text) => {
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    expect(patchDocument(doc, text, STYLE)).toEqual([]);
  });
});
