import { parseAllDocuments } from 'yaml';
import { composeSimple, layoutOf } from '../../src/yaml/fast-compose';
import { agreesEverywhere, itemsAgree, OPTIONS } from '../support/compose-oracle';

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
