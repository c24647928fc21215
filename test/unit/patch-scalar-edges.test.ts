import { Pair, parseDocument, Scalar } from 'yaml';
import type { Document, ToStringOptions, YAMLMap } from 'yaml';
import { applyEdits, patchDocument } from '../../src/yaml/patch';

/**
 * When a parsed scalar still stands as its source (src/yaml/patch.ts, `scalarAsParsed`):
 * a tag dropped from it shows wherever the tag stood (first in the text, after a tab,
 * a verbatim tag holding a comma); an anchor alone is no tag; a value whose type was
 * reset, or a pair whose value was taken away, is rendered.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

function patched(doc: Document, text: string): string | undefined {
  const edits = patchDocument(doc, text, STYLE);
  return edits && applyEdits(text, edits);
}

function parsed(text: string): Document {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  return doc;
}

describe('a document that is one scalar', () => {
  test.each([
    ['a tag first in the text', '!T x\n'],
    ['an anchor, then a tag, first in the text', '&a !T x\n'],
    ['a tag, then an anchor, first in the text', '!T &a x\n'],
  ])('%s, dropped: the document is rendered whole', (_name, text) => {
    const doc = parsed(text);
    const node = doc.contents as Scalar;
    expect(node.tag).toBe('!T');
    node.tag = undefined;
    expect(patchDocument(doc, text, STYLE)).toBeUndefined();
    expect(doc.toString(STYLE)).not.toContain('!T');
  });

  test.each([
    ['untagged', 'x\n'],
    ['an anchor first in the text', '&a x\n'],
    ['an anchor after the document start', '--- &a x\n'],
    ['a tag kept', '!T x\n'],
  ])('%s: no edit', (_name, text) => {
    expect(patchDocument(parsed(text), text, STYLE)).toEqual([]);
  });
});

describe('a tag dropped from a map value', () => {
  test.each([
    ['after a tab', 'a:\t!T x\nb: y\n', 'a: x\nb: y\n'],
    ['after a tab, with an anchor', 'a:\t&n\t!T x\nb: y\n', 'a: &n x\nb: y\n'],
    ['a verbatim tag holding a comma', 'a: !<tag:yaml.org,2002:str> x\nb: y\n', 'a: x\nb: y\n'],
    ['an anchor and a tag between runs of spaces', 'a:   &n   !T   x\nb: y\n', 'a: &n x\nb: y\n'],
  ])('%s', (_name, text, expected) => {
    const doc = parsed(text);
    const node = (doc.contents as YAMLMap).get('a', true) as Scalar;
    expect(node.tag).toBeDefined();
    node.tag = undefined;
    expect(patched(doc, text)).toBe(expected);
  });
});

describe('untagged values and anchors need no edit', () => {
  test.each([
    ['an anchored flow map value', 'm: {a: &b y}\n'],
    ['an anchor after a tab', 'a:\t&n x\n'],
  ])('%s', (_name, text) => {
    expect(patchDocument(parsed(text), text, STYLE)).toEqual([]);
  });
});

describe('a parsed scalar whose type was reset or whose pair lost it', () => {
  test('a number made the same digits as a string (setScalar resets the type): quoted', () => {
    const text = 'a: 2000\nb: y\n';
    const doc = parsed(text);
    const node = (doc.contents as YAMLMap).get('a', true) as Scalar;
    node.value = '2000';
    node.type = undefined;
    expect(patched(doc, text)).toBe('a: "2000"\nb: y\n');
  });

  test('a plain string whose type was reset, same value: rendered over its line', () => {
    const text = 'a: x\nb: y\n';
    const doc = parsed(text);
    ((doc.contents as YAMLMap).get('a', true) as Scalar).type = undefined;
    expect(patchDocument(doc, text, STYLE)).toEqual([{ start: 0, end: 5, text: 'a: x\n' }]);
  });

  test.each([
    ['the first pair', 0],
    ['the last pair', 1],
  ])('a parsed pair whose value is taken away (null), %s: the map is rendered', (_n, index) => {
    const text = 'a: 1\nb: 2\n';
    const doc = parsed(text);
    ((doc.contents as YAMLMap).items[index] as Pair).value = null;
    expect(patchDocument(doc, text, STYLE)).toBeUndefined();
  });
});
