// The ajv options of the config validators, in one place: scripts/gen-validators.mjs compiles
// the schemas ahead of time with them, and the mutation runs (test/support/runtime-validators.js)
// compile the mutated schemas at test time with the same ones.
// verbose: messages quote the offending value and the schema's description.
module.exports = { allErrors: true, useDefaults: true, verbose: true, strict: true };
