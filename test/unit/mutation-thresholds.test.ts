// eslint-disable-next-line @typescript-eslint/no-require-imports
const { evaluate } = require('../../scripts/mutation-thresholds.js') as {
  evaluate(
    report: unknown,
    patterns?: string[],
  ): { scope: string; score: number; min: number; ok: boolean }[];
};

const mutants = (statuses: Record<string, number>) =>
  Object.entries(statuses).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })));

describe('per-directory mutation thresholds', () => {
  test('scores by directory, with compile errors and ignored mutants in neither count', () => {
    const rows = evaluate({
      files: {
        'src/transforms/set-fs-group.ts': {
          mutants: mutants({ Killed: 17, Timeout: 1, Survived: 2, CompileError: 5, Ignored: 3 }),
        },
        'src/config/load.ts': { mutants: mutants({ Killed: 8, NoCoverage: 2 }) },
        'src/yaml/edit.ts': { mutants: mutants({ Killed: 10 }) },
      },
    });
    expect(rows).toEqual([
      { scope: 'overall', min: 85, detected: 36, valid: 40, score: 90, ok: true },
      { scope: 'src/transforms/', min: 90, detected: 18, valid: 20, score: 90, ok: true },
      { scope: 'src/config/', min: 90, detected: 8, valid: 10, score: 80, ok: false },
    ]);
  });

  test('a directory without mutants in the report is not judged; absolute paths count too', () => {
    const rows = evaluate({
      files: { '/tmp/x/src/io/commit.ts': { mutants: mutants({ Killed: 84, Survived: 16 }) } },
    });
    expect(rows.map((r) => [r.scope, r.ok])).toEqual([
      ['overall', false],
      ['src/io/', false],
    ]);
  });
});

describe('thresholds over the mutants a run selected (--mutate), not the whole incremental report', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { selector, splitPatterns } = require('../../scripts/mutation-thresholds.js') as {
    selector(patterns: string[]): (path: string, mutant: unknown) => boolean;
    splitPatterns(list: string): string[];
  };
  const at = (line: number, column: number, status = 'Killed') => ({
    status,
    location: { start: { line, column }, end: { line, column: column + 1 } },
  });
  const report = {
    files: {
      'src/io/commit.ts': { mutants: [at(10, 5), at(20, 1, 'Survived'), at(30, 3)] },
      'src/yaml/edit.ts': { mutants: [at(1, 1, 'Survived'), at(2, 1, 'Survived')] },
      'src/transforms/set-fs-group.ts': { mutants: [at(5, 1), at(6, 1)] },
    },
  };

  test('a file named by --mutate is judged alone; the report’s other files are left out', () => {
    expect(evaluate(report, ['src/transforms/set-fs-group.ts'])).toEqual([
      { scope: 'overall', min: 85, detected: 2, valid: 2, score: 100, ok: true },
      { scope: 'src/transforms/', min: 90, detected: 2, valid: 2, score: 100, ok: true },
    ]);
    // without patterns, every file of the report counts (edit.ts drags the score down)
    expect(evaluate(report).find((r) => r.scope === 'overall')).toMatchObject({
      detected: 4,
      valid: 7,
      ok: false,
    });
  });

  test('globs, exclusions and line ranges select as Stryker does', () => {
    const pick = (patterns: string[]) =>
      Object.entries(report.files).flatMap(([path, file]) =>
        file.mutants
          .filter((m) => selector(patterns)(path, m))
          .map((m) => `${path}:${m.location.start.line}`),
      );
    expect(pick(['src/**/*.ts', '!src/yaml/**'])).toEqual([
      'src/io/commit.ts:10',
      'src/io/commit.ts:20',
      'src/io/commit.ts:30',
      'src/transforms/set-fs-group.ts:5',
      'src/transforms/set-fs-group.ts:6',
    ]);
    expect(pick(['src/io/commit.ts:10-20'])).toEqual([
      'src/io/commit.ts:10',
      'src/io/commit.ts:20',
    ]);
    expect(pick(['src/io/commit.ts:11-29'])).toEqual(['src/io/commit.ts:20']);
    // a range's columns are 0-based; the report's are 1-based: column 5 is index 4
    expect(pick(['src/io/commit.ts:10:4-30:1'])).toEqual([
      'src/io/commit.ts:10',
      'src/io/commit.ts:20',
    ]);
    expect(pick(['src/io/commit.ts:10:5-30:2'])).toEqual([
      'src/io/commit.ts:20',
      'src/io/commit.ts:30',
    ]);
    expect(pick(['src/yaml/edit.ts', 'src/io/commit.ts:30-30'])).toEqual([
      'src/io/commit.ts:30',
      'src/yaml/edit.ts:1',
      'src/yaml/edit.ts:2',
    ]);
    expect(splitPatterns(' src/a.ts, src/b.ts:1-2 ,,')).toEqual(['src/a.ts', 'src/b.ts:1-2']);
  });
});

describe('the script as npm run mutate runs it', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dir = mkdtempSync(join(tmpdir(), 'retarget-thresholds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'mutation.json');
  writeFileSync(
    path,
    JSON.stringify({
      files: {
        'src/io/commit.ts': { mutants: mutants({ Killed: 9, Survived: 1 }) },
        'src/yaml/edit.ts': { mutants: mutants({ Killed: 1, Survived: 9 }) },
      },
    }),
  );
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/mutation-thresholds.js', path, ...args], {
      encoding: 'utf8',
    });

  test('judged on the selected file: passes; on the whole report: fails', () => {
    const selected = run('--mutate', 'src/io/commit.ts');
    expect(selected.status).toBe(0);
    expect(selected.stdout).toBe(
      'ok   overall: 90.00% (9/10 mutants detected, minimum 85%)\n' +
        'ok   src/io/: 90.00% (9/10 mutants detected, minimum 90%)\n',
    );
    const whole = run();
    expect(whole.status).toBe(1);
    expect(whole.stderr).toBe('mutation score below threshold\n');
  });

  test('patterns that select no mutant (a change of comments only): nothing to judge, not a failure', () => {
    const none = run('--mutate', 'src/io/files.ts:1-5');
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('no mutant in src/io/files.ts:1-5: nothing to judge\n');
  });
});
