import { Composer, isMap, isPair, isScalar, isSeq, Parser, parseDocument } from 'yaml';
import type { Schema } from 'yaml';
import { composeListItem, composeSimple } from '../../src/yaml/fast-compose';
import { AS_WRITTEN } from '../../src/yaml/document-stream';
import { agrees, agreesEverywhere, OPTIONS, slices } from '../support/compose-oracle';

/**
 * The edges of the subset src/yaml/fast-compose.ts composes from lines, one by one: each
 * document on the "composed" side must be composed (and is checked node by node against
 * the library, see test/support/compose-oracle.ts), each on the "declined" side must be
 * left to the library. A composer that declined more would only be slower, so the first
 * table is what catches it; one that accepted more would build what the library refuses
 * or reads otherwise.
 */
function composed(text: string): void {
  expect(agreesEverywhere(text)).toBe(slices(text).length);
}

function declined(text: string): void {
  expect(composeSimple(text, 0, text.length, OPTIONS)).toBeUndefined();
  if (!/[\t\r]/.test(text)) {
    expect(composeSimple(text, 0, text.length, OPTIONS, true)).toBeUndefined();
  }
}

describe('plain values: first, middle and last characters', () => {
  test.each([
    ['word characters', 'a: abc_09\n'],
    ['a value starting with each allowed sign', 'a: .x\nb: /x\nc: =x\nd: +x\ne: ~x\nf: _x\n'],
    ['inner signs', 'a: x:y\nb: x@y\nc: x,y\nd: x-y\ne: x~y\nf: x=y\ng: x+y\nh: x/y\ni: x.y\n'],
    ['last signs', 'a: x@\nb: x,\nc: x-\nd: x~\ne: x=\nf: x+\ng: x/\nh: x.\n'],
    ['one character of each', 'a: x\nb: .\nc: /\nd: =\ne: +\nf: ~\ng: _\nh: 0\n'],
    ['two characters', 'a: xy\nb: x.\nc: .x\n'],
    ['a URL', 'a: http://x.y/z\n'],
    ['an image reference', 'image: gcr.io/p/app@sha256:abc\n'],
  ])('composed: %s', (_, text) => composed(text));

  test.each([
    ['a value starting with -', 'a: -x\n'],
    ['a value starting with @', 'a: @x\n'],
    ['a value starting with :', 'a: :x\n'],
    ['a value starting with ,', 'a: ,x\n'],
    ['a value ending with :', 'a: x:\n'],
    ['a value with a space', 'a: x y\n'],
    ['a value with a #', 'a: x#y\n'],
    ['a value with a quote inside', 'a: x"y\n'],
    ['a value with a bracket', 'a: x]\n'],
    ['a value with a !', 'a: x!\n'],
    ['a value with a %', 'a: x%\n'],
  ])('declined: %s', (_, text) => declined(text));
});

describe('scalars the core schema reads as other types', () => {
  test.each([
    [
      'null, booleans and their near misses',
      'a: Null\nb: NULL\nc: nULL\nd: True\ne: TRUE\nf: tRUE\ng: False\nh: FALSE\ni: fALSE\nj: nope\nk: truth\nl: falsy\nm: n\nn: t\no: f\np: y\nq: Yes\nr: on\n',
    ],
    [
      'numbers',
      'a: 0\nb: 1.5\nc: 1e3\nd: 0o7\ne: 0x1f\nf: +1\ng: .5\nh: 1.\ni: .NaN\nj: .Inf\nk: 0b1\nl: 1_0\n',
    ],
    ['strings starting with other letters', 'a: abc\nb: Zed\nc: xyz\nd: M\n'],
  ])('composed: %s', (_, text) => composed(text));

  test('values that only look like numbers, and big numbers', () => {
    // The core schema reads `0o8` as a string; a big number stays a number.
    composed('a: 0o8\nb: 123456789012345678901234567890\n');
  });
});

describe('keys', () => {
  test.each([
    ['plain keys of every allowed character', 'aZ_09./-: 1\n_x: 2\nX: 3\n'],
    ['quoted keys', '"a b": 1\n\'c:d\': 2\n"": 3\n'],
    ['keys that only start like null or true', 'nullx: 1\ntruex: 2\nfalsex: 3\nnone: 4\n'],
    ['a quoted key that reads as a number', '"1": a\n\'true\': b\n'],
    ['keys with a value starting a list item', 'a:\n- b: 1\n  c: 2\n'],
  ])('composed: %s', (_, text) => composed(text));

  test.each([
    ['~', '~: 1\n'],
    ['null', 'null: 1\n'],
    ['Null', 'Null: 1\n'],
    ['NULL', 'NULL: 1\n'],
    ['true', 'true: 1\n'],
    ['True', 'True: 1\n'],
    ['TRUE', 'TRUE: 1\n'],
    ['false', 'false: 1\n'],
    ['False', 'False: 1\n'],
    ['FALSE', 'FALSE: 1\n'],
    ['a digit first', '1a: 1\n'],
    ['a dot first', '.a: 1\n'],
    ['a plus first', '+a: 1\n'],
    ['a minus first', '-a: 1\n'],
    ['an @ inside', 'a@b: 1\n'],
    ['a colon inside', 'a:b: 1\n'],
    ['a backslash in a double-quoted key', '"a\\b": 1\n'],
    ['an unclosed quoted key', '"a: 1\n'],
    ['a key with a space before the colon', 'a : 1\n'],
    ['a key and no space after the colon', 'a:1\n'],
    ['a key then a space at the end', 'a: \n'],
  ])('declined: a key %s', (_, text) => declined(text));
});

describe('repeated keys are the library error to report, in maps of every size', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: ${i}`);
  test.each([1, 2, 7, 8, 9, 10, 12])('a map of %d keys, each one repeated', (n) => {
    composed(`${keys(n).join('\n')}\n`);
    for (let repeated = 0; repeated < n; repeated++) {
      declined(`${keys(n).join('\n')}\nk${repeated}: again\n`);
      declined(
        `top:\n${keys(n)
          .map((line) => `  ${line}`)
          .join('\n')}\n  k${repeated}: again\n`,
      );
    }
  });

  test('a key after a wide map at another level is no repeat', () => {
    composed(`a:\n${Array.from({ length: 10 }, (_, i) => `  k${i}: ${i}`).join('\n')}\nk0: top\n`);
  });
});

describe('documents and lines', () => {
  test.each([
    ['--- then content', '---\na: 1\n'],
    ['a null last in a nested map', 'a:\n  b:\n'],
    ['a null before a deeper list at its column', 'a:\n  b:\n  - c\n'],
    ['markers after markers', 'a:\n- - - b\n    - c\n  - d\n- e\n'],
    ['a map after a marker, then its keys', 'a:\n- b: 1\n  c:\n    d: 2\n  e: 3\n'],
    ['flow values in a list', 'a:\n- {}\n- []\n- "x"\n- \'y\'\n'],
    ['a quoted value with the other quote inside', 'a: "it\'s"\nb: \'say "x"\'\n'],
    ['quoted values with a # and a colon', 'a: "x # y"\nb: \'x: y\'\n'],
    ['a one-space indentation', 'a:\n b:\n  c: 1\n'],
    ['a list at one space', 'a:\n - b\n'],
    ['head comments with spaces in them', '# a  b\n#\n# c\na: 1\n'],
    ['comments and blank lines after ---', '---\n#\n\n# x\n\na: 1\n'],
  ])('composed: %s', (_, text) => composed(text));

  test.each([
    ['--- then text on its line', '---x\na: 1\n'],
    ['--- alone, nothing after', '---'],
    ['--- then only a comment', '---\n# c'],
    ['comments only', '# c\n'],
    ['nothing', ''],
    ['blank lines only', '\n\n'],
    ['a value alone without a marker', 'a:\n  b\n'],
    ['a marker with nothing after it', 'a:\n- \n'],
    ['a marker without its space', 'a:\n-b\n'],
    ['a line deeper than its map', 'a: 1\n  b: 2\n'],
    ['a line between columns', 'a:\n    b: 1\n  c: 2\n'],
    ['a list item at a map column', 'a:\n  b: 1\n  - c\n'],
    ['a key at a list column', 'a:\n  - b\n  c: 1\n'],
    ['a second root', 'a: 1\n- b\n'],
    ['a root indented', '  a: 1\n'],
    ['a quoted value with a tab', 'a: "x\ty"\n'],
    ['a quoted value then more', 'a: "x" y\n'],
    ['a flow value then more', 'a: {} x\n'],
    ['an empty map with a space', 'a: { }\n'],
  ])('declined: %s', (_, text) => declined(text));

  test('a document read in place in a longer stream, at its offset', () => {
    const text = 'x: 1\n---\na: b\nc:\n- d\n---\ne: f\n';
    const [, second, third] = slices(text);
    expect(agrees(text, second[0], second[1])).toBe(true);
    expect(agrees(text, third[0], third[1])).toBe(true);
    const doc = composeSimple(text, second[0], second[1], OPTIONS, true)!;
    expect(doc.range).toEqual([second[0], second[1], second[1]]);
  });

  test('a tab or a carriage return in the slice: declined; outside it: no matter', () => {
    const text = 'a: 1\n---\nb: 2\n---\nc:\t3\n';
    const [first, second, third] = slices(text);
    expect(composeSimple(text, first[0], first[1], OPTIONS)).toBeDefined();
    expect(composeSimple(text, second[0], second[1], OPTIONS)).toBeDefined();
    expect(composeSimple(text, third[0], third[1], OPTIONS)).toBeUndefined();
    expect(composeSimple('a: 1\r\n', 0, 6, OPTIONS)).toBeUndefined();
  });
});

describe('options the composer leaves to the library', () => {
  test.each([
    ['YAML 1.1', { version: '1.1' as const }],
    ['the failsafe schema', { schema: 'failsafe' as const }],
    ['the JSON schema', { schema: 'json' as const }],
    ['custom tags', { customTags: [] }],
    ['string keys', { stringKeys: true }],
    ['source tokens kept', { keepSourceTokens: true }],
    ['compat warnings', { compat: 'yaml-1.1' as const }],
  ])('%s', (_, options) => {
    const text = 'a: 1\n';
    expect(composeSimple(text, 0, text.length, { ...OPTIONS, ...options })).toBeUndefined();
    expect(composeSimple(text, 0, text.length, OPTIONS)).toBeDefined();
  });

  test('uniqueKeys as given does not matter: the composer checks its own maps', () => {
    const doc = composeSimple('a: 1\n', 0, 5, { ...OPTIONS, uniqueKeys: true })!;
    expect(doc.options.uniqueKeys).toBe(false);
  });

  test('big integers as the options say', () => {
    const text = 'a: 12\n';
    const doc = composeSimple(text, 0, text.length, { ...OPTIONS, intAsBigInt: true })!;
    expect(
      (doc.contents as unknown as { items: { value: { value: unknown } }[] }).items[0].value.value,
    ).toBe(BigInt(12));
  });
});

describe('composeListItem', () => {
  function schemaOf(version?: '1.1'): Schema {
    return parseDocument('a: 1\n', version ? { version } : {}).schema;
  }

  function reference(text: string, start: number, end: number): unknown {
    const parser = new Parser();
    parser.offset = start;
    const docs = Array.from(
      new Composer({ uniqueKeys: false, ...AS_WRITTEN }).compose(
        parser.parse(text.slice(start, end)),
      ),
    );
    const seq = docs[0].contents;
    return isSeq(seq) ? seq.items[0] : undefined;
  }

  function flat(node: unknown): unknown {
    if (isPair(node)) return [flat(node.key), flat(node.value)];
    if (isMap(node) || isSeq(node)) {
      return { range: node.range, comment: node.commentBefore, items: node.items.map(flat) };
    }
    if (isScalar(node)) return { value: node.value, range: node.range, type: node.type };
    return node;
  }

  test.each([
    ['at column 0', 'items:\n- a: 1\n  b: 2\n', 7, 0],
    ['at column 2', 'items:\n  - a: 1\n    b:\n    - c\n', 7, 2],
    ['a comment after the marker', 'items:\n- # c\n  a: 1\n', 7, 0],
    ['comments after the marker and at the key column', 'items:\n- # c\n  # d\n  a: 1\n', 7, 0],
    ['a comment line then the key', 'items:\n  - # c\n    # d\n    a: 1\n', 7, 2],
  ])('composed as the library: %s', (_, text, start, column) => {
    const item = composeListItem(text, start, text.length, column, schemaOf());
    expect(item).toBeDefined();
    expect(flat(item)).toEqual(flat(reference(text, start, text.length)));
  });

  test.each([
    ['a comment with a trailing space', 'items:\n- # c \n  a: 1\n', 0],
    ['an empty comment', 'items:\n- #\n  a: 1\n', 0],
    ['a comment after the first key', 'items:\n- a: 1\n  # c\n  b: 2\n', 0],
    ['a blank line', 'items:\n- a: 1\n\n  b: 2\n', 0],
    ['a scalar item', 'items:\n- a\n', 0],
    ['a # after text left of the key column', 'items:\n- # c\nab# d\n  a: 1\n', 0],
    ['only a comment', 'items:\n- # c\n', 0],
    ['a comment left of the key column', 'items:\n  - # c\n   # d\n    a: 1\n', 2],
  ])('declined: %s', (_, text, column) => {
    expect(composeListItem(text, 7, text.length, column, schemaOf())).toBeUndefined();
  });

  test('a schema other than core, or core with compat warnings, is the library business', () => {
    const text = 'items:\n- a: 1\n';
    expect(composeListItem(text, 7, text.length, 0, schemaOf('1.1'))).toBeUndefined();
    const compat = parseDocument('a: 1\n', { compat: 'yaml-1.1' }).schema;
    expect(composeListItem(text, 7, text.length, 0, compat)).toBeUndefined();
    expect(composeListItem(text, 7, text.length, 0, schemaOf())).toBeDefined();
  });

  test('numbers of an item are no big integers', () => {
    const text = 'items:\n- a: 12\n';
    const item = composeListItem(text, 7, text.length, 0, schemaOf())!;
    expect((item.items[0].value as { value: unknown }).value).toBe(12);
  });
});
