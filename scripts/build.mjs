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
const kubernetesModelsApart = (path) => ({
  name: 'kubernetes-models-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/kubernetes-models$/ }, (args) =>
      args.kind === 'require-call' && args.resolveDir.endsWith('src/preflight/schema')
        ? { path, external: true }
        : undefined,
    );
  },
});

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
  plugins: [kubernetesModelsApart('./kubernetes-models.js')],
});
// The library (`retarget` and `retarget/kpt-functions` in package.json's exports), bundled
// the same way into dist/lib/; its type declarations are emitted by `npm run build:types`.
await build({
  entryPoints: { index: 'src/index.ts', 'kpt-functions': 'src/kpt-functions.ts' },
  outdir: `${staging}/lib`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [kubernetesModelsApart('../kubernetes-models.js')],
});
for (const name of Object.keys(entries)) chmodSync(`${staging}/${name}.js`, 0o755);
rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
