// eslint-disable-next-line @typescript-eslint/no-require-imports
const { evaluate } = require('../../scripts/mutation-thresholds.js') as {
  evaluate(report: unknown): { scope: string; score: number; min: number; ok: boolean }[];
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
