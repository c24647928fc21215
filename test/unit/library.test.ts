import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  hydrate,
  patchDockerfile,
  portDataVolumes,
  preflight,
  setFsGroup,
  setImagePullSecrets,
} from '../../src';
import { REPO, SHAPES } from '../support/run';

/** The library API (src/index.ts) in-process; the packed package is tested in e2e. */
const SPEC = readFileSync(join(SHAPES, 'm4a-v1-legacy/deployment_spec.yaml'), 'utf8');

describe('library: text in, text out', () => {
  test('the same bytes as the CLI path: comments kept, only additions, a summary', () => {
    const out = hydrate(SPEC, { imagePullSecrets: ['gcr-json-key'], fsGroup: 2000 });
    expect(out.ok).toBe(true);
    expect(out.summary).toEqual({ changed: 1, created: 0, unchanged: 2 });
    for (const line of SPEC.split('\n')) expect(out.output.split('\n')).toContain(line);
    const again = hydrate(out.output, { imagePullSecrets: ['gcr-json-key'], fsGroup: 2000 });
    expect(again.output).toBe(out.output);
    expect(again.summary).toEqual({ changed: 0, created: 0, unchanged: 3 });
  });

  test('a config as fields, as a document, and as YAML text gives the same output', () => {
    const fields = setFsGroup(SPEC, { fsGroup: 3000 });
    const doc = setFsGroup(SPEC, {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'SetFsGroup',
      fsGroup: 3000,
    });
    const text = setFsGroup(
      SPEC,
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: SetFsGroup\nfsGroup: 3000\n',
    );
    const configMap = setFsGroup(SPEC, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { fsGroup: '3000' },
    });
    expect(fields.ok).toBe(true);
    for (const other of [doc, text, configMap]) expect(other.output).toBe(fields.output);
  });

  test('errors come back as results, with the input unchanged: bad config, bad YAML, a conflict', () => {
    const badConfig = setFsGroup(SPEC, { fsGroup: -1 } as never);
    expect(badConfig).toMatchObject({ ok: false, output: SPEC });
    expect(badConfig.results[0]).toMatchObject({ severity: 'error', field: { path: 'fsGroup' } });
    const badYaml = setFsGroup('a: [\n', { fsGroup: 1 }, { path: 'broken.yaml' });
    expect(badYaml).toMatchObject({ ok: false, output: 'a: [\n' });
    expect(badYaml.results[0].file).toEqual({ path: 'broken.yaml' });
    const once = setFsGroup(SPEC, { fsGroup: 1000 }).output;
    const conflict = setFsGroup(once, { fsGroup: 2000 });
    expect(conflict).toMatchObject({ ok: false, output: once });
  });
});

describe('library: objects in, objects out', () => {
  const objects = parseAllDocuments(SPEC)
    .map((d) => d.toJS() as { apiVersion: string; kind: string } | null)
    .filter((o): o is { apiVersion: string; kind: string } => o !== null);

  test('the objects come back changed; the input array is not mutated', () => {
    const before = JSON.stringify(objects);
    const out = setImagePullSecrets(objects, { names: ['gcr-json-key'] });
    expect(out.ok).toBe(true);
    expect(JSON.stringify(objects)).toBe(before);
    expect(out.output).toHaveLength(objects.length);
    expect(out.output[0]).toMatchObject({
      spec: { template: { spec: { imagePullSecrets: [{ name: 'gcr-json-key' }] } } },
    });
  });

  test('preflight: findings with a check id and a fix; ok false on an error finding', () => {
    const out = preflight(objects, { platform: 'gke-autopilot' });
    expect(out.ok).toBe(false);
    const checks = out.results.map((r) => r.tags?.check);
    expect(checks).toContain('autopilot');
    for (const r of out.results) expect(r.tags?.fix).toBeTruthy();
  });
});

describe('library: patchDockerfile', () => {
  test('the block for the config; twice == once; a config it cannot use throws naming the field', () => {
    const dockerfile = readFileSync(join(REPO, 'examples/quickstart/Dockerfile'), 'utf8');
    const config = {
      fsGroup: 2000,
      awsWorkloadIdentity: {
        roleArn: 'arn:aws:iam::123456789012:role/app',
        initSystem: 'systemd' as const,
      },
    };
    const once = patchDockerfile(dockerfile, config);
    expect(once).toContain('# >>> retarget dockerfile');
    expect(patchDockerfile(once, config)).toBe(once);
    expect(() => patchDockerfile(dockerfile, { fsGroup: 2000 })).toThrow(/awsWorkloadIdentity/);
  });
});

describe('library: port-data-volumes', () => {
  const GOLDEN = join(REPO, 'testdata/golden/port-data-volumes-provision');

  test('provision mode over text drops the dumped PersistentVolume, unpins the claim, then changes nothing', () => {
    const input = readFileSync(join(GOLDEN, 'resources.yaml'), 'utf8');
    const config = readFileSync(join(GOLDEN, 'config.yaml'), 'utf8');
    const out = portDataVolumes(input, config);
    expect(out.ok).toBe(true);
    const kinds = parseAllDocuments(out.output).map((d) => d.get('kind'));
    expect(kinds).not.toContain('PersistentVolume');
    expect(kinds).toContain('PersistentVolumeClaim');
    expect(out.output).not.toMatch(/volumeName:/);
    expect(out.output).toMatch(/storageClassName: "gp3"/);
    expect(out.output).toBe(readFileSync(join(GOLDEN, '.expected/output.yaml'), 'utf8'));
    expect(portDataVolumes(out.output, config).output).toBe(out.output);
  });
});
