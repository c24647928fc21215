import { Document, isSeq, Pair, parseAllDocuments, parseDocument, Scalar } from 'yaml';
import type { ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { createPlainNode } from '../../src/yaml/create-node';
import { applyEdits, markVerbatim, patchDocument, renderNewDocument } from '../../src/yaml/patch';

/**
 * The patcher (src/yaml/patch.ts) against the library as the oracle. A source that is
 * already the library's rendering of itself (in the generated style and in an indented
 * four-space style) is edited, and the patched text must be byte for byte what
 * `doc.toString(style)` prints of the edited document; and the patch must be the smallest
 * one the rules give (which lines were replaced, how many edits), so a patcher that
 * re-rendered more than it must, or gave up, is caught too.
 */
const GENERATED: ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  indent: 2,
  indentSeq: false,
};
const INDENTED: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 4, indentSeq: true };

const OBJECT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1', args: ['a', 'b'], env: [{ name: 'A', value: '1' }] },
        ],
        volumes: [],
        securityContext: {},
      },
    },
  },
};

// Paths into a test document, whatever their node types: any, for brevity.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const at = (doc: Document, ...path: (string | number)[]) => doc.getIn(path, true) as Any;
const container = (doc: Document) => at(doc, 'spec', 'template', 'spec', 'containers', 0);

/** An edit, and the patch it must give: per edit, the first source line replaced and how many. */
const EDITS: [string, (doc: Document) => void, [string, number][]][] = [
  ['a new top-level pair', (d) => d.set('status', createPlainNode(d, { phase: 'x' })), [['', 0]]],
  ['a new nested pair', (d) => at(d, 'metadata').set('namespace', 'shop'), [['', 0]]],
  ['a new pair in a list item', (d) => container(d).set('workingDir', '/w'), [['', 0]]],
  ['a new list item', (d) => at(d, ...PATH_ARGS).items.push(createPlainNode(d, 'c')), [['', 0]]],
  [
    'a new map item',
    (d) =>
      container(d)
        .get('env', true)
        .items.push(createPlainNode(d, { name: 'B', value: '2' })),
    [['', 0]],
  ],
  [
    'an empty flow list filled as a block list',
    (d) => {
      const volumes = at(d, 'spec', 'template', 'spec', 'volumes');
      volumes.flow = false;
      volumes.items.push(createPlainNode(d, { name: 'x' }));
    },
    [['volumes: []', 1]],
  ],
  ['a changed scalar', (d) => at(d, 'spec').set('replicas', 2), [['replicas: 1', 1]]],
  [
    'a changed scalar in a list',
    (d) => {
      at(d, ...PATH_ARGS).items[0].value = 'z';
    },
    [['a', 1]],
  ],
  [
    'a changed scalar in a map in a list',
    (d) => container(d).get('env', true).items[0].set('value', '2'),
    [['value: "1"', 1]],
  ],
  ['a pair removed in the middle', (d) => at(d, 'metadata').delete('labels'), [['metadata:', 4]]],
  [
    'a pair removed last',
    (d) => at(d, 'spec', 'template', 'spec').delete('securityContext'),
    [['spec:', 12]],
  ],
  ['a first item removed', (d) => at(d, ...PATH_ARGS).items.shift(), [['args:', 3]]],
  [
    'a pair inserted first',
    (d) => at(d, 'metadata').items.unshift(new Pair(new Scalar('a'), new Scalar('b'))),
    [['metadata:', 4]],
  ],
  ['pairs reordered', (d) => at(d, 'metadata').items.reverse(), [['metadata:', 4]]],
  [
    'a scalar made a map',
    (d) => at(d, 'spec').set('replicas', createPlainNode(d, { a: 1 })),
    [['spec:', 15]],
  ],
  ['a map made a scalar', (d) => at(d, 'metadata').set('labels', 'x'), [['metadata:', 4]]],
  [
    'a key renamed',
    (d) => {
      at(d, 'metadata').items[0].key.value = 'title';
    },
    [['name: web', 1]],
  ],
  ['a value made null', (d) => at(d, 'spec').set('replicas', null), [['replicas: 1', 1]]],
  [
    'a new value with a comment',
    (d) => {
      const node = createPlainNode(d, 'v') as Scalar;
      node.commentBefore = ' c';
      at(d, 'metadata').set('k', node);
    },
    [['', 0]],
  ],
  [
    'a quoted scalar whose type was reset',
    (d) => {
      container(d).get('env', true).items[0].get('value', true).type = undefined;
    },
    [['value: "1"', 1]],
  ],
  [
    'a quoted string made a number, its quotes kept on the node',
    (d) => {
      container(d).get('env', true).items[0].get('value', true).value = 1;
    },
    [['value: "1"', 1]],
  ],
  [
    'two edits in two places',
    (d) => {
      at(d, 'spec').set('replicas', 3);
      container(d).set('workingDir', '/w');
    },
    [
      ['replicas: 1', 1],
      ['', 0],
    ],
  ],
];
const PATH_ARGS = ['spec', 'template', 'spec', 'containers', 0, 'args'];

describe.each([
  ['the generated style', GENERATED],
  ['an indented four-space style', INDENTED],
])('patching a document in %s', (_, style) => {
  const text = new Document(OBJECT).toString(style);

  test('the source is the library rendering of itself', () => {
    expect(parseDocument(text).toString(style)).toBe(text);
    expect(patchDocument(parseDocument(text), text, style)).toEqual([]);
  });

  test.each(EDITS)('%s', (_name, edit, expected) => {
    const doc = parseDocument(text);
    edit(doc);
    const edits = patchDocument(doc, text, style);
    expect(edits).toBeDefined();
    expect(applyEdits(text, edits!)).toBe(doc.toString(style));
    const replaced = edits!.map((e) => {
      const source = text.slice(e.start, e.end);
      const lines = source ? source.split('\n').length - 1 : 0;
      return [source.split('\n')[0].trim(), lines];
    });
    expect(replaced).toEqual(expected);
    // Every edit starts after the indentation (and item markers) of its line and ends at
    // a line start: no line is left half.
    for (const e of edits!) {
      expect(text.slice(text.lastIndexOf('\n', e.start - 1) + 1, e.start)).toMatch(/^[ -]*$/);
      expect(e.end === 0 || text[e.end - 1] === '\n').toBe(true);
    }
  });

  test('top-level pairs reordered: the whole document is rendered', () => {
    const doc = parseDocument(text);
    (doc.contents as YAMLMap).items.reverse();
    expect(patchDocument(doc, text, style)).toBeUndefined();
  });

  test('a new top-level node: the whole document', () => {
    const doc = parseDocument(text);
    doc.contents = doc.createNode({ a: 1 }) as never;
    expect(patchDocument(doc, text, style)).toBeUndefined();
  });
});

describe('renderNewDocument prints what doc.toString prints', () => {
  const SHAPES: [string, () => Document][] = [
    ['a plain map', () => new Document({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } })],
    [
      'names left as holes',
      () => new Document({ metadata: { name: 'app-1-cm', namespace: 'shop' } }),
    ],
    [
      'the same shape, other names',
      () => new Document({ metadata: { name: 'app-2-cm', namespace: 'x' } }),
    ],
    [
      'names that read as other types',
      () => new Document({ a: 'true', b: 'null', c: 'false', d: '1e3', e: 'x1', f: 'a.b-c' }),
    ],
    [
      'values of every type',
      () => new Document({ a: 1, b: true, c: null, d: 1.5, e: false, f: -0 }),
    ],
    ['nested lists', () => new Document({ a: [['x', 'y'], [{ b: 'c' }]], d: [] })],
    ['a comment before the document', () => withDoc({ a: 1 }, (d) => (d.commentBefore = ' c'))],
    ['a comment after the document', () => withDoc({ a: 1 }, (d) => (d.comment = ' c'))],
    ['a --- marker', () => withDoc({ a: 1 }, (d) => (d.directives!.docStart = true))],
    [
      'a comment on the map',
      () => withDoc({ a: 1 }, (d) => ((d.contents as YAMLMap).commentBefore = ' c')),
    ],
    [
      'a trailing comment on the map',
      () => withDoc({ a: 1 }, (d) => ((d.contents as YAMLMap).comment = ' c')),
    ],
    [
      'an anchor on the map',
      () => withDoc({ a: 1 }, (d) => ((d.contents as YAMLMap).anchor = 'x')),
    ],
    ['a tag on the map', () => withDoc({ a: 1 }, (d) => ((d.contents as YAMLMap).tag = '!t'))],
    ['a flow map', () => withDoc({ a: 1 }, (d) => ((d.contents as YAMLMap).flow = true))],
    ['an empty map', () => new Document({})],
    ['a list', () => new Document(['a', 'b'])],
    ['a scalar', () => new Document('text')],
    ['a parsed map', () => parseDocument('a:   1\n')],
    [
      'a comment on a value',
      () => withDoc({ a: { b: 1 } }, (d) => (at(d, 'a').commentBefore = ' c')),
    ],
    ['a tagged value', () => withDoc({ a: 'x' }, (d) => (at(d, 'a').tag = '!!str'))],
    ['an anchored value', () => withDoc({ a: 'x' }, (d) => (at(d, 'a').anchor = 'y'))],
    ['a styled value', () => withDoc({ a: 'x' }, (d) => (at(d, 'a').type = 'QUOTE_SINGLE'))],
    ['a formatted value', () => withDoc({ a: 16 }, (d) => (at(d, 'a').format = 'HEX'))],
    [
      'a space before a value',
      () => withDoc({ a: 'x', b: 'y' }, (d) => (at(d, 'b').spaceBefore = true)),
    ],
    [
      'a trailing comment on a value',
      () => withDoc({ a: { b: 1 } }, (d) => (at(d, 'a').comment = ' c')),
    ],
    ['a flow list value', () => withDoc({ a: ['x'] }, (d) => (at(d, 'a').flow = true))],
    [
      'a YAML 1.1 document',
      () => new Document({ a: 'yes', b: 'on', c: 'app-1' }, { version: '1.1' }),
    ],
  ];

  function withDoc(value: unknown, change: (doc: Document) => void): Document {
    const doc = new Document(value);
    change(doc);
    return doc;
  }

  test.each([
    ['the generated style', GENERATED],
    ['an indented four-space style', INDENTED],
  ])('%s, each shape twice (the second from what was kept of the first)', (_, style) => {
    for (const round of [1, 2]) {
      for (const [name, make] of SHAPES) {
        const doc = make();
        expect([round, name, renderNewDocument(doc, style)]).toEqual([
          round,
          name,
          doc.toString(style),
        ]);
      }
    }
  });

  test('new items of the same shape with other names, into a parsed list', () => {
    const text = 'items:\n- a\n';
    const doc = parseDocument(text);
    const items = at(doc, 'items');
    for (const name of ['app-1-cm', 'true', 'app-2-cm', 'null', 'x.y', 'Upper', 'app-3-cm']) {
      items.items.push(createPlainNode(doc, { configMap: { name, optional: true } }));
    }
    expect(applyEdits(text, patchDocument(doc, text, GENERATED)!)).toBe(doc.toString(GENERATED));
  });
});

describe('patching: the source between items', () => {
  test.each([
    ['comments between pairs', 'a: 1\n# c\nb: 2\n'],
    ['a comment after the last pair', 'a: 1\nb: 2\n# end\n'],
    ['blank lines between items', 'l:\n- 1\n\n- 2\n'],
    ['a comment after a value', 'a: 1 # c\nb: 2\n'],
    ['flow collections', 'a: {b: 1, c: [x, y]}\nd: [ ]\ne: {}\n'],
    ['a flow map with a trailing comma', 'a: {b: 1, c: 2,}\n'],
    ['a flow list with a trailing comma', 'a: [1, 2,]\n'],
    ['a flow map over lines', 'a: {\n  b: 1,\n  c: 2\n}\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['nested lists', 'a:\n- - 1\n  - 2\n- 3\n'],
    ['an indented list', 'a:\n  - 1\n  - 2\n'],
    ['CRLF', 'a: 1\r\nb:\r\n- 2\r\n'],
    ['no final line break', 'a: 1\nb: 2'],
    ['tabs around a comment', 'a: 1\t# c\nb: 2\n'],
    [
      'scalars of every spelling',
      'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: true\ng: 1\nh: -1\ni: 1.5\nj: "x"\nk: \'y\'\nl: z\n',
    ],
    ['a block scalar', 'a: |\n  x\nb: 2\n'],
  ])('untouched: no edit (%s)', (_, text) => {
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    expect(patchDocument(doc, text, GENERATED)).toEqual([]);
  });

  test.each([
    ['a spelling other than the value', 'a: 0x10\n'],
    ['True', 'a: True\n'],
    ['a float spelt long', 'a: 1.50\n'],
    ['.inf', 'a: .inf\n'],
    ['flow pairs in a list', 'a: [b: 1]\n'],
  ])('untouched but re-rendered, the same data: %s', (_, text) => {
    const doc = parseDocument(text);
    const edits = patchDocument(doc, text, GENERATED)!;
    expect(edits).toHaveLength(1);
    expect(parseDocument(applyEdits(text, edits)).toJS()).toEqual(doc.toJS());
  });

  test.each([
    ['a comment between pairs', 'a: 1\n# c\nb: 2\n', 'a: 1\n# c\nb: 2\nz: 9\n'],
    ['a comment after the last pair', 'a: 1\nb: 2 # c\n', 'a: 1\nb: 2 # c\nz: 9\n'],
    ['blank lines after the last pair', 'a: 1\nb: 2\n\n\n', 'a: 1\nb: 2\nz: 9\n\n\n'],
    ['no final line break', 'a: 1\nb: 2', 'a: 1\nb: 2\nz: 9'],
    ['CRLF', 'a: 1\r\nb: 2\r\n', 'a: 1\r\nb: 2\r\nz: 9\r\n'],
    ['a map in a list', 'l:\n- a: 1\n', 'l:\n- a: 1\n  z: 9\n'],
    [
      'an indented map in an indented list',
      'l:\n    -   a: 1\n',
      'l:\n    -   a: 1\n        z: 9\n',
    ],
  ])('a pair appended after %s', (_, text, expected) => {
    const doc = parseDocument(text);
    const map = (doc.contents as YAMLMap).get('l', true) as unknown as YAMLSeq | undefined;
    ((map ? map.items[0] : doc.contents) as YAMLMap).set('z', 9);
    expect(applyEdits(text, patchDocument(doc, text, GENERATED)!)).toBe(expected);
  });

  test.each([
    ['a list at its key column', 'l:\n- 1\n', 'l:\n- 1\n- 2\n'],
    ['an indented list', 'l:\n   - 1\n', 'l:\n   - 1\n   - 2\n'],
    ['a list in a list', 'l:\n- - 1\n', 'l:\n- - 1\n  - 2\n'],
    ['CRLF', 'l:\r\n- 1\r\n', 'l:\r\n- 1\r\n- 2\r\n'],
    ['a trailing comment', 'l:\n- 1 # one\n', 'l:\n- 1 # one\n- 2\n'],
  ])('an item appended to %s', (_, text, expected) => {
    const doc = parseDocument(text);
    const map = doc.contents as YAMLMap;
    let seq = map.get('l', true) as unknown as YAMLSeq;
    if (isSeq(seq.items[0])) seq = seq.items[0] as YAMLSeq;
    seq.items.push(createPlainNode(doc, 2));
    expect(applyEdits(text, patchDocument(doc, text, GENERATED)!)).toBe(expected);
  });

  test.each([
    [
      'a flow map',
      'a: {b: 1}\nc: 2\n',
      (d: Document) => at(d, 'a').set('b', 2),
      'a: { b: 2 }\nc: 2\n',
    ],
    [
      'a flow list',
      'a: [1]\nc: 2\n',
      (d: Document) => at(d, 'a').items.push(createPlainNode(d, 2)),
      'a: [ 1, 2 ]\nc: 2\n',
    ],
    [
      'a list item replaced',
      'l:\n- a: 1\n- b: 2\n',
      (d: Document) => (at(d, 'l').items[1] = createPlainNode(d, { c: 3 })),
      'l:\n- a: 1\n- c: 3\n',
    ],
    [
      'an item inserted first',
      'l:\n- 1\n- 2\n',
      (d: Document) => at(d, 'l').items.unshift(createPlainNode(d, 0)),
      'l:\n- 0\n- 1\n- 2\n',
    ],
    [
      'an item between',
      'l:\n- 1\n- 2\n',
      (d: Document) => at(d, 'l').items.splice(1, 0, createPlainNode(d, 9)),
      'l:\n- 1\n- 9\n- 2\n',
    ],
    [
      'a scalar item changed in a nested list',
      'l:\n- - 1\n  - 2\n',
      (d: Document) => (at(d, 'l').items[0].items[1].value = 3),
      'l:\n- - 1\n  - 3\n',
    ],
    [
      'a comment kept above a replaced pair',
      'a: 1\n# c\nb: 2\n',
      (d: Document) => (d.contents as YAMLMap).set('b', 3),
      'a: 1\n# c\nb: 3\n',
    ],
    [
      'a comment kept above a replaced item',
      'l:\n- 1\n# c\n- 2\n',
      (d: Document) => (at(d, 'l').items[1].value = 3),
      'l:\n- 1\n# c\n- 3\n',
    ],
    [
      'an alias replaced: the whole document',
      'a: &x 1\nb: *x\n',
      (d: Document) => (d.contents as YAMLMap).set('b', 2),
      undefined,
    ],
    [
      'a key removed from a flow map',
      'a: {b: 1, c: 2}\n',
      (d: Document) => at(d, 'a').delete('c'),
      'a: { b: 1 }\n',
    ],
  ])('%s', (_, text, edit, expected) => {
    const doc = parseDocument(text);
    edit(doc);
    const edits = patchDocument(doc, text, GENERATED);
    expect(edits && applyEdits(text, edits)).toBe(expected);
  });

  test('a CRLF source: every inserted or replaced line ends in CRLF', () => {
    const text = 'x:\r\n  a: 1\r\nl:\r\n- x: 1\r\n';
    const doc = parseDocument(text);
    at(doc, 'x').set('a', createPlainNode(doc, { b: [1, 2] }));
    at(doc, 'l').items.push(createPlainNode(doc, { y: { z: 2 } }));
    const out = applyEdits(text, patchDocument(doc, text, GENERATED)!);
    expect(out).toBe(
      'x:\r\n  a:\r\n    b:\r\n    - 1\r\n    - 2\r\nl:\r\n- x: 1\r\n- y:\r\n    z: 2\r\n',
    );
  });

  test('a source without a final line break: an edit at its end adds none', () => {
    const text = 'a:\n  b: 1';
    const doc = parseDocument(text);
    at(doc, 'a').set('b', 2);
    expect(applyEdits(text, patchDocument(doc, text, GENERATED)!)).toBe('a:\n  b: 2');
  });

  test('a verbatim node is kept as parsed, whatever its items say', () => {
    const text = 'a:\n  b: 1\nc: 2\n';
    const doc = parseDocument(text);
    const verbatim = at(doc, 'a');
    markVerbatim(verbatim);
    verbatim.items.length = 0;
    (doc.contents as YAMLMap).set('c', 3);
    expect(applyEdits(text, patchDocument(doc, text, GENERATED)!)).toBe('a:\n  b: 1\nc: 3\n');
  });

  test('a document whose contents is a changed scalar is rendered whole', () => {
    const doc = parseDocument('a\n');
    (doc.contents as Scalar).value = 'b';
    expect(patchDocument(doc, 'a\n', GENERATED)).toBeUndefined();
    const same = parseDocument('a\n');
    expect(patchDocument(same, 'a\n', GENERATED)).toEqual([]);
  });

  test('an empty document, and an edit with nothing parsed', () => {
    const doc = parseDocument('');
    expect(patchDocument(doc, '', GENERATED)).toBeUndefined();
    const created = new Document({ a: 1 });
    expect(patchDocument(created, '', GENERATED)).toBeUndefined();
  });
});

/**
 * New content is rendered by its shape once and reused (src/yaml/patch.ts, FragmentRenderer):
 * transforms add the same pairs to every workload, with only names differing. Counted as
 * calls of the library's toString; each test uses a style of its own (a `nullStr` no other
 * test uses), so nothing rendered elsewhere is reused.
 */
describe('new content of the same shape is rendered once', () => {
  let round = 0;
  const style = (): ToStringOptions => ({ ...GENERATED, nullStr: `null${++round}x` });

  function renders(fn: () => string[]): { out: string[]; calls: number } {
    const spy = jest.spyOn(Document.prototype, 'toString');
    try {
      const out = fn();
      return { out, calls: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  test('new documents differing only in names: each top-level pair rendered once', () => {
    const s = style();
    const docs = [1, 2, 3, 4, 5].map(
      (i) =>
        new Document({
          kind: 'ConfigMap',
          metadata: { name: `app-${i}-cm`, namespace: 'shop' },
          data: { a: 'b', n: i },
        }),
    );
    const expected = docs.map((d) => d.toString(s));
    const { out, calls } = renders(() => docs.map((d) => renderNewDocument(d, s)));
    expect(out).toEqual(expected);
    // kind and metadata once; data once per number (its value is part of the shape).
    expect(calls).toBe(2 + 5);
  });

  test('names that are no holes (upper case, reading as booleans or null) are shape', () => {
    const s = style();
    const names = ['Upper', 'true', 'null', 'false', 'x y', '1a'];
    const docs = names.map((name) => new Document({ metadata: { name } }));
    const expected = docs.map((d) => d.toString(s));
    const { out, calls } = renders(() => docs.map((d) => renderNewDocument(d, s)));
    expect(out).toEqual(expected);
    expect(calls).toBe(names.length);
    const again = renders(() => docs.map((d) => renderNewDocument(d, s)));
    expect(again).toEqual({ out: expected, calls: 0 });
  });

  test('each scalar type is its own shape; commented, tagged or styled content is never reused', () => {
    const s = style();
    const values: unknown[] = [1, '1', true, 'true', null, 'x', 1.5, -1, [], {}, ['a'], { b: 'c' }];
    const docs = values.map((v) => new Document({ v }));
    const expected = docs.map((d) => d.toString(s));
    const first = renders(() => docs.map((d) => renderNewDocument(d, s)));
    expect(first.out).toEqual(expected);
    // `'x'` is a hole: the only name here; every other value is a shape of its own.
    expect(first.calls).toBe(values.length);
    expect(renders(() => docs.map((d) => renderNewDocument(d, s))).calls).toBe(0);
    const special = [
      withNode({ v: 'a' }, (d) => (at(d, 'v').commentBefore = ' c')),
      withNode({ v: 'a' }, (d) => (at(d, 'v').tag = '!t')),
      withNode({ v: 'a' }, (d) => (at(d, 'v').type = 'QUOTE_DOUBLE')),
      withNode({ v: 16 }, (d) => (at(d, 'v').format = 'HEX')),
      withNode({ v: ['a'] }, (d) => (at(d, 'v').flow = true)),
      withNode({ v: 'a', w: 'b' }, (d) => (at(d, 'w').spaceBefore = true)),
      withNode({ v: -0 }, () => undefined),
    ];
    const specialExpected = special.map((d) => d.toString(s));
    for (let pass = 0; pass < 2; pass++) {
      const again = renders(() => special.map((d) => renderNewDocument(d, s)));
      expect(again.out).toEqual(specialExpected);
      expect(again.calls).toBeGreaterThanOrEqual(special.length);
    }
  });

  test('a new item added to many lists: rendered once, names filled in', () => {
    const s = style();
    const texts = [1, 2, 3].map((i) => `items:\n- x${i}\n`);
    const expected: string[] = [];
    const { out, calls } = renders(() =>
      texts.map((text, i) => {
        const doc = parseDocument(text);
        at(doc, 'items').items.push(createPlainNode(doc, { name: `vol-${i}`, emptyDir: {} }));
        const result = applyEdits(text, patchDocument(doc, text, s)!);
        expected.push(`items:\n- x${i + 1}\n- name: vol-${i}\n  emptyDir: {}\n`);
        return result;
      }),
    );
    expect(out).toEqual(expected);
    expect(calls).toBe(1);
  });

  function withNode(value: unknown, change: (doc: Document) => void): Document {
    const doc = new Document(value);
    change(doc);
    return doc;
  }
});

describe('patching: line ends, comments and separators in the source', () => {
  function patchedText(text: string, edit: (doc: Document) => void): string | undefined {
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    edit(doc);
    const edits = patchDocument(doc, text, GENERATED);
    return edits && applyEdits(text, edits);
  }
  const top = (d: Document) => d.contents as YAMLMap;

  test.each([
    ['trailing spaces after the value', 'a: 1  \nb: 2\n', 'a: 9\nb: 2\n'],
    ['a trailing tab after the value', 'a: 1\t\nb: 2\n', 'a: 9\nb: 2\n'],
    ['a trailing comment after spaces', 'a: 1   # c\nb: 2\n', 'a: 9 # c\nb: 2\n'],
    ['CRLF', 'a: 1\r\nb: 2\r\n', 'a: 9\r\nb: 2\r\n'],
    ['trailing spaces and CRLF', 'a: 1 \t\r\nb: 2\r\n', 'a: 9\r\nb: 2\r\n'],
    ['no final line break, the pair first', 'a: 1\nb: 2', 'a: 9\nb: 2'],
    ['no final line break, the pair last', 'b: 2\na: 1', 'b: 2\na: 9'],
    ['the last line with trailing spaces', 'b: 2\na: 1  ', 'b: 2\na: 9'],
  ])('a changed scalar: %s', (_, text, expected) => {
    expect(patchedText(text, (d) => top(d).set('a', 9))).toBe(expected);
  });

  test.each([
    ['trailing spaces after the last value', 'a: 1  \n', 'a: 1  \nz: 9\n'],
    ['a trailing tab after the last value', 'a: 1\t\n', 'a: 1\t\nz: 9\n'],
    ['spaces on the line after', 'a: 1\n   \n', 'a: 1\nz: 9\n   \n'],
    ['no final line break after spaces', 'a: 1  ', 'a: 1  \nz: 9'],
    [
      'a nested map ending before a shallower key',
      'x:\n  a: 1\ny: 2\n',
      'x:\n  a: 1\n  z: 9\ny: 2\n',
    ],
    [
      'a nested map with a comment after',
      'x:\n  a: 1 # c\n# d\ny: 2\n',
      'x:\n  a: 1 # c\n  z: 9\n# d\ny: 2\n',
    ],
  ])('a pair appended: %s', (_, text, expected) => {
    const out = patchedText(text, (d) => {
      const x = top(d).get('x', true) as unknown as YAMLMap | undefined;
      (x ?? top(d)).set('z', 9);
    });
    expect(out).toBe(expected);
  });

  test.each([
    [
      'a comment and a blank line above a replaced pair',
      'a: 1\n\n# c\nb: 2\n',
      'a: 1\n\n# c\nb: 9\n',
    ],
    ['a comment above a replaced item', 'l:\n- 1\n# c\n- 2\n', 'l:\n- 1\n# c\n- 9\n'],
    ['a blank line above a replaced item', 'l:\n- 1\n\n- 2\n', 'l:\n- 1\n\n- 9\n'],
  ])('%s: kept once', (_, text, expected) => {
    const doc = parseDocument(text);
    const before = doc.toString();
    const map = top(doc);
    const l = map.get('l', true) as unknown as YAMLSeq | undefined;
    if (l) (l.items[1] as Scalar).value = 9;
    else map.set('b', 9);
    const edits = patchDocument(doc, text, GENERATED)!;
    expect(applyEdits(text, edits)).toBe(expected);
    // The comments were put back on the nodes after rendering.
    expect(doc.toString()).toBe(before.replace(/2\n$/, '9\n'));
  });

  test.each([
    ['a multi-line item replaced', 'l:\n- a: 1\n- b: 2\n', 'l:\n- a: 1\n- c: 3\n  d: 4\n'],
    ['a nested list item replaced', 'l:\n- - a\n  - b: 2\n', 'l:\n- - a\n  - c: 3\n    d: 4\n'],
  ])('%s', (_, text, expected) => {
    const out = patchedText(text, (d) => {
      let seq = top(d).get('l', true) as unknown as YAMLSeq;
      if (isSeq(seq.items[0])) {
        seq = seq.items[0] as YAMLSeq;
      }
      seq.items[1] = createPlainNode(d, { c: 3, d: 4 });
    });
    expect(out).toBe(expected);
  });

  test.each([
    ['a comment between flow items', 'a: [1, # c\n  2]\n'],
    ['a comment before a flow map closes', 'a: {b: 1 # c\n  }\n'],
    ['an alias in a flow list', 'a: &x 1\nb: [*x, 2]\n'],
    ['an alias as a flow map value', 'a: &x 1\nb: {c: *x}\n'],
    ['an empty flow list with spaces', 'a: [  ]\n'],
    ['nested flow collections', 'a: {b: [1, {c: 2}], d: []}\n'],
  ])('untouched flow content needs no edit: %s', (_, text) => {
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    top(doc).set('z', 1);
    const edits = patchDocument(doc, text, GENERATED)!;
    expect(edits).toHaveLength(1);
    expect(applyEdits(text, edits)).toBe(`${text}z: 1\n`);
  });

  test.each([
    [
      'a block map made flow',
      'a:\n  b: 1\nc: 2\n',
      (d: Document) => (at(d, 'a').flow = true),
      'a: { b: 1 }\nc: 2\n',
    ],
    [
      'a flow map made block',
      'a: {b: 1}\nc: 2\n',
      (d: Document) => (at(d, 'a').flow = false),
      'a:\n  b: 1\nc: 2\n',
    ],
    [
      'a flow list in a flow map made block',
      'a: {b: [1]}\nc: 2\n',
      (d: Document) => (at(d, 'a', 'b').flow = false),
      undefined,
    ],
  ])('%s', (_, text, edit, expected) => {
    const out = patchedText(text, edit);
    if (expected === undefined) {
      const doc = parseDocument(text);
      edit(doc);
      expect(parseDocument(out ?? doc.toString()).toJS()).toEqual(doc.toJS());
    } else {
      expect(out).toBe(expected);
    }
  });

  test('a later document of a stream with other line breaks: its own', () => {
    const text = 'a: 1\n---\r\nb: 1\r\n';
    const docs = parseAllDocuments(text);
    const second = docs[1] as Document.Parsed;
    (second.contents as YAMLMap).set('c', 2);
    expect(applyEdits(text, patchDocument(second, text, GENERATED)!)).toBe(
      'a: 1\n---\r\nb: 1\r\nc: 2\r\n',
    );
  });
});
