import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, parseAllDocuments } from 'yaml';
import { DEFAULT_MAX_NODES, structureMarks } from '../../src/io/input-bytes';
import { setScalar } from '../../src/yaml/edit';
import { parseAllUnique } from '../../src/yaml/unique-keys';
import { DEFAULT_CONFIG, runBounded, TIMEOUT_MS } from './support';

/** Work and memory bounded by the input: wide maps in linear time, huge pods refused early. */
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'retarget-bounds-'));
});

function wideConfigMap(keys: number, duplicate?: number): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: wide', 'data:'];
  for (let i = 0; i < keys; i++) lines.push(`  k${i}: v${i}`);
  if (duplicate !== undefined) lines.push(`  k${duplicate}: again`);
  return `${lines.join('\n')}\n`;
}

describe('duplicate keys: refused, named, in linear time', () => {
  test('40,000 keys with one repeated at the end: located error well within the time bound', () => {
    const path = join(work, 'wide-dup.yaml');
    writeFileSync(path, wideConfigMap(40_000, 7));
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: ${path}:40006:3: Map keys must be unique\n`);
    expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
  });

  test('80,000 distinct keys pass through within the time bound', () => {
    const path = join(work, 'wide.yaml');
    writeFileSync(path, wideConfigMap(80_000));
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path]);
    expect(run.status).toBe(0);
    expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
  });

  test.each([
    ['a: 1\na: 2\n', true],
    ['a: 1\n"a": 2\n', true],
    ['1: x\n"1": y\n', false], // a number and a string
    ['~: x\nnull: y\n', true], // both null
    ['{a: 1, b: 2, a: 3}\n', true], // flow maps too
    ['x: {a: 1}\ny: {a: 1}\n', false],
    ['? [a]\n: 1\n? [a]\n: 2\n', false], // collections are equal only to themselves
    ['.nan: 1\n.nan: 2\n', false],
  ])('%j: duplicate = %s, as the yaml library decides', (text, duplicate) => {
    const ours = parseAllUnique(text, { uniqueKeys: true })[0];
    const theirs = parseAllDocuments(text, { uniqueKeys: true })[0] as Document.Parsed;
    const codes = (doc: Document.Parsed) => doc.errors.map((e) => e.code);
    expect(codes(ours)).toEqual(codes(theirs));
    expect(codes(ours).includes('DUPLICATE_KEY')).toBe(duplicate);
  });
});

describe('structure bound: memory grows with nodes, not bytes', () => {
  test('the Pod with 160,000 containers of the report is refused before parsing, fast', () => {
    const lines = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: huge',
      'spec:',
      '  containers:',
    ];
    for (let i = 0; i < 160_000; i++) lines.push(`  - name: c${i}`, '    image: gcr.io/p/x:v1');
    const path = join(work, 'pod-160k.yaml');
    writeFileSync(path, lines.join('\n'));
    const preflight = join(work, 'preflight.yaml');
    writeFileSync(
      preflight,
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nmetadata: {name: p}\nplatform: gke\n',
    );
    for (const [command, config] of [
      ['hydrate', DEFAULT_CONFIG],
      ['preflight', preflight],
    ]) {
      const run = runBounded('retarget', [command, '-c', config, path]);
      expect(run.status).toBe(1);
      expect(run.stderr + run.stdout.toString('utf8')).toContain('RETARGET_MAX_NODES');
      expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
    }
  });

  test('a Pod with 400,000 containers is refused before parsing, fast, with a clear message', () => {
    const lines = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: huge',
      'spec:',
      '  containers:',
    ];
    for (let i = 0; i < 400_000; i++) lines.push(`  - name: c${i}`, '    image: gcr.io/p/x:v1');
    const path = join(work, 'huge-pod.yaml');
    writeFileSync(path, lines.join('\n').slice(0, 15 * 1024 * 1024));
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /YAML nodes, over the limit of 600000 for one run.*RETARGET_MAX_NODES/,
    );
    expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
  });

  test('a flow list of two million items is refused the same way; the limit can be raised', () => {
    const path = join(work, 'flow.yaml');
    writeFileSync(path, `a: [${'1,'.repeat(2_000_000)}1]\n`);
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('RETARGET_MAX_NODES');
    const small = join(work, 'small.yaml');
    writeFileSync(small, `a: [${'1,'.repeat(20)}1]\n`);
    const refused = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, small], undefined, {
      RETARGET_MAX_NODES: '10',
    });
    expect(refused.status).toBe(1);
  });

  test('structure marks count what makes nodes, within a small factor of the real count', () => {
    const text = 'a: 1\nb:\n- x\n- y\nc: [1, 2, {d: 3}]\n';
    // Counted by hand: the top map; a, 1; b, its list, x, y; c, its list, 1, 2, a map, d, 3.
    const nodes = 14;
    expect(structureMarks(text)).toBeGreaterThanOrEqual(nodes / 2);
    expect(structureMarks(text)).toBeLessThanOrEqual(nodes * 2);
    expect(DEFAULT_MAX_NODES).toBe(600_000);
  });
});

describe('replaced scalars', () => {
  test("a replaced scalar loses the old node's tag (kubectl rejects `!!binary 2000`)", () => {
    const doc = parseAllDocuments('fsGroup: !!binary AAAA\n', { resolveKnownTags: false })[0];
    const map = doc.contents as never;
    let touched = 0;
    const changed = setScalar({ doc, touch: () => touched++ }, map, 'fsGroup', 'AAAB', 'fsGroup');
    expect(changed).toBe(true);
    expect(touched).toBe(1);
    expect(String(doc)).toBe('fsGroup: AAAB\n');
  });
});
