import { parseAllDocuments } from 'yaml';
import { sourceErrorOf } from '../../src/yaml/source-error';

/**
 * The yaml parser's errors as the user reads them (src/yaml/source-error.ts): the reason
 * without the parser's excerpt, at the line and column where the problem is.
 */
function firstError(text: string, path = 'spec.yaml') {
  const error = parseAllDocuments(text)
    .flatMap((d) => ('errors' in d ? d.errors : []))
    .at(0);
  if (!error) throw new Error('the text parsed');
  const e = sourceErrorOf(error, path, text);
  return { reason: e.reason, ...e.location };
}

describe('sourceErrorOf', () => {
  test('a duplicate key: the reason alone, at the key', () => {
    expect(firstError('kind: Pod\nmetadata:\n  name: a\n  name: b\n')).toEqual({
      reason: 'Map keys must be unique',
      path: 'spec.yaml',
      line: 4,
      column: 3,
      code: 'DUPLICATE_KEY',
    });
  });

  test('an unclosed double quote is located where it opens, not at the end', () => {
    const text = 'a: 1\nb: "open\nc: 2\nd: 3\n';
    expect(firstError(text)).toEqual({
      reason: 'Missing closing "quote: the double-quoted scalar that starts here never ends',
      path: 'spec.yaml',
      line: 2,
      column: 4,
      code: 'MISSING_CHAR',
    });
  });

  test('an unclosed single quote too, after quotes that close (escaped ones included)', () => {
    const text = `a: 'it''s'\nb: "say \\"hi\\""\nc: "\\\\"\nd: 'never\ne: 1\n`;
    expect(firstError(text)).toEqual({
      reason: "Missing closing 'quote: the single-quoted scalar that starts here never ends",
      path: 'spec.yaml',
      line: 4,
      column: 4,
      code: 'MISSING_CHAR',
    });
  });

  test('without the text, the parser own position is kept', () => {
    const text = 'a: 1\nb: "open\nc: 2\n';
    const error = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []))[0];
    const e = sourceErrorOf(error, 'x.yaml');
    expect(e.reason).toBe('Missing closing "quote');
    expect(e.location.path).toBe('x.yaml');
    expect(e.location.line).toBe(error.linePos?.[0].line);
    expect(e.location.line).not.toBe(2);
  });

  test('the parser running out of stack is said in words', () => {
    const fake = Object.assign(new Error('Maximum call stack size exceeded at line 3, column 1'), {
      code: 'BAD_INDENT',
      linePos: [{ line: 3, col: 1 }],
      name: 'YAMLParseError',
      pos: [0, 1],
    });
    const e = sourceErrorOf(fake as never, 'deep.yaml');
    expect(e.reason).toBe('nested too deeply to parse (the parser ran out of stack here)');
    expect(e.location).toEqual({ path: 'deep.yaml', line: 3, column: 1, code: 'BAD_INDENT' });
  });

  test('a message with no " at line " keeps its first line only', () => {
    const fake = Object.assign(new Error('Something odd\nexcerpt\n  ^'), {
      code: 'IMPOSSIBLE',
      name: 'YAMLParseError',
      pos: [0, 1],
    });
    const e = sourceErrorOf(fake as never, 'odd.yaml');
    expect(e.reason).toBe('Something odd');
    expect(e.location).toEqual({
      path: 'odd.yaml',
      line: undefined,
      column: undefined,
      code: 'IMPOSSIBLE',
    });
  });
});
