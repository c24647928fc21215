import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { UsageError } from '../../src/errors';
import { CommitLock, LOCK_NAME } from '../../src/io/commit-lock';
import { commitFiles, nodeFileOps, WriteError } from '../../src/io/commit';
import type { FileOps } from '../../src/io/commit';

/**
 * commitFiles (src/io/commit.ts) as the CLI uses it, in process: where -o and --in-place
 * may write (the output tree, symlinks), what a replacement keeps of the file it
 * replaces (mode, owner, set-id bits), the journal a killed run is recovered from, and
 * the exact messages of each refusal and failure.
 */
const scratch = () => mkdtempSync(join(tmpdir(), 'retarget-commit-'));

function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** Every entry under `d`, recursively: file contents, `<dir>`, `-> target` for links. */
function tree(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = relative(d, path);
      const st = fs.lstatSync(path);
      if (st.isSymbolicLink()) out[key] = `-> ${fs.readlinkSync(path)}`;
      else if (st.isDirectory()) {
        out[key] = '<dir>';
        walk(path);
      } else out[key] = readFileSync(path, 'utf8');
    }
  };
  walk(d);
  return out;
}

function ops(overrides: Partial<FileOps>): FileOps {
  return { ...nodeFileOps, ...overrides } as FileOps;
}

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

describe('-o DIR (outputRoot)', () => {
  test('creates the output tree, nested directories included, and writes only the targets', () => {
    const d = scratch();
    const out = join(d, 'out');
    commitFiles(
      [
        { path: join(out, 'a.yaml'), text: 'a: 1\n' },
        { path: join(out, 'x/y/b.yaml'), text: 'b: 2\n' },
      ],
      { outputRoot: out },
    );
    expect(tree(out)).toEqual({
      'a.yaml': 'a: 1\n',
      x: '<dir>',
      'x/y': '<dir>',
      'x/y/b.yaml': 'b: 2\n',
    });
  });

  test.each([
    ['a sibling of the output directory', '../elsewhere.yaml'],
    ['the output directory itself', '.'],
    ['the directory above it', '..'],
    ['a path that climbs out and back', 'x/../../out2/a.yaml'],
  ])('refuses %s: nothing is written', (_, rel) => {
    const d = scratch();
    const out = join(d, 'out');
    mkdirSync(out);
    const given = join(out, rel);
    const error = thrown(() =>
      commitFiles([{ path: given, text: 'x\n' }], { outputRoot: out }),
    ) as WriteError;
    expect(error).toBeInstanceOf(WriteError);
    expect(error.name).toBe('WriteError');
    expect(error.reason).toBe('cannot write: outside the output directory; no file was changed');
    expect(error.location.path).toBe(given);
    expect(tree(d)).toEqual({ out: '<dir>' });
  });

  test('a name that only begins with two dots (..x.yaml) is inside the output directory', () => {
    const d = scratch();
    const out = join(d, 'out');
    commitFiles(
      [
        { path: join(out, '..x.yaml'), text: 'x: 1\n' },
        { path: join(out, '..sub/y.yaml'), text: 'y: 2\n' },
      ],
      { outputRoot: out },
    );
    expect(tree(d)).toEqual({
      out: '<dir>',
      'out/..sub': '<dir>',
      'out/..sub/y.yaml': 'y: 2\n',
      'out/..x.yaml': 'x: 1\n',
    });
  });

  test('a symlinked directory inside the output tree is refused, never written through', () => {
    const d = scratch();
    const out = join(d, 'out');
    const elsewhere = join(d, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'sub'));
    const error = thrown(() =>
      commitFiles([{ path: join(out, 'sub/a.yaml'), text: 'a\n' }], { outputRoot: out }),
    ) as WriteError;
    expect(error.reason).toBe(
      'cannot write: is a symlink in the output directory; retarget does not write through it (remove it, or give its target as -o); no file was changed',
    );
    expect(error.location.path).toBe(join(fs.realpathSync(out), 'sub'));
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  test('a file where the tree needs a directory is refused', () => {
    const d = scratch();
    const out = join(d, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'sub'), 'a file\n');
    const error = thrown(() =>
      commitFiles([{ path: join(out, 'sub/a.yaml'), text: 'a\n' }], { outputRoot: out }),
    ) as WriteError;
    expect(error.reason).toBe('cannot write: is not a directory; no file was changed');
    expect(error.location.path).toBe(join(fs.realpathSync(out), 'sub'));
  });

  test('the output directory given through a symlink: the files go to the real directory', () => {
    const d = scratch();
    const real = join(d, 'real');
    mkdirSync(real);
    symlinkSync(real, join(d, 'link'));
    commitFiles([{ path: join(d, 'link/a/b.yaml'), text: 'b\n' }], {
      outputRoot: join(d, 'link'),
    });
    expect(tree(real)).toEqual({ a: '<dir>', 'a/b.yaml': 'b\n' });
  });

  test('a symlink at an output name is replaced by the file; what it pointed to is untouched', () => {
    const d = scratch();
    const out = join(d, 'out');
    mkdirSync(out);
    writeFileSync(join(d, 'victim.yaml'), 'precious\n');
    symlinkSync(join(d, 'victim.yaml'), join(out, 'a.yaml'));
    commitFiles([{ path: join(out, 'a.yaml'), text: 'new\n' }], { outputRoot: out });
    expect(fs.lstatSync(join(out, 'a.yaml')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(out, 'a.yaml'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(d, 'victim.yaml'), 'utf8')).toBe('precious\n');
  });

  test('a directory another run creates at the same moment (EEXIST) is used', () => {
    const d = scratch();
    const out = join(d, 'out');
    mkdirSync(out);
    const racing = ops({
      mkdirSync: (path: string, options?: { recursive?: boolean; mode?: number }) => {
        fs.mkdirSync(path, options);
        // The output directory itself is made with `recursive`, which never fails so.
        if (!options?.recursive) throw errno('EEXIST');
      },
    });
    commitFiles([{ path: join(out, 'x/a.yaml'), text: 'a\n' }], { outputRoot: out, ops: racing });
    expect(tree(out)).toEqual({ x: '<dir>', 'x/a.yaml': 'a\n' });
  });

  test('a directory that cannot be created is a located error', () => {
    const d = scratch();
    const out = join(d, 'out');
    mkdirSync(out);
    const denied = ops({
      mkdirSync: (path: string, options?: { recursive?: boolean; mode?: number }) => {
        if (!options?.recursive) throw errno('EACCES');
        fs.mkdirSync(path, options);
      },
    });
    const error = thrown(() =>
      commitFiles([{ path: join(out, 'x/a.yaml'), text: 'a\n' }], {
        outputRoot: out,
        ops: denied,
      }),
    ) as WriteError;
    expect(error.reason).toBe('cannot write (EACCES); no file was changed');
    expect(error.location.path).toBe(join(fs.realpathSync(out), 'x'));
  });

  test('an output directory that cannot be created is a located error too', () => {
    const d = scratch();
    writeFileSync(join(d, 'file'), 'a file\n');
    const out = join(d, 'file/out');
    const error = thrown(() =>
      commitFiles([{ path: join(out, 'a.yaml'), text: 'a\n' }], { outputRoot: out }),
    ) as WriteError;
    expect(error).toBeInstanceOf(WriteError);
    expect(error.reason).toBe('cannot write (ENOTDIR); no file was changed');
    expect(error.location.path).toBe(out);
  });
});

describe('--in-place through symlinks', () => {
  const linkTo = (d: string, target: string) => {
    symlinkSync(target, join(d, 'link.yaml'));
    return join(d, 'link.yaml');
  };

  test('a link to a file outside the paths given is refused, with where it points', () => {
    const d = scratch();
    const outside = scratch();
    writeFileSync(join(outside, 'real.yaml'), 'old\n');
    const link = linkTo(d, join(outside, 'real.yaml'));
    const error = thrown(() =>
      commitFiles([{ path: link, text: 'new\n' }], { writeThroughWithin: [d] }),
    ) as WriteError;
    expect(error.reason).toBe(
      `cannot write: is a symlink to ${fs.realpathSync(join(outside, 'real.yaml'))}, outside the paths given; retarget writes through a symlink only to a file under them; no file was changed`,
    );
    expect(error.location.path).toBe(link);
    expect(readFileSync(join(outside, 'real.yaml'), 'utf8')).toBe('old\n');
  });

  test('with no path given to write through, every link is refused', () => {
    const d = scratch();
    writeFileSync(join(d, 'real.yaml'), 'old\n');
    const link = linkTo(d, join(d, 'real.yaml'));
    expect(() => commitFiles([{ path: link, text: 'new\n' }])).toThrow(/is a symlink to/);
    expect(readFileSync(join(d, 'real.yaml'), 'utf8')).toBe('old\n');
  });

  test('a directory whose name only begins like the one given is not under it', () => {
    const d = scratch();
    mkdirSync(join(d, 'app'));
    mkdirSync(join(d, 'app2'));
    writeFileSync(join(d, 'app2/real.yaml'), 'old\n');
    symlinkSync(join(d, 'app2/real.yaml'), join(d, 'app/link.yaml'));
    expect(() =>
      commitFiles([{ path: join(d, 'app/link.yaml'), text: 'new\n' }], {
        writeThroughWithin: [join(d, 'app')],
      }),
    ).toThrow(/outside the paths given/);
    expect(readFileSync(join(d, 'app2/real.yaml'), 'utf8')).toBe('old\n');
  });

  test('the file given itself, and a directory given with a trailing slash, allow the link', () => {
    const d = scratch();
    writeFileSync(join(d, 'real.yaml'), 'old\n');
    const link = linkTo(d, join(d, 'real.yaml'));
    commitFiles([{ path: link, text: 'one\n' }], { writeThroughWithin: [join(d, 'real.yaml')] });
    expect(readFileSync(join(d, 'real.yaml'), 'utf8')).toBe('one\n');
    commitFiles([{ path: link, text: 'two\n' }], { writeThroughWithin: [`${d}/`] });
    expect(readFileSync(join(d, 'real.yaml'), 'utf8')).toBe('two\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('a dangling link is refused, and stays as it was', () => {
    const d = scratch();
    const link = linkTo(d, join(d, 'new.yaml'));
    const error = thrown(() =>
      commitFiles([{ path: link, text: 'created\n' }], { writeThroughWithin: [d] }),
    ) as WriteError;
    expect(error.reason).toBe('cannot write: is not a regular file; no file was changed');
    expect(tree(d)).toEqual({ 'link.yaml': `-> ${join(d, 'new.yaml')}` });
  });
});

describe('targets that are not files', () => {
  test('a directory', () => {
    const d = scratch();
    mkdirSync(join(d, 'a.yaml'));
    const error = thrown(() =>
      commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }]),
    ) as WriteError;
    expect(error.reason).toBe('cannot write: is a directory; no file was changed');
    expect(error.location.path).toBe(join(d, 'a.yaml'));
  });

  test('a FIFO', () => {
    const d = scratch();
    execFileSync('mkfifo', [join(d, 'a.yaml')]);
    const error = thrown(() =>
      commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }]),
    ) as WriteError;
    expect(error.reason).toBe('cannot write: is not a regular file; no file was changed');
    expect(fs.lstatSync(join(d, 'a.yaml')).isFIFO()).toBe(true);
  });
});

describe('the change as a whole', () => {
  test('two writes to one file (by different spellings) are a usage error, before any write', () => {
    const d = scratch();
    const error = thrown(() =>
      commitFiles([
        { path: join(d, 'a.yaml'), text: '1\n' },
        { path: join(d, 'x/../a.yaml'), text: '2\n' },
      ]),
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      `two inputs would be written to ${join(d, 'x/../a.yaml')}; give their directory instead of the files, so each keeps its relative path`,
    );
    expect(readdirSync(d)).toEqual([]);
  });

  test('nothing to write: no file-system call at all (no lock taken)', () => {
    const calls: string[] = [];
    const spy = Object.fromEntries(
      Object.keys(nodeFileOps).map((k) => [
        k,
        () => {
          calls.push(k);
          throw new Error(`unexpected ${k}`);
        },
      ]),
    ) as unknown as FileOps;
    commitFiles([], { ops: spy, outputRoot: '/nonexistent/out' });
    expect(calls).toEqual([]);
  });

  test('the journal names every temporary and backup file: staging, committing, done', () => {
    const d = scratch();
    writeFileSync(join(d, 'old.yaml'), 'old\n');
    const journal = () => JSON.parse(readFileSync(join(d, LOCK_NAME), 'utf8'));
    const seen: { state: string; entries: Record<string, string>[] }[] = [];
    const watching = ops({
      openSync: (path: string, flags: string | number, mode?: number) => {
        seen.push(journal());
        return fs.openSync(path, flags, mode);
      },
      renameSync: (from: string, to: string) => {
        seen.push(journal());
        fs.renameSync(from, to);
      },
    });
    const lock = CommitLock.acquire([d]);
    commitFiles(
      [
        { path: join(d, 'old.yaml'), text: 'new\n' },
        { path: join(d, 'fresh.yaml'), text: 'fresh\n' },
      ],
      { ops: watching, lock },
    );
    // The lock the caller holds stays held, with the journal at rest.
    expect(journal()).toMatchObject({ state: 'done', entries: [] });
    lock.release();
    expect(fs.existsSync(join(d, LOCK_NAME))).toBe(false);
    const [staging, , committing] = seen;
    expect(staging.state).toBe('staging');
    expect(committing.state).toBe('committing');
    for (const record of [staging, committing]) {
      expect(record.entries).toHaveLength(2);
      const [old, fresh] = record.entries;
      expect(old.target).toBe(join(fs.realpathSync(d), 'old.yaml'));
      expect(old.tmp).toMatch(/\/\.old\.yaml\.retarget-[0-9a-f]{24}\.tmp$/);
      expect(old.backup).toMatch(/\/\.old\.yaml\.retarget-[0-9a-f]{24}\.orig$/);
      expect(fresh.target).toBe(join(fs.realpathSync(d), 'fresh.yaml'));
      expect(Object.keys(fresh).sort()).toEqual(['target', 'tmp']);
    }
    expect(tree(d)).toEqual({ 'fresh.yaml': 'fresh\n', 'old.yaml': 'new\n' });
  });

  test('its own lock is released when done', () => {
    const d = scratch();
    commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }]);
    expect(readdirSync(d)).toEqual(['a.yaml']);
  });
});

describe('failures: exact messages, nothing changed', () => {
  test('a failed write before any rename names the file and says nothing changed', () => {
    const d = scratch();
    writeFileSync(join(d, 'a.yaml'), 'old\n');
    const full = ops({
      writeSync: () => {
        throw errno('ENOSPC');
      },
    });
    const error = thrown(() =>
      commitFiles([{ path: join(d, 'a.yaml'), text: 'new\n' }], { ops: full }),
    ) as WriteError;
    expect(error.reason).toBe('cannot write (ENOSPC); no file was changed');
    expect(error.location.path).toBe(join(d, 'a.yaml'));
    expect(tree(d)).toEqual({ 'a.yaml': 'old\n' });
  });

  test('a thrown value that is no error object still gives a located message', () => {
    const d = scratch();
    const odd = ops({
      fsyncSync: () => {
        throw null;
      },
    });
    const error = thrown(() =>
      commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }], { ops: odd }),
    ) as WriteError;
    expect(error.reason).toBe('cannot write (error); no file was changed');
    const plain = ops({
      fsyncSync: () => {
        throw new Error('disk on fire');
      },
    });
    const second = thrown(() =>
      commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }], { ops: plain }),
    ) as WriteError;
    expect(second.reason).toBe('cannot write (disk on fire); no file was changed');
    expect(readdirSync(d)).toEqual([]);
  });

  test('renames and restores failing: the message lists each file not put back', () => {
    const d = scratch();
    for (const f of ['a', 'b', 'c']) writeFileSync(join(d, `${f}.yaml`), `${f}: old\n`);
    let renames = 0;
    const failing = ops({
      renameSync: (from: string, to: string) => {
        renames++;
        // 1, 2: a and b replaced; 3: c fails; 4, 5: restoring a and b fail.
        if (renames >= 3) throw errno('EIO');
        fs.renameSync(from, to);
      },
    });
    const error = thrown(() =>
      commitFiles(
        ['a', 'b', 'c'].map((f) => ({ path: join(d, `${f}.yaml`), text: `${f}: new\n` })),
        { ops: failing },
      ),
    ) as WriteError;
    const backup = (f: string) =>
      readdirSync(d).find((n) => n.startsWith(`.${f}.yaml.`) && n.endsWith('.orig'))!;
    expect(error.reason).toBe(
      `cannot write (EIO), and ${join(d, 'a.yaml')} (its old content is in ${join(d, backup('a'))}), ${join(d, 'b.yaml')} (its old content is in ${join(d, backup('b'))}) could not be put back`,
    );
    expect(error.location.path).toBe(join(d, 'c.yaml'));
    expect(readFileSync(join(d, backup('a')), 'utf8')).toBe('a: old\n');
    expect(readFileSync(join(d, 'c.yaml'), 'utf8')).toBe('c: old\n');
  });

  test('where hard links are not supported the backup is a copy, and a failed commit puts it back', () => {
    const d = scratch();
    for (const f of ['a', 'b']) writeFileSync(join(d, `${f}.yaml`), `${f}: old\n`);
    let renames = 0;
    const noLinks = ops({
      linkSync: () => {
        throw errno('EPERM');
      },
      renameSync: (from: string, to: string) => {
        renames++;
        // 1: a replaced; 2: b fails; 3: a's backup put back.
        if (renames === 2) throw errno('EIO');
        fs.renameSync(from, to);
      },
    });
    const error = thrown(() =>
      commitFiles(
        ['a', 'b'].map((f) => ({ path: join(d, `${f}.yaml`), text: `${f}: new\n` })),
        { ops: noLinks },
      ),
    ) as WriteError;
    expect(error.reason).toBe('cannot write (EIO); no file was changed');
    expect(tree(d)).toEqual({ 'a.yaml': 'a: old\n', 'b.yaml': 'b: old\n' });
    // And a commit that succeeds without links leaves no copy behind.
    commitFiles([{ path: join(d, 'a.yaml'), text: 'a: new\n' }], {
      ops: ops({ linkSync: noLinks.linkSync }),
    });
    expect(tree(d)).toEqual({ 'a.yaml': 'a: new\n', 'b.yaml': 'b: old\n' });
  });

  test('every file descriptor opened is closed, on success and on failure', () => {
    const d = scratch();
    const open = new Set<number>();
    const tracking = (failWrite: boolean) =>
      ops({
        openSync: (path: string, flags: string | number, mode?: number) => {
          const fd = fs.openSync(path, flags, mode);
          open.add(fd);
          return fd;
        },
        closeSync: (fd: number) => {
          open.delete(fd);
          fs.closeSync(fd);
        },
        writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
          if (failWrite) throw errno('EIO');
          return fs.writeSync(fd, buffer, offset, length);
        },
      });
    commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }], { ops: tracking(false) });
    expect([...open]).toEqual([]);
    expect(() =>
      commitFiles([{ path: join(d, 'b.yaml'), text: 'b\n' }], { ops: tracking(true) }),
    ).toThrow(WriteError);
    expect([...open]).toEqual([]);
    expect(readdirSync(d)).toEqual(['a.yaml']);
  });

  test('short writes: each call asks for the rest, from where the last one stopped', () => {
    const d = scratch();
    const calls: [number, number][] = [];
    const short = ops({
      writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
        calls.push([offset, length]);
        return fs.writeSync(fd, buffer, offset, Math.min(length, 4));
      },
    });
    const text = 'käse: 🧀\n'; // 12 bytes in UTF-8
    commitFiles([{ path: join(d, 'a.yaml'), text }], { ops: short });
    expect(calls).toEqual([
      [0, 12],
      [4, 8],
      [8, 4],
    ]);
    expect(readFileSync(join(d, 'a.yaml'), 'utf8')).toBe(text);
  });
});

describe('what a replacement keeps', () => {
  const mode = (path: string) => fs.statSync(path).mode & 0o7777;

  test('a new file gets 0644 less the umask', () => {
    const d = scratch();
    const before = process.umask(0o027);
    try {
      commitFiles([{ path: join(d, 'a.yaml'), text: 'a\n' }]);
    } finally {
      process.umask(before);
    }
    expect(mode(join(d, 'a.yaml'))).toBe(0o640);
  });

  test.each([0o600, 0o755, 0o2755])('an existing file keeps its mode %o', (m) => {
    const d = scratch();
    writeFileSync(join(d, 'a.yaml'), 'old\n');
    fs.chmodSync(join(d, 'a.yaml'), m);
    commitFiles([{ path: join(d, 'a.yaml'), text: 'new\n' }]);
    expect(mode(join(d, 'a.yaml'))).toBe(m);
    expect(readFileSync(join(d, 'a.yaml'), 'utf8')).toBe('new\n');
  });

  /** Ops that report the existing file as owned by `owner` and record the fchown calls. */
  function owned(owner: { uid: number; gid: number }, chown: (n: number) => void) {
    let n = 0;
    const calls: [number, number][] = [];
    const o = ops({
      lstatSync: (path: string, options: { throwIfNoEntry: false }) => {
        const st = fs.lstatSync(path, options);
        if (!st || !st.isFile()) return st;
        return Object.assign(Object.create(st) as fs.Stats, owner, { mode: st.mode });
      },
      fchownSync: (_fd: number, uid: number, gid: number) => {
        calls.push([uid, gid]);
        chown(++n);
      },
    });
    return { ops: o, calls };
  }

  const me = { uid: process.getuid!(), gid: process.getgid!() };

  test('a file of this user and group: no change of owner is attempted', () => {
    const d = scratch();
    writeFileSync(join(d, 'a.yaml'), 'old\n');
    const { ops: o, calls } = owned(me, () => {});
    commitFiles([{ path: join(d, 'a.yaml'), text: 'new\n' }], { ops: o });
    expect(calls).toEqual([]);
  });

  test.each([
    ['another owner', { uid: me.uid + 1000, gid: me.gid }],
    ['another group', { uid: me.uid, gid: me.gid + 1000 }],
  ])('a file of %s: the replacement gets the same owner and group', (_, owner) => {
    const d = scratch();
    writeFileSync(join(d, 'a.yaml'), 'old\n');
    const { ops: o, calls } = owned(owner, () => {});
    commitFiles([{ path: join(d, 'a.yaml'), text: 'new\n' }], { ops: o });
    expect(calls).toEqual([[owner.uid, owner.gid]]);
  });

  test('the owner cannot be kept but the group can: set-user-id is dropped, set-group-id kept', () => {
    const d = scratch();
    writeFileSync(join(d, 'a.yaml'), 'old\n');
    fs.chmodSync(join(d, 'a.yaml'), 0o6755);
    const owner = { uid: me.uid + 1000, gid: me.gid + 1000 };
    const { ops: o, calls } = owned(owner, (n) => {
      if (n === 1) throw errno('EPERM');
    });
    commitFiles([{ path: join(d, 'a.yaml'), text: 'new\n' }], { ops: o });
    expect(calls).toEqual([
      [owner.uid, owner.gid],
      [me.uid, owner.gid],
    ]);
    expect(mode(join(d, 'a.yaml'))).toBe(0o2755);
  });

  test('neither owner nor group can be kept: both set-id bits are dropped', () => {
    const d = scratch();
    writeFileSync(join(d, 'a.yaml'), 'old\n');
    fs.chmodSync(join(d, 'a.yaml'), 0o6755);
    const { ops: o } = owned({ uid: me.uid + 1000, gid: me.gid + 1000 }, () => {
      throw errno('EPERM');
    });
    commitFiles([{ path: join(d, 'a.yaml'), text: 'new\n' }], { ops: o });
    expect(mode(join(d, 'a.yaml'))).toBe(0o755);
  });
});
