import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  asResourceList,
  contentDocuments,
  hydrationProblems,
  idOf,
  itemsOf,
  loadCases,
  marksOf,
  resourcesOf,
  runBounded,
  STACK_FRAME,
  TIMEOUT_MS,
  HANG_MS,
} from './support';
import type { Expectation, HostileCase, Run } from './support';

/**
 * The hostile-input corpus: testdata/hostile/<case>/ holds the input, an optional
 * config.yaml (else testdata/hostile/retarget.yaml) and expect.yaml, the outcome a user
 * should get. Each case runs through the bundled CLI (`retarget hydrate -c CONFIG FILE`)
 * and through KRM mode (`retarget-hydrate` on a ResourceList of the same documents), each
 * within 10 s, with no stack trace. A new case is a new folder.
 */
const cases = loadCases();

function finished(run: Run): void {
  if (run.signal)
    throw new Error(`killed by ${run.signal} after ${run.ms} ms wall (hung: bound ${HANG_MS} ms)`);
  expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(/internal error/);
}

function expectLocated(stderr: string, e: Expectation, path?: string): void {
  if (e.message) expect(stderr).toContain(e.message);
  if (path) {
    const at = [path, e.line, e.line !== undefined ? e.column : undefined]
      .filter((p) => p !== undefined)
      .join(':');
    expect(stderr).toContain(at);
  }
  if (e.resource) expect(stderr).toContain(` ${e.resource} `);
  if (e.field) expect(stderr).toContain(` ${e.field}: `);
}

describe.each(cases.map((c) => [c.name, c] as const))('hostile %s', (_name, c: HostileCase) => {
  const e = c.expect;
  const inputs = c.inputs.map((p) => readFileSync(p));
  const configText = readFileSync(c.config, 'utf8');

  test(`file mode: ${e.description}`, () => {
    const run = runBounded('retarget', ['hydrate', '-c', c.config, ...c.inputs]);
    finished(run);
    const stdout = run.stdout.toString('utf8');
    if (e.outcome === 'error') {
      expect(run.status).toBe(1);
      expect(stdout).toBe('');
      const file =
        e.file === 'config.yaml' ? c.config : c.inputs.find((p) => basename(p) === e.file);
      expect(file).toBeDefined();
      expectLocated(run.stderr, e, file);
      return;
    }
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/^error/m);
    const input = inputs.map((b) => b.toString('utf8')).join('');
    expectKept(input, stdout, e);
    expectHydrated(stdout, e, configText);
    for (const text of e.contains ?? []) expect(stdout).toContain(text);
    expectLayout(input, stdout, e);
  });

  test('KRM mode: a ResourceList of the same documents', () => {
    const k: Expectation = { ...e, ...e.krm };
    const list = asResourceList(Buffer.concat(inputs), configText);
    const run = runBounded('retarget-hydrate', [], list);
    finished(run);
    const stdout = run.stdout.toString('utf8');
    if (k.outcome === 'ok') {
      expect(run.status).toBe(0);
      const items = itemsOf(stdout);
      const before = itemsOf(list.toString('utf8'));
      expect(items.length).toBeGreaterThanOrEqual(before.length);
      expect(items.slice(0, before.length).map(idOf)).toEqual(before.map(idOf));
      expectHydrated(stdout, k, configText, items);
      for (const text of k.contains ?? []) expect(stdout).toContain(text);
      expectLayout(list.toString('utf8'), stdout, k);
      return;
    }
    expect(run.status).toBe(1);
    if (!stdout) {
      // The list itself cannot be read: a located message on stderr, nothing on stdout.
      expect(run.stderr).toMatch(/^error: <stdin>:\d+:\d+: /m);
      if (k.message) expect(run.stderr).toContain(k.message);
      return;
    }
    // Read, but a result is an error: every item is emitted unchanged, with the results.
    expect(itemsOf(stdout)).toEqual(itemsOf(list.toString('utf8')));
    const results = (parse(stdout) as { results?: KrmResult[] }).results ?? [];
    const errors = results.filter((r) => r.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    const match = errors.find(
      (r) =>
        (!k.field || r.field?.path === k.field) &&
        (!k.resource || `${r.resourceRef?.kind}/${r.resourceRef?.name}` === k.resource) &&
        (!k.message || r.message.includes(k.message)),
    );
    if (!match)
      throw new Error(`no error result like ${JSON.stringify(k)} in ${JSON.stringify(errors)}`);
    if (k.resource) expect(match.tags?.line).toMatch(/^\d+$/);
  });
});

interface KrmResult {
  message: string;
  severity: string;
  field?: { path: string };
  resourceRef?: { kind: string; name: string };
  tags?: Record<string, string>;
}

/** Every input document with content is in the output: verbatim, or (a hydrated workload) by id. */
function expectKept(input: string, output: string, e: Expectation): void {
  const docs = contentDocuments(input);
  expect(docs.length).toBe(e.documents);
  const hydrated = new Set(e.hydrated ?? []);
  const outIds = resourcesOf(contentDocuments(output).map((d) => d.toJS()));
  for (const doc of docs) {
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    const id = idOf(value);
    const inside = resourcesOf([value]).map(idOf);
    if (id && (hydrated.has(id) || inside.some((i) => i && hydrated.has(i)))) {
      expect(outIds.map(idOf)).toContain(id);
      continue;
    }
    const [start, , end] = doc.contents!.range!;
    expect(output).toContain(input.slice(start, end).replace(/\s+$/, ''));
  }
  if (!hydrated.size) expect(output).toBe(input);
}

function expectHydrated(
  output: string,
  e: Expectation,
  configText: string,
  items?: unknown[],
): void {
  const marks = marksOf(configText);
  const all = resourcesOf(items ?? parseAllDocuments(output).map((d) => d.toJS() as unknown));
  for (const id of e.hydrated ?? []) {
    const workload = all.find((r) => idOf(r) === id);
    expect(workload).toBeDefined();
    expect({ id, problems: hydrationProblems(workload!, marks) }).toEqual({ id, problems: [] });
  }
}

function expectLayout(input: string, output: string, e: Expectation): void {
  const layout = e.layout ?? [];
  if (layout.includes('crlf')) {
    expect(input).toContain('\r\n');
    expect(output.replace(/\r\n/g, '')).not.toContain('\n');
  } else {
    expect(output).not.toContain('\r');
  }
  expect(output.startsWith('\uFEFF')).toBe(layout.includes('bom'));
  // A byte-order mark is only ever the first character.
  expect(output.slice(1)).not.toContain('\uFEFF');
}
