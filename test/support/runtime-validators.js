// The config validators compiled at test time from src/config/schemas.ts, with the options
// of the precompiled ones (scripts/ajv-options.cjs). Only the mutation runs use it
// (stryker.config.json maps src/config/validators.generated to it): the precompiled
// validators are generated once, in the sandbox's global setup, from the schemas with no
// mutant active, so a mutant in a schema (a pattern, a bound, a description quoted in the
// messages) would never reach a test. Compiled here, the active mutant's schema is the one
// validating. Same shape as the generated module: one lazily compiled validator per kind.
const Ajv = require('ajv');
const ajvOptions = require('../../scripts/ajv-options.cjs');
const { CONFIG_SCHEMAS } = require('../../src/config/schemas');

let ajv;
const compiled = {};
for (const kind of Object.keys(CONFIG_SCHEMAS)) {
  Object.defineProperty(module.exports, kind, {
    enumerable: true,
    get() {
      if (!compiled[kind]) {
        if (!ajv) {
          ajv = new Ajv(ajvOptions);
          for (const [k, schema] of Object.entries(CONFIG_SCHEMAS)) ajv.addSchema(schema, k);
        }
        compiled[kind] = ajv.getSchema(kind);
      }
      return compiled[kind];
    },
  });
}
