// Bundles each executable into one self-contained file under dist/ (no node_modules needed).
import { build } from 'esbuild';
import { chmodSync, readdirSync, renameSync, rmSync } from 'node:fs';
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
for (const name of Object.keys(entries)) chmodSync(`${staging}/${name}.js`, 0o755);
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
