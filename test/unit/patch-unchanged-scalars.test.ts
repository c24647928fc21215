import { parseDocument, Scalar } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { applyEdits, patchDocument } from '../../src/yaml/patch';

/**
 * A parsed scalar left as parsed is copied, whatever its spelling; one whose value or
 * type was set is rendered over its own lines, and only those.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

describe('every spelling of a parsed scalar needs no edit', () => {
  test.each([
    ['empty null', 'a:\nb: y\n'],
    ['~', 'a: ~\nb: y\n'],
    ['null', 'a: null\nb: y\n'],
    ['Null', 'a: Null\nb: y\n'],
    ['NULL', 'a: NULL\nb: y\n'],
    ['a number', 'a: 12\nb: y\n'],
    ['a boolean', 'a: true\nb: y\n'],
    ['a double-quoted string', 'a: "x"\nb: y\n'],
    ['a block scalar', 'a: |\n  x\nb: y\n'],
  ])('%s', (_name, text) => {
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    expect(patchDocument(doc, text, STYLE)).toEqual([]);
  });
});

describe('a parsed scalar whose value or type was set is rendered over its line', () => {
  test.each([
    ['a null made a number', 'a: ~\nb: y\n', 5, 'a: 5\nb: y\n'],
    ['a number changed', 'a: 12\nb: y\n', 13, 'a: 13\nb: y\n'],
    ['a null spelled ~ set to the null it is', 'a: ~\nb: y\n', null, 'a: ~\nb: y\n'],
    ['a boolean changed', 'a: true\nb: y\n', false, 'a: false\nb: y\n'],
  ])('%s', (_name, text, value, expected) => {
    const doc = parseDocument(text);
    const node = doc.get('a', true) as Scalar;
    node.value = value;
    const edits = patchDocument(doc, text, STYLE);
    expect(edits && applyEdits(text, edits)).toBe(expected);
  });

  test('a quoted number whose type is reset is printed plain', () => {
    const text = 'a: "5"\nb: y\n';
    const doc = parseDocument(text);
    const node = doc.get('a', true) as Scalar;
    node.value = 5;
    node.type = undefined;
    expect(patchDocument(doc, text, STYLE)).toEqual([{ start: 0, end: 7, text: 'a: 5\n' }]);
  });
});
