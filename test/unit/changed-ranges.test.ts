import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * CI's mutation step (scripts/mutate-changed.js) mutates only the lines a change touched:
 * the ranges come from `git diff -U0 BASE -- src` (scripts/changed-ranges.js).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { changedRanges, mutatePatterns } = require('../../scripts/changed-ranges.js') as {
  changedRanges(diff: string): Record<string, [number, number][]>;
  mutatePatterns(ranges: Record<string, [number, number][]>): string[];
};
const root = join(__dirname, '../..');

describe('changed line ranges', () => {
  test('a fixture diff: changed, added and cut lines of src/**/*.ts, nothing else', () => {
    const diff = readFileSync(join(root, 'testdata/changed-ranges/change.diff'), 'utf8');
    expect(changedRanges(diff)).toEqual({
      // one changed line; three added after 40; two changed at 53; a hunk whose content
      // lines begin with "--- " and "+++ " (not headers); four lines cut after 92
      'src/io/commit.ts': [
        [12, 12],
        [41, 43],
        [53, 54],
        [63, 64],
        [92, 93],
      ],
      'src/config/new-module.ts': [[1, 5]],
      // a quoted (non-ASCII) path; hunks out of order come out sorted
      'src/yaml/café.ts': [
        [1, 1],
        [8, 8],
      ],
      // not here: the deleted file, the .d.ts, the Markdown file, the fake header
    });
  });

  test('CRLF diffs, adjacent and overlapping hunks merge; a cut at the top starts at line 1', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -0,1 +0,0 @@',
      '-gone',
      '@@ -3,2 +3,2 @@',
      '-x',
      '-y',
      '+x',
      '+y',
      '@@ -5 +5,3 @@',
      '-z',
      '+z',
      '+z',
      '+z',
      '@@ -20 +22 @@',
      '-w',
      '\\ No newline at end of file',
      '+w',
      '\\ No newline at end of file',
      '',
    ].join('\r\n');
    const ranges = changedRanges(diff);
    expect(ranges).toEqual({
      'src/a.ts': [
        [1, 1],
        [3, 7],
        [22, 22],
      ],
    });
    expect(mutatePatterns(ranges)).toEqual(['src/a.ts:1-1', 'src/a.ts:3-7', 'src/a.ts:22-22']);
  });

  test('no diff, or no change under src/, gives no pattern', () => {
    expect(changedRanges('')).toEqual({});
    expect(mutatePatterns({})).toEqual([]);
    const docs =
      'diff --git a/docs/x.md b/docs/x.md\n--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1 +1 @@\n-a\n+b\n';
    expect(changedRanges(docs)).toEqual({});
  });

  test('patterns are path:start-end, files sorted, ranges in order (Stryker --mutate syntax)', () => {
    expect(
      mutatePatterns({
        'src/z.ts': [[4, 9]],
        'src/a.ts': [
          [1, 1],
          [30, 31],
        ],
      }),
    ).toEqual(['src/a.ts:1-1', 'src/a.ts:30-31', 'src/z.ts:4-9']);
  });
});

describe('the CI step (scripts/mutate-changed.js) on a scratch repository', () => {
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  const step = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(dir, 'scripts/mutate-changed.js')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutate-changed-'));
    mkdirSync(join(dir, 'scripts'));
    for (const f of ['mutate-changed.js', 'changed-ranges.js'])
      copyFileSync(join(root, 'scripts', f), join(dir, 'scripts', f));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 1;\nexport const b = 2;\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'one');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('without Stryker installed the step fails and says why', () => {
    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 2;\nexport const b = 2;\n');
    git('commit', '-qam', 'two');
    const run = step();
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'mutation: @stryker-mutator/core is not installed (npm ci installs it from devDependencies); the mutation step cannot run\n',
    );
  });

  test('with Stryker, a last commit that changes nothing in src/ passes and says so', () => {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'README.md'), 'docs only\n');
    git('add', 'README.md');
    git('commit', '-qm', 'docs');
    const run = step();
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('mutation: no change in src/**/*.ts since HEAD~1: nothing to mutate\n');
    expect(run.status).toBe(0);
  });

  test('a base that is not a commit fails (a shallow clone is not silently green)', () => {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const run = step(); // one commit: HEAD~1 does not exist
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'mutation: base HEAD~1 is not a commit of this clone (a shallow clone? fetch more history, or set MUTATE_BASE)\n',
    );
    const bad = step({ MUTATE_TIME_LIMIT_MINUTES: 'soon' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      'mutation: MUTATE_TIME_LIMIT_MINUTES must be a positive number of minutes, not "soon"\n',
    );
  });
});
