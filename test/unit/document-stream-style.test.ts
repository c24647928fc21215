import { Document, Pair, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { inferStyle, renderNode } from '../../src/yaml/document-stream';

/**
 * What a re-rendered document looks like: the indentation, list style and flow padding
 * read from its source (each case at the edge of the pattern that reads it), and the top
 * node rendered without the comments the source keeps above it.
 */
describe('inferStyle reads the source', () => {
  test.each([
    // [name, source, indent, indentSeq, flowCollectionPadding]
    ['a key of several characters before a list', 'ab:\n  - x\n', 2, true, false],
    ['spaces after the key before a list', 'a:  \n  - x\n', 2, true, false],
    ['a tab after the key before a list', 'a:\t\n  - x\n', 2, true, false],
    ['a list under an item key is not read', '- name:\n  - x\n', 2, false, false],
    ['a key of several characters before a map', 'ab:\n    c: 1\n', 4, false, false],
    ['spaces after the key before a map', 'a:  \n    c: 1\n', 4, false, false],
    ['a nested map read from an indented key', '- a: 1\n  b:\n      c: 1\n', 4, false, false],
    ['a flow list padded by two spaces', 'a: [  x]\n', 2, false, true],
    ['a flow map padded by a tab is not padded', 'a: {\tb: 1}\n', 2, false, false],
  ])('%s', (_name, source, indent, indentSeq, flowCollectionPadding) => {
    expect(inferStyle(source)).toEqual({
      lineWidth: 0,
      minContentWidth: 0,
      indent,
      indentSeq,
      flowCollectionPadding,
    });
  });
});

describe('renderNode', () => {
  test('the comment above the top node is left out, and put back after', () => {
    const doc = parseDocument('--- # c\n# node\n\na: 1\n');
    const comment = doc.contents?.commentBefore;
    expect(comment).toBe(' c\n node\n');
    expect(renderNode(doc, {})).toBe('a: 1\n');
    expect(doc.contents?.commentBefore).toBe(comment);
  });

  test('a first key with a blank line and a comment above it: both left out, both put back', () => {
    const doc = parseDocument('a: 1\n');
    const key = (doc.contents as YAMLMap).items[0].key as {
      commentBefore?: string;
      spaceBefore?: boolean;
    };
    key.commentBefore = ' k';
    key.spaceBefore = true;
    expect(renderNode(doc, {})).toBe('a: 1\n');
    expect(key).toMatchObject({ commentBefore: ' k', spaceBefore: true });
  });

  test('a map whose keys are plain strings or null (built by code)', () => {
    const doc = new Document(new YAMLMap());
    (doc.contents as YAMLMap).items.push(new Pair('k', 'v'));
    expect(renderNode(doc, {})).toBe('k: v\n');
    const nullKey = new Document(new YAMLMap());
    (nullKey.contents as YAMLMap).items.push(new Pair(null, 'v'));
    expect(renderNode(nullKey, {})).toBe(nullKey.toString());
  });

  test('a list: its comment left out and put back', () => {
    const doc = new Document(new YAMLSeq());
    (doc.contents as YAMLSeq).items.push('a');
    (doc.contents as YAMLSeq).commentBefore = ' c';
    expect(renderNode(doc, {})).toBe('- a\n');
    expect((doc.contents as YAMLSeq).commentBefore).toBe(' c');
  });
});
