import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BEGIN_PATTERN, END_PATTERN } from '../../src/dockerfile/block';
import { patchDockerfile } from '../../src/dockerfile/patch';
import { SourceError } from '../../src/errors';
import { expectPlacedInFinalStage, isSubsequence, physicalLines } from './checks';
import { optionsFromFile } from './harness';

/**
 * Data-driven cases: testdata/dockerfile/<case>/ holds `Dockerfile`, `retarget.yaml`
 * and either `expected.Dockerfile` (the patched file, byte for byte) or
 * `expected-error.txt` (the located message). UPDATE_GOLDEN=1 rewrites the expected
 * files; review the diff.
 */
const ROOT = resolve(__dirname, '../../testdata/dockerfile');
const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'Dockerfile')));

describe.each(cases.map((c) => [c]))('testdata/dockerfile/%s', (name) => {
  const dir = join(ROOT, name);
  const input = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  // Read and patched inside the tests, not while jest collects them: code run at
  // collection is 'static' to Stryker, and each of its mutants would rerun every suite.
  // Each test reads and patches for itself, so each is a covering test of what it runs.
  const options = () => optionsFromFile(join(dir, 'retarget.yaml'));
  const expectedFile = join(dir, 'expected.Dockerfile');
  const errorFile = join(dir, 'expected-error.txt');

  if (existsSync(errorFile) || name.startsWith('error-')) {
    test('is refused with a located error, no output', () => {
      let message = '';
      try {
        patchDockerfile(input, options(), 'Dockerfile');
      } catch (error) {
        expect(error).toBeInstanceOf(SourceError);
        message = (error as Error).message;
      }
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(errorFile, `${message}\n`);
      expect(message).toMatch(/^Dockerfile:[0-9]+: /);
      expect(message).toBe(readFileSync(errorFile, 'utf8').trimEnd());
    });
    return;
  }

  const output = () => patchDockerfile(input, options(), 'Dockerfile');
  test('matches expected.Dockerfile byte for byte', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, output());
    expect(output()).toBe(readFileSync(expectedFile, 'utf8'));
  });

  test('patching again changes nothing', () => {
    expect(patchDockerfile(output(), options(), 'Dockerfile')).toBe(output());
  });

  test('keeps every original line in order (bar an old retarget block)', () => {
    const original = physicalLines(input);
    const begin = original.findIndex((l) => BEGIN_PATTERN.test(l));
    const end = original.findIndex((l) => END_PATTERN.test(l));
    const kept = begin < 0 ? original : [...original.slice(0, begin), ...original.slice(end + 1)];
    expect(isSubsequence(kept, physicalLines(output()))).toBe(true);
  });

  test('places the block in the final stage before ENTRYPOINT/CMD', () => {
    expectPlacedInFinalStage(output());
  });

  test('keeps the line endings and the final-newline state', () => {
    if (input.includes('\r\n')) expect(output().replace(/\r\n/g, '')).not.toContain('\n');
    else expect(output()).not.toContain('\r');
    expect(/\n$/.test(output())).toBe(/\n$/.test(input));
  });
});
