import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Result } from '../../src/krm/results';
import type { Io } from '../../src/cli/io';
import { krmMain, main } from '../../src/cli/main';
import { readText } from '../../src/io/files';
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

export interface Spawned {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an executable as a user does: the bundled file in dist/ (built by `npm test` before
 * jest starts) in a child process. In the mutation runs (`RETARGET_TEST_CLI=in-process`,
 * set by scripts/mutate.mjs) the same command line runs in this process instead, through
 * the entry points the executables call (`main`, `krmMain`) with the source under test: a
 * mutant in src/ is invisible to a child process running dist/, and these suites are the
 * ones that state what the command line does. What only a process shows (signals, exit
 * codes of a closed pipe, descriptors) is tested with spawnSync directly, not through this.
 */
export function runBin(bin: string, args: string[], input?: string, cwd = REPO): Spawned {
  return process.env.RETARGET_TEST_CLI === 'in-process'
    ? runInProcess(bin, args, input, cwd)
    : spawnBin(bin, args, input, cwd);
}

/** The bundled executable in a child process, whatever RETARGET_TEST_CLI says. */
export function spawnBin(bin: string, args: string[], input?: string, cwd = REPO): Spawned {
  const path = resolve(DIST, `${bin}.js`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [path, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `bin args < input` in this process: stdout and stderr into buffers, stdin a file holding
 * `input` (empty when none, as spawnSync gives), the working directory `cwd` for the run.
 */
export function runInProcess(bin: string, args: string[], input = '', cwd = REPO): Spawned {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'retarget-stdin-'));
  const stdinPath = join(dir, 'stdin');
  writeFileSync(stdinPath, input);
  const io: Io = {
    stdout: (text) => void stdout.push(text),
    stderr: (text) => void stderr.push(text),
    readStdin: (limit, alreadyRead) => readText(stdinPath, '<stdin>', limit, alreadyRead),
  };
  const before = process.cwd();
  process.chdir(cwd);
  try {
    let status: number;
    if (bin === 'retarget') status = main(args, io);
    else {
      const fn = findFunction(bin.replace(/^retarget-/, ''));
      if (!fn) throw new Error(`no executable ${bin}`);
      status = krmMain(fn, args, io);
    }
    return { status, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
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
