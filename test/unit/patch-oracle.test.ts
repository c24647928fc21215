import { Document, Pair, parseDocument, Scalar } from 'yaml';
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

type Any = YAMLMap & YAMLSeq & { items: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
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
