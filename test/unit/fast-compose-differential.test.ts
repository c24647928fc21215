import fc from 'fast-check';
import { splitListItems } from '../../src/yaml/list-items';
import { agreesEverywhere, itemsAgree, slices } from '../support/compose-oracle';
import { exercised } from '../support/exercised';

/**
 * The line composer against the yaml library, on generated streams (seeded). Two sides:
 *
 * - streams written wholly in the subset the composer promises to take (maps and lists of
 *   any depth, any indentation step, lists at their key's column or indented, plain,
 *   quoted, empty-flow and null values, quoted keys, head comments, `---` markers, blank
 *   lines closing a document, no final line break) must ALL be composed, each document
 *   node by node, range by range, as the library composes it (test/support/compose-oracle);
 * - the same streams with one to three quirks of real input (CRLF, tabs, a byte-order
 *   mark, anchors and aliases, tags, flow collections with content, block scalars,
 *   escapes, comments after values or inside, blank lines inside, trailing spaces, stray
 *   indentation, duplicate keys, keys the core schema reads as other types, directives,
 *   `...` and `---` with content) are either declined or composed exactly as the library.
 *
 * The same two sides for the items of a ResourceList (composeListItem).
 */

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261201;
const RUNS = Number(process.env.FC_RUNS ?? 120);
// A failure is reported as generated, with its seed and path, without shrinking: the
// generated documents are short, and a mutation run then spends no time on shrinking.
const PARAMETERS = { seed: SEED, endOnFailure: true };

type Tree = { map: [string, Tree][] } | { seq: Tree[] } | { scalar: string } | null;

/** What a key reads as: quoted keys are the text between their quotes. */
const keyValue = (raw: string) => (/^["']/.test(raw) ? raw.slice(1, -1) : raw);

/** Plain keys the core schema reads as strings (null and boolean spellings left out). */
const plainKey = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,7}$/)
  .filter((k) => !/^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(k));
const quotedKey = fc.oneof(
  fc.stringMatching(/^[ -!#-[\]-~]{0,6}$/).map((k) => `"${k}"`),
  fc.stringMatching(/^[ -&(-~]{0,6}$/).map((k) => `'${k}'`),
  fc.constantFrom('"a b"', "'a: b'", '"1"', "'true'", '"null"', '"#x"', "'- x'", '""', "''"),
);
const key = fc.oneof({ weight: 4, arbitrary: plainKey }, { weight: 1, arbitrary: quotedKey });

/** Plain scalars without spaces or indicators, of every core type. */
const plainValue = fc.oneof(
  // First character, inner ones (`:` and `@` among them), last one (not a `:`).
  {
    weight: 5,
    arbitrary: fc.stringMatching(
      /^[A-Za-z0-9_./=+~](?:[A-Za-z0-9_./:@=+,~-]{0,7}[A-Za-z0-9_./@=+,~-])?$/,
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '~',
      'null',
      'Null',
      'NULL',
      'nULL',
      'true',
      'True',
      'TRUE',
      'tRUE',
      'false',
      'False',
      'FALSE',
      'y',
      'n',
      'on',
      'yes',
      '0',
      '+2',
      '007',
      '0o17',
      '0o8',
      '0x1F',
      '0xg',
      '1e3',
      '1e-3',
      '+12.5e+3',
      '1.50',
      '1.',
      '.5',
      '.inf',
      '+.Inf',
      '.NaN',
      '.nan',
      '1_000',
      '99999999999999999999',
      'x:y',
      'http://a.b/c',
      'gcr.io/p/app@sha256:abc',
      '...',
      '=',
      'a-',
    ),
  },
);
const quotedValue = fc.oneof(
  fc.stringMatching(/^[ -!#-[\]-~]{0,8}$/).map((v) => `"${v}"`),
  fc.stringMatching(/^[ -&(-~]{0,8}$/).map((v) => `'${v}'`),
);
const scalar = fc.oneof(
  { weight: 5, arbitrary: plainValue },
  { weight: 2, arbitrary: quotedValue },
  { weight: 1, arbitrary: fc.constantFrom('{}', '[]') },
);

const { tree } = fc.letrec<{ tree: Tree; item: Tree; map: Tree; seq: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 4, arbitrary: scalar.map((s) => ({ scalar: s })) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: tie('map') },
    { weight: 2, arbitrary: tie('seq') },
  ),
  // A list item is never null (`-` alone is outside the subset).
  item: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 3, arbitrary: scalar.map((s) => ({ scalar: s })) },
    { weight: 2, arbitrary: tie('map') },
    { weight: 1, arbitrary: tie('seq') },
  ),
  map: fc
    .uniqueArray(fc.tuple(key, tie('tree')), {
      minLength: 1,
      maxLength: 4,
      selector: ([k]) => keyValue(k),
    })
    .map((entries) => ({ map: entries })),
  seq: fc.array(tie('item'), { minLength: 1, maxLength: 3 }).map((items) => ({ seq: items })),
}));

const rootMap = fc
  .uniqueArray(fc.tuple(key, tree), { minLength: 1, maxLength: 10, selector: ([k]) => keyValue(k) })
  .map((entries) => ({ map: entries }));

interface Style {
  step: number;
  indentSeq: boolean;
}
const style = fc.record({ step: fc.integer({ min: 1, max: 4 }), indentSeq: fc.boolean() });

/** The lines of a map's entries at `column`. */
function mapLines(entries: [string, Tree][], column: number, s: Style): string[] {
  return entries.flatMap(([k, v]) => {
    const head = `${' '.repeat(column)}${k}:`;
    if (v === null) return [head];
    if ('scalar' in v) return [`${head} ${v.scalar}`];
    if ('map' in v) return [head, ...mapLines(v.map, column + s.step, s)];
    return [head, ...seqLines(v.seq, s.indentSeq ? column + s.step : column, s)];
  });
}

/** The lines of a list's items, their `- ` at `column` (a map or list item starts on its line). */
function seqLines(items: Tree[], column: number, s: Style): string[] {
  return items.flatMap((v) => {
    const marker = `${' '.repeat(column)}- `;
    if (v === null) throw new Error('a list item is never null here');
    if ('scalar' in v) return [`${marker}${v.scalar}`];
    const lines = 'map' in v ? mapLines(v.map, column + 2, s) : seqLines(v.seq, column + 2, s);
    return [`${marker}${lines[0].slice(column + 2)}`, ...lines.slice(1)];
  });
}

/** Comment and blank lines before a document's content. */
const head = fc.array(fc.constantFrom('# a comment', '#', '', '#x: y', '# ---', '#  two'), {
  maxLength: 3,
});

const documentParts = fc.record({
  marker: fc.boolean(),
  head,
  root: rootMap,
  style,
  // Blank lines after the content (none when the last value is a null), or no final break.
  tail: fc.constantFrom('\n', '\n', '\n\n', '\n\n\n', ''),
});
type DocumentParts = typeof documentParts extends fc.Arbitrary<infer T> ? T : never;

function documentText(d: DocumentParts, first: boolean, last: boolean): string {
  const lines = mapLines(d.root.map, 0, d.style);
  const nullLast = lines[lines.length - 1].endsWith(':');
  let tail = d.tail;
  if (tail === '' && !last) tail = '\n';
  if (nullLast && tail.length > 1) tail = '\n';
  const marker = d.marker || !first ? '---\n' : '';
  const before = d.head.map((l) => `${l}\n`).join('');
  return `${marker}${before}${lines.join('\n')}${tail}`;
}

const stream = fc
  .array(documentParts, { minLength: 1, maxLength: 2 })
  .map((docs) => docs.map((d, i) => documentText(d, i === 0, i === docs.length - 1)).join(''));

describe('streams written in the subset: every document composed, as the library composes it', () => {
  test('generated streams', () => {
    const reached = exercised('subset streams', 1);
    fc.assert(
      fc.property(stream, (text) => {
        expect(agreesEverywhere(text)).toBe(slices(text).length);
        reached.run(true);
      }),
      { ...PARAMETERS, numRuns: RUNS },
    );
    reached.assert();
  });
});

/** Edits of one line of real input's kinds: each takes a line and gives its replacement lines. */
const LINE_QUIRKS: [string, (line: string) => string[]][] = [
  ['a trailing space', (l) => [`${l} `]],
  ['a comment after', (l) => [`${l} # why`]],
  ['a comment glued after', (l) => [`${l}#why`]],
  ['a tab before', (l) => [`\t${l}`]],
  ['a tab after the colon', (l) => [l.replace(': ', ':\t')]],
  ['two spaces after the colon', (l) => [l.replace(': ', ':  ')]],
  ['two spaces after a marker', (l) => [l.replace('- ', '-  ')]],
  ['a marker without its space', (l) => [l.replace('- ', '-')]],
  ['a carriage return', (l) => [`${l}\r`]],
  ['one space deeper', (l) => [` ${l}`]],
  ['one space shallower', (l) => [l.replace(/^ /, '')]],
  ['repeated (a duplicate key)', (l) => [l, l]],
  ['removed', () => []],
  ['a blank line before', (l) => ['', l]],
  ['a comment line before', (l) => ['# c', l]],
  ['an indented comment line before', (l) => [l.replace(/\S.*/, '# c'), l]],
  ['a blank line of spaces before', (l) => ['  ', l]],
  ['a --- before', (l) => ['---', l]],
  ['a ... before', (l) => ['...', l]],
  ['a directive before', (l) => ['%YAML 1.2', '---', l]],
  ['a null list item after', (l) => [l, l.replace(/\S.*/, '-')]],
  ['a bare scalar after', (l) => [l, l.replace(/\S.*/, 'x')]],
  ['a complex key', (l) => [l.replace(/^( *(?:- )*)/, '$1? ')]],
];

/** Values outside the subset (or at its edges), put in place of a line's value. */
const QUIRK_VALUES = [
  '&a x',
  '*a',
  '&a',
  '!!str 1',
  '!t x',
  '|',
  '>-',
  '{a: 1}',
  '[a, b]',
  '{ }',
  '[ ]',
  '{}}',
  '"a\\"b"',
  '"a\\nb"',
  "'it''s'",
  '"open',
  "'open",
  '"a"b',
  'x #y',
  'x y',
  '-x',
  '- x',
  '@x',
  '`x',
  'a: b',
  '? x',
  '%x',
  'x:',
  'x,',
  ',x',
  ':x',
  'x]',
  '\u00a0x',
  'x\u2028y',
  '-',
  '',
];

/** Keys outside the subset (or at its edges), put in place of a line's key. */
const QUIRK_KEYS = [
  'null',
  'Null',
  '~',
  'True',
  'false',
  'FALSE',
  '1',
  '0x1',
  '-a',
  '.a',
  '+a',
  '"a\\b"',
  "'a''b'",
  '<<',
  'a b',
  '[a]',
  '{a: 1}',
  '&k a',
  '!t a',
  '"a',
  'a"',
  '@a',
  'é',
];

const quirk = fc.oneof(
  fc.tuple(fc.constant('line' as const), fc.nat(), fc.nat(LINE_QUIRKS.length - 1)),
  fc.tuple(fc.constant('value' as const), fc.nat(), fc.nat(QUIRK_VALUES.length - 1)),
  fc.tuple(fc.constant('key' as const), fc.nat(), fc.nat(QUIRK_KEYS.length - 1)),
  fc.tuple(fc.constant('text' as const), fc.nat(), fc.nat(6)),
);
type Quirk = typeof quirk extends fc.Arbitrary<infer T> ? T : never;

/** The text with one quirk: on one line (counted over the whole stream), or on the whole. */
function withQuirk(text: string, [kind, at, which]: Quirk): string {
  if (kind === 'text') {
    return [
      () => `\ufeff${text}`,
      () => text.replace(/\n/g, '\r\n'),
      () => `${text.replace(/\n?$/, '\n')}...\n`,
      () => text.replace(/^(?:---\n)?/, '--- # c\n'),
      () => text.replace(/^(?:---\n)?/, '--- '),
      () => `${text.replace(/\n?$/, '\n')}# the end\n`,
      () => text.replace(/\n$/, ''),
    ][which]();
  }
  const lines = text.split('\n');
  const i = at % lines.length;
  const line = lines[i];
  if (kind === 'line') lines.splice(i, 1, ...LINE_QUIRKS[which][1](line));
  else if (kind === 'value')
    lines[i] = line.replace(/^( *(?:- )*(?:[^ ]+: )?).*$/, `$1${QUIRK_VALUES[which]}`);
  else
    lines[i] = line.replace(
      /^( *(?:- )*)(?:"[^"]*"|'[^']*'|[^ "':]+)(?=:)/,
      `$1${QUIRK_KEYS[which]}`,
    );
  return lines.join('\n');
}

describe('streams with quirks of real input: declined, or composed as the library composes them', () => {
  test('generated streams, one to three quirks each', () => {
    let composed = 0;
    let declined = 0;
    const reached = exercised('quirked streams', 1);
    fc.assert(
      fc.property(stream, fc.array(quirk, { minLength: 1, maxLength: 3 }), (text, quirks) => {
        const edited = quirks.reduce(withQuirk, text);
        const documents = slices(edited).length;
        const n = agreesEverywhere(edited);
        composed += n;
        declined += documents - n;
        reached.run(true);
      }),
      { ...PARAMETERS, numRuns: RUNS * 2 },
    );
    reached.assert();
    // Both sides were reached: documents the composer built (and the library agreed on),
    // and documents it left to the library.
    expect(composed).toBeGreaterThan(RUNS / 4);
    expect(declined).toBeGreaterThan(RUNS / 4);
  });

  test('each quirk alone, on every line of one document', () => {
    const text = `# head\n${[
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "web"',
      "  'labels':",
      '    app: web',
      '    tier:',
      'spec:',
      '  ports:',
      '  - port: 80',
      '    name: http',
      '  - - a',
      '    - b',
      '  selector: {}',
      'list:',
      '- x',
      'last: 1',
    ].join('\n')}\n`;
    expect(agreesEverywhere(text)).toBe(1);
    const lines = text.split('\n').length;
    let declined = 0;
    for (let at = 0; at < lines; at++) {
      for (let which = 0; which < LINE_QUIRKS.length; which++) {
        const edited = withQuirk(text, ['line', at, which]);
        if (edited === text) continue;
        if (!agreesEverywhere(edited)) declined++;
      }
      for (let which = 0; which < QUIRK_VALUES.length; which++)
        if (!agreesEverywhere(withQuirk(text, ['value', at, which]))) declined++;
      for (let which = 0; which < QUIRK_KEYS.length; which++)
        if (!agreesEverywhere(withQuirk(text, ['key', at, which]))) declined++;
    }
    for (let which = 0; which < 7; which++) agreesEverywhere(withQuirk(text, ['text', 0, which]));
    expect(declined).toBeGreaterThan(lines * 10);
  });
});

/** A ResourceList of items made of generated maps, their `- ` at `column`. */
function listText(
  items: { root: Tree; style: Style; comments: string[] }[],
  column: number,
): string {
  const body = items.flatMap(({ root, style: s, comments }) => {
    const lines = [...comments, ...mapLines((root as { map: [string, Tree][] }).map, 0, s)];
    return lines.map((l, i) => `${' '.repeat(column)}${i === 0 ? '- ' : '  '}${l}`);
  });
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${body.join('\n')}\n`;
}

const listItem = fc.record({
  root: rootMap,
  style,
  comments: fc.array(fc.constantFrom('# a comment', '#x: y', '#  two', '# - x'), {
    maxLength: 2,
  }),
});

describe('ResourceList items: every item in the subset composed as the library parses it', () => {
  test('generated lists, items at columns 0 and 2', () => {
    const reached = exercised('list items', 1);
    fc.assert(
      fc.property(
        fc.array(listItem, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 2),
        (items, column) => {
          const list = listText(items, column);
          // A null last in an item is followed by the next item or the list's end: still in.
          expect(itemsAgree(list)).toBe(items.length);
          reached.run(true);
        },
      ),
      { ...PARAMETERS, numRuns: RUNS },
    );
    reached.assert();
  });

  test('generated lists with quirks: declined items, or composed as the library parses them', () => {
    let composed = 0;
    let declined = 0;
    const reached = exercised('quirked list items', 0.5);
    fc.assert(
      fc.property(
        fc.array(listItem, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 2),
        fc.array(
          quirk.filter(([kind]) => kind !== 'text'),
          { minLength: 1, maxLength: 2 },
        ),
        (items, column, quirks) => {
          const list = listText(items, column);
          const header = list.indexOf('items:\n') + 7;
          // Quirks on the items' lines only: the list's own keys stay as they are.
          const edited = list.slice(0, header) + quirks.reduce(withQuirk, list.slice(header));
          const n = itemsAgree(edited);
          // A layout splitListItems does not follow is parsed whole: nothing to compare.
          if (!reached.run(n >= 0)) return;
          composed += n;
          declined += splitListItems(edited)!.items.length - n;
        },
      ),
      { ...PARAMETERS, numRuns: RUNS * 2 },
    );
    reached.assert();
    expect(composed).toBeGreaterThan(RUNS / 4);
    expect(declined).toBeGreaterThan(RUNS / 10);
  });
});
