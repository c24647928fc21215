// Bundles each executable into one self-contained file under dist/ (no node_modules needed).
import { build } from 'esbuild';
import { chmodSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { generateKubernetesSchemas } from './gen-kubernetes-schemas.mjs';
import { generateValidators } from './gen-validators.mjs';

const entries = { retarget: 'src/cli/bin.ts' };
for (const name of readdirSync('functions'))
  entries[`retarget-${name}`] = `functions/${name}/main.ts`;

// The config validators are compiled here, not at each executable's start.
generateValidators();

// Built beside dist/ and swapped in, so a concurrent reader never sees half a build.
const staging = `.dist-build-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
// The library (`retarget` and `retarget/kpt-functions` in package.json's exports), bundled
// the same way beside the executables (preflight finds kubernetes-schemas/ next to its
// bundle); its type declarations are emitted by `npm run build:types`.
await build({
  entryPoints: { index: 'src/index.ts', 'kpt-functions': 'src/kpt-functions.ts' },
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const name of Object.keys(entries)) chmodSync(`${staging}/${name}.js`, 0o755);
// The Kubernetes schemas are data files beside the executables, read by preflight only
// for the kinds present (src/preflight/schema/kubernetes-schemas.ts): no executable
// parses them at start.
generateKubernetesSchemas(`${staging}/kubernetes-schemas`);
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
