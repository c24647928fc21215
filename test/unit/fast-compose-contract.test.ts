import { parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { composeListItem, composeSimple, layoutOf } from '../../src/yaml/fast-compose';
import { splitListItems } from '../../src/yaml/list-items';
import { agrees, agreesEverywhere, itemsAgree, OPTIONS } from '../support/compose-oracle';

/**
 * What src/yaml/fast-compose.ts promises beyond "the same nodes as the library": the
 * layout it notes for document-stream.ts, how it reports options the library refuses, and
 * the edges of its subset that the generated cases reach only by chance.
 */

const compose = (text: string) => composeSimple(text, 0, text.length, OPTIONS);

describe('layoutOf: the indentation a composed document was written with', () => {
  test.each([
    ['a map at 2, a list at its key', 'a:\n  b: 1\nc:\n- x\n', { step: 2, indentSeq: false }],
    ['a map at 4, an indented list', 'a:\n    b: 1\nc:\n    - x\n', { step: 4, indentSeq: true }],
    ['a list first, then a map at 3', 'c:\n  - x\na:\n   b: 1\n', { step: 3, indentSeq: true }],
    ['the first nested key counts', 'a:\n b:\n   c: 1\n', { step: 1 }],
    ['no nesting at all', 'a: 1\nb: x\n', {}],
    ['a list only', 'a:\n- 1\n- 2\n', { indentSeq: false }],
    // A `key:` line inside a list item says nothing (as for inferStyle's expressions).
    ['a key in a list item', 'a:\n- b:\n      c: 1\n  d:\n  - e\n', { indentSeq: false }],
    ['after a null key, the next deeper key', 'a:\nb:\n  c: 1\n', { step: 2 }],
    ['after a null key, an indented key', 'x:\n  a:\n  b: 1\n', { step: 2 }],
  ])('%s', (_, text, layout) => {
    const doc = compose(text);
    expect(doc).toBeDefined();
    expect(layoutOf(doc!)).toEqual(layout);
  });

  test('a document the library parsed has none', () => {
    const [doc] = parseAllDocuments('a:\n  b: 1\n');
    expect(layoutOf(doc as never)).toBeUndefined();
  });
});

describe('options the library refuses are refused with its own error, not declined', () => {
  test.each([
    [{ schema: 'nope' }, /Unknown schema "nope"/],
    [{ version: '1.3' }, /Expected '1.1', '1.2' or null/],
  ])('%o', (options, message) => {
    const text = 'a: b\n';
    expect(() => parseAllDocuments(text, options as never)).toThrow(message);
    expect(() => composeSimple(text, 0, text.length, { ...OPTIONS, ...options } as never)).toThrow(
      message,
    );
    expect(() =>
      composeSimple(text, 0, text.length, { ...OPTIONS, ...options } as never, true),
    ).toThrow(message);
  });
});

describe('plain keys that only start or end like a null or a boolean are strings', () => {
  test.each([
    'xnull',
    'xNULL',
    'nullx',
    'Nulls',
    'xull',
    'Xull',
    'isTrue',
    'xTRUE',
    'trueish',
    'xrue',
    'Xrue',
    'xfalse',
    'notFalse',
    'falsey',
    'xalse',
    'Xalse',
    'x.null',
    'a-true',
    'n',
    'y',
    'on',
    'off',
  ])('composed: %s', (key) => {
    const text = `${key}: 1\nb:\n  ${key}: x\n`;
    expect(agreesEverywhere(text)).toBe(1);
  });
});

describe('ResourceList items at the end of a text without a final line break', () => {
  test.each([
    ['a value last', 'a: 1\n  b: x'],
    ['a flow value last', 'a: 1\n  b: {}'],
    ['a list item last', 'a:\n  - x'],
    ['a quoted value last', "a: 1\n  b: 'x'"],
    ['a null last', 'a: 1\n  b:'],
  ])('%s', (_, item) => {
    const list = `apiVersion: v1\nkind: ResourceList\nitems:\n- k: v\n- ${item}`;
    expect(itemsAgree(list)).toBe(2);
  });
});

describe('a list read with custom tags: its items are left to the library', () => {
  // The composer knows the core schema's tags as they come: a custom tag may read a key
  // (`default: 'key'`), a value starting with any letter, or nothing by default.
  test.each([
    ['a key tag', { tag: '!k', default: 'key' as const, test: /^x$/, resolve: (): string => 'X' }],
    ['a default tag', { tag: '!d', default: true, test: /^x$/, resolve: (): string => 'X' }],
    [
      'a tag not used by default',
      { tag: '!n', default: false, test: /^x$/, resolve: (): string => 'X' },
    ],
  ])('%s', (_, tag) => {
    const list = 'items:\n- x: x\n  y: 1\n';
    const [doc] = parseAllDocuments(list, { customTags: [tag] }) as Document.Parsed[];
    expect(doc.errors).toEqual([]);
    const start = list.indexOf('- ');
    expect(composeListItem(list, start, list.length, 0, doc.schema)).toBeUndefined();
    // The core schema as it comes: composed.
    const [core] = parseAllDocuments(list) as Document.Parsed[];
    expect(composeListItem(list, start, list.length, 0, core.schema)?.toJSON()).toEqual({
      x: 'x',
      y: 1,
    });
  });
});

describe('double-quoted keys with an escape are left to the library', () => {
  test.each([
    ['first in the stream', '"\\ x: 1\n'],
    ['the escape first', '"\\"a": 1\n'],
    ['the escape later', 'a: 1\n"b\\"c": 2\n'],
    ['after a list marker', 'a:\n- "\\ x: 1\n'],
  ])('%s', (_, text) => {
    expect(compose(text)).toBeUndefined();
    expect(composeSimple(text, 0, text.length, OPTIONS, true)).toBeUndefined();
  });
});

describe('keys that start with an indicator or an unclosed quote are left to the library', () => {
  test.each([
    '[a: b\n',
    '{a: b\n',
    '}a: b\n',
    '|a: b\n',
    '`a: b\n',
    '"a xy\n',
    '"\\ xy\n',
    '"\\ x\n',
    "'a xy\n",
    'x: 1\n- "a xy\n',
  ])('%j', (text) => {
    expect(compose(text)).toBeUndefined();
    expect(composeSimple(text, 0, text.length, OPTIONS, true)).toBeUndefined();
  });
});

describe('a slice that ends inside a line is read up to its end, never past it', () => {
  // Read in place (clean) or sliced, every prefix of these documents is either declined or
  // the document the library makes of that prefix alone.
  test.each([
    ['plain keys and values', 'ab: cd\nef:\n  gh: ij\n  kl:\n  - mn\n  - op: qr\n'],
    ['quoted keys', '"ab": 1\n\'cd\': "x"\n"e f":\n  g: 2\n'],
    ['flow values and nulls', 'a: {}\nb: []\nc:\nd: ~\n'],
    ['a head and a marker', '---\n# c\n\nab: 1\n'],
  ])('%s', (_, text) => {
    let composed = 0;
    for (let end = 1; end <= text.length; end++) if (agrees(text, 0, end)) composed++;
    // Each prefix ending at a line's end at least is in the subset.
    expect(composed).toBeGreaterThanOrEqual(text.split('\n').length - 2);
  });
});

describe('a ResourceList item with a line left of its content is left to the library', () => {
  test.each([
    ['a key at column 1', '- a: 1\n b: 2\n'],
    ['a key at the marker', '- a:\n  - x\nb: 1\n'.replace('b: 1', ' b: 1')],
    ['items at column 2, a key at 3', '  - a: 1\n   b: 2\n'],
  ])('%s', (_, items) => {
    const list = `apiVersion: v1\nkind: ResourceList\nitems:\n${items}`;
    const split = splitListItems(list)!;
    expect(split.items).toHaveLength(1);
    const [doc] = parseAllDocuments(list) as Document.Parsed[];
    const { start, end } = split.items[0];
    expect(composeListItem(list, start, end, split.column, doc.schema)).toBeUndefined();
    expect(itemsAgree(list)).toBe(0);
  });
});

test('a list read with compat warnings (yaml-1.1): its items are left to the library', () => {
  const list = 'items:\n- a: yes\n';
  const [doc] = parseAllDocuments(list, { compat: 'yaml-1.1' }) as Document.Parsed[];
  // The library warns of `yes`; a composed item would not.
  expect(doc.warnings).toHaveLength(1);
  const start = list.indexOf('- ');
  expect(composeListItem(list, start, list.length, 0, doc.schema)).toBeUndefined();
});

describe('a list read with another schema or other tags: its items are left to the library', () => {
  const keyTag = { tag: '!k', default: 'key' as const, test: /^x$/, resolve: (): string => 'X' };
  test.each([
    ['failsafe (an empty value reads as "")', { schema: 'failsafe' }],
    ['yaml-1.1', { schema: 'yaml-1.1' }],
    ['the first core tags only', { customTags: (tags: unknown[]) => tags.slice(0, 3) }],
    [
      'a core tag replaced by a key tag',
      { customTags: (tags: unknown[]) => tags.map((tag, i) => (i === 3 ? keyTag : tag)) },
    ],
  ])('%s', (_, options) => {
    const list = 'items:\n- x: 1\n  a:\n';
    const [doc] = parseAllDocuments(list, options as never) as Document.Parsed[];
    expect(doc.errors).toEqual([]);
    const start = list.indexOf('- ');
    expect(composeListItem(list, start, list.length, 0, doc.schema)).toBeUndefined();
  });
});
