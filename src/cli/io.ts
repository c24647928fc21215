import { fdatasyncSync, fstatSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { SourceError } from '../errors';
import { readText } from '../io/files';

/** Where a command's output goes; main() binds these to the process, tests to buffers. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The whole of stdin, checked as every input is (`readText`): within `limit` bytes, of
   * which `alreadyRead` went to earlier inputs of the same run.
   */
  readStdin(limit?: number, alreadyRead?: number): string;
  /** Called once the command has written everything (the process syncs a stdout file). */
  flush?(): void;
}

/**
 * The reader of stdout went away (`retarget … | head`). Unix tools die of SIGPIPE without
 * a word; main() exits with the status a shell shows for that, 141, and prints nothing.
 */
export class BrokenPipe extends Error {
  constructor() {
    super('stdout: broken pipe');
    this.name = 'BrokenPipe';
  }
}

/** The exit status of a process killed by SIGPIPE, as a shell reports it (128 + 13). */
export const BROKEN_PIPE_STATUS = 141;

/**
 * Writes all of `text` to a descriptor, synchronously, checking every write: a short
 * write is continued, a full disk (ENOSPC, /dev/full) or any other error throws, so the
 * output is either complete or the run fails. Descriptors left non-blocking by a parent
 * (EAGAIN) are waited on. Node's process.stdout is not used: its writes to pipes can be
 * asynchronous and their errors arrive after the exit code is set.
 */
export function writeAll(fd: number, text: string, label: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === 'EPIPE') throw new BrokenPipe();
      throw new SourceError(
        `cannot write (${code ?? 'error'}): the output is incomplete (${written} of ${bytes.length} bytes written)`,
        { path: label, code: 'OUTPUT_FAILED' },
      );
    }
  }
}

/**
 * The final flush: stdout redirected to a file is synced, so a write error the file
 * system reports late (a full disk on NFS, a quota) fails the run instead of passing.
 */
export function flushStdout(fd = 1): void {
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch {
    return; // stdout closed: nothing was written to it
  }
  if (!stat.isFile()) return;
  try {
    fdatasyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOTSUP' || code === 'EROFS') return; // cannot sync: nothing pending
    throw new SourceError(`cannot write (${code ?? 'error'}): the output is incomplete`, {
      path: '<stdout>',
      code: 'OUTPUT_FAILED',
    });
  }
}

export const processIo: Io = {
  stdout: (text) => writeAll(1, text, '<stdout>'),
  stderr: (text) => {
    try {
      writeAll(2, text, '<stderr>');
    } catch {
      // Nowhere left to report a failure of stderr itself; the exit code still tells.
    }
  },
  readStdin: (limit, alreadyRead) => readText(0, '<stdin>', limit, alreadyRead),
  flush: flushStdout,
};
