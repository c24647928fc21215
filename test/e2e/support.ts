import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DIST, REPO } from '../support/run';

export { DIST, REPO };

/**
 * Whether an external tool is on the PATH. In CI (CI=true) a missing tool fails the
 * suite; locally its tests are skipped with a loud notice.
 */
export function haveTool(name: string, versionArgs: string[] = ['version']): boolean {
  const probe = spawnSync(name, versionArgs, { encoding: 'utf8' });
  if (!probe.error) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is required in CI but is not on PATH`);
  console.warn(`\n*** SKIPPING tests that need ${name}: not on PATH ***\n`);
  return false;
}

/** `describe` when every tool is there, `describe.skip` (with a notice) otherwise. */
export function describeWith(tools: string[]): jest.Describe {
  return tools.every((tool) => haveTool(tool, tool === 'git' ? ['--version'] : undefined))
    ? describe
    : describe.skip;
}

const made: string[] = [];

/** A fresh directory, removed after the test file (kept with RETARGET_KEEP_TMP=1). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `retarget-${prefix}-`));
  made.push(dir);
  return dir;
}

afterAll(() => {
  if (process.env.RETARGET_KEEP_TMP === '1') return;
  for (const dir of made.splice(0)) {
    // Some tests make their trees read-only, as an image layer is.
    spawnSync('chmod', ['-R', 'u+w', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

let bin: string | undefined;

/**
 * A directory of `retarget`, `retarget-hydrate`, ... symlinks to the bundles, as
 * `npm install -g` makes them: what a user has on the PATH.
 */
export function binDir(): string {
  if (bin) return bin;
  if (!existsSync(join(DIST, 'retarget.js'))) {
    throw new Error(`${DIST}/retarget.js is missing: run npm run build first`);
  }
  const dir = join(tempDir('bin'), 'bin');
  mkdirSync(dir);
  for (const file of readdirSync(DIST)) {
    if (file.endsWith('.js')) symlinkSync(join(DIST, file), join(dir, file.replace(/\.js$/, '')));
  }
  bin = dir;
  return dir;
}

/** The environment with the retarget executables first on the PATH. */
export function envWithBin(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${binDir()}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: SpawnSyncOptions = {}): Ran {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function git(dir: string, args: string[]): string {
  const r = run(
    'git',
    ['-c', 'user.name=retarget-e2e', '-c', 'user.email=e2e@retarget.invalid', ...args],
    {
      cwd: dir,
      env: { ...process.env, GIT_DIFF_OPTS: '' },
    },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Commits everything in `dir` (a fresh repository) and returns the commit. */
export function gitSnapshot(dir: string): string {
  if (!existsSync(join(dir, '.git'))) git(dir, ['init', '-q']);
  git(dir, ['add', '--all']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'snapshot']);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** `git diff` of everything (new files included) since `from`, as the kpt e2e runner takes it. */
export function gitDiffSince(dir: string, from: string): string {
  git(dir, ['add', '--all']);
  return git(dir, ['diff', '--cached', from]);
}

/** Paths a fresh clone has: tracked files plus new ones not ignored (from `git ls-files`). */
export function repoFiles(): string[] {
  return git(REPO, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    .split('\0')
    .filter((path) => path && existsSync(join(REPO, path)));
}
