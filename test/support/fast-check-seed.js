// Every fast-check property is seeded: a property that passes no seed of its own runs with
// this one (FC_SEED picks another), so a failure in CI is reproducible from its log.
const fc = require('fast-check');

fc.configureGlobal({
  ...fc.readConfigureGlobal(),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125,
});
