import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommitLock, LOCK_NAME, settleInputDirectories } from '../../src/io/commit-lock';
import { located } from './located';
import { runBin } from '../support/run-bin';
import { LEGACY_DEPLOYMENT } from '../support/workloads';

/**
 * A `.retarget.lock` that is not a file (a directory someone made, a FIFO): no retarget
 * run made it and no retry can take its place, so it is refused at once with a located
 * error saying what to remove; nothing is written and no retry loop spins on it.
 */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-lock-not-file-')));
  made.push(dir);
  return dir;
}

const DIRECTORY =
  'is a directory where retarget keeps its lock file; remove it (nothing was changed)';
const NOT_A_FILE =
  'is not a regular file where retarget keeps its lock file; remove it (nothing was changed)';

/** A directory in the lock's place, old enough that a torn lock file would be replaced. */
function directoryLock(d: string): string {
  const lock = join(d, LOCK_NAME);
  mkdirSync(lock);
  writeFileSync(join(lock, 'inside'), 'x');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  return lock;
}

describe('the lock module', () => {
  test.each([
    ['fresh', 0],
    ['old', 60],
  ])('a directory (%s) is refused by name, for a writing run and a reading one', (_, age) => {
    const d = scratch();
    const lock = join(d, LOCK_NAME);
    mkdirSync(lock);
    const t = new Date(Date.now() - age * 1000);
    utimesSync(lock, t, t);
    const expected = { reason: DIRECTORY, path: lock, code: 'LOCKED' };
    expect(located(() => CommitLock.acquire([d]))).toEqual(expected);
    expect(located(() => settleInputDirectories([{ path: join(d, 'in.yaml') }]))).toEqual(expected);
    expect(readdirSync(d)).toEqual([LOCK_NAME]);
    expect(readdirSync(lock)).toEqual([]);
  });

  test('a second directory of the run: the first lock is released again', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    directoryLock(join(d, 'b'));
    expect(located(() => CommitLock.acquire([join(d, 'a'), join(d, 'b')]))).toEqual({
      reason: DIRECTORY,
      path: join(d, 'b', LOCK_NAME),
      code: 'LOCKED',
    });
    expect(readdirSync(join(d, 'a'))).toEqual([]);
    expect(readdirSync(join(d, 'b', LOCK_NAME))).toEqual(['inside']);
  });

  const mkfifo = spawnSync('mkfifo', ['--version']).status === 0;
  (mkfifo ? test : test.skip)('a FIFO is refused without waiting for a writer', () => {
    const d = scratch();
    const lock = join(d, LOCK_NAME);
    expect(spawnSync('mkfifo', [lock]).status).toBe(0);
    expect(located(() => CommitLock.acquire([d]))).toEqual({
      reason: NOT_A_FILE,
      path: lock,
      code: 'LOCKED',
    });
  });
});

describe('the command line', () => {
  test.each([
    ['--in-place', ['--in-place']],
    ['to stdout', []],
  ])('%s: exit 1, the lock named, the input untouched, nothing written beside it', (_, mode) => {
    const d = scratch();
    writeFileSync(join(d, 'app.yaml'), LEGACY_DEPLOYMENT);
    writeFileSync(
      join(d, 'fs.yaml'),
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: SetFsGroup\nfsGroup: 2000\n',
    );
    const lock = directoryLock(d);
    const r = runBin('retarget', [
      'set-fs-group',
      '-c',
      join(d, 'fs.yaml'),
      join(d, 'app.yaml'),
      ...mode,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${lock}: ${DIRECTORY}`);
    expect(r.stderr).not.toContain('EEXIST');
    expect(readFileSync(join(d, 'app.yaml'), 'utf8')).toBe(LEGACY_DEPLOYMENT);
    expect(readdirSync(d).sort()).toEqual([LOCK_NAME, 'app.yaml', 'fs.yaml']);
    expect(readdirSync(lock)).toEqual(['inside']);
  });
});
