import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Result } from '../../src/krm/results';
import { findFunction } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';

export const REPO = resolve(__dirname, '../..');
export const DIST = resolve(REPO, 'dist');
export const FIXTURES = resolve(REPO, '../shared/fixtures/m4a-real');

/** Runs one function (file mode) over one YAML text held in memory. */
export function runText(
  fnName: string,
  config: unknown,
  text: string,
  path = 'input.yaml',
): { output: string; results: Result[]; ok: boolean } {
  const fn = findFunction(fnName);
  if (!fn) throw new Error(`no function ${fnName}`);
  const outcome = transformFiles(fn, config, 'config.yaml', [{ path, outputName: path, text }]);
  return { output: outcome.files[0].text, results: outcome.results, ok: outcome.ok };
}

export function yamlConfig(text: string): unknown {
  return parse(text);
}

/**
 * The real generated artifacts live outside the repository (never copied into it). A
 * fresh clone has no ../shared: its tests that need them are skipped (counted as
 * skipped; global-setup prints one notice), and in CI (CI=true) they fail instead.
 */
export function fixturesAvailable(): boolean {
  return existsSync(FIXTURES);
}

/**
 * `describe` for a block that reads ../shared. Without the fixtures the block's body
 * is not even collected (it may read them at collection time): one test stands for
 * it, skipped locally and failing in CI.
 */
export function describeReal(name: string, body: () => void): void {
  if (fixturesAvailable()) {
    describe(name, body);
    return;
  }
  describe(name, () => missingRealFixtures());
}

/** The test that stands for a block needing ../shared when it is absent. */
export function missingRealFixtures(what = 'these tests'): void {
  const title = `${what} need the real generated artifacts at ${FIXTURES}`;
  if (process.env.CI === 'true') {
    test(title, () => {
      throw new Error(`${FIXTURES} is missing; CI must run the real fixtures`);
    });
  } else {
    test.skip(title, () => undefined);
  }
}

/** The project's own deployment specs and Dockerfiles in the shape of each generator version. */
export const SHAPES = resolve(REPO, 'testdata/generator-shapes');

export interface SpecCase {
  /** For test titles. */
  name: string;
  spec: string;
  dockerfile: string;
  /** Containers on the legacy runtime (secrets under /kubernetes-info). */
  legacy: boolean;
}

/**
 * Every generated-spec shape the tests know: the project's own (always) and the real
 * artifacts in ../shared when they are there.
 */
export function specCases(): SpecCase[] {
  const own: SpecCase[] = [
    { dir: 'm4a-v1-legacy', legacy: true },
    { dir: 'm4a-v1.9-service-manager', legacy: false },
    { dir: 'm2c-cli', legacy: false },
  ].map(({ dir, legacy }) => ({
    name: `generator-shapes/${dir}`,
    spec: join(SHAPES, dir, 'deployment_spec.yaml'),
    dockerfile: join(SHAPES, dir, 'Dockerfile'),
    legacy,
  }));
  if (!fixturesAvailable()) return own;
  const real: SpecCase[] = [
    { prefix: 'mfa', legacy: true },
    { prefix: 'dockertest', legacy: false },
  ].map(({ prefix, legacy }) => ({
    name: `m4a-real/${prefix}`,
    spec: join(FIXTURES, `${prefix}__deployment_spec.yaml`),
    dockerfile: join(FIXTURES, `${prefix}__Dockerfile`),
    legacy,
  }));
  return [...own, ...real];
}
