/**
 * retarget in kustomize, with the real `kubectl kustomize` (kustomize v5 inside kubectl):
 * the legacy exec plugin under kustomize/plugin runs; an exec KRM function is silently
 * skipped by kubectl (it has no --enable-exec), which the README tells users.
 */
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeWith, envWithBin, REPO, run, tempDir } from './support';

const PLUGIN_HOME = join(REPO, 'kustomize', 'plugin');
const PLUGIN = join(PLUGIN_HOME, 'fn.retarget.dev', 'v1alpha1', 'retarget', 'Retarget');
const LEGACY = join(REPO, 'kustomize', 'legacy-plugin');

type Obj = Record<string, unknown> & { kind: string; metadata: { name: string } };

function objects(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null)
    .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

function kustomize(dir: string): ReturnType<typeof run> {
  return run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
    env: envWithBin({ KUSTOMIZE_PLUGIN_HOME: PLUGIN_HOME }),
  });
}

describeWith(['kubectl'])('kubectl kustomize', () => {
  test('the legacy plugin is a one-line executable wrapper around retarget hydrate', () => {
    const lines = readFileSync(PLUGIN, 'utf8').trim().split('\n');
    expect(lines).toEqual(['#!/bin/sh', 'exec retarget hydrate --quiet -c "$1" -']);
    expect(statSync(PLUGIN).mode & 0o111).toBe(0o111);
  });

  test('the legacy exec plugin gives the same resources as retarget hydrate', () => {
    const built = kustomize(LEGACY);
    expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: '' });
    const cli = run(
      'retarget',
      ['hydrate', '-c', join(LEGACY, 'retarget.yaml'), join(LEGACY, 'deployment_spec.yaml')],
      { env: envWithBin() },
    );
    expect(cli.status).toBe(0);
    const fromKustomize = objects(built.stdout);
    expect(fromKustomize.map((o) => o.kind)).toContain('ServiceAccount');
    expect(fromKustomize).toEqual(objects(cli.stdout));
  });

  test('a broken config fails the build with a message naming the field', () => {
    const dir = join(tempDir('kustomize-broken'), 'app');
    cpSync(LEGACY, dir, { recursive: true });
    const config = join(dir, 'retarget.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/roleArn: .*/, 'roleArn: "x; reboot"'),
    );
    const built = kustomize(dir);
    expect(built.status).not.toBe(0);
    expect(built.stdout).toBe('');
    expect(built.stderr).toMatch(/awsWorkloadIdentity\.roleArn/);
  });

  test('kubectl kustomize silently skips an exec KRM function (what the README warns about)', () => {
    const dir = join(REPO, 'kustomize', 'krm-function');
    const annotation = readFileSync(join(dir, 'retarget.yaml'), 'utf8');
    expect(annotation).toMatch(/config\.kubernetes\.io\/function: \|\n\s+exec:\n\s+path: /);
    const built = kustomize(dir);
    expect(built.status).toBe(0);
    expect(objects(built.stdout)).toEqual(
      objects(readFileSync(join(dir, 'deployment_spec.yaml'), 'utf8')),
    );
  });
});
