import * as fs from 'node:fs';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushStdout, processIo, writeAll } from '../../src/cli/io';
import { SourceError } from '../../src/errors';

/**
 * What the command line does with the answers of the operating system that a test cannot
 * provoke on demand: a non-blocking descriptor that is not ready (EAGAIN), short writes, a
 * sync the file system cannot do, an error without a code. The calls go to the real
 * functions of node:fs unless a test says otherwise; the process's own descriptors 0, 1
 * and 2 are redirected to files, so processIo is tested on what it really reads and writes.
 */
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return {
    ...actual,
    writeSync: jest.fn(actual.writeSync),
    fdatasyncSync: jest.fn(actual.fdatasyncSync),
    fstatSync: jest.fn(actual.fstatSync),
    readSync: jest.fn(actual.readSync),
  };
});

const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
const mocked = fs as jest.Mocked<typeof fs>;
const dir = mkdtempSync(join(tmpdir(), 'retarget-cli-io-os-'));
afterAll(() => actual.rmSync(dir, { recursive: true, force: true }));

function errno(code: string | undefined): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(code ?? 'no code');
  if (code) error.code = code;
  return error;
}

function thrown(fn: () => void): SourceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

/** Descriptors 0, 1 and 2 of this process as the code under test sees them. */
const redirect = new Map<number, number>();
const to = (fd: number): number => redirect.get(fd) ?? fd;

beforeEach(() => {
  jest.clearAllMocks();
  redirect.clear();
  mocked.writeSync.mockImplementation(((fd: number, ...rest: unknown[]) =>
    (actual.writeSync as (...args: unknown[]) => number)(to(fd), ...rest)) as typeof fs.writeSync);
  mocked.fstatSync.mockImplementation(((fd: number, ...rest: unknown[]) =>
    (actual.fstatSync as (...args: unknown[]) => fs.Stats)(
      to(fd),
      ...rest,
    )) as typeof fs.fstatSync);
  mocked.readSync.mockImplementation(((fd: number, ...rest: unknown[]) =>
    (actual.readSync as (...args: unknown[]) => number)(to(fd), ...rest)) as typeof fs.readSync);
  mocked.fdatasyncSync.mockImplementation((fd) => actual.fdatasyncSync(to(fd)));
});

function fileFd(name: string, content = ''): number {
  const path = join(dir, name);
  writeFileSync(path, content);
  return openSync(path, 'r+');
}

describe('writeAll and the answers of write(2)', () => {
  test('a descriptor that is not ready (EAGAIN) is waited on, and every byte still arrives', () => {
    const fd = fileFd('eagain.txt');
    let refusals = 3;
    mocked.writeSync.mockImplementation(((f: number, ...rest: unknown[]) => {
      if (refusals-- > 0) throw errno('EAGAIN');
      return (actual.writeSync as (...args: unknown[]) => number)(f, ...rest);
    }) as typeof fs.writeSync);
    writeAll(fd, 'kind: Service\n', '<stdout>');
    closeSync(fd);
    expect(mocked.writeSync).toHaveBeenCalledTimes(4);
    expect(readFileSync(join(dir, 'eagain.txt'), 'utf8')).toBe('kind: Service\n');
  });

  test('short writes are continued from where they stopped', () => {
    const fd = fileFd('short.txt');
    const calls: Array<[number, number]> = [];
    mocked.writeSync.mockImplementation(((
      f: number,
      buffer: Buffer,
      offset: number,
      length: number,
    ) => {
      calls.push([offset, length]);
      return actual.writeSync(f, buffer, offset, Math.min(length, 4));
    }) as typeof fs.writeSync);
    writeAll(fd, 'apiVersion: v1\n', 'out.yaml');
    closeSync(fd);
    expect(readFileSync(join(dir, 'short.txt'), 'utf8')).toBe('apiVersion: v1\n');
    expect(calls).toEqual([
      [0, 15],
      [4, 11],
      [8, 7],
      [12, 3],
    ]);
  });

  test('an error after a partial write says how much of the output was written', () => {
    const fd = fileFd('partial.txt');
    let first = true;
    mocked.writeSync.mockImplementation(((f: number, buffer: Buffer, offset: number) => {
      if (!first) throw errno('EIO');
      first = false;
      return actual.writeSync(f, buffer, offset, 6);
    }) as typeof fs.writeSync);
    const error = thrown(() => writeAll(fd, 'kind: Pod\n', 'out.yaml'));
    closeSync(fd);
    expect(error.message).toBe(
      'out.yaml: cannot write (EIO): the output is incomplete (6 of 10 bytes written)',
    );
    expect(error.location).toEqual({ path: 'out.yaml', code: 'OUTPUT_FAILED' });
  });

  test('an error without a code is still a located error', () => {
    mocked.writeSync.mockImplementation(() => {
      throw errno(undefined);
    });
    const error = thrown(() => writeAll(99, 'x', '<stdout>'));
    expect(error.message).toBe(
      '<stdout>: cannot write (error): the output is incomplete (0 of 1 bytes written)',
    );
  });
});

describe('flushStdout and the answers of fdatasync(2)', () => {
  test.each(['EINVAL', 'ENOTSUP', 'EROFS'])(
    'a file system that cannot sync (%s) has nothing pending: not an error',
    (code) => {
      const fd = fileFd(`sync-${code}.txt`, 'abc');
      mocked.fdatasyncSync.mockImplementation(() => {
        throw errno(code);
      });
      expect(() => flushStdout(fd)).not.toThrow();
      expect(mocked.fdatasyncSync).toHaveBeenLastCalledWith(fd);
      closeSync(fd);
    },
  );

  test.each([
    ['EIO', 'cannot write (EIO): the output is incomplete'],
    ['ENOSPC', 'cannot write (ENOSPC): the output is incomplete'],
    ['EDQUOT', 'cannot write (EDQUOT): the output is incomplete'],
    [undefined, 'cannot write (error): the output is incomplete'],
  ])('a late write error (%s) reported by the sync fails the run', (code, reason) => {
    const fd = fileFd(`late-${code ?? 'none'}.txt`, 'abc');
    mocked.fdatasyncSync.mockImplementation(() => {
      throw errno(code);
    });
    const error = thrown(() => flushStdout(fd));
    closeSync(fd);
    expect(error.reason).toBe(reason);
    expect(error.location).toEqual({ path: '<stdout>', code: 'OUTPUT_FAILED' });
  });

  test('a device or a pipe is not synced: nothing to sync there', () => {
    mocked.fdatasyncSync.mockImplementation(() => {
      throw errno('EIO');
    });
    const full = openSync('/dev/full', 'w');
    expect(() => flushStdout(full)).not.toThrow();
    closeSync(full);
    expect(mocked.fdatasyncSync).not.toHaveBeenCalledWith(full);
  });

  test('without an argument it flushes descriptor 1', () => {
    const fd = fileFd('stdout-flush.txt', 'abc');
    redirect.set(1, fd);
    mocked.fdatasyncSync.mockImplementation(() => {
      throw errno('EIO');
    });
    expect(thrown(() => flushStdout()).reason).toBe('cannot write (EIO): the output is incomplete');
    closeSync(fd);
  });
});

describe('processIo: the process end of the command line', () => {
  test('stdout is descriptor 1, complete or a located failure', () => {
    const fd = fileFd('stdout.txt');
    redirect.set(1, fd);
    processIo.stdout('kind: Pod\n');
    processIo.stdout('---\n');
    expect(readFileSync(join(dir, 'stdout.txt'), 'utf8')).toBe('kind: Pod\n---\n');
    closeSync(fd);
    const full = openSync('/dev/full', 'w');
    redirect.set(1, full);
    const error = thrown(() => processIo.stdout('kind: Pod\n'));
    closeSync(full);
    expect(error.location).toEqual({ path: '<stdout>', code: 'OUTPUT_FAILED' });
  });

  test('stderr is descriptor 2; a failure to write it is not thrown (nowhere left to say it)', () => {
    const fd = fileFd('stderr.txt');
    redirect.set(2, fd);
    processIo.stderr('error: x\n');
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('error: x\n');
    closeSync(fd);
    const full = openSync('/dev/full', 'w');
    redirect.set(2, full);
    expect(() => processIo.stderr('error: x\n')).not.toThrow();
    closeSync(full);
    expect(mocked.writeSync).toHaveBeenLastCalledWith(2, expect.any(Buffer), 0, 9);
  });

  test('stdin is descriptor 0, read whole, within the budget of the run, labelled <stdin>', () => {
    const fd = fileFd('stdin.yaml', 'kind: Pod\n');
    redirect.set(0, fd);
    expect(processIo.readStdin()).toBe('kind: Pod\n');
    closeSync(fd);
    const again = fileFd('stdin2.yaml', 'kind: Pod\n');
    redirect.set(0, again);
    const error = thrown(() => processIo.readStdin(15, 8));
    closeSync(again);
    expect(error.location).toEqual({ path: '<stdin>', code: 'INPUT_TOO_LARGE' });
    expect(error.reason).toMatch(
      /^the inputs together are at least 18 bytes, over the 15 bytes limit of one run/,
    );
  });
});
