import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_INPUT_BYTES } from '../../src/io/input-bytes';
import { LEGACY_DEPLOYMENT } from '../support/workloads';
import { DEFAULT_CONFIG, runBounded, STACK_FRAME, TIMEOUT_MS } from './support';

/**
 * Input size is bounded (RETARGET_MAX_INPUT_BYTES, default 16 MiB for all inputs of a run
 * together): past it, a clear located error comes at once, before anything is parsed, so
 * a huge or hostile input can neither exhaust memory nor run past the 10 s bound.
 * Generated at test time (never committed).
 */
const MB = 1024 * 1024;
let work: string;

function workloads(bytes: number, prefix = 'w'): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = LEGACY_DEPLOYMENT.replace(/\bweb\b/g, `${prefix}${i}`);
    parts.push(doc);
    size += doc.length + 4;
  }
  return parts.join('---\n');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'retarget-large-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('large input', () => {
  test('a 50 MB file: refused at once with the size and the limit, nothing on stdout', () => {
    const path = join(work, 'big.yaml');
    writeFileSync(path, workloads(50 * MB));
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path]);
    expect(run.signal).toBeNull();
    expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: ${path}: input is at least 50(\\.\\d)? MiB, over the 16 MiB limit of one run; split the input, or raise RETARGET_MAX_INPUT_BYTES \\(bytes\\)\\n$`,
      ),
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  test('a 50 MB ResourceList on stdin (KRM mode): refused once past the limit, without reading the rest', () => {
    const items = workloads(50 * MB)
      .split('---\n')
      .map((doc) => doc.replace(/^/gm, '  ').replace(/^ {2}/, '- '))
      .join('');
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}`;
    const run = runBounded('retarget-hydrate', [], Buffer.from(list));
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(
      /^error: <stdin>: input is at least 16(\.\d)? MiB, over the 16 MiB limit/,
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  test('many files, each under the limit, together over it: refused naming the file that crossed it', () => {
    const dir = join(work, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 4; i++)
      writeFileSync(join(dir, `part-${i}.yaml`), workloads(5 * MB, `p${i}x`));
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, dir]);
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(
      /part-3\.yaml: the inputs together are at least 20(\.\d)? MiB, over the 16 MiB limit/,
    );
  });

  test('the limit can be set: a lower one refuses a small file, a bad value is a usage error', () => {
    const path = join(work, 'small.yaml');
    writeFileSync(path, LEGACY_DEPLOYMENT);
    const lower = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path], undefined, {
      RETARGET_MAX_INPUT_BYTES: '100',
    });
    expect(lower.status).toBe(1);
    expect(lower.stderr).toContain('over the 100 bytes limit');
    const bad = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path], undefined, {
      RETARGET_MAX_INPUT_BYTES: '10M',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('RETARGET_MAX_INPUT_BYTES must be a number of bytes');
  });

  test('a quarter of the default limit (4 MiB of workloads) is hydrated well within the time bound', () => {
    const path = join(work, 'under.yaml');
    writeFileSync(path, workloads(DEFAULT_MAX_INPUT_BYTES / 4));
    const run = runBounded('retarget', ['hydrate', '-c', DEFAULT_CONFIG, path]);
    expect(run.status).toBe(0);
    expect(run.cpuMs).toBeLessThan(TIMEOUT_MS);
    expect(run.stdout.toString('utf8')).toContain('fsGroup: 2000');
  });
});
