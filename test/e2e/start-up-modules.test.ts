// What each bundled executable loads at start (issue 16, start-up): the validator of the
// config kind it was given and nothing of the others' or of the Dockerfile parser, which
// are files beside the bundles loaded on first use.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, tempDir } from './support';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
      - name: app
        image: gcr.io/source-project/app:v1
`;

/** Runs a bundle with a preload that records every module file it loads from dist/. */
function loadedModules(
  args: string[],
  input?: string,
): { status: number | null; loaded: string[]; stdout: string } {
  const dir = tempDir('start-up');
  const log = join(dir, 'loaded.txt');
  const preload = join(dir, 'record.cjs');
  writeFileSync(
    preload,
    `const Module = require('module');
const fs = require('fs');
const load = Module._load;
const seen = [];
Module._load = function (request, parent, isMain) {
  const result = load.apply(this, arguments);
  try { seen.push(Module._resolveFilename(request, parent, isMain)); } catch {}
  return result;
};
process.on('exit', () => fs.writeFileSync(${JSON.stringify(log)}, seen.join('\\n')));
`,
  );
  const run = spawnSync(process.execPath, ['--require', preload, ...args], {
    input,
    encoding: 'utf8',
  });
  const loaded = readFileSync(log, 'utf8')
    .split('\n')
    .filter((path) => path.startsWith(`${DIST}/`))
    .map((path) => path.slice(DIST.length + 1));
  return { status: run.status, loaded, stdout: run.stdout };
}

function resourceList(config: string): string {
  const item = DEPLOYMENT.replace(/^/gm, '  ').replace(/^ {2}/, '- ');
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item.trimEnd()}\nfunctionConfig:\n${config}`;
}

test('retarget-set-fs-group loads its own validator only, and no Dockerfile parser', () => {
  const config = `  apiVersion: fn.retarget.dev/v1alpha1\n  kind: SetFsGroup\n  metadata:\n    name: fs\n  fsGroup: 2000\n`;
  const run = loadedModules([join(DIST, 'retarget-set-fs-group.js')], resourceList(config));
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('fsGroup: 2000');
  expect(run.loaded.sort()).toEqual([
    'retarget-set-fs-group.js',
    'validators/SetFsGroup.generated.js',
  ]);
});

// Hydrate also validates each configured stage's own section (and the link step, on by default).
test('retarget-hydrate loads the validators of the Retarget config and its configured stages only', () => {
  const config = `  apiVersion: fn.retarget.dev/v1alpha1\n  kind: Retarget\n  metadata:\n    name: r\n  fsGroup: 2000\n`;
  const run = loadedModules([join(DIST, 'retarget-hydrate.js')], resourceList(config));
  expect(run.status).toBe(0);
  expect(run.loaded.sort()).toEqual([
    'retarget-hydrate.js',
    'validators/LinkKubernetesInfoSecrets.generated.js',
    'validators/Retarget.generated.js',
    'validators/SetFsGroup.generated.js',
  ]);
});

test('retarget dockerfile loads the Dockerfile parser bundled beside the executables', () => {
  const dir = tempDir('start-up-dockerfile');
  const config = join(dir, 'retarget.yaml');
  writeFileSync(
    config,
    'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nmetadata:\n  name: r\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n  initSystem: systemd\n',
  );
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, 'FROM debian:12\nCOPY app /app\n');
  const run = loadedModules([join(DIST, 'retarget.js'), 'dockerfile', '-c', config, dockerfile]);
  expect(run.loaded).toContain('vendor/dockerfile-ast.js');
  expect(run.stdout).toContain('FROM debian:12');
});
