import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError, UsageError } from '../../src/errors';
import {
  checkStructure,
  decodeUtf8,
  DEFAULT_MAX_INPUT_BYTES,
  DEFAULT_MAX_NODES,
  firstInvalidUtf8,
  formatBytes,
  MAX_NODES_ENV,
  maxInputBytes,
  maxNodes,
  readBytes,
  structureMarks,
} from '../../src/io/input-bytes';

/**
 * The bounds of one run's input (src/io/input-bytes.ts) at each edge: the size and
 * structure limits and their settings, UTF-8 validity byte by byte (RFC 3629, table 3-7
 * of the Unicode standard), and the exact located messages.
 */
function located(fn: () => unknown): { reason: string; location: unknown } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { reason: error.reason, location: error.location };
  }
  throw new Error('expected a SourceError');
}

describe('settings', () => {
  test.each([
    [undefined, DEFAULT_MAX_INPUT_BYTES],
    ['', DEFAULT_MAX_INPUT_BYTES],
    ['0', 0],
    [' 4096 ', 4096],
    ['999999999999999', 999999999999999],
  ])('RETARGET_MAX_INPUT_BYTES=%j is %d', (raw, bytes) => {
    expect(maxInputBytes(raw === undefined ? {} : { RETARGET_MAX_INPUT_BYTES: raw })).toBe(bytes);
  });

  test.each(['1e6', '-1', '4 096', '1000000000000000', '12MiB'])(
    'RETARGET_MAX_INPUT_BYTES=%j is a usage error',
    (raw) => {
      expect(() => maxInputBytes({ RETARGET_MAX_INPUT_BYTES: raw })).toThrow(
        new UsageError(
          `RETARGET_MAX_INPUT_BYTES must be a number of bytes, not ${JSON.stringify(raw)}`,
        ),
      );
    },
  );

  test('RETARGET_MAX_NODES likewise', () => {
    expect(maxNodes({})).toBe(DEFAULT_MAX_NODES);
    expect(maxNodes({ RETARGET_MAX_NODES: '' })).toBe(600_000);
    expect(maxNodes({ RETARGET_MAX_NODES: ' 12 ' })).toBe(12);
    expect(() => maxNodes({ RETARGET_MAX_NODES: 'x1' })).toThrow(
      new UsageError('RETARGET_MAX_NODES must be a number, not "x1"'),
    );
    expect(() => maxNodes({ RETARGET_MAX_NODES: '1234567890123456' })).toThrow(UsageError);
  });

  test.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1024 KiB'],
    [1024 * 1024, '1 MiB'],
    [16 * 1024 * 1024 + 104858, '16.1 MiB'],
  ])('formatBytes(%d) is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});

describe('readBytes', () => {
  const d = mkdtempSync(join(tmpdir(), 'retarget-bytes-'));

  test('a file at the limit is read whole; one byte over is refused by its size', () => {
    writeFileSync(join(d, 'ten'), '0123456789');
    expect(readBytes(join(d, 'ten'), 'ten.yaml', 10).toString()).toBe('0123456789');
    expect(located(() => readBytes(join(d, 'ten'), 'ten.yaml', 9))).toEqual({
      reason:
        'input is at least 10 bytes, over the 9 bytes limit of one run; split the input, or raise RETARGET_MAX_INPUT_BYTES (bytes)',
      location: { path: 'ten.yaml', code: 'INPUT_TOO_LARGE' },
    });
  });

  test('with what was read before: "the inputs together"', () => {
    expect(readBytes(join(d, 'ten'), 'ten.yaml', 15, 5)).toHaveLength(10);
    expect(located(() => readBytes(join(d, 'ten'), 'ten.yaml', 15, 6)).reason).toBe(
      'the inputs together are at least 16 bytes, over the 15 bytes limit of one run; split the input, or raise RETARGET_MAX_INPUT_BYTES (bytes)',
    );
  });

  test('an empty file, and a file larger than one read', () => {
    writeFileSync(join(d, 'empty'), '');
    expect(readBytes(join(d, 'empty'), 'e', 10)).toEqual(Buffer.alloc(0));
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'y');
    writeFileSync(join(d, 'big'), big);
    expect(readBytes(join(d, 'big'), 'big', big.length).equals(big)).toBe(true);
  });

  test('a stream with no size (a FIFO, a device) is cut off as soon as it passes the limit', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      expect(located(() => readBytes(fd, '<stdin>', 1000)).reason).toBe(
        'input is at least 1 MiB, over the 1000 bytes limit of one run; split the input, or raise RETARGET_MAX_INPUT_BYTES (bytes)',
      );
    } finally {
      closeSync(fd);
    }
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer that sends 5 bytes and closes; the reader reads them to the end.
    const writer = spawn('sh', ['-c', `printf 'a: 1\\n' > ${fifo}`], { stdio: 'ignore' });
    expect(readBytes(fifo, 'fifo', 5).toString()).toBe('a: 1\n');
    writer.kill();
  });
});

describe('UTF-8, byte by byte', () => {
  const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from([0x41, ...bytes]));

  test.each([
    ['ASCII up to 0x7F', [0x7f]],
    ['2 bytes from C2 80', [0xc2, 0x80]],
    ['2 bytes up to DF BF', [0xdf, 0xbf]],
    ['E0: second byte from A0', [0xe0, 0xa0, 0x80]],
    ['E1 to EC: 80 to BF', [0xe1, 0x80, 0xbf]],
    ['ED: second byte up to 9F', [0xed, 0x9f, 0xbf]],
    ['EE, EF: 80 to BF', [0xef, 0xbf, 0xbf]],
    ['F0: second byte from 90', [0xf0, 0x90, 0x80, 0x80]],
    ['F1 to F3', [0xf3, 0xbf, 0xbf, 0xbf]],
    ['F4: second byte up to 8F', [0xf4, 0x8f, 0xbf, 0xbf]],
  ])('valid: %s', (_, bytes) => {
    expect(at(...bytes)).toBe(-1);
    // And whatever follows is checked from the right place.
    expect(at(...bytes, 0x80)).toBe(1 + bytes.length);
  });

  test.each([
    ['a lone continuation byte 80', [0x80]],
    ['a lone BF', [0xbf]],
    ['C0, C1: overlong', [0xc1, 0xbf]],
    ['C2 with ASCII after', [0xc2, 0x7f]],
    ['C2 with C0 after', [0xc2, 0xc0]],
    ['C2 at the end', [0xc2]],
    ['E0 9F: overlong', [0xe0, 0x9f, 0x80]],
    ['E1 with a short tail', [0xe1, 0x80]],
    ['E1, third byte C0', [0xe1, 0x80, 0xc0]],
    ['ED A0: a surrogate', [0xed, 0xa0, 0x80]],
    ['F0 8F: overlong', [0xf0, 0x8f, 0xbf, 0xbf]],
    ['F4 90: past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['F4, fourth byte missing', [0xf4, 0x8f, 0xbf]],
    ['F5', [0xf5, 0x80, 0x80, 0x80]],
    ['FF', [0xff]],
  ])('invalid at its first byte: %s', (_, bytes) => {
    expect(at(...bytes)).toBe(1);
  });

  test('the message: line, column, offset, the byte, and a UTF-16 hint for a BOM', () => {
    const text = Buffer.concat([Buffer.from('a: 1\nb: 2\nc: é'), Buffer.from([0xe9, 0x0a])]);
    expect(located(() => decodeUtf8(text, 'x.yaml'))).toEqual({
      reason:
        'not UTF-8: invalid byte sequence starting with 0xE9 at byte offset 15; convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)',
      location: { path: 'x.yaml', line: 3, column: 6, code: 'NOT_UTF8' }, // columns count bytes
    });
    expect(located(() => decodeUtf8(Buffer.from([0xb0, 0x0a]), 'y')).location).toEqual({
      path: 'y',
      line: 1,
      column: 1,
      code: 'NOT_UTF8',
    });
    for (const bom of [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ])
      expect(located(() => decodeUtf8(Buffer.from([...bom, 0x61, 0x00]), 'u16')).reason).toBe(
        `not UTF-8 (UTF-16?): invalid byte sequence starting with 0x${bom[0].toString(16).toUpperCase()} at byte offset 0; convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)`,
      );
    expect(located(() => decodeUtf8(Buffer.from([0xff]), 'one')).reason).toMatch(/^not UTF-8: /);
    expect(decodeUtf8(Buffer.from('ok ✓\n'), 'ok')).toBe('ok ✓\n');
  });
});

describe('structure', () => {
  test.each([
    ['', 0],
    ['a', 0],
    ['\n', 1],
    [',', 1],
    ['[', 1],
    ['{', 1],
    [']}', 0],
    ['a: b', 1],
    ['a:b', 0],
    ['a:', 1],
    ['-', 1],
    ['- a', 1],
    ['-a', 0],
    ['a:\tb', 1],
    ['a:\r\n', 2],
    ['- a\n- b\n', 4],
    ['{a: [1, 2]}', 4],
  ])('%j has %d marks', (text, marks) => {
    expect(structureMarks(text)).toBe(marks);
  });

  test('over the limit is a located error before parsing; at it is fine', () => {
    const before = process.env[MAX_NODES_ENV];
    process.env[MAX_NODES_ENV] = '4';
    try {
      expect(checkStructure('- a\n- b\n', 'l.yaml')).toBe(4);
      expect(located(() => checkStructure('- a\n- b\n-', 'l.yaml'))).toEqual({
        reason:
          'input has about 5 YAML nodes, over the limit of 4 for one run (memory grows with nodes, not bytes); split the input, or raise RETARGET_MAX_NODES',
        location: { path: 'l.yaml', code: 'INPUT_TOO_LARGE' },
      });
      expect(checkStructure('- a\n', 'l.yaml', 2)).toBe(2);
      expect(located(() => checkStructure('- a\n', 'l.yaml', 3)).reason).toBe(
        'the inputs together have about 5 YAML nodes, over the limit of 4 for one run (memory grows with nodes, not bytes); split the input, or raise RETARGET_MAX_NODES',
      );
    } finally {
      if (before === undefined) delete process.env[MAX_NODES_ENV];
      else process.env[MAX_NODES_ENV] = before;
    }
  });
});
