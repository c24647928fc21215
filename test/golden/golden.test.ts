import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { SourceError } from '../../src/errors';
import { runKrm } from '../../src/cli/krm';
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

describe.each(cases)('golden %s', (name) => {
  const dir = join(ROOT, name);
  const expected = join(dir, '.expected');
  const input = readFileSync(join(dir, 'resources.yaml'), 'utf8');
  const config = parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as unknown;
  const fn = functionFor(config, dir);
  const inputs = [{ path: 'resources.yaml', outputName: 'resources.yaml', text: input }];

  test('file mode: output and results', () => {
    let outcome;
    try {
      outcome = transformFiles(fn, config, 'config.yaml', inputs);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      check(join(expected, 'error.txt'), `${error.message}\n`);
      return;
    }
    check(join(expected, 'results.yaml'), stringify(outcome.results, { lineWidth: 0 }));
    check(join(expected, 'output.yaml'), outcome.ok ? outcome.files[0].text : input);
    if (!outcome.ok) expect(outcome.files[0].text === input || !outcome.ok).toBe(true);
  });

  test('idempotent: a second run changes no byte', () => {
    let first;
    try {
      first = transformFiles(fn, config, 'config.yaml', inputs);
    } catch {
      return;
    }
    if (!first.ok) return;
    const again = transformFiles(fn, config, 'config.yaml', [
      { ...inputs[0], text: first.files[0].text },
    ]);
    expect(again.files[0].text).toBe(first.files[0].text);
  });

  test('KRM mode gives the same resources and results', () => {
    if (existsSync(join(expected, 'error.txt'))) return;
    const items = parseAllItems(input);
    const list = stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items,
      functionConfig: config,
    });
    const outcome = runKrm(fn, list);
    const out = parse(outcome.stdout) as { items: unknown[]; results?: unknown[] };
    const file = transformFiles(fn, config, 'config.yaml', inputs);
    const strip = (rs: unknown[]) =>
      rs.map((r) => ({ ...(r as object), file: undefined, tags: undefined }));
    expect(strip(out.results ?? [])).toEqual(strip(file.results));
    if (file.ok) expect(out.items).toEqual(parseAllItems(file.files[0].text));
    else expect(out.items).toEqual(items);
  });
});

function parseAllItems(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((v) => v !== null && typeof v === 'object' && 'kind' in (v as object));
}
