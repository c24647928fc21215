import {
  ConfigError,
  cut,
  formatLocation,
  MESSAGE_MAX,
  printable,
  quoted,
  SourceError,
  UsageError,
} from '../../src/errors';

/** The exact text of every located error and of what makes a message printable. */
describe('errors: where a problem is, and how it reads', () => {
  test.each([
    [{}, '<stdin>'],
    [{ path: 'a.yaml' }, 'a.yaml'],
    [{ path: 'a.yaml', line: 3 }, 'a.yaml:3'],
    [{ path: 'a.yaml', line: 3, column: 7 }, 'a.yaml:3:7'],
    // A column without a line says nothing a reader can find: left out.
    [{ path: 'a.yaml', column: 7 }, 'a.yaml'],
    [{ line: 0, column: 0 }, '<stdin>:0:0'],
    [{ path: '', line: 1 }, ':1'],
  ])('formatLocation(%j) is %s', (loc, text) => {
    expect(formatLocation(loc)).toBe(text);
  });

  test('SourceError, ConfigError and UsageError: their names, messages and fields', () => {
    const source = new SourceError('duplicate key', { path: 'spec.yaml', line: 4, column: 2 });
    expect(source.message).toBe('spec.yaml:4:2: duplicate key');
    expect(source.name).toBe('SourceError');
    expect(source.reason).toBe('duplicate key');
    expect(source.location).toEqual({ path: 'spec.yaml', line: 4, column: 2 });
    expect(source).toBeInstanceOf(Error);

    const config = new ConfigError([
      { field: 'fsGroup', message: 'must be an integer' },
      { field: 'selector.names', message: 'must be an array' },
    ]);
    expect(config.message).toBe('fsGroup: must be an integer; selector.names: must be an array');
    expect(config.name).toBe('ConfigError');
    expect(config.location).toEqual({});
    expect(new ConfigError([], { path: 'c.yaml' }).location).toEqual({ path: 'c.yaml' });

    const usage = new UsageError('unknown option --x', 'retarget hydrate');
    expect(usage.message).toBe('unknown option --x');
    expect(usage.name).toBe('UsageError');
    expect(usage.command).toBe('retarget hydrate');
  });

  test.each([
    ['a\nb', 'a\\nb'],
    ['a\rb', 'a\\rb'],
    ['a\tb', 'a\\tb'],
    ['\u0000', '\\x00'],
    ['\u0001', '\\x01'],
    ['\u001b[2J', '\\x1b[2J'],
    ['\u007f', '\\x7f'],
    ['\u0085', '\\x85'],
    ['\u009f', '\\x9f'],
    // The first characters past C1 are printable.
    ['\u00a0\u00ff\u0100', '\u00a0\u00ff\u0100'],
    ['\u061c', '\\u061c'],
    ['\u200e\u200f', '\\u200e\\u200f'],
    ['\u2028\u2029', '\\u2028\\u2029'],
    ['\u202a\u202e', '\\u202a\\u202e'],
    ['\u2066\u2069', '\\u2066\\u2069'],
    ['plain text: 日本語 🐳 ~', 'plain text: 日本語 🐳 ~'],
  ])('printable(%j) is %j', (text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  test('newlines are kept only when asked; the other controls are escaped either way', () => {
    expect(printable('usage\n  line\r\t\u001b', true)).toBe('usage\n  line\\r\\t\\x1b');
    expect(printable('one\ntwo', false)).toBe('one\\ntwo');
  });

  test('cut keeps up to max characters and counts the rest', () => {
    expect(cut('abcd', 4)).toBe('abcd');
    expect(cut('abcde', 4)).toBe('abcd… (1 more characters)');
    expect(cut('abc', 4)).toBe('abc');
    expect(cut('x'.repeat(MESSAGE_MAX + 3), MESSAGE_MAX)).toBe(
      `${'x'.repeat(MESSAGE_MAX)}… (3 more characters)`,
    );
    expect(MESSAGE_MAX).toBe(2000);
  });

  test('quoted is JSON, cut at 60 characters unless told', () => {
    expect(quoted('a')).toBe('"a"');
    expect(quoted(12)).toBe('12');
    expect(quoted({ k: [1] })).toBe('{"k":[1]}');
    expect(quoted(undefined)).toBe('undefined');
    expect(quoted('y'.repeat(70))).toBe(`"${'y'.repeat(59)}… (12 more characters)`);
    expect(quoted('y'.repeat(10), 5)).toBe('"yyyy… (7 more characters)');
  });
});
