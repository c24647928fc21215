import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
} from 'yaml';
import type { Node } from 'yaml';
import { AS_WRITTEN } from '../../src/yaml/document-stream';
import {
  composeDocuments,
  isPassThrough,
  shiftRanges,
  soundKind,
} from '../../src/yaml/pass-through';

/**
 * composeDocuments (src/yaml/pass-through.ts) against yaml itself: whatever the fast path
 * makes of a stream — documents composed from their lines, documents parsed from a slice
 * and moved to their place, stand-ins for documents no function reads — is what
 * `parseAllDocuments` makes of the whole text: the same values, the same source range for
 * every node, the same line starts. And when the stream has anything the splitting does not
 * follow, the whole text goes to the parser as it is.
 */
const OPTIONS = { prettyErrors: true, uniqueKeys: true, ...AS_WRITTEN };

/** Every node of a document: its path, its source range and, for a scalar, its value. */
function nodes(doc: Document.Parsed): string[] {
  const out: string[] = [`doc ${JSON.stringify(doc.range)}`];
  const walk = (node: unknown, path: string) => {
    if (isPair(node)) {
      walk(node.key, `${path}.key`);
      walk(node.value, `${path}.value`);
      return;
    }
    if (!node) return;
    const n = node as Node;
    const what = isScalar(n)
      ? `scalar ${JSON.stringify(n.value instanceof Date ? n.value.toISOString() : n.value)}`
      : isAlias(n)
        ? `alias ${n.source}`
        : isMap(n)
          ? 'map'
          : isSeq(n)
            ? 'seq'
            : 'other';
    out.push(`${path} ${what} ${JSON.stringify(n.range)}`);
    if (isMap(n) || isSeq(n)) n.items.forEach((item, i) => walk(item, `${path}[${i}]`));
  };
  walk(doc.contents, '');
  return out;
}

/** composeDocuments and parseAllDocuments on one text: documents, nodes, line starts. */
function bothWays(text: string, passThrough?: (kind: string) => boolean) {
  const fastCounter = new LineCounter();
  const fast = composeDocuments(
    text,
    { ...OPTIONS, lineCounter: fastCounter },
    passThrough,
    parseAllDocuments,
  );
  const refCounter = new LineCounter();
  const reference = parseAllDocuments(text, { ...OPTIONS, lineCounter: refCounter });
  return { fast, reference, fastCounter, refCounter };
}

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n';
/** Outside every fast subset: anchors, an alias, a tag, a flow map with content. */
const PARSED =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n cfg\n  labels: {app: web}\ndata:\n  alias: *n\n  when: !!timestamp 2001-12-14\n';

describe('composeDocuments makes what yaml makes of the whole stream', () => {
  test.each([
    ['one parsed document at the start', PARSED],
    ['a parsed document after a composed one', `${DEPLOYMENT}---\n${PARSED}`],
    ['a parsed document after a stand-in', `${SERVICE}---\n${PARSED}`],
    ['parsed, composed, parsed', `${PARSED}---\n${DEPLOYMENT}---\n${PARSED}`],
    ['a stream that starts with ---', `---\n${DEPLOYMENT}---\n${PARSED}`],
    ['a stream that starts with an empty line', `\n${DEPLOYMENT}---\n${PARSED}`],
    ['a stream that starts with empty lines and a comment', `\n\n# c\n${DEPLOYMENT}`],
    ['CRLF line ends', `${DEPLOYMENT}---\n${PARSED}`.replace(/\n/g, '\r\n')],
    [
      'a tab in a comment',
      `${DEPLOYMENT.replace('replicas: 1', 'replicas: 1 #\tone')}---\n${SERVICE}`,
    ],
    ['a CR in a later document only', `${DEPLOYMENT}---\n${PARSED.replace(/\n/g, '\r\n')}`],
    ['no final line break', `${DEPLOYMENT}---\n${PARSED.slice(0, -1)}`],
  ])('%s', (_, text) => {
    for (const passThrough of [undefined, (kind: string) => kind === 'Service']) {
      const { fast, reference, fastCounter, refCounter } = bothWays(text, passThrough);
      expect(fast).toHaveLength(reference.length);
      fast.forEach((doc, i) => {
        expect(doc.errors).toEqual([]);
        if (isPassThrough(doc)) {
          expect(passThrough).toBeDefined();
          expect(doc.range).toEqual(reference[i].range);
          expect(reference[i].get('kind')).toBe('Service');
          return;
        }
        expect(nodes(doc)).toEqual(nodes(reference[i]));
      });
      expect(fastCounter.lineStarts).toEqual(refCounter.lineStarts);
    }
  });

  test('known tags are read as written (resolveKnownTags: false), also in a slice parsed after others', () => {
    const { fast } = bothWays(`${DEPLOYMENT}---\n${PARSED}`);
    expect(fast[1].get('data', true)).toBeDefined();
    expect((fast[1].getIn(['data', 'when']) as unknown) instanceof Date).toBe(false);
    expect(String(fast[1].getIn(['data', 'when']))).toBe('2001-12-14');
  });

  test('a stream of documents the fast path reads needs no parser at all', () => {
    const parseAll = jest.fn(parseAllDocuments);
    const text = `${SERVICE}---\n${DEPLOYMENT}---\n${SERVICE.replace('name: web', 'name: api')}`;
    const docs = composeDocuments(text, OPTIONS, (kind) => kind === 'Service', parseAll);
    expect(parseAll).not.toHaveBeenCalled();
    expect(docs.map(isPassThrough)).toEqual([true, false, true]);
    expect(docs.map((d) => d.range)).toEqual([
      [0, SERVICE.length, SERVICE.length],
      [
        SERVICE.length,
        SERVICE.length + 4 + DEPLOYMENT.length,
        SERVICE.length + 4 + DEPLOYMENT.length,
      ],
      [SERVICE.length + 4 + DEPLOYMENT.length, text.length, text.length],
    ]);
  });

  test('only the documents outside the fast subsets go to the parser, each once, as a slice', () => {
    const parseAll = jest.fn(parseAllDocuments);
    const text = `${SERVICE}---\n${PARSED}---\n${DEPLOYMENT}`;
    composeDocuments(text, OPTIONS, (kind) => kind === 'Service', parseAll);
    expect(parseAll.mock.calls.map(([slice]) => slice)).toEqual([`---\n${PARSED}`]);
    // the options reach the parser, without the line counter of the whole stream
    expect(parseAll.mock.calls[0][1]).toEqual({ ...OPTIONS, lineCounter: undefined });
  });

  test.each([
    ['a byte order mark', `\ufeff${DEPLOYMENT}`],
    ['a %YAML directive', `%YAML 1.2\n---\n${DEPLOYMENT}`],
    ['a %TAG directive after a document', `${DEPLOYMENT}---\n%TAG ! tag:x,2000:\n---\n${SERVICE}`],
    ['a ... document end', `${DEPLOYMENT}...\n---\n${SERVICE}`],
    ['a ... document end with a comment', `${DEPLOYMENT}... # end\n`],
    ['a ... document end, CRLF', `${DEPLOYMENT}...\r\n`],
  ])('%s: the whole text goes to the parser as it is, and its answer is returned', (_, text) => {
    const answer = parseAllDocuments(text, OPTIONS);
    const parseAll = jest.fn(() => answer);
    expect(composeDocuments(text, OPTIONS, () => true, parseAll)).toBe(answer);
    expect(parseAll).toHaveBeenCalledTimes(1);
    expect(parseAll).toHaveBeenCalledWith(text, OPTIONS);
  });

  test('a line that only starts like a document end is not one: the fast path goes on', () => {
    const parseAll = jest.fn(parseAllDocuments);
    const text = `${DEPLOYMENT.replace('replicas: 1', 'replicas: 1\n  note: ...x')}`;
    composeDocuments(text, OPTIONS, () => true, parseAll);
    expect(parseAll).not.toHaveBeenCalled();
  });

  test('an empty stream, or one of comments only: what the parser answers', () => {
    for (const text of ['', '# only a comment\n', '\n\n']) {
      const answer = parseAllDocuments(text, OPTIONS);
      const parseAll = jest.fn(() => answer);
      expect(composeDocuments(text, OPTIONS, () => true, parseAll)).toBe(answer);
    }
  });
});

describe('shiftRanges: a document parsed from a slice, moved to its place', () => {
  const parsed = () => parseAllDocuments('a: &x [1, {b: *x}]\nc: d\n')[0];

  test('by an offset: every range of every node, and the document', () => {
    const doc = parsed();
    const before = nodes(doc);
    shiftRanges(doc, 100);
    const shifted = (line: string) =>
      line.replace(/\[(\d+),(\d+),(\d+)\]$/, (_, a, b, c) =>
        JSON.stringify([+a + 100, +b + 100, +c + 100]),
      );
    expect(nodes(doc)).toEqual(before.map(shifted));
    expect(doc.range).toEqual([100, 110 + 14, 110 + 14]);
  });

  test('from an offset on: what starts or ends before it stays, what is at or after it moves', () => {
    const doc = parseAllDocuments('k: v\n')[0];
    // ranges: doc [0,5,5]; map [0,5,5]; key [0,1,1]; value [3,4,5]
    shiftRanges(doc, 10, 4);
    expect(doc.range).toEqual([0, 15, 15]);
    const map = doc.contents as Node;
    expect(map.range).toEqual([0, 15, 15]);
    const pair = (doc.contents as unknown as { items: { key: Node; value: Node }[] }).items[0];
    expect(pair.key.range).toEqual([0, 1, 1]);
    expect(pair.value.range).toEqual([3, 14, 15]);
    const exact = parseAllDocuments('k: v\n')[0];
    shiftRanges(exact, 10, 3); // value [3,4,5]: every offset at or after 3 moves
    const v = (exact.contents as unknown as { items: { value: Node }[] }).items[0].value;
    expect(v.range).toEqual([13, 14, 15]);
    const key = (exact.contents as unknown as { items: { key: Node }[] }).items[0].key;
    expect(key.range).toEqual([0, 1, 1]);
    const endsAt = parseAllDocuments('k: v\n')[0];
    shiftRanges(endsAt, 10, 1); // key [0,1,1]: its end offsets are at 1 and move
    expect((endsAt.contents as unknown as { items: { key: Node }[] }).items[0].key.range).toEqual([
      0, 11, 11,
    ]);
  });
});

describe('soundKind: the line check lets through only what yaml reads without a word', () => {
  const doc = (...lines: string[]) => `${lines.join('\n')}\n`;
  const HEAD = ['apiVersion: v1', 'kind: Service'];

  test.each([
    [
      'a key after a character that cannot start one',
      doc(...HEAD, 'metadata:', '  name: a', '@x: y'),
    ],
    ['a line separator (U+2028) in a value', doc(...HEAD, 'metadata:', '  name: a', 'x: a\u2028b')],
    ['a key given twice', doc(...HEAD, 'metadata:', '  name: a', '  name: b')],
    ['the same key quoted and plain', doc(...HEAD, 'metadata:', '  "name": a', '  name: b')],
    ['the same key single-quoted and plain', doc(...HEAD, 'metadata:', "  'name': a", '  name: b')],
    ['a quoted kind given twice', doc(...HEAD, '"kind": Pod', 'metadata:', '  name: a')],
    ['a key that reads as a boolean', doc(...HEAD, 'metadata:', '  name: a', 'true: x')],
    ['a key that reads as a number', doc(...HEAD, 'metadata:', '  name: a', '1: x')],
    [
      'a key at the column of the key left open before it, given twice',
      doc(...HEAD, 'metadata:', '  name: a', 'spec:', 'kind: Pod'),
    ],
    ['a tab in a comment', doc(...HEAD, 'metadata: # the\tobject', '  name: a')],
    ['a carriage return in a comment', doc(...HEAD, 'metadata: # a\rb', '  name: a')],
    ['a first line of four dashes', doc('----', ...HEAD, 'metadata:', '  name: a')],
    ['a first line of --- and text', doc('--- x', ...HEAD)],
    ['metadata given a value', doc(...HEAD, 'metadata: x')],
    ['metadata given a list', doc(...HEAD, 'metadata:', '- a')],
    ['a list first', doc('- a', ...HEAD)],
    ['an indented first key', doc('  apiVersion: v1', '  kind: Service')],
  ])('%s: not let through', (_, text) => {
    expect(soundKind(text)).toBeUndefined();
    expect(soundKind(`---\n${text}`)).toBeUndefined();
  });

  test.each([
    ['metadata with no value (null)', doc(...HEAD, 'metadata:', 'spec: {}')],
    ['metadata with no value, then nothing', doc(...HEAD, 'metadata:')],
    [
      'a pod template whose metadata has a name that is not a string',
      doc(
        'apiVersion: apps/v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        'spec:',
        '  template:',
        '    metadata:',
        '      name: 5',
        '      labels:',
        '      - a',
      ),
    ],
    ['a first line of --- and a comment', doc('--- # first', ...HEAD)],
    ['a first line of --- and spaces', doc('---   ', ...HEAD)],
  ])('%s: let through, and yaml agrees', (_, text) => {
    expect(soundKind(text)).toBe('Service');
    const docs = parseAllDocuments(text);
    expect(docs).toHaveLength(1);
    expect([...docs[0].errors, ...docs[0].warnings]).toEqual([]);
  });
});
