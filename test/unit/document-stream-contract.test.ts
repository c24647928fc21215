import { Document, isAlias, isScalar, visit } from 'yaml';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { SourceError } from '../../src/errors';
import {
  inferStyle,
  parseDocumentStream,
  renderDocumentStream,
  renderNode,
  restoreCommentSpacing,
} from '../../src/yaml/document-stream';
import type { DocumentStream } from '../../src/yaml/document-stream';

/**
 * What a stream of documents writes back (src/yaml/document-stream.ts), stated as exact
 * bytes from hand-written streams: documents removed (first, middle, last), documents
 * changed through the patcher and through a whole re-render, new documents appended
 * (after a text with or without a final line break, before a trailing `---`, CRLF),
 * and the style a re-render keeps.
 */
const BASE = { lineWidth: 0, minContentWidth: 0 };

function edit(stream: DocumentStream, i: number, fn: (map: YAMLMap) => void): void {
  fn(stream.documents[i].doc.contents as YAMLMap);
  stream.documents[i].changed = true;
}

describe('inferStyle', () => {
  test.each([
    ['an indented list', 'a:\n  - x\n', 2, true, false],
    ['a list at its key column', 'a:\n- x\n', 2, false, false],
    ['a list after a comment and a blank line', 'a:\n  # c\n\n  - x\n', 2, true, false],
    ['a list after CRLF lines', 'a: 1\nb:\r\n  - x\r\n', 2, true, false],
    ['one-space maps', 'a:\n b: 1\n', 1, false, false],
    ['four-space maps', 'a:\n    b: 1\n', 4, false, false],
    ['eight-space maps', 'a:\n        b: 1\n', 8, false, false],
    ['nine spaces: the default', 'a:\n         b: 1\n', 2, false, false],
    ['a key after a marker counts for nothing', '- a:\n    b: 1\n', 2, false, false],
    ['a comment line counts for nothing', '#a:\n   b: 1\n', 2, false, false],
    ['padded flow lists', 'a: [ x ]\n', 2, false, true],
    ['padded flow maps', 'a: { b: 1 }\n', 2, false, true],
    ['unpadded flow lists', 'a: [x]\n', 2, false, false],
    ['both: unpadded', 'a: [ x ]\nb: [y]\n', 2, false, false],
    ['an empty padded list', 'a: [ ]\n', 2, false, false],
    ['nothing to go by', 'a: 1\n', 2, false, false],
  ])('%s', (_, source, indent, indentSeq, flowCollectionPadding) => {
    expect(inferStyle(source)).toEqual({
      ...BASE,
      indent,
      indentSeq,
      flowCollectionPadding,
    });
  });

  test.each([
    ['what composing found', { step: 4, indentSeq: true }, 4, true],
    ['nothing found', {}, 2, false],
    ['a step of 0', { step: 0 }, 2, false],
    ['a step of 9', { step: 9 }, 2, false],
    ['a step of 1', { step: 1, indentSeq: false }, 1, false],
  ])('a layout from composing: %s', (_, layout, indent, indentSeq) => {
    // The layout wins over the source's own look.
    expect(inferStyle('a:\n   - b: 1\n', layout)).toEqual({
      ...BASE,
      indent,
      indentSeq,
      flowCollectionPadding: false,
    });
  });
});

describe('parseDocumentStream', () => {
  test('the top-level node range of each document; an empty document is empty at its start', () => {
    const text = '# head\na: 1\n---\n# c\nb: [x]\n---\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    expect(stream.path).toBe('x.yaml');
    expect(stream.text).toBe(text);
    expect(stream.appended).toEqual([]);
    expect(stream.documents.map((d) => text.slice(d.start, d.end))).toEqual([
      'a: 1\n',
      'b: [x]\n',
      '',
    ]);
    expect(stream.documents.map((d) => d.changed)).toEqual([false, false, false]);
    // An empty document's (null) node sits at the line break after its `---`.
    expect(stream.documents[2].start).toBe(text.length - 1);
    expect(stream.lineCounter.linePos(text.indexOf('b:'))).toEqual({ line: 5, col: 1 });
  });

  test('the fast path and the full parse give the same documents and styles', () => {
    const text = 'a:\n    b:\n        - x\nc: 1\n---\nc: &x 1\nd: *x\n';
    const fast = parseDocumentStream(text, 'x.yaml');
    const full = parseDocumentStream(text, 'x.yaml', undefined, true);
    expect(fast.documents.map((d) => [d.start, d.end, d.style, d.doc.toJS()])).toEqual(
      full.documents.map((d) => [d.start, d.end, d.style, d.doc.toJS()]),
    );
    expect(fast.documents[0].style).toMatchObject({ indent: 4, indentSeq: true });
  });

  test('aliases are expanded, in either path; a document without one is not walked', () => {
    for (const full of [false, true]) {
      const stream = parseDocumentStream('a: &x [1]\nb: *x\n', 'x.yaml', undefined, full);
      let aliases = 0;
      visit(stream.documents[0].doc, { Alias: () => void aliases++ });
      expect(aliases).toBe(0);
      expect(stream.documents[0].doc.toJS()).toEqual({ a: [1], b: [1] });
    }
    // A `*` in a quoted value is no alias: nothing to expand, nothing refused.
    const quoted = parseDocumentStream('a: "*x"\n', 'x.yaml');
    expect(isScalar((quoted.documents[0].doc.contents as YAMLMap).get('a', true))).toBe(true);
  });

  test('an alias with no anchor is refused, located, in the file named', () => {
    expect(() => parseDocumentStream('a: 1\nb: *nowhere\n', 'in.yaml')).toThrow(
      'in.yaml:2:4: alias *nowhere has no anchor &nowhere before it in its document',
    );
  });

  test('an alias after a fast-composed document is still refused', () => {
    expect(() => parseDocumentStream('a: 1\n---\nb: *nowhere\n', 'in.yaml')).toThrow(
      'in.yaml:3:4: alias',
    );
  });

  test('the first error of the stream, located in its file', () => {
    let error: unknown;
    try {
      parseDocumentStream('a: 1\n---\nb: "open\n---\nc: [\n', 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).location).toMatchObject({ path: 'bad.yaml', line: 3, column: 4 });
  });

  test('documents of a pass-through kind are kept as they are', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n';
    const stream = parseDocumentStream(text, 'x.yaml', (kind) => kind === 'Service');
    expect(renderDocumentStream(stream)).toBe(text);
  });
});

describe('renderDocumentStream: removed documents', () => {
  const text = '# head\na: 1\n---\n# b\nb: 2\n---\nc: 3\n';

  test.each([
    // The file's head comment is the file's: it stays.
    [0, '# head\n---\n# b\nb: 2\n---\nc: 3\n'],
    [1, '# head\na: 1\n---\nc: 3\n'],
    [2, '# head\na: 1\n---\n# b\nb: 2\n'],
  ])('document %d', (i, expected) => {
    const stream = parseDocumentStream(text, 'x.yaml');
    stream.documents[i].removed = true;
    expect(renderDocumentStream(stream)).toBe(expected);
  });

  test('two in a row, and one removed beside one changed', () => {
    const stream = parseDocumentStream(text, 'x.yaml');
    stream.documents[0].removed = true;
    stream.documents[1].removed = true;
    expect(renderDocumentStream(stream)).toBe('# head\n---\nc: 3\n');
    const other = parseDocumentStream(text, 'x.yaml');
    other.documents[1].removed = true;
    edit(other, 2, (map) => map.set('c', 4));
    expect(renderDocumentStream(other)).toBe('# head\na: 1\n---\nc: 4\n');
  });

  test('every document removed leaves the head comment', () => {
    const stream = parseDocumentStream(text, 'x.yaml');
    for (const d of stream.documents) d.removed = true;
    expect(renderDocumentStream(stream)).toBe('# head\n');
  });
});

describe('renderDocumentStream: changed documents', () => {
  test('a patched document: only the edit is written, the rest copied', () => {
    const text = 'a: 1   # one\nb:\n    - x\n---\nc: 1\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    edit(stream, 0, (map) => map.set('z', 2));
    edit(stream, 1, (map) => map.set('c', 2));
    expect(renderDocumentStream(stream)).toBe('a: 1   # one\nb:\n    - x\nz: 2\n---\nc: 2\n');
  });

  test('changed but the same: the same bytes', () => {
    const text = 'a: 1\n---\nb:   [x,y]\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    for (const d of stream.documents) d.changed = true;
    expect(renderDocumentStream(stream)).toBe(text);
  });

  test('a new top-level node: rendered whole in the inferred style, comments around kept', () => {
    const text = '# head\n---\n# above\nold: 1\n---\nc: 1\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    const doc = stream.documents[0].doc;
    doc.contents = doc.createNode({ a: { b: ['x'] } }) as never;
    stream.documents[0].changed = true;
    expect(renderDocumentStream(stream)).toBe('# head\n---\n# above\na:\n  b:\n  - x\n---\nc: 1\n');
  });

  test('a new top-level node in an indented four-space document', () => {
    const text = 'old:\n    key:\n        - x\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    const doc = stream.documents[0].doc;
    doc.contents = doc.createNode({ a: { b: ['x'] } }) as never;
    stream.documents[0].changed = true;
    expect(renderDocumentStream(stream)).toBe('a:\n    b:\n        - x\n');
  });

  test('a new top-level node in a document without a final line break gets none', () => {
    const stream = parseDocumentStream('a: [1]', 'x.yaml');
    const doc = stream.documents[0].doc;
    doc.contents = doc.createNode({ b: 2 }) as never;
    stream.documents[0].changed = true;
    expect(renderDocumentStream(stream)).toBe('b: 2');
  });

  test('a new top-level node in a CRLF document is written with CRLF', () => {
    const stream = parseDocumentStream('a: 1\r\nb: 2\r\n', 'x.yaml');
    const doc = stream.documents[0].doc;
    doc.contents = doc.createNode({ c: { d: 1 } }) as never;
    stream.documents[0].changed = true;
    expect(renderDocumentStream(stream)).toBe('c:\r\n  d: 1\r\n');
  });

  test('a re-render keeps the spacing before line comments', () => {
    const text = 'a:   [1]   # one\nb: 2  # two\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    const doc = stream.documents[0].doc;
    // A flow list that changed renders its whole document.
    ((doc.contents as YAMLMap).get('a', true) as unknown as YAMLSeq).items.push(doc.createNode(2));
    stream.documents[0].changed = true;
    // The changed line is as rendered; the unchanged one gets its spacing back.
    expect(renderDocumentStream(stream)).toBe('a: [1, 2] # one\nb: 2  # two\n');
  });
});

describe('renderDocumentStream: appended documents', () => {
  const added = () => new Document({ kind: 'ConfigMap', data: { a: 'b' } });

  test('after the last document, each with its own ---', () => {
    const stream = parseDocumentStream('a: 1\n', 'x.yaml');
    stream.appended.push(added(), new Document({ b: 2 }));
    expect(renderDocumentStream(stream)).toBe(
      'a: 1\n---\nkind: ConfigMap\ndata:\n  a: b\n---\nb: 2\n',
    );
  });

  test('after a text without a final line break', () => {
    const stream = parseDocumentStream('a: 1', 'x.yaml');
    stream.appended.push(new Document({ b: 2 }));
    expect(renderDocumentStream(stream)).toBe('a: 1\n---\nb: 2\n');
  });

  test('to an empty text', () => {
    const stream = parseDocumentStream('', 'x.yaml');
    stream.appended.push(new Document({ b: 2 }));
    expect(renderDocumentStream(stream)).toBe('---\nb: 2\n');
  });

  test('CRLF in, CRLF out, also inside new multi-line values', () => {
    const stream = parseDocumentStream('a: 1\r\n', 'x.yaml');
    stream.appended.push(new Document({ b: { c: 'x\ny\n' } }));
    expect(renderDocumentStream(stream)).toBe('a: 1\r\n---\r\nb:\r\n  c: |\r\n    x\r\n    y\r\n');
  });

  test('before a trailing bare ---, which stays last', () => {
    const stream = parseDocumentStream('a: 1\n---\n', 'x.yaml');
    stream.appended.push(new Document({ b: 2 }));
    expect(renderDocumentStream(stream)).toBe('a: 1\n---\nb: 2\n---\n');
  });

  test('after a last document that is not a bare ---', () => {
    for (const [text, expected] of [
      ['a: 1\n---\nb: 1\n', 'a: 1\n---\nb: 1\n---\nc: 2\n'],
      ['a: 1\n--- # c\n', 'a: 1\n--- # c\n---\nc: 2\n'],
      ['a: 1\n---\n~\n', 'a: 1\n---\n~\n---\nc: 2\n'],
      ['---\n', '---\n---\nc: 2\n'],
    ]) {
      const stream = parseDocumentStream(text, 'x.yaml');
      stream.appended.push(new Document({ c: 2 }));
      expect(renderDocumentStream(stream)).toBe(expected);
    }
  });

  test('with a removed document and a changed one', () => {
    const stream = parseDocumentStream('a: 1\n---\nb: 1\n---\n', 'x.yaml');
    stream.documents[0].removed = true;
    edit(stream, 1, (map) => map.set('b', 2));
    stream.appended.push(new Document({ c: 3 }));
    expect(renderDocumentStream(stream)).toBe('---\nb: 2\n---\nc: 3\n---\n');
  });
});

describe('renderNode', () => {
  test('the top-level node alone, without document comments; the document is as it was afterwards', () => {
    const text = '# head\n---\n# node\n# key\na: 1 # trail\n\n# end\n';
    const stream = parseDocumentStream(text, 'x.yaml', undefined, true);
    const doc = stream.documents[0].doc;
    const before = doc.toString();
    expect(renderNode(doc, stream.documents[0].style)).toBe('a: 1 # trail\n');
    expect(doc.toString()).toBe(before);
    expect(doc.directives?.docStart).toBe(true);
  });

  test('a document without contents, and one whose first key has a space before it', () => {
    const empty = new Document(null);
    expect(renderNode(empty, {})).toBe('null\n');
    const doc = parseDocumentStream('\n\na: 1\n', 'x.yaml', undefined, true).documents[0].doc;
    expect(renderNode(doc, {})).toBe('a: 1\n');
    expect(isAlias(doc.contents)).toBe(false);
  });
});

describe('restoreCommentSpacing', () => {
  test.each([
    ['no comment', 'a: 1\n', 'a: 1\n', 'a: 1\n'],
    ['the source spacing back', 'a: 1    # x\n', 'a: 1 # x\n', 'a: 1    # x\n'],
    ['a tab before the comment', 'a: 1\t# x\n', 'a: 1 # x\n', 'a: 1\t# x\n'],
    ['a line that changed keeps the rendering', 'a: 1    # x\n', 'a: 2 # x\n', 'a: 2 # x\n'],
    [
      'lines matched in order, each source line once',
      'a: 1   # x\na: 1  # x\n',
      'a: 1 # x\na: 1 # x\na: 1 # x\n',
      'a: 1   # x\na: 1  # x\na: 1 # x\n',
    ],
    ['a # inside a value', 'a: "b#c"   # x\n', 'a: "b#c" # x\n', 'a: "b#c"   # x\n'],
    ['a rendered line without space before #', 'a: b#c\n', 'a: b#c\n', 'a: b#c\n'],
  ])('%s', (_, original, rendered, expected) => {
    expect(restoreCommentSpacing(original, rendered)).toBe(expected);
  });
});
