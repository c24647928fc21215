import { itemAsDocument, splitListItems } from '../../src/yaml/list-items';
import type { ListItems } from '../../src/yaml/list-items';

/**
 * Where splitListItems (src/yaml/list-items.ts) finds a ResourceList's items, stated as
 * the text of each piece it returns, and every layout it must decline (the caller then
 * parses the whole list), each at the edge that tells it apart from one it follows.
 */
const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';

function pieces(text: string): {
  key: string;
  items: string[];
  rest: string;
  column: number;
  shallow: boolean[];
} {
  const split = splitListItems(text) as ListItems;
  expect(split).toBeDefined();
  expect(split.start).toBe(split.items[0].start);
  return {
    key: text.slice(split.key, split.start),
    items: split.items.map((item) => text.slice(item.start, item.end)),
    rest: text.slice(split.end),
    column: split.column,
    shallow: split.items.map((item) => item.shallow),
  };
}

describe('splitListItems: the pieces of a list it follows', () => {
  test('items at column 0 between other keys', () => {
    const text = `${HEAD}items:\n- a: 1\n  b:\n    c: 2\n- d: 3\nfunctionConfig:\n  x: 1\n`;
    expect(pieces(text)).toEqual({
      key: 'items:\n',
      items: ['- a: 1\n  b:\n    c: 2\n', '- d: 3\n'],
      rest: 'functionConfig:\n  x: 1\n',
      column: 0,
      shallow: [false, false],
    });
  });

  test('items at column 2, the list last, no final line break', () => {
    const text = `${HEAD}items:\n  - a: 1\n  - b: 2`;
    expect(pieces(text)).toEqual({
      key: 'items:\n',
      items: ['  - a: 1\n', '  - b: 2'],
      rest: '',
      column: 2,
      shallow: [false, false],
    });
  });

  test('a `- ` line left of the items column ends the list (the parser decides the rest)', () => {
    const text = `${HEAD}items:\n  - a: 1\n- b\n`;
    expect(pieces(text).items).toEqual(['  - a: 1\n']);
    expect(pieces(text).rest).toBe('- b\n');
  });

  test('one item, last in the text, without a final line break', () => {
    expect(pieces(`${HEAD}items:\n- a: 1`)).toEqual({
      key: 'items:\n',
      items: ['- a: 1'],
      rest: '',
      column: 0,
      shallow: [false],
    });
  });

  test('spaces after `items:`, and items first in the list', () => {
    const text = `items:   \n- a: 1\n${HEAD}`;
    expect(pieces(text)).toEqual({
      key: 'items:   \n',
      items: ['- a: 1\n'],
      rest: HEAD,
      column: 0,
      shallow: [false],
    });
  });

  test('blank lines and deeper comments inside an item', () => {
    const text = `${HEAD}items:\n- a: 1\n\n  # c\n     \n  b: 2\n- c: 3\n`;
    expect(pieces(text).items).toEqual(['- a: 1\n\n  # c\n     \n  b: 2\n', '- c: 3\n']);
    expect(pieces(text).shallow).toEqual([false, false]);
  });

  test('a line or comment left of the content (one column past the `-`) is shallow', () => {
    expect(pieces(`${HEAD}items:\n- a: |\n   x\n - y\n- b: 1\n`).shallow).toEqual([true, false]);
    expect(pieces(`${HEAD}items:\n- a: 1\n # c\n  b: 2\n- b: 1\n`).shallow).toEqual([true, false]);
    expect(pieces(`${HEAD}items:\n  - a: 1\n   # c\n    b: 2\n`).shallow).toEqual([true]);
  });

  test('lines at the content column are not shallow', () => {
    expect(pieces(`${HEAD}items:\n  - a: 1\n    # c\n    b: 2\n`).shallow).toEqual([false]);
  });

  test('the items key found after another key that ends in items', () => {
    const text = `${HEAD}myitems:\n- x\nitems:\n- a: 1\n`;
    expect(pieces(text).items).toEqual(['- a: 1\n']);
    expect(pieces(text).key).toBe('items:\n');
  });
});

describe('splitListItems: layouts it declines', () => {
  test.each([
    ['a byte order mark', `\uFEFF${HEAD}items:\n- a: 1\n`],
    ['a carriage return anywhere', `${HEAD}items:\n- a: "\r"\n`],
    ['a --- first', `---\n${HEAD}items:\n- a: 1\n`],
    ['a --- line later', `${HEAD}items:\n- a: 1\n---\n`],
    ['a ... line', `${HEAD}items:\n- a: 1\n...\n`],
    ['a directive first', `%YAML 1.2\n${HEAD}items:\n- a: 1\n`],
    ['a directive line later', `${HEAD}items:\n- a: 1\n%x\n`],
    ['no items key', `${HEAD}data:\n- a: 1\n`],
    ['an indented items key', `${HEAD}x:\n  items:\n  - a: 1\n`],
    ['a flow list', `${HEAD}items: []\n`],
    ['a comment after the key', `${HEAD}items: # c\n- a: 1\n`],
    ['no `- ` on the line after the key', `${HEAD}items:\nfunctionConfig: {}\n`],
    ['`-` then two spaces first', `${HEAD}items:\n-  a: 1\n`],
    ['`-` then two spaces later', `${HEAD}items:\n- a: 1\n-  b: 1\n`],
    ['`-` alone', `${HEAD}items:\n-\n  a: 1\n`],
    ['a tab line', `${HEAD}items:\n- a: 1\n\tb: 2\n`],
    ['a tab after spaces', `${HEAD}items:\n- a: 1\n  \tb: 2\n`],
    ['a comment at the items column', `${HEAD}items:\n- a: 1\n# c\n- b: 2\n`],
    ['a comment left of the items column', `${HEAD}items:\n  - a: 1\n # c\n  - b: 2\n`],
    ['a blank line between items', `${HEAD}items:\n- a: 1\n\n- b: 2\n`],
    ['a deeper comment last in an item', `${HEAD}items:\n- a: 1\n  # c\n- b: 2\n`],
    ['a blank line after the last item', `${HEAD}items:\n- a: 1\n\nfunctionConfig: {}\n`],
    ['a comment after the last item', `${HEAD}items:\n- a: 1\n  # c\nfunctionConfig: {}\n`],
    ['a comment last in the text', `${HEAD}items:\n- a: 1\n  # c\n`],
    ['a blank line last in the text', `${HEAD}items:\n- a: 1\n\n`],
    ['spaces last in the text', `${HEAD}items:\n- a: 1\n   `],
    ['a blank line before the first item', `${HEAD}items:\n\n- a: 1\n`],
    ['a comment at the items column inside an item', `${HEAD}items:\n- a: 1\n# c\n  b: 2\n`],
    [
      'a comment left of the items column inside an item',
      `${HEAD}items:\n  - a: 1\n # c\n    b: 2\n`,
    ],
  ])('%s', (_, text) => {
    expect(splitListItems(text)).toBeUndefined();
  });
});

describe('itemAsDocument', () => {
  test('the item without its `- ` and the indentation of its lines', () => {
    const text = `${HEAD}items:\n  - a: 1\n    b:\n      c: 2\n\n    d: 3\n  - e: 4\n`;
    const split = splitListItems(text)!;
    expect(itemAsDocument(text, split.items[0], split.column)).toBe('a: 1\nb:\n  c: 2\n\nd: 3\n');
    expect(itemAsDocument(text, split.items[1], split.column)).toBe('e: 4\n');
  });

  test('at column 0; and two lists with different columns in one run', () => {
    const zero = `${HEAD}items:\n- a: 1\n  b: 2\n`;
    const split = splitListItems(zero)!;
    expect(itemAsDocument(zero, split.items[0], 0)).toBe('a: 1\nb: 2\n');
    const four = `${HEAD}items:\n    - a: 1\n      b: 2\n`;
    const split4 = splitListItems(four)!;
    expect(itemAsDocument(four, split4.items[0], 4)).toBe('a: 1\nb: 2\n');
    expect(itemAsDocument(zero, split.items[0], 0)).toBe('a: 1\nb: 2\n');
  });

  test('deeper lines keep what is past the content column; a line without a break last', () => {
    const text = `${HEAD}items:\n  - a:\n        b: 1\n    c: |\n      x\n  - d: 2`;
    const split = splitListItems(text)!;
    expect(itemAsDocument(text, split.items[0], 2)).toBe('a:\n    b: 1\nc: |\n  x\n');
    expect(itemAsDocument(text, split.items[1], 2)).toBe('d: 2');
  });

  test('a shallow item is no document of its own', () => {
    const text = `${HEAD}items:\n- a: 1\n # c\n  b: 2\n`;
    const split = splitListItems(text)!;
    expect(itemAsDocument(text, split.items[0], 0)).toBeUndefined();
  });
});
