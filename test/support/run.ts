import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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

export interface Spawned {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bundled executable from dist/ (built by `npm test` before jest starts). */
export function runBin(bin: string, args: string[], input?: string, cwd = REPO): Spawned {
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

/** The real fixtures live outside the repo; CI must have them, a local run may skip. */
export function fixturesAvailable(): boolean {
  if (existsSync(FIXTURES)) return true;
  if (process.env.CI === 'true') throw new Error(`fixtures missing at ${FIXTURES}`);
  console.warn(`\n*** SKIPPING real-fixture tests: ${FIXTURES} not found ***\n`);
  return false;
}
