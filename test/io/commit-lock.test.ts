import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommitLock,
  LOCK_NAME,
  lockInputDirectories,
  settleInputDirectories,
} from '../../src/io/commit-lock';
import { located } from './located';

/**
 * The lock and journal of a commit (src/io/commit-lock.ts): who holds a directory, what a
 * second run is told, and how the leftovers of a killed run are finished or undone.
 */
const scratch = () => fs.realpathSync(mkdtempSync(join(tmpdir(), 'retarget-lock-')));
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** The pid of a process that has exited (the kernel will not reuse it this soon). */
const deadPid = (() => {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
})();

const NONCE = 'ab'.repeat(12);
function record(extra: Record<string, unknown>) {
  return { retarget: 'commit-lock/v1', pid: deadPid, host: hostname(), nonce: NONCE, ...extra };
}

describe('CommitLock', () => {
  test('one lock per directory (by real path, in name order); the first is the journal', () => {
    const d = scratch();
    mkdirSync(join(d, 'b'));
    mkdirSync(join(d, 'a'));
    symlinkSync(join(d, 'a'), join(d, 'a-link'));
    const lock = CommitLock.acquire([join(d, 'b'), join(d, 'a-link'), join(d, 'a')]);
    const primary = read(join(d, 'a', LOCK_NAME));
    expect(primary).toMatchObject({
      retarget: 'commit-lock/v1',
      pid: process.pid,
      host: hostname(),
      dirs: [join(d, 'a'), join(d, 'b')],
      state: 'locked',
    });
    expect(primary.nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof primary.start).toBe('string');
    const secondary = read(join(d, 'b', LOCK_NAME));
    expect(secondary).toEqual({
      retarget: 'commit-lock/v1',
      pid: process.pid,
      host: hostname(),
      start: primary.start,
      nonce: primary.nonce,
      primary: join(d, 'a', LOCK_NAME),
    });
    lock.record('committing', [{ target: join(d, 'a/x.yaml'), tmp: join(d, 'a/.x.tmp') }]);
    expect(read(join(d, 'a', LOCK_NAME))).toMatchObject({
      state: 'committing',
      dirs: [join(d, 'a'), join(d, 'b')],
      entries: [{ target: join(d, 'a/x.yaml'), tmp: join(d, 'a/.x.tmp') }],
      nonce: primary.nonce,
    });
    expect(readdirSync(join(d, 'a')).sort()).toEqual([LOCK_NAME]);
    lock.release();
    lock.release();
    expect(readdirSync(join(d, 'a'))).toEqual([]);
    expect(readdirSync(join(d, 'b'))).toEqual([]);
  });

  test('a directory held by a live run: a clear refusal, and nothing of the new run is left', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const first = CommitLock.acquire([join(d, 'b')]);
    expect(located(() => CommitLock.acquire([join(d, 'a'), join(d, 'b')]))).toEqual({
      reason: `is being written by another retarget run (pid ${process.pid} on ${hostname()}); no file was changed. Run again when it has finished; if no retarget run is active, remove ${join(d, 'b', LOCK_NAME)}`,
      path: join(d, 'b'),
      code: 'LOCKED',
    });
    // The lock it took on a/ before meeting b/'s is released again.
    expect(readdirSync(join(d, 'a'))).toEqual([]);
    first.release();
  });

  test('a lock of another host is taken as alive', () => {
    const d = scratch();
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ host: 'elsewhere', state: 'locked', dirs: [d] })),
    );
    expect(located(() => CommitLock.acquire([d])).reason).toMatch(
      new RegExp(`^is being written by another retarget run \\(pid ${deadPid} on elsewhere\\)`),
    );
  });

  test('a live pid whose start time differs is a reused pid: its lock is recovered', () => {
    const d = scratch();
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ pid: process.pid, start: '1', state: 'locked', dirs: [d] })),
    );
    const notices: string[] = [];
    CommitLock.acquire([d], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([]);
    expect(readdirSync(d)).toEqual([]);
  });

  test('a lock being written (fresh, unreadable) is busy; an old unreadable one is replaced', () => {
    const d = scratch();
    writeFileSync(join(d, LOCK_NAME), '{"retarget": "commit-lo');
    expect(located(() => CommitLock.acquire([d]))).toEqual({
      reason: `is being written by another retarget run; no file was changed. Run again when it has finished; if no retarget run is active, remove ${join(d, LOCK_NAME)}`,
      path: d,
      code: 'LOCKED',
    });
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(d, LOCK_NAME), old, old);
    const lock = CommitLock.acquire([d]);
    expect(read(join(d, LOCK_NAME)).pid).toBe(process.pid);
    lock.release();
  });

  test.each([
    ['another program', { retarget: 'other', pid: 1 }],
    ['no pid', { retarget: 'commit-lock/v1', pid: 'x' }],
  ])('a record of %s is unreadable, like a torn one', (_, value) => {
    const d = scratch();
    writeFileSync(join(d, LOCK_NAME), JSON.stringify(value));
    expect(located(() => CommitLock.acquire([d])).reason).toBe(
      `is being written by another retarget run; no file was changed. Run again when it has finished; if no retarget run is active, remove ${join(d, LOCK_NAME)}`,
    );
  });

  test('a symlink where the lock goes is refused, not followed', () => {
    const d = scratch();
    writeFileSync(join(d, 'victim'), 'precious\n');
    symlinkSync(join(d, 'victim'), join(d, LOCK_NAME));
    expect(located(() => CommitLock.acquire([d]))).toEqual({
      reason: 'is a symlink where retarget keeps its lock; remove it (nothing was changed)',
      path: join(d, LOCK_NAME),
      code: 'LOCKED',
    });
    expect(readFileSync(join(d, 'victim'), 'utf8')).toBe('precious\n');
  });
});

describe('recovering a killed run', () => {
  function killedRun(state: string) {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const a = join(d, 'a');
    const b = join(d, 'b');
    writeFileSync(join(a, 'x.yaml'), 'x: old\n');
    writeFileSync(join(a, '.x.tmp'), 'x: new\n');
    writeFileSync(join(a, '.x.orig'), 'x: old\n');
    writeFileSync(join(b, 'y.yaml'), 'y: new\n'); // renamed before the kill
    writeFileSync(join(b, '.y.orig'), 'y: old\n');
    writeFileSync(join(a, `${LOCK_NAME}.${'c'.repeat(24)}.new`), 'torn journal');
    writeFileSync(join(a, `${LOCK_NAME}.keep.new`), 'not a journal leftover');
    const entries = [
      { target: join(a, 'x.yaml'), tmp: join(a, '.x.tmp'), backup: join(a, '.x.orig') },
      { target: join(b, 'y.yaml'), tmp: join(b, '.y.tmp'), backup: join(b, '.y.orig') },
      { target: join(a, 'new.yaml'), tmp: join(a, '.new.tmp') },
    ];
    writeFileSync(join(a, LOCK_NAME), JSON.stringify(record({ state, dirs: [a, b], entries })));
    writeFileSync(join(b, LOCK_NAME), JSON.stringify(record({ primary: join(a, LOCK_NAME) })));
    return { a, b };
  }

  test('"committing": the pending renames are done, backups and locks removed', () => {
    const { a, b } = killedRun('committing');
    const notices: string[] = [];
    CommitLock.acquire([a], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([
      `${a}: finished the commit of an interrupted retarget run (pid ${deadPid}): 1 of 3 files were still to be renamed`,
    ]);
    expect(readdirSync(a).sort()).toEqual([`${LOCK_NAME}.keep.new`, 'x.yaml']);
    expect(readFileSync(join(a, 'x.yaml'), 'utf8')).toBe('x: new\n');
    expect(readdirSync(b)).toEqual(['y.yaml']);
    expect(readFileSync(join(b, 'y.yaml'), 'utf8')).toBe('y: new\n');
  });

  test('"staging": nothing was changed; temporary files and backups are removed', () => {
    const { a, b } = killedRun('staging');
    const notices: string[] = [];
    CommitLock.acquire([a], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([
      `${a}: undid an interrupted retarget run (pid ${deadPid}): it had changed no file; its temporary files are removed`,
    ]);
    expect(readdirSync(a).sort()).toEqual([`${LOCK_NAME}.keep.new`, 'x.yaml']);
    expect(readFileSync(join(a, 'x.yaml'), 'utf8')).toBe('x: old\n');
    expect(readdirSync(b)).toEqual(['y.yaml']);
  });

  test('met through a secondary lock, the primary (journal) is recovered first', () => {
    const { a, b } = killedRun('committing');
    const notices: string[] = [];
    CommitLock.acquire([b], undefined, (m) => notices.push(m)).release();
    expect(notices).toHaveLength(1);
    expect(readFileSync(join(a, 'x.yaml'), 'utf8')).toBe('x: new\n');
    expect(readdirSync(b)).toEqual(['y.yaml']);
    expect(fs.existsSync(join(a, LOCK_NAME))).toBe(false);
  });

  test('a lock another run has taken since is not removed by the recovery', () => {
    const { a, b } = killedRun('done');
    const other = record({ nonce: 'ff'.repeat(12), pid: process.pid, host: 'elsewhere' });
    writeFileSync(join(b, LOCK_NAME), JSON.stringify(other));
    CommitLock.acquire([a]).release();
    expect(read(join(b, LOCK_NAME))).toEqual(other);
  });

  test('settleInputDirectories: recovers before a read-only run, takes no lock', () => {
    const { a } = killedRun('committing');
    const notices: string[] = [];
    settleInputDirectories([{ path: join(a, 'x.yaml') }, { path: '-' }], (m) => notices.push(m));
    expect(notices).toHaveLength(1);
    expect(readdirSync(a).sort()).toEqual([`${LOCK_NAME}.keep.new`, 'x.yaml']);
  });

  test('settleInputDirectories: a live run is refused; no lock, or an old torn one, is fine', () => {
    const d = scratch();
    writeFileSync(join(d, 'x.yaml'), 'x\n');
    settleInputDirectories([{ path: join(d, 'x.yaml') }]);
    const lock = CommitLock.acquire([d]);
    expect(located(() => settleInputDirectories([{ path: join(d, 'x.yaml') }])).path).toBe(d);
    lock.release();
    writeFileSync(join(d, LOCK_NAME), 'torn');
    expect(located(() => settleInputDirectories([{ path: join(d, 'x.yaml') }])).reason).toMatch(
      /^is being written by another retarget run; no file was changed/,
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(d, LOCK_NAME), old, old);
    settleInputDirectories([{ path: join(d, 'x.yaml') }]);
    expect(readFileSync(join(d, LOCK_NAME), 'utf8')).toBe('torn');
  });

  test('lockInputDirectories: a symlinked input locks the directory of its real file', () => {
    const d = scratch();
    mkdirSync(join(d, 'real'));
    mkdirSync(join(d, 'links'));
    writeFileSync(join(d, 'real/x.yaml'), 'x\n');
    symlinkSync(join(d, 'real/x.yaml'), join(d, 'links/x.yaml'));
    const lock = lockInputDirectories([{ path: join(d, 'links/x.yaml') }]);
    expect(readdirSync(join(d, 'real')).sort()).toEqual([LOCK_NAME, 'x.yaml']);
    expect(readdirSync(join(d, 'links'))).toEqual(['x.yaml']);
    lock.release();
  });
});
