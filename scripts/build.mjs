// Bundles each executable into one self-contained file under dist/ (no node_modules needed).
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';

const entries = { retarget: 'src/cli/bin.ts' };
for (const name of readdirSync('functions')) entries[`retarget-${name}`] = `functions/${name}/main.ts`;

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
for (const name of Object.keys(entries)) chmodSync(`dist/${name}.js`, 0o755);
