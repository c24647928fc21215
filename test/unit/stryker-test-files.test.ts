/**
 * The mutation runs' test runner (scripts/stryker-jest-by-file.mjs) hands jest only the
 * files of the tests covering a mutant; scripts/stryker-test-files.js computes them.
 * A wrong answer here would let a mutant survive because the test that kills it was not
 * loaded, so the mapping is checked against jest's own path matching.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { filesByTest, testFilePatterns } = require('../../scripts/stryker-test-files.js') as {
  filesByTest(tests: { id: string; fileName?: string }[]): Record<string, string[]>;
  testFilePatterns(map: Record<string, string[]>, filter?: readonly string[]): string[] | undefined;
};

const a = '/s/test/unit/a.test.ts';
const b = '/s/test/unit/b.test.ts';
const c = '/s/test/unit/c+d (1).test.ts';

describe('test files of a mutant run', () => {
  const map = filesByTest([
    { id: 'x works', fileName: a },
    { id: 'x works', fileName: b },
    { id: 'x works', fileName: a },
    { id: 'y works', fileName: b },
    { id: 'z works', fileName: c },
    { id: 'no file' },
  ]);

  test('the map keeps every file a test id occurs in, once', () => {
    expect(map['x works']).toEqual([a, b]);
    expect(map['y works']).toEqual([b]);
    expect(map['z works']).toEqual([c]);
    expect(Object.hasOwn(map, 'no file')).toBe(false);
  });

  test('the patterns are the covering tests files, each matching only itself', () => {
    const patterns = testFilePatterns(map, ['y works', 'z works']) as string[];
    expect(patterns).toHaveLength(2);
    const matches = (path: string) => patterns.filter((p) => new RegExp(p).test(path));
    expect(matches(b)).toHaveLength(1);
    expect(matches(c)).toHaveLength(1);
    expect(matches(a)).toEqual([]);
    // a file whose name extends a covered one's, or holds it, is not loaded
    expect(matches(`${b}x`)).toEqual([]);
    expect(matches(`/other${b}`)).toEqual([]);
    expect(matches('/s/test/unit/cd (1).test.ts')).toEqual([]);
    expect(matches('/s/test/unit/c+d 1.test.ts')).toEqual([]);
  });

  test('a test id in two files loads both', () => {
    const patterns = testFilePatterns(map, ['x works']) as string[];
    expect([a, b].map((f) => patterns.some((p) => new RegExp(p).test(f)))).toEqual([true, true]);
  });

  test('no filter, an empty filter or an unknown test: no answer (jest finds the related tests)', () => {
    expect(testFilePatterns(map, undefined)).toBeUndefined();
    expect(testFilePatterns(map, [])).toBeUndefined();
    expect(testFilePatterns(map, ['y works', 'unknown'])).toBeUndefined();
    expect(testFilePatterns(map, ['toString'])).toBeUndefined();
    expect(testFilePatterns(map, ['__proto__'])).toBeUndefined();
  });
});
