import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO } from '../support/run';

const REPORTER = resolve(REPO, 'test/support/summary-reporter.js');
const JEST = resolve(REPO, 'node_modules/jest/bin/jest.js');

// Runs the real jest, with the project's reporter, over a scratch folder of test files.
function runJest(files: Record<string, string>): { status: number | null; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-reporter-'));
  try {
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    writeFileSync(
      join(dir, 'jest.config.js'),
      `module.exports = { rootDir: __dirname, testMatch: ['**/*.test.js'], reporters: [${JSON.stringify(REPORTER)}] };\n`,
    );
    const r = spawnSync(process.execPath, [JEST, '-c', join(dir, 'jest.config.js')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    return { status: r.status, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1);

describe('summary reporter', () => {
  test('a suite that fails to run counts as failed, and the exit code agrees', () => {
    const r = runJest({
      'ok.test.js': "test('ok', () => expect(1).toBe(1));\n",
      'crash.test.js': "throw new Error('crash at load');\n",
      'syntax.test.js': 'const x = ;\n',
      'empty.test.js': '',
      'setup.test.js': "beforeAll(() => { throw new Error('setup'); });\ntest('x', () => {});\n",
    });
    expect(r.status).toBe(1);
    expect(lastLine(r.stdout)).toBe('tests: 1 passed, 4 failed, 0 skipped');
    expect(r.stdout).toContain('suite failed to run: crash.test.js\n');
    expect(r.stdout).toContain('suite failed to run: syntax.test.js\n');
    expect(r.stdout).toContain('suite failed to run: empty.test.js\n');
  }, 120000);

  test('skipped and todo tests count as skipped, never as passed', () => {
    const r = runJest({
      'a.test.js': [
        "test('ok', () => expect(1).toBe(1));",
        "test.skip('needs a tool', () => { throw new Error('never runs'); });",
        "test.todo('later');",
        "describe.skip('needs a fixture', () => { test('one', () => {}); test('two', () => {}); });",
        '',
      ].join('\n'),
    });
    expect(r.status).toBe(0);
    expect(lastLine(r.stdout)).toBe('tests: 1 passed, 0 failed, 4 skipped');
    expect(r.stdout).not.toContain('suite failed to run');
  }, 120000);

  test('a failing test is one failure, with no suite named as broken', () => {
    const r = runJest({ 'f.test.js': "test('f', () => expect(1).toBe(2));\n" });
    expect(r.status).toBe(1);
    expect(lastLine(r.stdout)).toBe('tests: 0 passed, 1 failed, 0 skipped');
    expect(r.stdout).not.toContain('suite failed to run');
  }, 120000);
});
