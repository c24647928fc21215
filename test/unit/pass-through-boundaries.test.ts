import { isMap, parseAllDocuments } from 'yaml';
import { Resource } from '../../src/krm/resource';
import { checkMetadata } from '../../src/transforms/context';
import {
  composeDocuments,
  isPassThrough,
  soundKind,
  soundObject,
} from '../../src/yaml/pass-through';

/**
 * The line check of the pass-through fast path (src/yaml/pass-through.ts) at each edge of
 * the subset it accepts, from hand-written lines. Two promises: what it lets through
 * parses with no error or warning into a KRM object whose name and namespace are strings
 * (checked here against yaml itself for every accepted case), and the lines a generated
 * manifest is made of are let through, so the fast path serves its purpose.
 */
const doc = (...body: string[]) =>
  ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', ...body, ''].join('\n');

/** What yaml makes of the text: no problem at all, and metadata the functions accept. */
function yamlAgrees(text: string): boolean {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) return false;
  if ([...docs[0].errors, ...docs[0].warnings].length) return false;
  const contents = docs[0].contents;
  if (!isMap(contents)) return false;
  try {
    checkMetadata(new Resource(contents, docs[0], {}));
  } catch {
    return false;
  }
  return true;
}

describe('pass-through line check: accepted lines (each one checked against yaml)', () => {
  test.each([
    // keys: first character a letter or `_`, then word characters, `.`, `/`, `-`
    ['a key of one letter', 'spec: {}', 'Z: x'],
    ['a key starting with _', '_x: y'],
    ['a key with . / - and digits', 'a.b/c-d_e9: x'],
    ['a double-quoted key', '"a key": x'],
    ['a single-quoted key', "'a key': x"],
    ['a quoted key that reads as a boolean unquoted', '"true": x'],
    // plain values: the characters generated manifests use
    ['a value of one character', 'x: a'],
    ['an image with a digest', 'image: gcr.io/p/app@sha256:0a1b'],
    ['a value with =, + and ~', 'x: a=b+c~d'],
    ['a value starting with =', 'x: =a'],
    ['a value starting with +', 'x: +a'],
    ['a value starting with ~ and more', 'x: ~a'],
    ['a value starting with .', 'x: .a'],
    ['a value starting with /', 'x: /a/b'],
    ['a value with a comma', 'x: a,b'],
    ['a value ending with - , @ ~ = +', 'x: a-', 'y: a,', 'z: a@', 'w: a~', 'v: a=', 'u: a+'],
    ['a value with a colon inside', 'x: a:b'],
    ['a number, a boolean, null', 'x: 80', 'y: true', 'z: null', 'w: ~'],
    ['quoted values', 'x: "a b: c"', 'y: \'a "b"\'', 'z: ""', "w: ''"],
    ['empty flow collections', 'x: {}', 'y: []'],
    // comments and spacing
    ['a comment after a value', 'x: a # why'],
    ['a comment after several spaces', 'x: a   # why', 'y:  # why', '  z: b'],
    ['a comment after a key', 'x: # why', '  y: z'],
    ['spaces after a value', 'x: a   '],
    ['several spaces after the colon', 'x:    a'],
    ['a comment line, indented', '  # note', 'x: a'],
    // lists
    ['a list at its key column', 'x:', '- a', '- b', 'y: c'],
    ['a list indented under its key', 'x:', '  - a', '  - b'],
    ['a list of maps', 'x:', '- a: 1', '  b: 2', '- a: 3'],
    ['markers with several spaces', 'x:', '-   a: 1', '    b: 2'],
    ['a list in a list', 'x:', '- - a', '  - b'],
    ['a list in a list of maps', 'x:', '- - a: 1', '    b: 2'],
    // metadata of the shapes KRM wants
    ['a namespace', '  namespace: shop'],
    ['a quoted namespace', '  namespace: "shop"'],
    ['a name that reads as null when unquoted, quoted', '  namespace: "null"'],
    ['a namespace that only starts like null', '  namespace: nullable'],
    ['a namespace that only starts like true', '  namespace: trueish'],
    ['a namespace that only ends like null', '  namespace: notnull'],
    ['a namespace that only ends like false', '  namespace: isfalse'],
    ['a namespace that only ends like ~', '  namespace: a~'],
    ['a namespace that ends in a digit', '  namespace: shop1'],
    ['labels and annotations as maps', '  labels:', '    a: b', '  annotations:', '    c: d'],
    ['empty labels and annotations', '  labels: {}', '  annotations: {}'],
  ])('%s', (_, ...lines) => {
    const text = doc(...lines);
    expect(yamlAgrees(text)).toBe(true);
    expect(soundKind(text)).toBe('Service');
  });

  test('a document starting with its own --- line, with or without a comment', () => {
    for (const head of ['---', '--- ', '--- # the Service']) {
      const text = `${head}\n${doc()}`;
      expect(yamlAgrees(text)).toBe(true);
      expect(soundKind(text)).toBe('Service');
    }
  });

  test('metadata: {} and a metadata map; kind and apiVersion quoted', () => {
    expect(soundKind('apiVersion: v1\nkind: Service\nmetadata: {}\n')).toBe('Service');
    expect(soundKind('apiVersion: "v1"\nkind: \'Service\'\n')).toBe('Service');
    expect(soundKind('"apiVersion": v1\nkind: "Secret"\n')).toBe('Secret');
  });
});

describe('pass-through line check: refused lines (parsed as usual)', () => {
  test.each([
    // keys
    ['a key starting with a digit', '9x: a'],
    ['a key starting with @', '@x: a'],
    ['a key starting with %', 'metadata2:', '  %x: a'],
    ['a key starting with -', 'x:', '  -x: a'],
    ['a key with a space', 'a b: x'],
    ['a key with an escape', '"a\\tb": x'],
    ['a key that reads as a boolean', 'true: x'],
    ['a key that reads as null', '~: x'],
    ['a key that reads as a number', '1.5: x'],
    ['a duplicate key', 'x: a', 'x: b'],
    ['a duplicate key, once quoted', 'x: a', '"x": b'],
    ['a key one column off', 'x:', '  a: 1', '   b: 2'],
    ['a key less indented than its map, deeper than the parent', 'x:', '    a: 1', '  b: 2'],
    // values
    ['a value ending with a colon', 'x: a:'],
    ['a value with a space and a colon', 'x: a: b'],
    ['a value starting with @', 'x: @a'],
    ['a value starting with -', 'x: -a'],
    ['a value starting with ,', 'x: ,a'],
    ['a value starting with :', 'x: :a'],
    ['a value with a quote inside', 'x: a"b'],
    ['a value with a # right after it', 'x: a#b'],
    ['a double-quoted value with an escape', 'x: "a\\"b"'],
    ['a single-quoted value with a doubled quote', "x: 'a''b'"],
    ['an unclosed quote', 'x: "a'],
    ['a flow map with content', 'x: {a: b}'],
    ['a flow list with content', 'x: [a]'],
    ['an anchor', 'x: &a b'],
    ['an alias', 'x: *a'],
    ['a tag', 'x: !t b'],
    ['a block scalar', 'x: |', '  a'],
    ['a bare scalar line in a map', 'x: a', 'b'],
    ['a value on the line after its key', 'x:', '  a'],
    ['an explicit key', '? x', ': y'],
    ['a comment with no space before it', 'x: {}#c'],
    ['a list at the top of a map level', 'x: a', '- b'],
    ['a key after a list item, at the list column', 'x:', '  - a', '  b: c'],
    // metadata of shapes KRM refuses
    ['a namespace that is a number', '  namespace: 12'],
    ['a namespace that is negative', '  namespace: -1'],
    ['a namespace that is +1', '  namespace: +1'],
    ['a namespace that starts with .', '  namespace: .5'],
    ['a namespace that is null', '  namespace: null'],
    ['a namespace that is Null', '  namespace: Null'],
    ['a namespace that is NULL', '  namespace: NULL'],
    ['a namespace that is ~', '  namespace: ~'],
    ['a namespace that is True', '  namespace: True'],
    ['a namespace that is TRUE', '  namespace: TRUE'],
    ['a namespace that is true', '  namespace: true'],
    ['a namespace that is False', '  namespace: False'],
    ['a namespace that is FALSE', '  namespace: FALSE'],
    ['a namespace that is false', '  namespace: false'],
    ['a namespace that is {}', '  namespace: {}'],
    ['a namespace that is []', '  namespace: []'],
    ['a namespace that is a map', '  namespace:', '    a: b'],
    ['a namespace that is a list', '  namespace:', '  - a'],
    ['labels that are a scalar', '  labels: x'],
    ['labels that are []', '  labels: []'],
    ['labels that are a list', '  labels:', '  - a'],
    ['annotations that are a scalar', '  annotations: x'],
    ['annotations that are a list', '  annotations:', '    - a'],
  ])('%s', (_, ...lines) => {
    expect(soundKind(doc(...lines))).toBeUndefined();
  });

  test.each([
    ['no apiVersion', 'kind: Service\nmetadata:\n  name: a\n'],
    ['no kind', 'apiVersion: v1\nmetadata:\n  name: a\n'],
    ['a kind that is a number', 'apiVersion: v1\nkind: 1\n'],
    ['an apiVersion that is a map', 'apiVersion:\n  a: b\nkind: Service\n'],
    ['a kind that is {}', 'apiVersion: v1\nkind: {}\n'],
    ['a kind: List', 'apiVersion: v1\nkind: List\nitems: []\n'],
    ['metadata that is a scalar', 'apiVersion: v1\nkind: Service\nmetadata: x\n'],
    ['metadata that is []', 'apiVersion: v1\nkind: Service\nmetadata: []\n'],
    ['metadata that is a list', 'apiVersion: v1\nkind: Service\nmetadata:\n- a\n'],
    ['a top level that is a list', '- a\n- b\n'],
    ['a top level that starts indented', ' apiVersion: v1\n kind: Service\n'],
    ['nothing but comments', '# a\n# b\n'],
    ['content on the --- line', '--- x\napiVersion: v1\nkind: Service\n'],
    ['a --- line with no space before its comment', '---#c\napiVersion: v1\nkind: Service\n'],
    ['a tab', 'apiVersion: v1\nkind: Service\nspec:\n\tx: a\n'],
    ['a CR', 'apiVersion: v1\r\nkind: Service\r\n'],
  ])('%s', (_, text) => {
    expect(soundKind(text)).toBeUndefined();
  });
});

describe('soundObject: the annotations an I/O layer copies through', () => {
  test('each annotation as the string it reads as; undefined for one that reads as another type', () => {
    const text = doc(
      '  annotations:',
      '    a: x',
      '    b: "y z"',
      "    c: 'w'",
      '    d: 12',
      '    e: true',
      '    f: {}',
      '  labels:',
      '    l: v',
      'spec:',
      '  annotations:',
      '    s: t',
    );
    expect(soundObject(text)).toEqual({
      kind: 'Service',
      annotations: new Map([
        ['a', 'x'],
        ['b', 'y z'],
        ['c', 'w'],
        ['d', undefined],
        ['e', undefined],
        ['f', undefined],
      ]),
    });
  });

  test('no annotations: an empty map; annotations under another key are not metadata', () => {
    expect(soundObject(doc())?.annotations).toEqual(new Map());
    const nested = doc('spec:', '  metadata:', '    annotations:', '      a: b');
    expect(soundObject(nested)).toEqual({ kind: 'Service', annotations: new Map() });
    const inList = doc('items:', '- metadata:', '    annotations:', '      a: b');
    expect(soundObject(inList)).toEqual({ kind: 'Service', annotations: new Map() });
  });
});

describe('composeDocuments: where documents start, and what is not split', () => {
  const SVC = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n`;
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  const services = (kind: string) => kind === 'Service';
  const run = (text: string) => composeDocuments(text, {}, services, parseAllDocuments);

  test('each Service is a stand-in, each ConfigMap parsed; the --- line may carry a comment', () => {
    const text = `${SVC('a')}--- # next\n${CM('b')}---  \n${SVC('c')}---\n${CM('d')}`;
    const docs = run(text);
    expect(docs.map((d) => isPassThrough(d))).toEqual([true, false, true, false]);
    expect(docs.map((d) => d.range[0])).toEqual([
      0,
      text.indexOf('--- # next'),
      text.indexOf('---  '),
      text.lastIndexOf('---\n'),
    ]);
    expect(docs[1].toJS()).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b' },
    });
    expect(docs[3].toJS()).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'd' },
    });
  });

  test('---x and a --- inside a line start no document', () => {
    const text = `${SVC('a')}x: a ---\n---x: 1\n`;
    const docs = run(text);
    expect(docs).toHaveLength(1);
    expect(docs.map((d) => isPassThrough(d))).toEqual([false]);
    expect(docs[0].errors).toEqual([]);
    expect(docs[0].toJS()).toMatchObject({ x: 'a ---', '---x': 1 });
    // After a document composed from its lines, too.
    const after = run(`${CM('b')}---x: 1\n`);
    expect(after).toHaveLength(1);
    expect(after[0].toJS()).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b' },
      '---x': 1,
    });
  });

  test('a kind written on a line with a comment is read; a quoted kind is not (parsed instead)', () => {
    expect(
      run(SVC('a').replace('kind: Service', 'kind: Service # svc')).map(isPassThrough),
    ).toEqual([true]);
    expect(run(SVC('a').replace('kind: Service', 'kind: "Service"')).map(isPassThrough)).toEqual([
      false,
    ]);
    expect(run(SVC('a').replace('kind: Service', 'kind:  Service')).map(isPassThrough)).toEqual([
      true,
    ]);
    // The top-level kind: a nested kind: line before it does not count.
    const nested = `apiVersion: v1\nspec:\n  kind: Service\nkind: Secret\nmetadata:\n  name: a\n`;
    const every = composeDocuments(nested, {}, () => true, parseAllDocuments);
    expect(every.map(isPassThrough)).toEqual([true]);
    // The kind line must be the document's own: the next document's kind does not count.
    const text = `apiVersion: v1\nmetadata:\n  name: a\n---\n${SVC('b')}`;
    const docs = run(text);
    expect(docs.map(isPassThrough)).toEqual([false, true]);
    expect(docs[0].toJS()).toEqual({ apiVersion: 'v1', metadata: { name: 'a' } });
  });

  test.each([
    ['a byte-order mark', `\ufeff${SVC('a')}`],
    ['a directive', `%YAML 1.2\n---\n${SVC('a')}`],
    ['a document end marker', `${CM('a')}...\n---\n${SVC('b')}`],
    ['a document end marker with a comment', `${CM('a')}... # end\n---\n${SVC('b')}`],
  ])('%s: the whole stream is parsed by yaml', (_, text) => {
    const docs = run(text);
    expect(docs.map(isPassThrough)).toEqual(docs.map(() => false));
    expect(docs.map((d) => d.toJS())).toEqual(parseAllDocuments(text).map((d) => d.toJS()));
  });

  test('a % or ... inside a line is no directive or document end: the stream is still split', () => {
    const text = `${SVC('a')}spec:\n  note: "50%"\n  wait: a...\n---\n${CM('b')}`;
    expect(run(text).map(isPassThrough)).toEqual([true, false]);
  });

  test('...x is no document end: the stream is still split', () => {
    const text = `${SVC('a')}---\n${CM('b')}...x: 1\n`;
    expect(run(text).map(isPassThrough)).toEqual([true, false]);
  });

  test('a first line ---#c is no document start: yaml reports it, the fast path does not hide it', () => {
    const text = `---#c\n${SVC('a')}`;
    const docs = run(text);
    expect(docs.map(isPassThrough)).toEqual([false]);
    expect(docs[0].errors.map((e) => e.code)).toEqual(
      parseAllDocuments(text)[0].errors.map((e) => e.code),
    );
    expect(docs[0].errors.length).toBeGreaterThan(0);
  });

  test('no caller list of kinds: nothing is a stand-in', () => {
    const docs = composeDocuments(`${SVC('a')}---\n${SVC('b')}`, {}, undefined, parseAllDocuments);
    expect(docs.map(isPassThrough)).toEqual([false, false]);
    expect(docs.map((d) => d.toJS().metadata.name)).toEqual(['a', 'b']);
  });
});
