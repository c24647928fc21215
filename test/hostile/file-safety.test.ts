import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LOCK_NAME } from '../../src/io/commit-lock';
import { DIST, REPO } from '../support/run';
import { LEGACY_DEPLOYMENT } from '../support/workloads';
import { STACK_FRAME } from './support';

/**
 * Output and file safety (docs/file-safety.md), under real conditions: /dev/full, a
 * reader that stops reading, planted symlinks, hard links, modes and owners, a run
 * killed with SIGKILL mid-commit, two runs at once.
 */
const CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: t
fsGroup: 1234
`;

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'retarget-safety-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

function workload(i: number | string): string {
  return LEGACY_DEPLOYMENT.replace(/\bweb\b/g, `w${i}`);
}

function cli(args: string[], options: { stdout?: number | 'pipe'; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [join(DIST, 'retarget.js'), ...args], {
    cwd: options.cwd ?? REPO,
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['pipe', options.stdout ?? 'pipe', 'pipe'],
    env: { ...process.env, RETARGET_DEBUG: '' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr };
}

function hidden(d: string): string[] {
  return readdirSync(d).filter((f) => f.startsWith('.'));
}

/** A package big enough that its output does not fit a pipe's buffer (64 KiB). */
function bigPackage(): string {
  const d = dir({ 'c.yaml': CONFIG });
  writeFileSync(
    join(d, 'in.yaml'),
    Array.from({ length: 200 }, (_, i) => workload(i)).join('---\n'),
  );
  return d;
}

describe('stdout: every write checked through to the end', () => {
  test('stdout on a full device (/dev/full): exit 1, one line naming stdout, no stack', () => {
    const d = bigPackage();
    const full = openSync('/dev/full', 'w');
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in.yaml')], { stdout: full });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: <stdout>: cannot write \(ENOSPC\): the output is incomplete/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  test('the KRM executables too: a ResourceList to /dev/full is exit 1', () => {
    const d = bigPackage();
    const items = parseAllDocuments(readFileSync(join(d, 'in.yaml'), 'utf8')).map((doc) =>
      doc.toJS(),
    );
    const list = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      functionConfig: {
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'SetFsGroup',
        metadata: { name: 'x' },
        fsGroup: 7,
      },
      items,
    });
    const r = spawnSync(process.execPath, [join(DIST, 'retarget-set-fs-group.js')], {
      input: list,
      stdio: ['pipe', openSync('/dev/full', 'w'), 'pipe'],
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('<stdout>: cannot write (ENOSPC)');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  test('a reader that stops reading (| head -c 10): silent exit 141, as a tool killed by SIGPIPE', () => {
    const d = bigPackage();
    // The writer's status is in PIPESTATUS (`$?` of a pipeline is head's).
    const again = spawnSync(
      '/bin/bash',
      [
        '-c',
        `"${process.execPath}" "${join(DIST, 'retarget.js')}" hydrate -c c.yaml in.yaml 2>err.txt | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`,
      ],
      { cwd: d, encoding: 'utf8' },
    );
    expect(again.stdout.trim()).toBe('141');
    expect(readFileSync(join(d, 'err.txt'), 'utf8')).toBe('');
  });
});

describe('-o: nothing is written outside the output directory', () => {
  test('a symlink planted at an output name is replaced by the file, its target untouched', () => {
    const d = dir({ 'c.yaml': CONFIG, 'in/a.yaml': workload('a'), 'victim.txt': 'keep\n' });
    mkdirSync(join(d, 'out'));
    symlinkSync(join(d, 'victim.txt'), join(d, 'out/a.yaml'));
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '-o', join(d, 'out')]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 'victim.txt'), 'utf8')).toBe('keep\n');
    expect(lstatSync(join(d, 'out/a.yaml')).isFile()).toBe(true);
    expect(readFileSync(join(d, 'out/a.yaml'), 'utf8')).toContain('fsGroup: 1234');
  });

  test('a symlinked directory inside the output tree is refused: exit 1, nothing written there', () => {
    const d = dir({ 'c.yaml': CONFIG, 'in/sub/a.yaml': workload('a') });
    mkdirSync(join(d, 'out'));
    mkdirSync(join(d, 'elsewhere'));
    symlinkSync(join(d, 'elsewhere'), join(d, 'out/sub'));
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '-o', join(d, 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${join(d, 'out/sub')}: cannot write: is a symlink in the output directory`,
    );
    expect(readdirSync(join(d, 'elsewhere'))).toEqual([]);
  });

  test('-o inside the input directory: the next run does not read the previous output', () => {
    const d = dir({ 'c.yaml': CONFIG, 'pkg/a.yaml': workload('a') });
    const args = ['hydrate', '-c', join(d, 'c.yaml'), join(d, 'pkg'), '-o', join(d, 'pkg/out')];
    expect(cli(args).status).toBe(0);
    const second = cli(args);
    expect(second.status).toBe(0);
    expect(readdirSync(join(d, 'pkg/out'))).toEqual(['a.yaml']);
  });
});

describe('--in-place: temporary and backup files, symlinks, metadata', () => {
  test('names planted for the old predictable temporary and backup names are never followed', () => {
    const d = dir({ 'c.yaml': CONFIG, 'in/a.yaml': workload('a'), 'victim.txt': 'keep\n' });
    // What the former scheme would have used for the next pids: symlinks to a victim.
    for (let pid = 1; pid < 300; pid++) {
      for (const name of [`.a.yaml.retarget-${pid}-0.tmp`, `.a.yaml.retarget-${pid}-0.orig`]) {
        symlinkSync(join(d, 'victim.txt'), join(d, 'in', name));
      }
    }
    expect(cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '--in-place']).status).toBe(0);
    expect(readFileSync(join(d, 'victim.txt'), 'utf8')).toBe('keep\n');
    expect(readFileSync(join(d, 'in/a.yaml'), 'utf8')).toContain('fsGroup: 1234');
  });

  test('a symlink in an input directory pointing outside it is refused, not written through', () => {
    const d = dir({
      'c.yaml': CONFIG,
      'in/a.yaml': workload('a'),
      'outside/v.yaml': workload('v'),
    });
    symlinkSync(join(d, 'outside/v.yaml'), join(d, 'in/v.yaml'));
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '--in-place']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is a symlink to');
    expect(r.stderr).toContain('no file was changed');
    expect(readFileSync(join(d, 'outside/v.yaml'), 'utf8')).toBe(workload('v'));
    expect(readFileSync(join(d, 'in/a.yaml'), 'utf8')).toBe(workload('a'));
  });

  test('YAML and Dockerfile --in-place agree: a symlink named on the command line is written where it points', () => {
    const d = dir({
      'c.yaml': `${CONFIG}awsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n  initSystem: systemd\n`,
      'real/a.yaml': workload('a'),
      'real/Dockerfile': 'FROM debian\nCMD ["/start"]\n',
    });
    symlinkSync(join(d, 'real/a.yaml'), join(d, 'a.yaml'));
    symlinkSync(join(d, 'real/Dockerfile'), join(d, 'Dockerfile'));
    expect(cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'a.yaml'), '--in-place']).status).toBe(
      0,
    );
    const docker = cli([
      'dockerfile',
      '-c',
      join(d, 'c.yaml'),
      join(d, 'Dockerfile'),
      '--in-place',
    ]);
    expect(docker.status).toBe(0);
    for (const name of ['a.yaml', 'Dockerfile'])
      expect(lstatSync(join(d, name)).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real/a.yaml'), 'utf8')).toContain('fsGroup: 1234');
    expect(readFileSync(join(d, 'real/Dockerfile'), 'utf8')).toContain('# >>> retarget');
    expect(hidden(join(d, 'real'))).toEqual([]);
    expect(hidden(d)).toEqual([]);
  });

  test('mode 0600 and the owner are kept; a hard link keeps the old content under its other name', () => {
    const d = dir({ 'c.yaml': CONFIG, 'in/a.yaml': workload('a') });
    const path = join(d, 'in/a.yaml');
    chmodSync(path, 0o600);
    const root = process.getuid?.() === 0;
    if (root) chownSync(path, 1234, 5678);
    linkSync(path, join(d, 'other-name.yaml'));
    expect(cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '--in-place']).status).toBe(0);
    const stat = statSync(path);
    expect(stat.mode & 0o7777).toBe(0o600);
    expect([stat.uid, stat.gid]).toEqual(
      root ? [1234, 5678] : [process.getuid?.(), process.getgid?.()],
    );
    expect(readFileSync(path, 'utf8')).toContain('fsGroup: 1234');
    expect(readFileSync(join(d, 'other-name.yaml'), 'utf8')).toBe(workload('a'));
  });
});

describe('--in-place over many files: a lock, and recovery after a kill', () => {
  const N = 400;
  function many(): string {
    const d = dir({ 'c.yaml': CONFIG });
    mkdirSync(join(d, 'in'));
    for (let i = 0; i < N; i++) writeFileSync(join(d, 'in', `w${i}.yaml`), workload(i));
    return d;
  }
  const hydrated = (d: string) =>
    readdirSync(join(d, 'in')).filter(
      (f) => !f.startsWith('.') && readFileSync(join(d, 'in', f), 'utf8').includes('fsGroup: 1234'),
    ).length;

  test('a second run while the first holds the lock fails with a clear message and changes nothing', () => {
    const d = many();
    // The lock of a live process (this one) on the directory.
    writeFileSync(
      join(d, 'in', LOCK_NAME),
      JSON.stringify({
        retarget: 'commit-lock/v1',
        pid: process.pid,
        host: hostname(),
        nonce: 'x',
      }),
    );
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '--in-place']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${join(d, 'in')}: is being written by another retarget run (pid ${process.pid}`,
    );
    expect(hydrated(d)).toBe(0);
    // A reading run (stdout) is refused too: the files would be a mix.
    expect(cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in')]).status).toBe(1);
  });

  test('two runs started together: one writes, the other fails or finds nothing to do; never a mix', async () => {
    const d = many();
    const run = () =>
      new Promise<number | null>((done) => {
        const child = spawn(
          process.execPath,
          [
            join(DIST, 'retarget.js'),
            'hydrate',
            '-c',
            join(d, 'c.yaml'),
            join(d, 'in'),
            '--in-place',
          ],
          { stdio: 'ignore' },
        );
        child.on('exit', (code) => done(code));
      });
    const codes = await Promise.all([run(), run()]);
    expect(codes).toContain(0);
    expect(hydrated(d)).toBe(N);
    expect(hidden(join(d, 'in'))).toEqual([]);
  }, 60_000);

  test.each(['staging', 'committing'])(
    'SIGKILL while %s: the next run finishes or undoes it, every file hydrated once, no leftover',
    async (phase) => {
      const d = many();
      const child = spawn(
        process.execPath,
        [
          join(DIST, 'retarget.js'),
          'hydrate',
          '-c',
          join(d, 'c.yaml'),
          join(d, 'in'),
          '--in-place',
        ],
        { stdio: 'ignore' },
      );
      const lock = join(d, 'in', LOCK_NAME);
      const started = Date.now();
      // Wait for the phase in the journal, then kill at once.
      while (Date.now() - started < 30_000) {
        const text = existsSync(lock) ? readFileSync(lock, 'utf8') : '';
        if (text.includes(`"state":"${phase}"`)) break;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      // Killed, not finished before the phase was seen.
      expect(child.signalCode).toBe('SIGKILL');
      const after = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in'), '--in-place']);
      expect(after.status).toBe(0);
      expect(hydrated(d)).toBe(N);
      for (const f of readdirSync(join(d, 'in')).filter((n) => !n.startsWith('.')))
        expect(readFileSync(join(d, 'in', f), 'utf8').match(/fsGroup: 1234/g)).toHaveLength(1);
      expect(hidden(join(d, 'in'))).toEqual([]);
    },
    90_000,
  );
});

describe('input directories', () => {
  test('a symlinked manifest is read (kubectl reads it); a symlink loop is walked once', () => {
    const d = dir({ 'c.yaml': CONFIG, 'store/b.yaml': workload('b'), 'in/a.yaml': workload('a') });
    symlinkSync(join(d, 'store/b.yaml'), join(d, 'in/b.yaml'));
    symlinkSync(join(d, 'in'), join(d, 'in/loop'));
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), join(d, 'in')]);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^kind: Deployment$/gm)).toHaveLength(2);
    expect(r.stdout).toContain('name: wa');
    expect(r.stdout).toContain('name: wb');
  });
});
