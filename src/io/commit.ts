import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SourceError, UsageError } from '../errors';
import { CommitLock } from './commit-lock';
import type { JournalEntry } from './commit-lock';

/** The file-system calls a commit makes; tests pass a copy with one call made to fail. */
export interface FileOps {
  openSync(path: string, flags: string | number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  linkSync(existing: string, path: string): void;
  copyFileSync(from: string, to: string, mode?: number): void;
  lstatSync(path: string, options: { throwIfNoEntry: false }): fs.Stats | undefined;
  mkdirSync(path: string, options?: { recursive?: boolean; mode?: number }): unknown;
  realpathSync(path: string): string;
  fchmodSync(fd: number, mode: number): void;
  fchownSync(fd: number, uid: number, gid: number): void;
  readFileSync(fd: number): Buffer;
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

/**
 * Where writes may go. `outputRoot` (-o DIR): every target is under it, no directory
 * between it and a target may be a symlink (refused), and a symlink at a target's own
 * name is replaced by the file, never written through. Without it (--in-place), a target
 * that is a symlink is written where it points, so the link stays a link, but only when
 * that real file is inside one of `writeThroughWithin` (the directories given on the
 * command line, and the files named there).
 */
export interface CommitOptions {
  ops?: FileOps;
  outputRoot?: string;
  writeThroughWithin?: readonly string[];
  /** A lock the caller already holds over the targets' directories (--in-place). */
  lock?: CommitLock;
  /** Told about an interrupted earlier run this one finished or undid. */
  notice?: (message: string) => void;
}

interface Target extends PendingWrite {
  /** The name given, for messages. */
  given: string;
  /** The existing file's metadata, to keep. */
  existing?: fs.Stats;
}

interface Staged extends Target {
  tmp: string;
  backup?: string;
  replaced: boolean;
}

/**
 * Writes several files as one change, all or nothing:
 * 0. the directories of every target are locked (`.retarget.lock`, created exclusively):
 *    a second run on them fails with a clear message; the lock of the directory that
 *    sorts first is also the journal that names every temporary and backup file, so a
 *    run killed at any point is finished or undone by the next run (commit-lock.ts);
 * 1. every new text goes to a temporary file beside its target (a random name, created
 *    exclusively: a planted file or symlink of that name is never followed), with the
 *    target's mode and owner, written and fsynced; a failure here removes the temporary
 *    files and leaves every target as it was;
 * 2. each existing target gets a hard link (a copy where links are not supported) under
 *    a random name, so it can be put back;
 * 3. the journal records "committing"; the temporary files are renamed over their targets.
 *    Should a rename fail after others succeeded, the targets already replaced are
 *    restored from step 2 (and new ones removed), so the run still changes no file.
 * A reader never sees a partial or empty file: a rename replaces a file whole.
 */
export function commitFiles(writes: readonly PendingWrite[], options: CommitOptions = {}): void {
  const ops = options.ops ?? nodeFileOps;
  refuseDuplicateTargets(writes);
  if (!writes.length) return;
  const targets = resolveTargets(writes, options, ops);
  const lock =
    options.lock ??
    CommitLock.acquire(
      targets.map((t) => dirname(t.path)),
      ops,
      options.notice,
    );
  try {
    commitLocked(targets, lock, ops);
  } finally {
    if (!options.lock) lock.release();
  }
}

/** The real path each write goes to, checked against the symlink rules of CommitOptions. */
export function resolveTargets(
  writes: readonly PendingWrite[],
  options: CommitOptions,
  ops: FileOps = nodeFileOps,
): Target[] {
  const root = options.outputRoot === undefined ? undefined : outputTree(ops, options.outputRoot);
  const within = (options.writeThroughWithin ?? []).map((p) => realOrResolved(ops, p));
  return writes.map((write) => {
    let path = resolve(write.path);
    if (root) {
      const rel = relative(root.given, path);
      // `..` or `../x`, not `..x` (a file of that name is inside); an absolute result is
      // another drive's path (Windows).
      if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
        throw failure('outside the output directory', write.path);
      // Every directory below the root must be a real one: a symlinked directory would
      // carry the write outside the output tree.
      path = join(root.real, rel);
      makeDirectory(ops, dirname(path), root.real);
    }
    let existing = ops.lstatSync(path, { throwIfNoEntry: false });
    if (existing?.isSymbolicLink()) {
      if (root !== undefined) {
        existing = undefined; // -o: the link itself is replaced by the output file
      } else {
        const real = realOrResolved(ops, path);
        if (!within.some((w) => real === w || real.startsWith(w.endsWith(sep) ? w : w + sep))) {
          throw failure(
            `is a symlink to ${real}, outside the paths given; retarget writes through a symlink only to a file under them`,
            write.path,
          );
        }
        path = real;
        existing = ops.lstatSync(path, { throwIfNoEntry: false });
      }
    }
    if (existing?.isDirectory()) throw failure('is a directory', write.path);
    if (existing && !existing.isFile()) throw failure('is not a regular file', write.path);
    return { path, text: write.text, given: write.path, existing };
  });
}

/** The output directory (-o), created if need be: as given (resolved), and its real path. */
function outputTree(ops: FileOps, dir: string): { given: string; real: string } {
  const given = resolve(dir);
  makeDirectory(ops, given, undefined);
  return { given, real: ops.realpathSync(given) };
}

/** Creates `dir` (and its parents up to `root`), refusing any that is not a real directory. */
function makeDirectory(ops: FileOps, dir: string, root: string | undefined): void {
  if (root === undefined) {
    // The output directory itself (-o): a failure is located like any other.
    try {
      ops.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw asWriteError(error, dir);
    }
    return;
  }
  const rel = relative(root, dir);
  let current = root;
  for (const part of rel ? rel.split(sep) : []) {
    current = join(current, part);
    let stat = ops.lstatSync(current, { throwIfNoEntry: false });
    if (!stat) {
      try {
        ops.mkdirSync(current);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw asWriteError(error, current);
      }
      stat = ops.lstatSync(current, { throwIfNoEntry: false });
    }
    if (stat?.isSymbolicLink())
      throw failure(
        'is a symlink in the output directory; retarget does not write through it (remove it, or give its target as -o)',
        current,
      );
    if (!stat?.isDirectory()) throw failure('is not a directory', current);
  }
}

function commitLocked(targets: readonly Target[], lock: CommitLock, ops: FileOps): void {
  const staged: Staged[] = targets.map((t) => ({
    ...t,
    tmp: sibling(t.path, 'tmp'),
    backup: t.existing ? sibling(t.path, 'orig') : undefined,
    replaced: false,
  }));
  const entries: JournalEntry[] = staged.map((s) => ({
    target: s.path,
    tmp: s.tmp,
    ...(s.backup ? { backup: s.backup } : {}),
  }));
  let current = '';
  try {
    // Before any file is created: a run killed from here on is cleaned up by the next.
    lock.record('staging', entries);
    for (const entry of staged) {
      current = entry.given;
      writeFully(ops, entry);
      if (entry.backup) keepCopy(ops, entry.path, entry.backup);
    }
    lock.record('committing', entries);
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
      throw asWriteError(error, entry.given, reason);
    }
  }
  for (const entry of staged) if (entry.backup) tryUnlink(ops, entry.backup);
  lock.record('done', []);
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

/** A hidden name beside `path` no one can guess in advance (96 random bits). */
export function sibling(path: string, what: 'tmp' | 'orig'): string {
  return join(
    dirname(path),
    `.${basename(path)}.retarget-${randomBytes(12).toString('hex')}.${what}`,
  );
}

/** O_EXCL|O_NOFOLLOW: a file or symlink already at the name fails the open, never followed. */
const CREATE_NEW =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

/** On a failure the caller's cleanUp removes the temporary file (as every other one). */
function writeFully(ops: FileOps, entry: Staged): void {
  const fd = ops.openSync(entry.tmp, CREATE_NEW, 0o600);
  try {
    const bytes = Buffer.from(entry.text); // UTF-8
    let written = 0;
    // writeSync may write less than asked; loop so a short write cannot truncate a file.
    while (written < bytes.length) {
      written += ops.writeSync(fd, bytes, written, bytes.length - written);
    }
    keepMetadata(ops, fd, entry.existing);
    ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
}

/**
 * The replacement keeps the replaced file's mode, and its owner and group where this
 * process may set them (root, or a group it is in); set-id bits are kept only with the
 * owner. A new file gets 0644 less the umask's bits, as before.
 */
function keepMetadata(ops: FileOps, fd: number, existing: fs.Stats | undefined): void {
  if (!existing) {
    const umask = process.umask();
    ops.fchmodSync(fd, 0o644 & ~umask);
    return;
  }
  let mode = existing.mode & 0o7777;
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (existing.uid !== uid || existing.gid !== gid) {
    try {
      ops.fchownSync(fd, existing.uid, existing.gid);
    } catch {
      try {
        ops.fchownSync(fd, uid ?? existing.uid, existing.gid);
        mode &= ~0o4000;
      } catch {
        mode &= ~0o6000;
      }
    }
  }
  ops.fchmodSync(fd, mode);
}

function keepCopy(ops: FileOps, path: string, backup: string): void {
  try {
    ops.linkSync(path, backup);
  } catch {
    ops.copyFileSync(path, backup, fs.constants.COPYFILE_EXCL);
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
        entry.backup = undefined; // put back: nothing left for cleanUp to keep or remove
      } else {
        ops.unlinkSync(entry.path);
      }
    } catch {
      failed.push(
        entry.backup ? `${entry.given} (its old content is in ${entry.backup})` : entry.given,
      );
    }
  }
  return failed;
}

/**
 * Removes what a failed commit created (names no one else can have: see sibling()). A
 * renamed temporary file is gone already; the backup of a target that was replaced and
 * could not be put back is kept (the message names it).
 */
function cleanUp(ops: FileOps, staged: readonly Staged[]): void {
  for (const entry of staged) {
    tryUnlink(ops, entry.tmp);
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

function realOrResolved(ops: FileOps, path: string): string {
  try {
    return ops.realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function failure(reason: string, path: string): WriteError {
  return new WriteError(`cannot write: ${reason}; no file was changed`, path);
}

function asWriteError(error: unknown, path: string, extra = ''): WriteError {
  const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? 'error';
  const changed = extra ? `, and${extra.slice(1)}` : '; no file was changed';
  return new WriteError(`cannot write (${code})${changed}`, path);
}
