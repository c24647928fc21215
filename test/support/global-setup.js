// Writes the precompiled config validators (gitignored) that src/config/load.ts imports,
// and the Kubernetes schemas preflight reads beside src/preflight/schema (gitignored), so
// a fresh checkout runs `npx jest` without a build first. Also says once, loudly, when the
// real generated artifacts beside the repository are absent (a fresh clone): the tests
// that need them are then skipped (failing in CI), the rest run on the project's own
// generator-shaped fixtures.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

module.exports = function globalSetup() {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-validators.mjs')], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-kubernetes-schemas.mjs')], {
    stdio: 'inherit',
  });
  const fixtures = resolve(__dirname, '../../../shared/fixtures/m4a-real');
  if (!existsSync(fixtures)) {
    const what =
      process.env.CI === 'true'
        ? 'their tests FAIL (CI must run them)'
        : 'their tests are SKIPPED (counted as skipped); testdata/generator-shapes/ runs instead';
    process.stderr.write(
      `\n*** NOTICE: the real generated artifacts are not at ${fixtures}: ${what} ***\n\n`,
    );
  }
};
