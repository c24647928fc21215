import { Document, Pair, parseDocument, Scalar } from 'yaml';
import type { ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { createPlainNode } from '../../src/yaml/create-node';
import { applyEdits, patchDocument, renderNewDocument } from '../../src/yaml/patch';

/**
 * The patcher (src/yaml/patch.ts) at the edges of the source it reads: empty values (whose
 * range ends at their line break), a comment that ends the text, keys that are block
 * collections, items given twice or nodes created where the document had parsed ones;
 * and new content kept by shape, which must always print as the library prints it, also
 * after the content that was rendered first is edited.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

function parsed(text: string): Document {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  return doc;
}

function patched(text: string, edit: (doc: Document) => void) {
  const doc = parsed(text);
  edit(doc);
  const edits = patchDocument(doc, text, STYLE);
  return { doc, edits, out: edits && applyEdits(text, edits) };
}

const top = (doc: Document) => doc.contents as YAMLMap;
const seq = (doc: Document, key: string) => top(doc).get(key, true) as unknown as YAMLSeq;

describe('empty values: their range ends at the line break', () => {
  test.each([
    ['an empty value set', 'a:\nb: 1\n', [{ start: 0, end: 3, text: 'a: 9\n' }]],
    ['an empty value set, CRLF', 'a:\r\nb: 1\r\n', [{ start: 0, end: 4, text: 'a: 9\r\n' }]],
    ['an empty value with blanks set', 'a:  \t\nb: 1\n', [{ start: 0, end: 6, text: 'a: 9\n' }]],
    ['an empty last value, no final line break', 'b: 1\na:', [{ start: 5, end: 7, text: 'a: 9' }]],
  ])('%s', (_name, text, expected) => {
    const { edits } = patched(text, (d) => top(d).set('a', 9));
    expect(edits).toEqual(expected);
  });

  test.each([
    ['LF', 'l:\n- a\n-\n', [{ start: 9, end: 9, text: '- b\n' }]],
    ['CRLF', 'l:\r\n- a\r\n-\r\n', [{ start: 12, end: 12, text: '- b\r\n' }]],
    ['no final line break', 'l:\n- a\n-', [{ start: 8, end: 8, text: '\n- b' }]],
  ])('an item appended after an empty item (%s)', (_name, text, expected) => {
    const { edits } = patched(text, (d) => seq(d, 'l').items.push(createPlainNode(d, 'b')));
    expect(edits).toEqual(expected);
  });
});

describe('edits at one offset', () => {
  test('a nested map and the map above it both get a pair where they both end', () => {
    const text = 'x:\n  a: 1\n';
    const { edits, out } = patched(text, (d) => {
      (top(d).get('x', true) as unknown as YAMLMap).set('z', 9);
      top(d).set('y', 1);
    });
    expect(edits).toEqual([
      { start: 10, end: 10, text: '  z: 9\n' },
      { start: 10, end: 10, text: 'y: 1\n' },
    ]);
    expect(out).toBe('x:\n  a: 1\n  z: 9\ny: 1\n');
  });
});

describe('comments and the end of the text', () => {
  test('a pair appended after a last value whose comment ends the text', () => {
    const { out } = patched('a: 1\nb: 2 # c', (d) => top(d).set('z', 9));
    expect(out).toBe('a: 1\nb: 2 # c\nz: 9');
  });

  test('a value changed before a comment that ends the text', () => {
    const { out } = patched('a: 1 # c', (d) => top(d).set('a', 2));
    expect(out).toBe('a: 2 # c');
  });
});

describe('what cannot be patched is rendered by the caller', () => {
  test.each([
    [
      'a parsed pair given twice',
      'a: 1\nb: 2\n',
      (d: Document) => top(d).items.push(top(d).items[0]),
    ],
    [
      'the last parsed pair given twice',
      'a: 1\nb: 2\n',
      (d: Document) => top(d).items.push(top(d).items[1]),
    ],

    [
      'a parsed pair moved before another',
      'a: 1\nb: 2\nc: 3\n',
      (d: Document) => top(d).items.reverse(),
    ],
    ['a created scalar for contents', 'x: 1\n', (d: Document) => (d.contents = new Scalar('x'))],
    [
      'a created map for contents',
      'x: 1\n',
      (d: Document) => (d.contents = createPlainNode(d, { x: 1 }) as YAMLMap),
    ],
    [
      'a block map as a key, a sibling changed',
      '? a: 1\n: x\nb: 1\n',
      (d: Document) => top(d).set('b', 2),
    ],
    [
      'a tag dropped on the line after ---',
      '---\n!T x\n',
      (d: Document) => ((d.contents as Scalar).tag = undefined),
    ],
  ])('%s: the whole document', (_name, text, edit) => {
    const { edits } = patched(text, edit);
    expect(edits).toBeUndefined();
  });

  test.each([
    ['a block map', 'm:\n  ? a: 1\n  : x\n  b: 1\nn: 1\n', 'm:\n  ? a: 1\n  : x\n  b: 2\n'],
    [
      'a block list',
      'm:\n  ? - a\n    - b\n  : x\n  b: 1\nn: 1\n',
      'm:\n  ? - a\n    - b\n  : x\n  b: 2\n',
    ],
  ])('%s as a key, a sibling changed: the pair that holds it is rendered', (_name, text, pair) => {
    const { edits, out, doc } = patched(text, (d) =>
      (top(d).get('m', true) as unknown as YAMLMap).set('b', 2),
    );
    expect(edits).toEqual([{ start: 0, end: text.length - 5, text: pair }]);
    expect(out).toBe(doc.toString(STYLE));
  });

  test('a nested last pair given twice: the pair that holds it is rendered', () => {
    const text = 'm:\n  a: 1\n  b: 2\nn: 1\n';
    const { edits, out, doc } = patched(text, (d) => {
      const m = top(d).get('m', true) as unknown as YAMLMap;
      m.items.push(m.items[1]);
    });
    expect(edits).toHaveLength(1);
    expect(out).toBe(doc.toString(STYLE));
    expect(out).toBe('m:\n  a: 1\n  b: 2\n  b: 2\nn: 1\n');
  });

  test('a flow map as a key, untouched: no edit for it', () => {
    const text = 'm:\n  {a: 1}: x\n  b: 1\n';
    const { edits } = patched(text, (d) =>
      (top(d).get('m', true) as unknown as YAMLMap).set('b', 2),
    );
    expect(edits).toEqual([{ start: 17, end: 22, text: 'b: 2\n' }]);
  });
});

describe('new content kept by shape prints as the library prints it', () => {
  let round = 0;

  test('names filled in at a nested column, the first line indented too', () => {
    const out = [1, 2].map((i) => {
      const text = `a:\n  l:\n  - x${i}\n`;
      const { out } = patched(text, (d) =>
        (d.getIn(['a', 'l'], true) as YAMLSeq).items.push(
          createPlainNode(d, { name: `vol-${i}`, emptyDir: {} }),
        ),
      );
      return out;
    });
    expect(out).toEqual([
      'a:\n  l:\n  - x1\n  - name: vol-1\n    emptyDir: {}\n',
      'a:\n  l:\n  - x2\n  - name: vol-2\n    emptyDir: {}\n',
    ]);
  });

  test('pairs set by key (a plain string key) on many maps: each with its own value', () => {
    const values = ['shop', 'Shop', 'shop', 'x y', 'shop-2'];
    const out = values.map((value) => {
      const { out } = patched('metadata:\n  name: a\n', (d) =>
        (top(d).get('metadata', true) as unknown as YAMLMap).set('namespace', value),
      );
      return out;
    });
    expect(out).toEqual(values.map((v) => `metadata:\n  name: a\n  namespace: ${v}\n`));
  });

  test('keys that cannot be kept by shape (commented) each print their own key', () => {
    const out = ['a', 'b'].map((name) => {
      const { out } = patched('x: 1\n', (d) => {
        const key = new Scalar(name);
        key.commentBefore = ` about ${name}`;
        top(d).items.push(new Pair(key, createPlainNode(d, 1)));
      });
      return out;
    });
    expect(out).toEqual(['x: 1\n# about a\na: 1\n', 'x: 1\n# about b\nb: 1\n']);
  });

  test('pairs set by key on many maps are rendered once, each with its own name', () => {
    // A style of its own on every run: nothing rendered before (elsewhere, or by an earlier
    // run in the same process) is reused.
    const style = { ...STYLE, nullStr: `null-by-key-${++round}` };
    const spy = jest.spyOn(Document.prototype, 'toString');
    try {
      const out = [1, 2, 3].map((i) => {
        const text = 'metadata:\n  name: a\n';
        const doc = parsed(text);
        (top(doc).get('metadata', true) as unknown as YAMLMap).set(
          'labels',
          createPlainNode(doc, { app: `web-${i}` }),
        );
        return applyEdits(text, patchDocument(doc, text, style)!);
      });
      expect(out).toEqual(
        [1, 2, 3].map((i) => `metadata:\n  name: a\n  labels:\n    app: web-${i}\n`),
      );
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('lists holding an item that cannot be kept by shape (commented) each print their own', () => {
    const docs = ['a', 'b'].map((name) => {
      const item = new Scalar(name);
      item.comment = ` about ${name}`;
      const doc = new Document({ v: 1 });
      const list = createPlainNode(doc, ['same']) as YAMLSeq;
      list.items.push(item);
      doc.set('l', list);
      return doc;
    });
    expect(docs.map((d) => renderNewDocument(d, STYLE))).toEqual(
      docs.map((d) => d.toString(STYLE)),
    );
    expect(renderNewDocument(docs[1], STYLE)).toContain('- b # about b');
  });

  test('0 and -0 are different shapes', () => {
    const docs = [0, -0, 0].map((v) => new Document({ v }));
    expect(docs.map((d) => renderNewDocument(d, STYLE))).toEqual(
      docs.map((d) => d.toString(STYLE)),
    );
    expect(renderNewDocument(docs[1], STYLE)).toBe('v: -0\n');
  });

  test('a second render after an edit of the first content shows the edit', () => {
    const doc = new Document({ kind: 'ConfigMap', data: { a: 'b', n: 1 } });
    const first = renderNewDocument(doc, STYLE);
    expect(first).toBe(doc.toString(STYLE));
    (doc.getIn(['data', 'n'], true) as Scalar).value = 2;
    (doc.getIn(['data'], true) as YAMLMap).set('c', createPlainNode(doc, 'd'));
    const second = renderNewDocument(doc, STYLE);
    expect(second).toBe('kind: ConfigMap\ndata:\n  a: b\n  n: 2\n  c: d\n');
    expect(second).toBe(doc.toString(STYLE));
  });

  test('a name edited after its first render: the hole takes the new name', () => {
    const text = 'l:\n- x\n';
    const doc = parsed(text);
    const item = createPlainNode(doc, { name: 'vol-a' }) as YAMLMap;
    seq(doc, 'l').items.push(item);
    expect(applyEdits(text, patchDocument(doc, text, STYLE)!)).toBe('l:\n- x\n- name: vol-a\n');
    item.set('name', 'vol-b');
    expect(applyEdits(text, patchDocument(doc, text, STYLE)!)).toBe('l:\n- x\n- name: vol-b\n');
  });
});
