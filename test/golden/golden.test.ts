import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { SourceError } from '../../src/errors';
import { runKrm } from '../../src/cli/krm';
import { main } from '../../src/cli/main';
import { findFunction, FUNCTIONS } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';
import { REPO } from '../support/run';

/**
 * Golden cases as data: testdata/golden/<case>/ holds resources.yaml and
 * config.yaml; .expected/ holds output.yaml and results.yaml (or error.txt for
 * input that cannot be read). A new case is a new folder. UPDATE_GOLDEN=1 rewrites
 * .expected/ from the current behaviour (review the diff before committing).
 */
const ROOT = join(REPO, 'testdata/golden');
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(ROOT).filter((name) => existsSync(join(ROOT, name, 'config.yaml')));

function functionFor(config: unknown, caseDir: string) {
  const named = join(caseDir, 'function');
  if (existsSync(named)) return findFunction(readFileSync(named, 'utf8').trim())!;
  const kind = (config as { kind?: string }).kind;
  const fn = FUNCTIONS.find((f) => f.kind === kind);
  if (!fn) throw new Error(`${caseDir}: no function for kind ${kind}; add a 'function' file`);
  return fn;
}

function check(path: string, actual: string): void {
  if (update) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The CLI in file mode (--in-place) on a scratch copy of the case: exit code, files after. */
function runInPlace(fnName: string, dir: string) {
  const work = mkdtempSync(join(tmpdir(), 'retarget-golden-'));
  try {
    copyFileSync(join(dir, 'config.yaml'), join(work, 'config.yaml'));
    copyFileSync(join(dir, 'resources.yaml'), join(work, 'resources.yaml'));
    const stderr: string[] = [];
    const io = {
      stdout: () => {},
      stderr: (t: string) => void stderr.push(t),
      readStdin: () => '',
    };
    const code = main(
      [fnName, '-c', join(work, 'config.yaml'), '--in-place', join(work, 'resources.yaml')],
      io,
    );
    return {
      code,
      stderr: stderr.join(''),
      files: readdirSync(work).sort(),
      resources: readFileSync(join(work, 'resources.yaml'), 'utf8'),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe.each(cases)('golden %s', (name) => {
  const dir = join(ROOT, name);
  const expected = join(dir, '.expected');
  const input = readFileSync(join(dir, 'resources.yaml'), 'utf8');
  const config = parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as unknown;
  const fn = functionFor(config, dir);
  const inputs = [{ path: 'resources.yaml', outputName: 'resources.yaml', text: input }];
  const run = () => transformFiles(fn, config, 'config.yaml', inputs);

  if (existsSync(join(expected, 'error.txt')) && !update) {
    // Input that cannot be read: the located message, and nothing written.
    test('unreadable input: the located error, nothing written', () => {
      expect(run).toThrow(SourceError);
      expect(() => run()).toThrow(readFileSync(join(expected, 'error.txt'), 'utf8').trimEnd());
      const cli = runInPlace(fn.name, dir);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(readFileSync(join(expected, 'error.txt'), 'utf8').trimEnd());
      expect(cli.files).toEqual(['config.yaml', 'resources.yaml']);
      expect(cli.resources).toBe(input);
    });
    return;
  }

  test('file mode: output and results', () => {
    let outcome;
    try {
      outcome = run();
    } catch (error) {
      if (!(error instanceof SourceError) || !update) throw error;
      check(join(expected, 'error.txt'), `${error.message}\n`);
      return;
    }
    check(join(expected, 'results.yaml'), stringify(outcome.results, { lineWidth: 0 }));
    if (outcome.ok) check(join(expected, 'output.yaml'), outcome.files[0].text);
    else if (update) check(join(expected, 'output.yaml'), input);
    const cli = runInPlace(fn.name, dir);
    // The expected output is the oracle on disk: on an error it must be the input itself.
    expect(cli.resources).toBe(readFileSync(join(expected, 'output.yaml'), 'utf8'));
    expect(cli.code).toBe(outcome.ok ? 0 : 1);
    expect(cli.files).toEqual(['config.yaml', 'resources.yaml']);
    if (!outcome.ok) {
      expect(readFileSync(join(expected, 'output.yaml'), 'utf8')).toBe(input);
      expect(outcome.results.some((r) => r.severity === 'error')).toBe(true);
    }
  });

  test('idempotent: a second run changes no byte and gives the same results', () => {
    const first = run();
    if (!first.ok) {
      // An error is reported again, the same, and the input stays the input.
      expect(run().results).toEqual(first.results);
      expect(runInPlace(fn.name, dir).resources).toBe(input);
      return;
    }
    const again = transformFiles(fn, config, 'config.yaml', [
      { ...inputs[0], text: first.files[0].text },
    ]);
    expect(again.ok).toBe(true);
    expect(again.files[0].text).toBe(first.files[0].text);
    expect(again.files[0].changed).toBe(false);
  });

  test('KRM mode gives the same resources and results', () => {
    const items = parseAllItems(input);
    const list = stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items,
      functionConfig: config,
    });
    const outcome = runKrm(fn, list);
    const out = parse(outcome.stdout) as { items: unknown[]; results?: unknown[] };
    const file = run();
    const strip = (rs: unknown[]) =>
      rs.map((r) => ({ ...(r as object), file: undefined, tags: undefined }));
    expect(strip(out.results ?? [])).toEqual(strip(file.results));
    expect(outcome.exitCode).toBe(file.ok ? 0 : 1);
    if (file.ok) expect(out.items).toEqual(parseAllItems(file.files[0].text));
    else expect(out.items).toEqual(items);
  });
});

function parseAllItems(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((v) => v !== null && typeof v === 'object' && 'kind' in (v as object));
}
