import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SourceError, UsageError } from '../errors';

/** The file-system calls a commit makes; tests pass a copy with one call made to fail. */
export interface FileOps {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  linkSync(existing: string, path: string): void;
  copyFileSync(from: string, to: string): void;
  lstatSync(path: string, options: { throwIfNoEntry: false }): fs.Stats | undefined;
  mkdirSync(path: string, options: { recursive: true }): unknown;
  realpathSync(path: string): string;
}

export const nodeFileOps: FileOps = fs;

export interface PendingWrite {
  path: string;
  text: string;
}

/** A file that could not be written; reported like any located error (exit 1, no stack). */
export class WriteError extends SourceError {
  constructor(reason: string, path: string) {
    super(reason, { path });
    this.name = 'WriteError';
  }
}

interface Staged extends PendingWrite {
  tmp: string;
  backup?: string;
  replaced: boolean;
}

/**
 * Writes several files as one change, all or nothing:
 * 1. every new text goes to a temporary file beside its target, written and fsynced; a
 *    failure here (disk full, no permission, the target is a directory) removes the
 *    temporary files and leaves every target as it was;
 * 2. each existing target gets a hard link (a copy where links are not supported) so it
 *    can be put back;
 * 3. the temporary files are renamed over their targets, in order. Should a rename fail
 *    after others succeeded, the targets already replaced are restored from step 2 (and
 *    new ones removed), so the run still changes no file.
 * A reader never sees a partial or empty file: a rename replaces a file whole.
 */
export function commitFiles(writes: readonly PendingWrite[], ops: FileOps = nodeFileOps): void {
  refuseDuplicateTargets(writes);
  const staged: Staged[] = [];
  let current = '';
  try {
    writes.forEach((given, i) => {
      current = given.path;
      let write = given;
      let existing = ops.lstatSync(write.path, { throwIfNoEntry: false });
      // A symlinked file is written where it points, so the link stays a link.
      if (existing?.isSymbolicLink()) {
        write = { ...given, path: ops.realpathSync(given.path) };
        existing = ops.lstatSync(write.path, { throwIfNoEntry: false });
      }
      if (existing?.isDirectory()) throw failure('is a directory', write.path);
      ops.mkdirSync(dirname(write.path), { recursive: true });
      const entry: Staged = { ...write, tmp: sibling(write.path, i, 'tmp'), replaced: false };
      writeFully(ops, entry.tmp, write.text);
      staged.push(entry);
      if (existing) {
        entry.backup = sibling(write.path, i, 'orig');
        keepCopy(ops, write.path, entry.backup);
      }
    });
  } catch (error) {
    cleanUp(ops, staged);
    throw asWriteError(error, current);
  }
  for (const entry of staged) {
    try {
      ops.renameSync(entry.tmp, entry.path);
      entry.replaced = true;
    } catch (error) {
      const unrestored = rollBack(ops, staged);
      cleanUp(ops, staged);
      const reason = unrestored.length ? `; ${unrestored.join(', ')} could not be put back` : '';
      throw asWriteError(error, entry.path, reason);
    }
  }
  for (const entry of staged) if (entry.backup) tryUnlink(ops, entry.backup);
}

function refuseDuplicateTargets(writes: readonly PendingWrite[]): void {
  const seen = new Set<string>();
  for (const write of writes) {
    const key = resolve(write.path);
    if (seen.has(key)) {
      throw new UsageError(
        `two inputs would be written to ${write.path}; give their directory instead of the files, so each keeps its relative path`,
      );
    }
    seen.add(key);
  }
}

function sibling(path: string, index: number, what: 'tmp' | 'orig'): string {
  return join(dirname(path), `.${basename(path)}.retarget-${process.pid}-${index}.${what}`);
}

function writeFully(ops: FileOps, path: string, text: string): void {
  const fd = ops.openSync(path, 'wx', 0o644);
  let ok = false;
  try {
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    // writeSync may write less than asked; loop so a short write cannot truncate a file.
    while (written < bytes.length) {
      written += ops.writeSync(fd, bytes, written, bytes.length - written);
    }
    ops.fsyncSync(fd);
    ok = true;
  } finally {
    ops.closeSync(fd);
    if (!ok) tryUnlink(ops, path);
  }
}

function keepCopy(ops: FileOps, path: string, backup: string): void {
  try {
    ops.linkSync(path, backup);
  } catch {
    ops.copyFileSync(path, backup);
  }
}

/** Puts back every replaced target; returns the paths that could not be restored. */
function rollBack(ops: FileOps, staged: readonly Staged[]): string[] {
  const failed: string[] = [];
  for (const entry of staged) {
    if (!entry.replaced) continue;
    try {
      if (entry.backup) {
        ops.renameSync(entry.backup, entry.path);
        entry.backup = undefined;
      } else {
        ops.unlinkSync(entry.path);
      }
      entry.replaced = false;
    } catch {
      failed.push(
        entry.backup ? `${entry.path} (its old content is in ${entry.backup})` : entry.path,
      );
    }
  }
  return failed;
}

function cleanUp(ops: FileOps, staged: readonly Staged[]): void {
  for (const entry of staged) {
    if (!entry.replaced) tryUnlink(ops, entry.tmp);
    if (entry.backup && !entry.replaced) tryUnlink(ops, entry.backup);
  }
}

function tryUnlink(ops: FileOps, path: string): void {
  try {
    ops.unlinkSync(path);
  } catch {
    // already gone, or never created
  }
}

function failure(reason: string, path: string): WriteError {
  return new WriteError(`cannot write: ${reason}; no file was changed`, path);
}

function asWriteError(error: unknown, path: string, extra = ''): WriteError {
  if (error instanceof WriteError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? 'error';
  const changed = extra ? `, and${extra.slice(1)}` : '; no file was changed';
  return new WriteError(`cannot write (${code})${changed}`, path);
}
