import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokenPipe, BROKEN_PIPE_STATUS, flushStdout, writeAll } from '../../src/cli/io';
import { SourceError } from '../../src/errors';

/**
 * How the command line writes its output (src/cli/io.ts): all of it or a located
 * failure, never a silent short output. Real descriptors: a file, /dev/full, a pipe
 * with no reader.
 */
const dir = mkdtempSync(join(tmpdir(), 'retarget-cli-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The largest descriptor number node accepts; no process has that many files open. */
const NOT_OPEN = 2 ** 31 - 1;

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('nothing thrown');
}

describe('writeAll', () => {
  test('every byte reaches the file, multi-byte characters included', () => {
    const path = join(dir, 'out.txt');
    const fd = openSync(path, 'w');
    const text = `${'é€𝄞 '.repeat(50_000)}\n`;
    writeAll(fd, text, 'out.txt');
    writeAll(fd, '', 'out.txt');
    writeAll(fd, 'tail', 'out.txt');
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe(`${text}tail`);
  });

  test('a full disk is a located error saying how much was written', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const error = thrown(() => writeAll(fd, 'kind: Pod\n', '<stdout>'));
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).reason).toBe(
        'cannot write (ENOSPC): the output is incomplete (0 of 10 bytes written)',
      );
      expect((error as SourceError).location).toEqual({ path: '<stdout>', code: 'OUTPUT_FAILED' });
    } finally {
      closeSync(fd);
    }
  });

  test('a pipe whose reader went away is a broken pipe, not an error to report', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    closeSync(reader);
    try {
      const error = thrown(() => writeAll(writer, 'x', '<stdout>'));
      expect(error).toBeInstanceOf(BrokenPipe);
      expect((error as Error).message).toBe('stdout: broken pipe');
      expect((error as Error).name).toBe('BrokenPipe');
    } finally {
      closeSync(writer);
    }
    expect(BROKEN_PIPE_STATUS).toBe(128 + 13);
  });

  test('a closed descriptor is a located error too', () => {
    // Not a descriptor this test closed: its number could be reused by an open elsewhere in the
    // worker (the thread pool) before the write, which would then succeed into that file.
    const fd = NOT_OPEN;
    const error = thrown(() => writeAll(fd, 'abc', 'closed.txt')) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.reason).toBe(
      'cannot write (EBADF): the output is incomplete (0 of 3 bytes written)',
    );
    expect(error.location).toEqual({ path: 'closed.txt', code: 'OUTPUT_FAILED' });
    expect(error.message).toBe(
      'closed.txt: cannot write (EBADF): the output is incomplete (0 of 3 bytes written)',
    );
  });
});

describe('flushStdout', () => {
  test('a file is synced; a device or a closed descriptor is left alone', () => {
    const fd = openSync(join(dir, 'flush.txt'), 'w');
    writeAll(fd, 'abc', 'flush.txt');
    expect(() => flushStdout(fd)).not.toThrow();
    closeSync(fd);
    expect(() => flushStdout(NOT_OPEN)).not.toThrow(); // closed: nothing was written to it
    const full = openSync('/dev/full', 'w');
    expect(() => flushStdout(full)).not.toThrow(); // not a file: nothing to sync
    closeSync(full);
    expect(readFileSync(join(dir, 'flush.txt'), 'utf8')).toBe('abc');
  });
});
