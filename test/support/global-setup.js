// Writes the precompiled config validators (gitignored) that src/config/load.ts imports,
// and the Kubernetes schemas preflight reads beside src/preflight/schema (gitignored), so
// a fresh checkout runs `npx jest` without a build first.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = function globalSetup() {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-validators.mjs')], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-kubernetes-schemas.mjs')], {
    stdio: 'inherit',
  });
};
