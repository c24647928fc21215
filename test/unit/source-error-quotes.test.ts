import { parseAllDocuments } from 'yaml';
import { sourceErrorOf } from '../../src/yaml/source-error';

/**
 * Where an unclosed quote is reported (src/yaml/source-error.ts): at the quote that opens
 * the scalar that never ends, after every kind of quoted scalar that does end, on the
 * first line, after a leading empty line, after documents and flow collections.
 */
function located(text: string, withText = true) {
  const error = parseAllDocuments(text)
    .flatMap((d) => ('errors' in d ? d.errors : []))
    .at(0);
  if (!error) throw new Error('the text parsed');
  const e = sourceErrorOf(error, 'in.yaml', withText ? text : undefined);
  return { reason: e.reason, line: e.location.line, column: e.location.column };
}

const DOUBLE = 'Missing closing "quote: the double-quoted scalar that starts here never ends';
const SINGLE = "Missing closing 'quote: the single-quoted scalar that starts here never ends";

describe('an unclosed quote is located where it opens', () => {
  test.each([
    ['on the first line, no line break at all', 'a: "open', 1, 4, DOUBLE],
    ['after a leading empty line', '\na: "open\nb: 1\n', 2, 4, DOUBLE],
    ['after two empty lines', '\n\na: "open\n', 3, 4, DOUBLE],
    ['after an empty double-quoted scalar', 'a: ""\nb: "open\n', 2, 4, DOUBLE],
    ['after an empty single-quoted scalar', "a: ''\nb: 'open\n", 2, 4, SINGLE],
    ['after a one-character quoted scalar', 'a: "x"\nb: "open\n', 2, 4, DOUBLE],
    [
      'after a double-quoted scalar ending in an escaped backslash',
      'a: "x\\\\"\nb: "open\n',
      2,
      4,
      DOUBLE,
    ],
    ['after three backslashes then a quote inside', 'a: "x\\\\\\"y"\nb: "open\n', 2, 4, DOUBLE],
    ['after a single-quoted scalar ending in a backslash', "a: 'x\\'\nb: 'open\n", 2, 4, SINGLE],
    ['a single quote alone at the end', "a: 1\nb: '", 2, 4, SINGLE],
    ['a double quote alone at the end', 'a: 1\nb: "', 2, 4, DOUBLE],
    ['after a single-quoted scalar in a double-quoted error', "a: 'x'\nb: \"open\n", 2, 4, DOUBLE],
    ['after a double-quoted scalar in a single-quoted error', 'a: "x"\nb: \'open\n', 2, 4, SINGLE],
    ['in a second document', 'a: "x"\n---\nb: [c]\n---\nd: "open\n', 5, 4, DOUBLE],
    ['after a flow list', 'a: [x, "y"]\nb:   "open\n', 2, 6, DOUBLE],
    ['deeper in a line', 'a:\n  - b: c\n    d: "open\n', 3, 8, DOUBLE],
  ])('%s', (_, text, line, column, reason) => {
    expect(located(text)).toEqual({ reason, line, column });
  });

  test('after the mark of a flow collection closed by a dedent (the quote is the second error)', () => {
    const text = 'a: [b\nc: "open\n';
    const errors = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []));
    expect(errors.map((e) => e.code)).toEqual(['BAD_INDENT', 'MISSING_CHAR']);
    const e = sourceErrorOf(errors[1], 'in.yaml', text);
    expect([e.reason, e.location.line, e.location.column]).toEqual([DOUBLE, 2, 4]);
  });

  test('without the text: the reason alone, at the parser position', () => {
    const text = 'a: 1\nb: "open\nc: 2\n';
    const error = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []))[0];
    expect(located(text, false)).toEqual({
      reason: 'Missing closing "quote',
      line: error.linePos?.[0].line,
      column: error.linePos?.[0].col,
    });
  });

  test('another error, with and without the text: located where the parser says', () => {
    const text = 'a: 1\n  b: 2\n';
    const error = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []))[0];
    const expected = { line: error.linePos?.[0].line, column: error.linePos?.[0].col };
    expect(located(text)).toMatchObject(expected);
    expect(located(text, false)).toMatchObject(expected);
    expect(located(text).reason).toBe(error.message.slice(0, error.message.indexOf(' at line ')));
  });
});
