import { isSeq, parseAllDocuments } from 'yaml';
import type { Document, Scalar, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { createPlainNode } from '../../src/yaml/create-node';
import { applyEdits, patchDocument } from '../../src/yaml/patch';
import type { Edit } from '../../src/yaml/patch';

/**
 * A CRLF source is patched as its LF twin is: the same edits at the same lines, each
 * inserted or rendered line ending in CRLF. The LF patch is the oracle (its bytes are
 * stated by the other patch suites); each case also states that the LF patch is a patch
 * (not a whole render) where the rules give one, and how many edits it makes, so that a
 * CRLF patch that gave up and re-rendered more is caught. Every edit path: a scalar set,
 * a pair or an item inserted, one removed, flow and block collections, comments, blank
 * lines, trailing blanks, no final line break, a later document of a stream.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

// Paths into a test document, whatever their node types: any, for brevity.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const at = (doc: Document, ...path: (string | number)[]) => doc.getIn(path, true) as Any;
const top = (doc: Document) => doc.contents as YAMLMap;

/** Patches document `index` of `text` after `edit`; the edits, the text and the edited data. */
function patch(
  text: string,
  edit: (doc: Document) => void,
  index = 0,
): { edits: Edit[] | undefined; out: string | undefined; data: unknown } {
  const docs = parseAllDocuments(text) as Document[];
  const doc = docs[index];
  expect(doc.errors).toEqual([]);
  edit(doc);
  const edits = patchDocument(doc, text, STYLE);
  return { edits, out: edits && applyEdits(text, edits), data: doc.toJS() };
}

/** An LF offset in the CRLF twin: one more byte per line break before it. */
function crlfOffset(lf: string, offset: number): number {
  let breaks = 0;
  for (let i = 0; i < offset; i++) if (lf.charCodeAt(i) === 10) breaks++;
  return offset + breaks;
}

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

type Case = [string, string, (doc: Document) => void, number | undefined];

/** name, LF source, edit, number of edits the LF patch makes (undefined: rendered whole). */
const CASES: Case[] = [
  // A scalar set: its own lines rendered over.
  ['a scalar set, first pair', 'a: 1\nb: 2\n', (d) => top(d).set('a', 9), 1],
  ['a scalar set, last pair, no final line break', 'a: 1\nb: 2', (d) => top(d).set('b', 9), 1],
  ['a scalar set before trailing spaces', 'a: 1  \nb: 2\n', (d) => top(d).set('a', 9), 1],
  ['a scalar set before a trailing tab', 'a: 1\t\nb: 2\n', (d) => top(d).set('a', 9), 1],
  ['a scalar set before a comment', 'a: 1 # c\nb: 2\n', (d) => top(d).set('a', 9), 1],
  ['a scalar set, the last line blank', 'b: 2\na: 1  ', (d) => top(d).set('a', 9), 1],
  [
    'a nested scalar set to a map',
    'x:\n  a: 1\ny: 2\n',
    (d) => at(d, 'x').set('a', createPlainNode(d, { b: [1, 2] })),
    1,
  ],
  ['a list item set', 'l:\n- 1\n- 2\n', (d) => (at(d, 'l').items[1].value = 9), 1],
  ['an indented list item set', 'l:\n  - 1\n  - 2\n', (d) => (at(d, 'l').items[0].value = 9), 1],
  [
    'a list item replaced by a map',
    'l:\n- a: 1\n- b: 2\n',
    (d) => (at(d, 'l').items[1] = createPlainNode(d, { c: 3, d: 4 })),
    1,
  ],
  [
    'a nested list item replaced',
    'l:\n- - a\n  - b: 2\n',
    (d) => (at(d, 'l').items[0].items[1] = createPlainNode(d, { c: 3, d: 4 })),
    1,
  ],
  [
    'a pair set below a comment and a blank line',
    'a: 1\n\n# c\nb: 2\n',
    (d) => top(d).set('b', 9),
    1,
  ],
  ['an item set below a comment', 'l:\n- 1\n# c\n- 2\n', (d) => (at(d, 'l').items[1].value = 9), 1],
  ['a block scalar set', 'a: |\n  x\n  y\nb: 2\n', (d) => top(d).set('a', 'z'), 1],
  ['a value set to a block scalar', 'a: 1\nb: 2\n', (d) => top(d).set('a', 'x\ny\n'), 1],
  ['two scalars set', 'a: 1\nb: 2\nc: 3\n', (d) => (top(d).set('a', 8), top(d).set('c', 9)), 2],
  [
    'a tag dropped',
    'a: !T x\nb: y\n',
    (d) => {
      (top(d).get('a', true) as Scalar).tag = undefined;
    },
    1,
  ],
  [
    'a tag dropped after an anchor',
    'a: &n !T x\nb: y\n',
    (d) => {
      (top(d).get('a', true) as Scalar).tag = undefined;
    },
    1,
  ],
  // A pair or an item inserted after the last one.
  ['a pair appended', 'a: 1\nb: 2\n', (d) => top(d).set('z', 9), 1],
  ['a pair appended, no final line break', 'a: 1\nb: 2', (d) => top(d).set('z', 9), 1],
  ['a pair appended after trailing spaces', 'a: 1  \n', (d) => top(d).set('z', 9), 1],
  ['a pair appended after a trailing comment', 'a: 1\nb: 2 # c\n', (d) => top(d).set('z', 9), 1],
  ['a pair appended before blank lines', 'a: 1\nb: 2\n\n\n', (d) => top(d).set('z', 9), 1],
  ['a pair appended before a line of spaces', 'a: 1\n   \n', (d) => top(d).set('z', 9), 1],
  ['a pair appended after a comment line', 'a: 1\n# c\nb: 2\n', (d) => top(d).set('z', 9), 1],
  [
    'a pair appended to a nested map',
    'x:\n  a: 1\ny: 2\n',
    (d) => at(d, 'x').set('z', createPlainNode(d, { w: [1] })),
    1,
  ],
  [
    'a pair appended to a nested map before a comment',
    'x:\n  a: 1 # c\n# d\ny: 2\n',
    (d) => at(d, 'x').set('z', 9),
    1,
  ],
  [
    'a pair appended after a block scalar',
    'x:\n  a: |\n    t\ny: 1\n',
    (d) => at(d, 'x').set('z', 9),
    1,
  ],
  [
    'a pair appended to a map in a list',
    'l:\n- a: 1\n  b: 2\n- c: 3\n',
    (d) => at(d, 'l', 0).set('z', 9),
    1,
  ],
  [
    'a pair appended to a map in an indented list',
    'l:\n    -   a: 1\n',
    (d) => at(d, 'l', 0).set('z', 9),
    1,
  ],
  ['an item appended', 'l:\n- 1\n', (d) => at(d, 'l').items.push(createPlainNode(d, 2)), 1],
  [
    'an item appended to an indented list',
    'l:\n   - 1\n',
    (d) => at(d, 'l').items.push(createPlainNode(d, 2)),
    1,
  ],
  [
    'an item appended to a list in a list',
    'l:\n- - 1\n',
    (d) => at(d, 'l', 0).items.push(createPlainNode(d, 2)),
    1,
  ],
  [
    'an item appended after a trailing comment',
    'l:\n- 1 # one\n',
    (d) => at(d, 'l').items.push(createPlainNode(d, 2)),
    1,
  ],
  [
    'a map item appended to a list of maps',
    'l:\n- name: a\n  value: "1"\nm: 2\n',
    (d) => at(d, 'l').items.push(createPlainNode(d, { name: 'b', value: '2' })),
    1,
  ],
  [
    'items appended to two lists',
    'l:\n- 1\nm:\n- 1\n',
    (d) => {
      at(d, 'l').items.push(createPlainNode(d, 2));
      at(d, 'm').items.push(createPlainNode(d, { a: 1 }));
    },
    2,
  ],
  [
    'an empty flow list filled as a block list',
    'v: []\nc: 2\n',
    (d) => {
      const v = at(d, 'v');
      v.flow = false;
      v.items.push(createPlainNode(d, { name: 'x' }));
    },
    1,
  ],
  // Removed, replaced or inserted before parsed ones: the enclosing pair rendered.
  ['an item removed between', 'l:\n- 1\n- 2\n- 3\nm: 1\n', (d) => at(d, 'l').items.splice(1, 1), 1],
  ['the last item removed', 'l:\n- 1\n- 2\nm: 1\n', (d) => at(d, 'l').items.pop(), 1],
  ['a nested pair removed', 'x:\n  a: 1\n  b: 2\ny: 3\n', (d) => at(d, 'x').delete('b'), 1],
  [
    'an item inserted first',
    'l:\n- 1\n- 2\nm: 1\n',
    (d) => at(d, 'l').items.unshift(createPlainNode(d, 0)),
    1,
  ],
  ['a top-level pair removed', 'a: 1\nb: 2\n', (d) => top(d).delete('a'), undefined],
  // Flow collections.
  ['a flow map value set', 'a: {b: 1}\nc: 2\n', (d) => at(d, 'a').set('b', 2), 1],
  [
    'a flow list item appended',
    'a: [1]\nc: 2\n',
    (d) => at(d, 'a').items.push(createPlainNode(d, 2)),
    1,
  ],
  ['a key removed from a flow map', 'a: {b: 1, c: 2}\n', (d) => at(d, 'a').delete('c'), 1],
  [
    'a flow map over lines left, a pair appended',
    'a: {\n  b: 1,\n  c: 2\n}\n',
    (d) => top(d).set('z', 1),
    1,
  ],
  ['a comment between flow items left', 'a: [1, # c\n  2]\n', (d) => top(d).set('z', 1), 1],
  ['a block map made flow', 'a:\n  b: 1\nc: 2\n', (d) => (at(d, 'a').flow = true), 1],
  ['a flow map made block', 'a: {b: 1}\nc: 2\n', (d) => (at(d, 'a').flow = false), 1],
  // Nothing changed.
  ['untouched', 'a: 1 # c\n# d\nb:\n- 2\n\n- {x: [y]}\nc: |\n  t\n', () => undefined, 0],
];

describe('a CRLF source is patched as its LF twin', () => {
  test.each(CASES)('%s', (_name, lf, edit, count) => {
    const lfPatch = patch(lf, edit);
    const crPatch = patch(crlf(lf), edit);
    if (count === undefined) {
      expect(lfPatch.edits).toBeUndefined();
      expect(crPatch.edits).toBeUndefined();
      return;
    }
    expect(lfPatch.edits).toHaveLength(count);
    const expected = lfPatch.edits!.map((e) => ({
      start: crlfOffset(lf, e.start),
      end: crlfOffset(lf, e.end),
      text: crlf(e.text),
    }));
    expect(crPatch.edits).toEqual(expected);
    expect(crPatch.out).toBe(crlf(lfPatch.out!));
    // The patched text holds the edited data, and no lone line feed.
    expect(parseAllDocuments(crPatch.out!)[0].toJS()).toEqual(crPatch.data);
    expect(crPatch.out!.replace(/\r\n/g, '')).not.toContain('\n');
  });

  test.each(CASES.filter(([, , , count]) => count !== undefined))(
    'in the second document of a stream: %s',
    (_name, lf, edit, count) => {
      const head = 'k: 1\n---\n';
      const lfPatch = patch(head + lf, edit, 1);
      const crPatch = patch(crlf(head + lf), edit, 1);
      expect(lfPatch.edits).toHaveLength(count!);
      expect(crPatch.out).toBe(crlf(lfPatch.out!));
    },
  );
});

describe('line ends: the bytes of a CRLF patch', () => {
  test('a pair appended to a nested map before a shallower key', () => {
    const text = 'x:\r\n  a: 1\r\ny: 2\r\n';
    const { edits, out } = patch(text, (d) => at(d, 'x').set('z', 9));
    expect(edits).toEqual([{ start: 12, end: 12, text: '  z: 9\r\n' }]);
    expect(out).toBe('x:\r\n  a: 1\r\n  z: 9\r\ny: 2\r\n');
  });

  test('a pair appended after a last value with no line break', () => {
    const text = 'a: 1\r\nb: 2';
    const { edits } = patch(text, (d) => top(d).set('z', 9));
    expect(edits).toEqual([{ start: 10, end: 10, text: '\r\nz: 9' }]);
  });

  test('a value replaced on a line with blanks before the CRLF', () => {
    const text = 'a: 1 \t\r\nb: 2\r\n';
    const { edits } = patch(text, (d) => top(d).set('a', 9));
    expect(edits).toEqual([{ start: 0, end: 8, text: 'a: 9\r\n' }]);
  });

  test('an item of an indented list that lost a key: rendered over its own lines', () => {
    const text = 'l:\r\n  - a: 1\r\n    b: 2\r\n  - c: 3\r\n';
    const { edits, out } = patch(text, (d) => at(d, 'l', 0).delete('a'));
    expect(edits).toEqual([{ start: 8, end: 24, text: 'b: 2\r\n' }]);
    expect(out).toBe('l:\r\n  - b: 2\r\n  - c: 3\r\n');
  });

  test('a list in a list: the inner items appended at the inner dash column', () => {
    const text = 'l:\r\n- - 1\r\n';
    const { edits } = patch(text, (d) => {
      const outer = at(d, 'l') as YAMLSeq;
      const inner = outer.items[0];
      expect(isSeq(inner)).toBe(true);
      (inner as YAMLSeq).items.push(createPlainNode(d, { a: 1, b: 2 }));
    });
    expect(edits).toEqual([{ start: 11, end: 11, text: '  - a: 1\r\n    b: 2\r\n' }]);
  });

  test('an LF document after a CRLF one in a stream keeps its own line ends', () => {
    const text = 'a: 1\r\n---\nb: 1\n';
    const { out } = patch(text, (d) => top(d).set('c', createPlainNode(d, { d: [1] })), 1);
    expect(out).toBe('a: 1\r\n---\nb: 1\nc:\n  d:\n  - 1\n');
  });
});
