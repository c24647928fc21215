import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { Result } from '../../src/krm/results';
import { FIXTURES, fixturesAvailable, REPO } from '../support/run';
import { runCli } from './harness';

/**
 * Golden cases under testdata/preflight/<case>/: config.yaml, resources.yaml (own data)
 * and/or real fixtures named in expected.yaml (read from ../shared by path), and
 * expected.yaml: the exit code and exactly the findings `retarget preflight --format
 * json` must report, in order, each with fragments its message must contain.
 */
const CASES = join(REPO, 'testdata/preflight');
/** Tags every finding has, asserted through line, check and text. */
const LOCATED_TAGS = new Set(['line', 'column', 'check', 'fix']);

interface ExpectedFinding {
  check: string;
  severity: string;
  resource?: string;
  field?: string;
  line?: number;
  file?: string;
  message?: string[];
  /** The whole message, fix included: every word of it is behaviour. */
  text?: string;
  /** Every tag but line, column, check and fix (asserted on their own). */
  tags?: Record<string, string>;
}

interface Expected {
  fixtures?: string[];
  exitCode?: number;
  results: ExpectedFinding[];
  resources?: string[];
}

interface Report {
  summary: { errors: number; warnings: number; infos: number };
  results: Result[];
  resources?: { kind: string; metadata: { name: string } }[];
}

const cases = readdirSync(CASES).filter((name) => existsSync(join(CASES, name, 'expected.yaml')));
const needsReal = (name: string): boolean =>
  ((parse(readFileSync(join(CASES, name, 'expected.yaml'), 'utf8')) as Expected).fixtures ?? [])
    .length > 0;
// Without ../shared, cases on the real fixtures are skipped (and fail in CI, where they run).
const runnable =
  fixturesAvailable() || process.env.CI === 'true' ? cases : cases.filter((c) => !needsReal(c));
const waiting = cases.filter((c) => !runnable.includes(c));

describe('preflight golden cases', () => {
  test('there is a case with and without a finding for every check family', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  if (waiting.length) {
    test.skip.each(waiting)(`%s (needs the real generated artifacts at ${FIXTURES})`, () => {});
  }

  test.each(runnable)('%s', (name) => {
    const dir = join(CASES, name);
    const expected = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as Expected;
    const inputs = [
      ...(expected.fixtures ?? []).map((f) => join(FIXTURES, f)),
      ...(existsSync(join(dir, 'resources.yaml')) ? [join(dir, 'resources.yaml')] : []),
    ];
    const run = runCli([
      'preflight',
      '-c',
      join(dir, 'config.yaml'),
      ...inputs,
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    const actual = report.results.map((r) => ({
      check: r.tags?.check,
      severity: r.severity,
      resource: r.resourceRef ? `${r.resourceRef.kind}/${r.resourceRef.name}` : undefined,
      field: r.field?.path,
    }));
    expect(actual).toEqual(
      expected.results.map((e) => ({
        check: e.check,
        severity: e.severity,
        resource: e.resource,
        field: e.field,
      })),
    );
    expected.results.forEach((e, i) => {
      const r = report.results[i];
      for (const fragment of e.message ?? []) expect(r.message).toContain(fragment);
      if (e.line !== undefined) expect(r.tags?.line).toBe(String(e.line));
      if (e.file !== undefined) expect(basename(r.file?.path ?? '')).toBe(e.file);
      if (e.text !== undefined) expect(r.message).toBe(e.text);
      if (e.tags) {
        const own = Object.entries(r.tags ?? {}).filter(([k]) => !LOCATED_TAGS.has(k));
        expect(Object.fromEntries(own)).toEqual(e.tags);
      }
      // Every finding says how to fix it.
      if (r.tags?.check) expect(r.tags.fix).toBeTruthy();
    });
    expect((report.resources ?? []).map((r) => `${r.kind}/${r.metadata.name}`)).toEqual(
      expected.resources ?? [],
    );
    const errors = report.results.filter((r) => r.severity === 'error').length;
    expect(report.summary.errors).toBe(errors);
    expect(run.code).toBe(expected.exitCode ?? (errors ? 1 : 0));
  });
});
