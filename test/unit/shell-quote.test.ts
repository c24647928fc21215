import { spawnSync } from 'node:child_process';
import { shQuote, systemdQuote } from '../../src/shell/quote';

/**
 * The quoting every printed command and Dockerfile line relies on, checked by the shells
 * that read it: /bin/sh must get back exactly one word, the value itself.
 */
const HOSTILE = [
  'plain',
  '',
  "it's",
  "''",
  "'; rm -rf / #",
  '$(id) `id` ${HOME}',
  'a b\tc',
  'line\nbreak',
  '\\',
  '"double"',
  '*?[a]',
  '-n',
];

function shWords(script: string): string[] {
  // printf prints each argument NUL-terminated: the words exactly as sh split them.
  const r = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${script}`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('shQuote', () => {
  test.each(HOSTILE.map((v) => [JSON.stringify(v), v]))(
    '%s is one word for sh, unchanged',
    (_, value) => {
      expect(shWords(shQuote(value))).toEqual([value]);
    },
  );

  test('exact forms: wrapped in single quotes, a quote closed, escaped and reopened', () => {
    expect(shQuote('abc')).toBe("'abc'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
    expect(shQuote('')).toBe("''");
  });

  test('a NUL byte is refused (no shell word can hold it)', () => {
    expect(() => shQuote('a\0b')).toThrow('a NUL byte cannot be passed to a shell');
  });
});

describe('systemdQuote', () => {
  test('escapes backslash and double quote, nothing else', () => {
    expect(systemdQuote('plain')).toBe('"plain"');
    expect(systemdQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(systemdQuote("it's $x")).toBe('"it\'s $x"');
  });

  test.each([['a\0b'], ['a\nb'], ['a\rb']])('%j is refused', (value) => {
    expect(() => systemdQuote(value)).toThrow('systemd values cannot hold NUL or newlines');
  });
});
