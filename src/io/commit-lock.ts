import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SourceError } from '../errors';

/**
 * The lock and journal of a commit (see commitFiles and docs/file-safety.md).
 *
 * Every directory that holds a target gets a `.retarget.lock`, created exclusively
 * (O_EXCL|O_NOFOLLOW), in name order so two runs cannot wait on each other. The lock of
 * the first directory is the journal: it names every temporary and backup file before
 * any is created, and says "committing" once all are on disk. A second run that meets a
 * lock whose process is alive fails at once ("being written by another retarget run");
 * one whose process is gone is recovered first:
 * - "staging": the interrupted run had changed no target; its temporary files and
 *   backups are removed (undone);
 * - "committing": every new file was complete and synced; the renames still pending are
 *   done, the backups removed (finished).
 * The journal is written through node's fs (not the FileOps under test): it must not
 * count among the injected failures of a commit's own steps.
 */
export const LOCK_NAME = '.retarget.lock';

export type JournalState = 'locked' | 'staging' | 'committing' | 'done';

export interface JournalEntry {
  target: string;
  tmp: string;
  backup?: string;
}

interface LockRecord {
  retarget: 'commit-lock/v1';
  pid: number;
  host: string;
  /** The process's start time (Linux clock ticks after boot): a reused pid is not alive. */
  start?: string;
  nonce: string;
  /** Secondary locks: the journal (primary lock) they belong to. */
  primary?: string;
  /** The primary lock: every locked directory, the state, the files. */
  dirs?: string[];
  state?: JournalState;
  entries?: JournalEntry[];
}

const CREATE_NEW =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
/** O_NONBLOCK: a FIFO in the lock's place opens at once (to be refused), not on a writer. */
const READ_NOFOLLOW = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
/** A lock file this young with no readable record may still be being written. */
const FRESH_MS = 10_000;

export class CommitLock {
  private released = false;

  private constructor(
    private readonly paths: string[],
    private readonly self: LockRecord,
  ) {}

  /**
   * Locks every directory (deduplicated, by real path, in name order). Throws a
   * located SourceError naming the directory when another live run holds one; recovers
   * the leftovers of a dead one first, telling `notice` what it did.
   */
  static acquire(
    directories: readonly string[],
    _ops?: unknown,
    notice: (message: string) => void = () => {},
  ): CommitLock {
    const dirs = [...new Set(directories.map(realDir))].sort();
    const paths = dirs.map((d) => join(d, LOCK_NAME));
    const self: LockRecord = {
      retarget: 'commit-lock/v1',
      pid: process.pid,
      host: hostname(),
      start: startTime(process.pid),
      nonce: randomBytes(12).toString('hex'),
    };
    const lock = new CommitLock([], self);
    try {
      paths.forEach((path, i) => {
        const record: LockRecord =
          i === 0 ? { ...self, dirs, state: 'locked' } : { ...self, primary: paths[0] };
        take(path, record, notice);
        lock.paths.push(path);
      });
    } catch (error) {
      lock.release();
      throw error;
    }
    return lock;
  }

  /** Replaces the journal (the first lock) whole: write beside it, sync, rename over it. */
  record(state: JournalState, entries: readonly JournalEntry[]): void {
    const path = this.paths[0];
    if (!path) return;
    const dirs = this.paths.map(dirname);
    const text = JSON.stringify({ ...this.self, dirs, state, entries });
    const next = `${path}.${randomBytes(12).toString('hex')}.new`;
    writeSynced(next, text);
    try {
      fs.renameSync(next, path);
    } catch (error) {
      tryUnlink(next);
      throw error;
    }
  }

  /** Secondary locks first, the journal last: a crash in between leaves a recoverable journal. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const path of [...this.paths].reverse()) tryUnlink(path);
  }
}

function take(path: string, record: LockRecord, notice: (message: string) => void): void {
  for (let attempt = 0; ; attempt++) {
    try {
      writeSynced(path, JSON.stringify(record));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const held = readRecord(path);
    if (held === 'unreadable') {
      const stat = fs.lstatSync(path, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs < FRESH_MS) throw busy(path, undefined);
      tryUnlink(path);
      continue;
    }
    if (held === undefined) continue; // removed meanwhile
    if (isAlive(held)) throw busy(path, held);
    recover(path, held, notice);
  }
}

function busy(path: string, held: LockRecord | undefined): SourceError {
  const who = held ? ` (pid ${held.pid} on ${held.host})` : '';
  return new SourceError(
    `is being written by another retarget run${who}; no file was changed. Run again when it has finished; if no retarget run is active, remove ${path}`,
    { path: dirname(path), code: 'LOCKED' },
  );
}

/** A dead run's lock: finish or undo its commit, then remove its locks and leftovers. */
function recover(path: string, held: LockRecord, notice: (message: string) => void): void {
  if (held.primary) {
    const primary = readRecord(held.primary);
    if (typeof primary === 'object' && primary.nonce === held.nonce && !isAlive(primary))
      recover(held.primary, primary, notice);
    tryUnlinkIf(path, held.nonce);
    return;
  }
  const entries = held.entries ?? [];
  if (held.state === 'committing') {
    let finished = 0;
    for (const entry of entries) {
      if (isRegularFile(entry.tmp)) {
        fs.renameSync(entry.tmp, entry.target);
        finished++;
      }
      if (entry.backup) tryUnlink(entry.backup);
    }
    notice(
      `${dirname(path)}: finished the commit of an interrupted retarget run (pid ${held.pid}): ${finished} of ${entries.length} files were still to be renamed`,
    );
  } else if (held.state === 'staging') {
    for (const entry of entries) {
      tryUnlink(entry.tmp);
      if (entry.backup) tryUnlink(entry.backup);
    }
    notice(
      `${dirname(path)}: undid an interrupted retarget run (pid ${held.pid}): it had changed no file; its temporary files are removed`,
    );
  }
  for (const dir of held.dirs ?? []) {
    const lock = join(dir, LOCK_NAME);
    if (lock !== path) tryUnlinkIf(lock, held.nonce);
  }
  removeJournalLeftovers(dirname(path));
  tryUnlinkIf(path, held.nonce);
}

const JOURNAL_LEFTOVER = /^\.retarget\.lock\.[0-9a-f]{24}\.new$/;

function removeJournalLeftovers(dir: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (JOURNAL_LEFTOVER.test(name)) tryUnlink(join(dir, name));
}

function readRecord(path: string): LockRecord | 'unreadable' | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, READ_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw new SourceError(
        `is a symlink where retarget keeps its lock; remove it (nothing was changed)`,
        { path, code: 'LOCKED' },
      );
    throw error;
  }
  try {
    refuseNonFile(fd, path);
    return parseRecord(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function parseRecord(fd: number): LockRecord | 'unreadable' {
  try {
    const value = JSON.parse(fs.readFileSync(fd, 'utf8')) as Partial<LockRecord>;
    if (value?.retarget !== 'commit-lock/v1' || typeof value.pid !== 'number') return 'unreadable';
    return value as LockRecord;
  } catch {
    return 'unreadable';
  }
}

/**
 * A directory (or FIFO, socket, device) where the lock goes: no retarget run made it, and
 * no retry or unlink can take its place, so the run stops at once and says what to remove.
 */
function refuseNonFile(fd: number, path: string): void {
  const stat = fs.fstatSync(fd);
  if (stat.isFile()) return;
  const what = stat.isDirectory() ? 'a directory' : 'not a regular file';
  throw new SourceError(
    `is ${what} where retarget keeps its lock file; remove it (nothing was changed)`,
    { path, code: 'LOCKED' },
  );
}

/** Whether the run that wrote a record still runs; a run on another host is assumed to. */
function isAlive(record: LockRecord): boolean {
  if (record.host !== hostname()) return true;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = startTime(record.pid);
  return !(start !== undefined && record.start !== undefined && start !== record.start);
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces). */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function writeSynced(path: string, text: string): void {
  const fd = fs.openSync(path, CREATE_NEW, 0o600);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function isRegularFile(path: string): boolean {
  return fs.lstatSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function tryUnlink(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Removes a lock only if it is still the one of that run (another may have taken it since). */
function tryUnlinkIf(path: string, nonce: string): void {
  const record = readRecord(path);
  if (typeof record === 'object' && record.nonce !== nonce) return;
  tryUnlink(path);
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** The lock of --in-place: every directory holding an input (its real file's, for a link). */
export function lockInputDirectories(
  found: readonly { path: string }[],
  notice?: (message: string) => void,
): CommitLock {
  return CommitLock.acquire(
    found.map((f) => dirname(realFile(f.path))),
    undefined,
    notice,
  );
}

/**
 * Before a run that only reads the inputs (stdout, -o): a directory an --in-place run is
 * writing is refused (its files are a mix until that run ends), and one a killed run
 * left half-written is finished or undone first. No lock is taken, so read-only input
 * directories stay readable.
 */
export function settleInputDirectories(
  found: readonly { path: string }[],
  notice: (message: string) => void = () => {},
): void {
  const dirs = new Set(found.filter((f) => f.path !== '-').map((f) => dirname(realFile(f.path))));
  for (const dir of [...dirs].sort()) {
    const path = join(dir, LOCK_NAME);
    const held = readRecord(path);
    if (held === undefined) continue;
    if (held === 'unreadable') {
      // Cut short while being created: no file was touched yet; old ones are ignored.
      const stat = fs.lstatSync(path, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs < FRESH_MS) throw busy(path, undefined);
      continue;
    }
    if (isAlive(held)) throw busy(path, held);
    recover(path, held, notice);
  }
}

function realFile(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return resolve(path);
  }
}
