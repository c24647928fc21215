// Which test files a mutant run needs (scripts/stryker-jest-by-file.mjs): the files of the
// tests that cover the mutant, from the map the initial run recorded (test id → files),
// as jest path patterns that match those files and nothing else. `undefined` means "no
// better answer": no test filter (a static mutant, or coverage analysis off), or a test
// the map does not know; the runner then lets jest find the related tests itself.

/** @param {{ id: string, fileName?: string }[]} tests the initial run's test results */
function filesByTest(tests) {
  /** @type {Record<string, string[]>} */
  const map = Object.create(null);
  for (const test of tests) {
    if (test.fileName === undefined) continue;
    const files = (map[test.id] ??= []);
    if (!files.includes(test.fileName)) files.push(test.fileName);
  }
  return map;
}

/**
 * @param {Record<string, string[]>} map from filesByTest
 * @param {readonly string[] | undefined} testFilter the ids of the tests covering a mutant
 * @returns {string[] | undefined}
 */
function testFilePatterns(map, testFilter) {
  if (testFilter === undefined || testFilter.length === 0) return undefined;
  const files = new Set();
  for (const id of testFilter) {
    if (!Object.hasOwn(map, id)) return undefined;
    for (const file of map[id]) files.add(file);
  }
  // jest reads each entry as a regular expression over the test path.
  return [...files].sort().map((file) => `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

module.exports = { filesByTest, testFilePatterns };
