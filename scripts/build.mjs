// Bundles each executable into one self-contained file under dist/ (no node_modules needed).
import { build } from 'esbuild';
import { chmodSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { generateValidators } from './gen-validators.mjs';

const entries = { retarget: 'src/cli/bin.ts' };
for (const name of readdirSync('functions'))
  entries[`retarget-${name}`] = `functions/${name}/main.ts`;

// The config validators are compiled here, not at each executable's start.
generateValidators();

// The Kubernetes schemas (kubernetes-models, ~3 MB) are a file of their own beside the
// executables, required by preflight only when it validates: no executable parses them
// at start. The require of ./kubernetes-models in src/preflight/schema stays a require.
const KUBERNETES_MODELS = 'src/preflight/schema/kubernetes-models.ts';
entries['kubernetes-models'] = KUBERNETES_MODELS;
const kubernetesModelsApart = {
  name: 'kubernetes-models-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/kubernetes-models$/ }, (args) =>
      args.kind === 'require-call' && args.resolveDir.endsWith('src/preflight/schema')
        ? { path: './kubernetes-models.js', external: true }
        : undefined,
    );
  },
};

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
  plugins: [kubernetesModelsApart],
});
for (const name of Object.keys(entries)) chmodSync(`${staging}/${name}.js`, 0o755);
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
