import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitFiles, nodeFileOps, WriteError } from '../../src/io/commit';
import type { FileOps } from '../../src/io/commit';
import { DIST, REPO } from '../support/run';
import { LEGACY_DEPLOYMENT, SERVICE } from '../support/workloads';
import { STACK_FRAME } from './support';

/**
 * `-o` and `--in-place` write every file as one change (src/io/commit.ts): temporary
 * files first, then renames, with the replaced files put back if a rename fails. A failure
 * at any step leaves every target as it was: no partial, empty or half-written file.
 */
function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'retarget-atomic-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function snapshot(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(d).sort()) {
    const path = join(d, name);
    out[name] = fs.statSync(path).isDirectory() ? '<dir>' : readFileSync(path, 'utf8');
  }
  return out;
}

/** Node's fs with the Nth call of one method failing with `code`. */
function failing(method: keyof FileOps, nth: number, code = 'EIO'): FileOps {
  let calls = 0;
  const ops = { ...nodeFileOps } as Record<keyof FileOps, unknown>;
  const real = nodeFileOps[method] as (...args: unknown[]) => unknown;
  ops[method] = (...args: unknown[]) => {
    if (++calls === nth) throw Object.assign(new Error(`${code}: injected`), { code });
    return real.apply(fs, args);
  };
  return ops as unknown as FileOps;
}

function thrown(fn: () => void): WriteError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WriteError);
    return error as WriteError;
  }
  throw new Error('expected a WriteError');
}

const OLD = { 'a.yaml': 'a: old\n', 'b.yaml': 'b: old\n', 'c.yaml': 'c: old\n' };
const NEW = (d: string) => [
  { path: join(d, 'a.yaml'), text: 'a: new\n' },
  { path: join(d, 'b.yaml'), text: 'b: new\n' },
  { path: join(d, 'c.yaml'), text: 'c: new\n' },
];

describe('commitFiles: all files or none', () => {
  test('all three are written, and nothing else is left beside them', () => {
    const d = dir(OLD);
    commitFiles(NEW(d));
    expect(snapshot(d)).toEqual({
      'a.yaml': 'a: new\n',
      'b.yaml': 'b: new\n',
      'c.yaml': 'c: new\n',
    });
  });

  test('the 2nd of 3 renames fails: the 1st is put back, every file as it was', () => {
    const d = dir(OLD);
    const error = thrown(() => commitFiles(NEW(d), { ops: failing('renameSync', 2) }));
    expect(error.location.path).toBe(join(d, 'b.yaml'));
    expect(error.message).toContain('cannot write (EIO); no file was changed');
    expect(snapshot(d)).toEqual(OLD);
  });

  test('the last rename fails after the others: all put back', () => {
    const d = dir(OLD);
    thrown(() => commitFiles(NEW(d), { ops: failing('renameSync', 3) }));
    expect(snapshot(d)).toEqual(OLD);
  });

  test('files that did not exist before are removed again when a later rename fails', () => {
    const d = dir({ 'c.yaml': 'c: old\n' });
    thrown(() => commitFiles(NEW(d), { ops: failing('renameSync', 3) }));
    expect(snapshot(d)).toEqual({ 'c.yaml': 'c: old\n' });
  });

  test('a write fails (disk full) before any rename: nothing changed, no temporary file', () => {
    const d = dir(OLD);
    const error = thrown(() => commitFiles(NEW(d), { ops: failing('writeSync', 2, 'ENOSPC') }));
    expect(error.message).toContain('ENOSPC');
    expect(snapshot(d)).toEqual(OLD);
  });

  test('fsync fails: nothing changed', () => {
    const d = dir(OLD);
    thrown(() => commitFiles(NEW(d), { ops: failing('fsyncSync', 3) }));
    expect(snapshot(d)).toEqual(OLD);
  });

  test('a rename and then putting a file back both fail: the message says where the old content is', () => {
    const d = dir(OLD);
    let renames = 0;
    const ops: FileOps = {
      ...nodeFileOps,
      renameSync: (from: string, to: string) => {
        renames++;
        // 1: a.tmp -> a.yaml succeeds; 2: b.tmp -> b.yaml fails; 3: restoring a.yaml fails.
        if (renames >= 2) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        fs.renameSync(from, to);
      },
    };
    const error = thrown(() => commitFiles(NEW(d), { ops }));
    expect(error.message).toMatch(
      /a\.yaml \(its old content is in .*a\.yaml\.retarget-[0-9a-f]{24}\.orig\) could not be put back/,
    );
    const backup = readdirSync(d).find((f) => f.endsWith('.orig'))!;
    expect(readFileSync(join(d, backup), 'utf8')).toBe('a: old\n');
  });

  test('short writes are continued until the whole text is on disk', () => {
    const d = dir();
    const ops: FileOps = {
      ...nodeFileOps,
      writeSync: (fd: number, buffer: Uint8Array, offset: number) =>
        fs.writeSync(fd, buffer, offset, 1),
    };
    commitFiles([{ path: join(d, 'x.yaml'), text: 'käse: 🧀\n' }], { ops });
    expect(readFileSync(join(d, 'x.yaml'), 'utf8')).toBe('käse: 🧀\n');
  });

  test('a symlinked file is written where it points; the link stays a link', () => {
    const d = dir({ 'real.yaml': 'a: old\n' });
    fs.symlinkSync(join(d, 'real.yaml'), join(d, 'link.yaml'));
    commitFiles([{ path: join(d, 'link.yaml'), text: 'a: new\n' }], { writeThroughWithin: [d] });
    expect(fs.lstatSync(join(d, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real.yaml'), 'utf8')).toBe('a: new\n');
  });
});

const CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: t
fsGroup: 1234
`;

/** The bundled CLI, optionally with a preloaded module that makes the Nth rename fail. */
function cli(args: string[], failRename?: number) {
  const preload = failRename ? ['-r', join(__dirname, 'preload/fail-rename.cjs')] : [];
  const r = spawnSync(process.execPath, [...preload, join(DIST, 'retarget.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, FAIL_RENAME_NTH: String(failRename ?? '') },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const WORKLOAD_B = LEGACY_DEPLOYMENT.replace(/name: web/g, 'name: web-b');
const WORKLOAD_C = LEGACY_DEPLOYMENT.replace(/name: web/g, 'name: web-c');

describe('the CLI writes atomically', () => {
  test('--in-place, the 2nd of 3 renames fails (EIO): exit 1, located message, all 3 files as they were', () => {
    const d = dir({
      'c.yaml': CONFIG,
      'a.yaml': LEGACY_DEPLOYMENT,
      'b.yaml': WORKLOAD_B,
      'w.yaml': WORKLOAD_C,
    });
    const before = snapshot(d);
    const files = ['a.yaml', 'b.yaml', 'w.yaml'].map((f) => join(d, f));
    const r = cli(['hydrate', '-c', join(d, 'c.yaml'), ...files, '--in-place'], 2);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${join(d, 'b.yaml')}: cannot write (EIO); no file was changed\n`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(snapshot(d)).toEqual(before);
    // The same run without the failure changes all three.
    expect(cli(['hydrate', '-c', join(d, 'c.yaml'), ...files, '--in-place']).status).toBe(0);
    for (const f of ['a.yaml', 'b.yaml', 'w.yaml'])
      expect(readFileSync(join(d, f), 'utf8')).toContain('fsGroup: 1234');
    expect(readdirSync(d).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('-o DIR where an output path is a directory: nothing written, no temporary file', () => {
    const d = dir({ 'c.yaml': CONFIG, 'a.yaml': LEGACY_DEPLOYMENT, 'b.yaml': SERVICE });
    const out = join(d, 'out');
    mkdirSync(join(out, 'b.yaml'), { recursive: true });
    const r = cli([
      'hydrate',
      '-c',
      join(d, 'c.yaml'),
      join(d, 'a.yaml'),
      join(d, 'b.yaml'),
      '-o',
      out,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${join(out, 'b.yaml')}: cannot write: is a directory; no file was changed`,
    );
    expect(snapshot(out)).toEqual({ 'b.yaml': '<dir>' });
  });

  test('-o DIR, the 2nd rename fails: the 1st output file is removed again', () => {
    const d = dir({ 'c.yaml': CONFIG, 'a.yaml': LEGACY_DEPLOYMENT, 'b.yaml': SERVICE });
    const out = join(d, 'out');
    const r = cli(
      ['hydrate', '-c', join(d, 'c.yaml'), join(d, 'a.yaml'), join(d, 'b.yaml'), '-o', out],
      2,
    );
    expect(r.status).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });

  test('-o DIR refuses two inputs that would be written to the same file', () => {
    const d = dir({ 'c.yaml': CONFIG });
    mkdirSync(join(d, 'x'));
    mkdirSync(join(d, 'y'));
    writeFileSync(join(d, 'x/app.yaml'), LEGACY_DEPLOYMENT);
    writeFileSync(join(d, 'y/app.yaml'), SERVICE);
    const out = join(d, 'out');
    const r = cli([
      'hydrate',
      '-c',
      join(d, 'c.yaml'),
      join(d, 'x/app.yaml'),
      join(d, 'y/app.yaml'),
      '-o',
      out,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('two inputs would be written to');
    expect(fs.existsSync(out)).toBe(false);
  });
});
