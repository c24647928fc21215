// The mutation runs' test environment (stryker.config.json's jest `testEnvironment`):
// node's, plus jest's `bail` per mutant, which Stryker cannot pass to jest (jest#11766;
// @stryker-mutator/jest-runner sets bail: false). Once a test has failed with a mutant
// active, that mutant is killed: the tests still to come in that run, in this file and
// the next ones, are skipped instead of run. A mutant covered by hundreds of tests (the
// config loader, the YAML layer) is then decided by its first failing test; a surviving
// mutant still runs every test that covers it, so no verdict changes, only the time.
// Stryker marks the active mutant in this environment variable for each mutant run; the
// initial run (no mutant) and `npm test` are untouched.
const { TestEnvironment } = require('jest-environment-node');

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
/** The mutant a test in this process has already killed (module state outlives a file). */
let killed;

class BailEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) return;
    // test_start comes before jest-circus decides whether the test is skipped.
    if (event.name === 'test_start' && killed === mutant) event.test.mode = 'skip';
    else if (event.name === 'test_done' && event.test.errors.length > 0) killed = mutant;
  }
}

module.exports = BailEnvironment;
