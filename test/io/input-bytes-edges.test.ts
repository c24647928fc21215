import * as fs from 'node:fs';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../src/errors';
import {
  decodeUtf8,
  firstInvalidUtf8,
  formatBytes,
  maxInputBytes,
  readBytes,
} from '../../src/io/input-bytes';

/**
 * src/io/input-bytes.ts where the operating system or the input's last bytes decide: what
 * is read (nothing of a file over the limit, no buffer larger than a file needs), the
 * answers of read(2) a test cannot provoke on demand (short reads, EAGAIN, an EOF error,
 * other errors), descriptors closed on every path, and where an invalid UTF-8 byte is on
 * the first or last line. Reads go to the real readSync unless a test says otherwise.
 */
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return {
    ...actual,
    readSync: jest.fn(actual.readSync),
    openSync: jest.fn(actual.openSync),
    closeSync: jest.fn(actual.closeSync),
  };
});

const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
const mocked = fs as jest.Mocked<typeof fs>;
const realRead = actual.readSync as (...args: unknown[]) => number;
const dir = mkdtempSync(join(tmpdir(), 'retarget-input-bytes-'));

beforeEach(() => {
  jest.clearAllMocks();
  mocked.readSync.mockImplementation(realRead as typeof fs.readSync);
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errno(code: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(code);
  error.code = code;
  return error;
}

function refusal(fn: () => unknown): { reason: string; location: unknown } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { reason: error.reason, location: error.location };
  }
  throw new Error('expected a SourceError');
}

/** The lengths each read(2) asked for. */
const asked = (): number[] =>
  mocked.readSync.mock.calls.map((call) => (call as unknown[])[3] as number);

/** Descriptors readBytes opened that it did not close (a count of /proc/self/fd would also
 * see the worker's own threads open and close theirs). */
function leftOpen(): number[] {
  const opened = mocked.openSync.mock.results.map((r) => r.value as number);
  const closed = new Set(mocked.closeSync.mock.calls.map(([fd]) => fd));
  return opened.filter((fd) => !closed.has(fd));
}

const LIMIT_TAIL = 'raise RETARGET_MAX_INPUT_BYTES (bytes)';

describe('what is read', () => {
  test('the default limit is 16 MiB', () => {
    expect(maxInputBytes({})).toBe(16 * 1024 * 1024);
    expect(formatBytes(maxInputBytes({}))).toBe('16 MiB');
  });

  test('a file over the limit is refused by its whole size, before a byte is read', () => {
    const path = file('two-mib', Buffer.alloc(2 * 1024 * 1024 + 1, 'x'));
    expect(refusal(() => readBytes(path, 'big.yaml', 1000))).toEqual({
      reason: `input is at least 2 MiB, over the 1000 bytes limit of one run; split the input, or ${LIMIT_TAIL}`,
      location: { path: 'big.yaml', code: 'INPUT_TOO_LARGE' },
    });
    expect(mocked.readSync).not.toHaveBeenCalled();
  });

  test('a file costs no buffer larger than its size and one byte, nor than 1 MiB', () => {
    expect(readBytes(file('ten', '0123456789'), 'ten.yaml', 100).toString()).toBe('0123456789');
    expect(asked().length).toBeGreaterThan(0);
    expect(Math.max(...asked())).toBeLessThanOrEqual(11);

    jest.clearAllMocks();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'y');
    expect(readBytes(file('big', big), 'big.yaml', big.length).equals(big)).toBe(true);
    expect(Math.max(...asked())).toBeLessThanOrEqual(1024 * 1024);
  });

  test('a stream over the limit with what was read before: "the inputs together"', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      expect(refusal(() => readBytes(fd, '<stdin>', 1000, 500))).toEqual({
        reason: `the inputs together are at least 1 MiB, over the 1000 bytes limit of one run; split the input, or ${LIMIT_TAIL}`,
        location: { path: '<stdin>', code: 'INPUT_TOO_LARGE' },
      });
    } finally {
      closeSync(fd);
    }
  });
});

describe('the answers of read(2)', () => {
  test('short reads: every byte arrives once, in order', () => {
    mocked.readSync.mockImplementation(((
      fd: number,
      buffer: Buffer,
      offset: number,
      length: number,
    ) => realRead(fd, buffer, offset, Math.min(length, 3), null)) as typeof fs.readSync);
    expect(readBytes(file('short', 'kind: Service\n'), 's.yaml', 100).toString()).toBe(
      'kind: Service\n',
    );
    expect(asked().length).toBeGreaterThan(5);
  });

  test('a descriptor that is not ready (EAGAIN) is waited on, and every byte arrives', () => {
    let refusals = 3;
    mocked.readSync.mockImplementation(((...args: unknown[]) => {
      if (refusals-- > 0) throw errno('EAGAIN');
      return realRead(...args);
    }) as typeof fs.readSync);
    expect(readBytes(file('eagain', 'a: 1\n'), 'e.yaml', 100).toString()).toBe('a: 1\n');
    expect(refusals).toBeLessThan(0);
  });

  test('an EOF error (pipes on Windows) ends the input with what was read', () => {
    let reads = 0;
    mocked.readSync.mockImplementation(((...args: unknown[]) => {
      if (reads++ > 0) throw errno('EOF');
      return realRead(...args);
    }) as typeof fs.readSync);
    expect(readBytes(file('eof', 'a: 1\n'), 'eof.yaml', 100).toString()).toBe('a: 1\n');
  });

  test('any other error is the caller’s to report, and the file is closed', () => {
    const path = file('eio', 'a: 1\n');
    const eio = errno('EIO');
    mocked.readSync.mockImplementation(() => {
      throw eio;
    });
    expect(() => readBytes(path, 'eio.yaml', 100)).toThrow(eio);
    expect(mocked.openSync).toHaveBeenCalledTimes(1);
    expect(leftOpen()).toEqual([]);
  });

  test('a file read, or refused, leaves no descriptor open', () => {
    const path = file('closed', '0123456789');
    readBytes(path, 'c.yaml', 100);
    refusal(() => readBytes(path, 'c.yaml', 5));
    expect(mocked.openSync).toHaveBeenCalledTimes(2);
    expect(leftOpen()).toEqual([]);
  });
});

describe('an invalid UTF-8 byte on the first or the last line', () => {
  test('on a last line with no line break after it', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: '), Buffer.from([0xe9])]);
    expect(refusal(() => decodeUtf8(bytes, 'last.yaml'))).toEqual({
      reason:
        'not UTF-8: invalid byte sequence starting with 0xE9 at byte offset 8; convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)',
      location: { path: 'last.yaml', line: 2, column: 4, code: 'NOT_UTF8' },
    });
  });

  test('after a line break that is the first byte', () => {
    expect(refusal(() => decodeUtf8(Buffer.from([0x0a, 0xe9]), 'n.yaml')).location).toEqual({
      path: 'n.yaml',
      line: 2,
      column: 1,
      code: 'NOT_UTF8',
    });
  });

  test('a UTF-16 byte order mark alone (an empty UTF-16 file) gets the hint', () => {
    expect(refusal(() => decodeUtf8(Buffer.from([0xff, 0xfe]), 'bom')).reason).toBe(
      'not UTF-8 (UTF-16?): invalid byte sequence starting with 0xFF at byte offset 0; convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)',
    );
  });

  test('continuation bytes in a row start no sequence', () => {
    expect(firstInvalidUtf8(Uint8Array.from([0x80, 0x80, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xbf, 0xbf, 0xbf, 0xbf]))).toBe(1);
  });
});
