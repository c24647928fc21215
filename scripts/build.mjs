// Bundles each executable into one self-contained file under dist/ (no node_modules needed).
import { build } from 'esbuild';
import { chmodSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { generateKubernetesSchemas } from './gen-kubernetes-schemas.mjs';
import { configKinds, generateValidators, KIND_MODULE_PREFIX } from './gen-validators.mjs';

const entries = { retarget: 'src/cli/bin.ts' };
for (const name of readdirSync('functions'))
  entries[`retarget-${name}`] = `functions/${name}/main.ts`;

// The config validators are compiled here, not at each executable's start.
generateValidators();

// Packages only some commands need (the Dockerfile parser: retarget dockerfile, artifact
// folders with a Dockerfile), bundled beside the executables and required on first use:
// their code is not parsed at each start. They must not import yaml (one copy of its
// classes per process).
const VENDOR_APART = ['dockerfile-ast'];
const vendorApart = {
  name: 'vendor-apart',
  setup(b) {
    const filter = new RegExp(`^(${VENDOR_APART.join('|')})$`);
    b.onResolve({ filter }, (a) => ({ path: `./vendor/${a.path}.js`, external: true }));
  },
};

// Built beside dist/ and swapped in, so a concurrent reader never sees half a build.
const staging = `.dist-build-${process.pid}`;
/** What every bundle shares: one minified CommonJS file for Node 20. */
const BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};
rmSync(staging, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: staging,
  ...BUNDLE,
  banner: { js: '#!/usr/bin/env node' },
  // Each config kind's validator is its own file beside the executables (below), loaded on
  // first use: the executables do not parse the others' code at start.
  external: [`${KIND_MODULE_PREFIX}*`],
  plugins: [vendorApart],
});
await build({
  entryPoints: {
    ...Object.fromEntries(
      configKinds().map((kind) => [
        `validators/${kind}.generated`,
        `src/config/validators/${kind}.generated.js`,
      ]),
    ),
    ...Object.fromEntries(VENDOR_APART.map((pkg) => [`vendor/${pkg}`, pkg])),
  },
  outdir: staging,
  ...BUNDLE,
});
// The library (`retarget` and `retarget/kpt-functions` in package.json's exports), bundled
// the same way beside the executables (preflight finds kubernetes-schemas/ next to its
// bundle); its type declarations are emitted by `npm run build:types`.
await build({
  entryPoints: { index: 'src/index.ts', 'kpt-functions': 'src/kpt-functions.ts' },
  outdir: staging,
  ...BUNDLE,
});
for (const name of Object.keys(entries)) chmodSync(`${staging}/${name}.js`, 0o755);
// The Kubernetes schemas are data files beside the executables, read by preflight only
// for the kinds present (src/preflight/schema/kubernetes-schemas.ts): no executable
// parses them at start.
generateKubernetesSchemas(`${staging}/kubernetes-schemas`);
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
