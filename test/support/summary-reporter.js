// Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI log readers understand.
//
// Jest's own numFailedTests counts only tests that ran and failed: a suite that fails to run (syntax
// error, a throw at module load, a crash in beforeAll, no test at all) adds nothing to it, so the line
// would read "0 failed" while jest exits 1. Each such suite counts here as one failed test, and is named
// on its own line, so the closing line and the exit code agree. Skipped tests (`test.skip`,
// `describe.skip`, `test.todo`: what a test does when a tool or fixture is missing) are counted as
// skipped, never as passed.
const { relative } = require('node:path');

/** Counts and names from jest's AggregatedResult (pure, so the unit test can feed it shapes). */
function summarize(results, rootDir = process.cwd()) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
  const brokenSuites = (results.testResults ?? [])
    .filter((suite) => suite.testExecError != null)
    .map((suite) => relative(rootDir, suite.testFilePath));
  const failed = numFailedTests + brokenSuites.length;
  const lines = brokenSuites.map((path) => `suite failed to run: ${path}`);
  lines.push(
    `tests: ${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped`,
  );
  return { failed, brokenSuites, text: `\n${lines.join('\n')}\n` };
}

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig?.rootDir ?? process.cwd();
  }

  onRunComplete(_contexts, results) {
    process.stdout.write(summarize(results, this.rootDir).text);
  }
}

module.exports = SummaryReporter;
module.exports.summarize = summarize;
