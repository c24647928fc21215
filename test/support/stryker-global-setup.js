// Jest's globalSetup for mutation runs. Stryker's jest runner starts a jest run per mutant in
// one process, and jest calls globalSetup on every run: the generators it spawns (config
// validators, Kubernetes schemas) would cost seconds per mutant for files that do not change
// between mutants (mutants live in src/, the generated files are outside it). Run them once
// per process; Node's module cache keeps this flag across jest runs.
const globalSetup = require('./global-setup.js');

let done = false;

module.exports = function strykerGlobalSetup() {
  if (done) return;
  done = true;
  return globalSetup();
};
