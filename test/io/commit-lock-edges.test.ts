import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  unlinkSync,
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
 * The lock and journal (src/io/commit-lock.ts) at their edges: when a torn lock counts as
 * fresh, what a record must hold to be alive, which leftovers a recovery removes and which
 * it leaves, locks met that are not files, and the journal's own writes.
 */
const scratch = () => realpathSync(mkdtempSync(join(tmpdir(), 'retarget-lock-edges-')));
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const deadPid = Number(
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout,
);
const NONCE = 'ab'.repeat(12);
const record = (extra: Record<string, unknown>) => ({
  retarget: 'commit-lock/v1',
  pid: deadPid,
  host: hostname(),
  nonce: NONCE,
  ...extra,
});
const BUSY = (path: string, who = '') =>
  `is being written by another retarget run${who}; no file was changed. Run again when it has finished; if no retarget run is active, remove ${path}`;
function age(path: string, seconds: number): void {
  const t = new Date(Date.now() - seconds * 1000);
  utimesSync(path, t, t);
}

describe('who holds a lock', () => {
  test('the start time is field 22 of /proc/PID/stat', () => {
    const d = scratch();
    const lock = CommitLock.acquire([d]);
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // After the command name in parentheses: state is field 3, start time field 22.
    const fields = /^\d+ \(.*\) (.*)$/s.exec(stat.trim())![1].split(' ');
    expect(read(join(d, LOCK_NAME)).start).toBe(fields[22 - 3]);
    lock.release();
  });

  test('a live pid with no start time recorded is alive', () => {
    const d = scratch();
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ pid: process.pid, state: 'locked', dirs: [d] })),
    );
    expect(located(() => CommitLock.acquire([d]))).toEqual({
      reason: BUSY(join(d, LOCK_NAME), ` (pid ${process.pid} on ${hostname()})`),
      path: d,
      code: 'LOCKED',
    });
  });

  test('a live pid with its own start time is alive', () => {
    const d = scratch();
    const start = read(
      (() => {
        const probe = scratch();
        const l = CommitLock.acquire([probe]);
        const p = join(probe, LOCK_NAME);
        const copy = join(probe, 'copy');
        writeFileSync(copy, readFileSync(p));
        l.release();
        return copy;
      })(),
    ).start;
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ pid: process.pid, start, state: 'locked', dirs: [d] })),
    );
    expect(located(() => CommitLock.acquire([d])).code).toBe('LOCKED');
  });

  test('a torn lock younger than ten seconds is busy; older, it is replaced', () => {
    const d = scratch();
    writeFileSync(join(d, LOCK_NAME), '{');
    age(join(d, LOCK_NAME), 8);
    expect(located(() => CommitLock.acquire([d])).reason).toBe(BUSY(join(d, LOCK_NAME)));
    expect(located(() => settleInputDirectories([{ path: join(d, 'x.yaml') }])).reason).toBe(
      BUSY(join(d, LOCK_NAME)),
    );
    age(join(d, LOCK_NAME), 12);
    settleInputDirectories([{ path: join(d, 'x.yaml') }]);
    expect(readFileSync(join(d, LOCK_NAME), 'utf8')).toBe('{');
    const lock = CommitLock.acquire([d]);
    expect(read(join(d, LOCK_NAME)).pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(d)).toEqual([]);
  });

  test('a directory that does not exist: the creation error at once', () => {
    const d = scratch();
    expect(() => CommitLock.acquire([join(d, 'missing')])).toThrow(
      expect.objectContaining({ code: 'ENOENT' }) as never,
    );
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('the journal', () => {
  test('no directory: no lock, and record and release do nothing', () => {
    const d = scratch();
    const cwd = process.cwd();
    process.chdir(d);
    try {
      const lock = CommitLock.acquire([]);
      lock.record('committing', [{ target: 'x', tmp: 'y' }]);
      lock.release();
      expect(readdirSync(d)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  test('each record replaces the journal whole, with every locked directory', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const lock = CommitLock.acquire([join(d, 'b'), join(d, 'a'), join(d, 'b')]);
    const first = read(join(d, 'a', LOCK_NAME));
    lock.record('staging', [{ target: 't', tmp: 'u', backup: 'v' }]);
    lock.record('committing', []);
    expect(read(join(d, 'a', LOCK_NAME))).toEqual({
      retarget: 'commit-lock/v1',
      pid: process.pid,
      host: hostname(),
      start: first.start,
      nonce: first.nonce,
      dirs: [join(d, 'a'), join(d, 'b')],
      state: 'committing',
      entries: [],
    });
    lock.release();
  });

  test('a journal that cannot be replaced: the error, and no half-written journal left', () => {
    const d = scratch();
    const lock = CommitLock.acquire([d]);
    // The journal's place taken by a directory that is not empty: the rename fails.
    const path = join(d, LOCK_NAME);
    unlinkSync(path);
    mkdirSync(path);
    writeFileSync(join(path, 'x'), 'x');
    expect(() => lock.record('committing', [])).toThrow();
    expect(readdirSync(d)).toEqual([LOCK_NAME]);
  });
});

describe('recovering', () => {
  test('a temporary file that is not a regular file is not renamed over a target', () => {
    const d = scratch();
    writeFileSync(join(d, 'x.yaml'), 'old\n');
    mkdirSync(join(d, '.x.tmp'));
    writeFileSync(join(d, 'victim'), 'v\n');
    symlinkSync(join(d, 'victim'), join(d, '.y.tmp'));
    writeFileSync(join(d, 'y.yaml'), 'old y\n');
    const entries = [
      { target: join(d, 'x.yaml'), tmp: join(d, '.x.tmp') },
      { target: join(d, 'y.yaml'), tmp: join(d, '.y.tmp') },
    ];
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ state: 'committing', dirs: [d], entries })),
    );
    const notices: string[] = [];
    CommitLock.acquire([d], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([
      `${d}: finished the commit of an interrupted retarget run (pid ${deadPid}): 0 of 2 files were still to be renamed`,
    ]);
    expect(readFileSync(join(d, 'x.yaml'), 'utf8')).toBe('old\n');
    expect(readFileSync(join(d, 'y.yaml'), 'utf8')).toBe('old y\n');
  });

  test('a journal with no state or entries: its locks removed, nothing said', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    writeFileSync(
      join(d, 'a', LOCK_NAME),
      JSON.stringify(record({ dirs: [join(d, 'a'), join(d, 'b')] })),
    );
    writeFileSync(
      join(d, 'b', LOCK_NAME),
      JSON.stringify(record({ primary: join(d, 'a', LOCK_NAME) })),
    );
    writeFileSync(join(d, 'b', 'keep.yaml'), 'k\n');
    const notices: string[] = [];
    CommitLock.acquire([join(d, 'a')], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([]);
    expect(readdirSync(join(d, 'a'))).toEqual([]);
    expect(readdirSync(join(d, 'b'))).toEqual(['keep.yaml']);
  });

  test('"staging" with no entries: said, nothing else removed', () => {
    const d = scratch();
    writeFileSync(join(d, 'x.yaml'), 'x\n');
    writeFileSync(join(d, LOCK_NAME), JSON.stringify(record({ state: 'staging', dirs: [d] })));
    const notices: string[] = [];
    settleInputDirectories([{ path: join(d, 'x.yaml') }], (m) => notices.push(m));
    expect(notices).toEqual([
      `${d}: undid an interrupted retarget run (pid ${deadPid}): it had changed no file; its temporary files are removed`,
    ]);
    expect(readdirSync(d)).toEqual(['x.yaml']);
  });

  test('only the journal leftovers of its exact name are removed', () => {
    const d = scratch();
    const hex = '0123456789abcdef01234567';
    const leftovers = [`${LOCK_NAME}.${hex}.new`, `${LOCK_NAME}.${'f'.repeat(24)}.new`];
    const kept = [
      `${LOCK_NAME}.${hex.slice(1)}.new`,
      `${LOCK_NAME}.${hex}0.new`,
      `${LOCK_NAME}.${hex.toUpperCase()}.new`,
      `${LOCK_NAME}.${hex}.new.x`,
      `${LOCK_NAME}.${hex}.old`,
      `x${LOCK_NAME}.${hex}.new`,
      `${LOCK_NAME}x${hex}.new`,
      `${LOCK_NAME}.${hex}xnew`,
      `.retargetxlock.${hex}.new`,
      `${LOCK_NAME}.${'g'.repeat(24)}.new`,
    ];
    for (const name of [...leftovers, ...kept]) writeFileSync(join(d, name), 'x');
    writeFileSync(join(d, LOCK_NAME), JSON.stringify(record({ state: 'done', dirs: [d] })));
    settleInputDirectories([{ path: join(d, 'x.yaml') }]);
    expect(readdirSync(d).sort()).toEqual([...kept].sort());
  });

  test('a secondary lock whose journal belongs to another run: only the secondary is removed', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const other = record({
      nonce: 'cd'.repeat(12),
      state: 'staging',
      dirs: [join(d, 'a')],
      entries: [],
    });
    writeFileSync(join(d, 'a', LOCK_NAME), JSON.stringify(other));
    writeFileSync(
      join(d, 'b', LOCK_NAME),
      JSON.stringify(record({ primary: join(d, 'a', LOCK_NAME) })),
    );
    const notices: string[] = [];
    CommitLock.acquire([join(d, 'b')], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([]);
    expect(read(join(d, 'a', LOCK_NAME))).toEqual(other);
    expect(readdirSync(join(d, 'b'))).toEqual([]);
  });

  test('a secondary lock whose journal run is alive: the journal is left to it', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const live = record({
      pid: process.pid,
      state: 'staging',
      dirs: [join(d, 'a'), join(d, 'b')],
      entries: [],
    });
    writeFileSync(join(d, 'a', LOCK_NAME), JSON.stringify(live));
    writeFileSync(
      join(d, 'b', LOCK_NAME),
      JSON.stringify(record({ primary: join(d, 'a', LOCK_NAME) })),
    );
    CommitLock.acquire([join(d, 'b')]).release();
    expect(read(join(d, 'a', LOCK_NAME))).toEqual(live);
  });

  test('a secondary lock whose journal is gone: removed', () => {
    const d = scratch();
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ primary: join(d, 'nowhere', LOCK_NAME) })),
    );
    CommitLock.acquire([d]).release();
    expect(readdirSync(d)).toEqual([]);
  });

  test('a torn lock named by a dead journal is removed with it', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    writeFileSync(
      join(d, 'a', LOCK_NAME),
      JSON.stringify(record({ state: 'done', dirs: [join(d, 'a'), join(d, 'b')] })),
    );
    writeFileSync(join(d, 'b', LOCK_NAME), '{"torn');
    CommitLock.acquire([join(d, 'a')]).release();
    expect(existsSync(join(d, 'b', LOCK_NAME))).toBe(false);
  });
});

describe('the directories locked or settled', () => {
  test('settleInputDirectories: each directory once, stdin skipped, a live one refused by name', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const lock = CommitLock.acquire([join(d, 'b')]);
    const inputs = [
      { path: join(d, 'a', 'x.yaml') },
      { path: '-' },
      { path: join(d, 'b', 'y.yaml') },
      { path: join(d, 'a', 'z.yaml') },
    ];
    expect(located(() => settleInputDirectories(inputs)).path).toBe(join(d, 'b'));
    lock.release();
    settleInputDirectories(inputs);
    expect(readdirSync(join(d, 'a'))).toEqual([]);
  });

  test('lockInputDirectories: one lock per directory of the inputs, released together', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const lock = lockInputDirectories([
      { path: join(d, 'b', 'x.yaml') },
      { path: join(d, 'a', 'y.yaml') },
      { path: join(d, 'b', 'z.yaml') },
    ]);
    expect(read(join(d, 'a', LOCK_NAME)).dirs).toEqual([join(d, 'a'), join(d, 'b')]);
    expect(read(join(d, 'b', LOCK_NAME)).primary).toBe(join(d, 'a', LOCK_NAME));
    lock.release();
    expect([readdirSync(join(d, 'a')), readdirSync(join(d, 'b'))]).toEqual([[], []]);
  });

  test('lockInputDirectories passes notices on', () => {
    const d = scratch();
    writeFileSync(
      join(d, LOCK_NAME),
      JSON.stringify(record({ state: 'staging', dirs: [d], entries: [] })),
    );
    const notices: string[] = [];
    lockInputDirectories([{ path: join(d, 'x.yaml') }], (m) => notices.push(m)).release();
    expect(notices).toHaveLength(1);
  });
});

describe('more edges', () => {
  const openDescriptors = () => readdirSync('/proc/self/fd').length;

  test('a lock released twice does not remove the lock another run took since', () => {
    const d = scratch();
    const first = CommitLock.acquire([d]);
    first.release();
    const second = CommitLock.acquire([d]);
    const held = readFileSync(join(d, LOCK_NAME), 'utf8');
    first.release();
    expect(readFileSync(join(d, LOCK_NAME), 'utf8')).toBe(held);
    second.release();
  });

  test('"committing" with no entries: 0 of 0 files', () => {
    const d = scratch();
    writeFileSync(join(d, LOCK_NAME), JSON.stringify(record({ state: 'committing', dirs: [d] })));
    const notices: string[] = [];
    CommitLock.acquire([d], undefined, (m) => notices.push(m)).release();
    expect(notices).toEqual([
      `${d}: finished the commit of an interrupted retarget run (pid ${deadPid}): 0 of 0 files were still to be renamed`,
    ]);
  });

  test('an old record of another program is replaced like an old torn one', () => {
    const d = scratch();
    writeFileSync(join(d, LOCK_NAME), JSON.stringify({ retarget: 'other', pid: 1 }));
    age(join(d, LOCK_NAME), 60);
    const lock = CommitLock.acquire([d]);
    expect(read(join(d, LOCK_NAME)).pid).toBe(process.pid);
    lock.release();
  });

  test('a lock path under a regular file: the system error, not a symlink message', () => {
    const d = scratch();
    writeFileSync(join(d, 'file'), 'x');
    expect(() => settleInputDirectories([{ path: join(d, 'file', 'x.yaml') }])).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }) as never,
    );
  });

  test('reading, taking and releasing locks leaves no descriptor open', () => {
    const d = scratch();
    const before = openDescriptors();
    const lock = CommitLock.acquire([d]);
    lock.record('staging', []);
    expect(located(() => settleInputDirectories([{ path: join(d, 'x.yaml') }])).code).toBe(
      'LOCKED',
    );
    lock.release();
    writeFileSync(join(d, LOCK_NAME), '{');
    expect(located(() => settleInputDirectories([{ path: join(d, 'x.yaml') }])).code).toBe(
      'LOCKED',
    );
    expect(openDescriptors()).toBe(before);
  });

  test('stdin is no directory to settle, whatever the working directory holds', () => {
    const d = scratch();
    const lock = CommitLock.acquire([d]);
    const cwd = process.cwd();
    process.chdir(d);
    try {
      settleInputDirectories([{ path: '-' }]);
    } finally {
      process.chdir(cwd);
      lock.release();
    }
  });

  test('directories are settled in name order: the first held one is named', () => {
    const d = scratch();
    mkdirSync(join(d, 'a'));
    mkdirSync(join(d, 'b'));
    const a = CommitLock.acquire([join(d, 'a')]);
    const b = CommitLock.acquire([join(d, 'b')]);
    try {
      expect(
        located(() =>
          settleInputDirectories([
            { path: join(d, 'b', 'y.yaml') },
            { path: join(d, 'a', 'x.yaml') },
          ]),
        ).path,
      ).toBe(join(d, 'a'));
    } finally {
      a.release();
      b.release();
    }
  });
});
