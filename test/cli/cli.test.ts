import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../support/run';
import { runBin } from '../support/run-bin';
import { LEGACY_DEPLOYMENT, SERVICE } from '../support/workloads';

const CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: t
fsGroup: 1234
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/app
  initSystem: systemd
`;

function setup(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('retarget CLI', () => {
  test('npm start example: hydrates the bundled quickstart', () => {
    const r = runBin(
      'retarget',
      [
        'hydrate',
        '-c',
        'examples/quickstart/retarget.yaml',
        'examples/quickstart/deployment_spec.yaml',
      ],
      undefined,
      REPO,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/billing-reader',
    );
  });

  test('a duplicate key is refused with the key and line, no stdout, no stack trace', () => {
    const dir = setup({
      'c.yaml': CONFIG,
      'in.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n',
    });
    const r = runBin('retarget', ['hydrate', '-c', join(dir, 'c.yaml'), join(dir, 'in.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/in\.yaml:5:3: Map keys must be unique/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a roleArn carrying shell syntax is refused, naming the field', () => {
    const dir = setup({
      'c.yaml': CONFIG.replace('role/app', 'role/app$(curl evil)'),
      'in.yaml': LEGACY_DEPLOYMENT,
    });
    const r = runBin('retarget', ['hydrate', '-c', join(dir, 'c.yaml'), join(dir, 'in.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('awsWorkloadIdentity.roleArn');
  });

  test('stdin to stdout, -o DIR and --in-place agree; in-place twice changes nothing', () => {
    const dir = setup({ 'c.yaml': CONFIG, 'a.yaml': LEGACY_DEPLOYMENT, 'b.yaml': SERVICE });
    const viaStdin = runBin(
      'retarget',
      ['hydrate', '-c', join(dir, 'c.yaml'), '-'],
      LEGACY_DEPLOYMENT,
    );
    expect(viaStdin.status).toBe(0);
    const out = join(dir, 'out');
    const toDir = runBin('retarget', ['hydrate', '-c', join(dir, 'c.yaml'), dir, '-o', out]);
    expect(toDir.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['a.yaml', 'b.yaml']); // the config itself is not an input
    expect(readFileSync(join(out, 'a.yaml'), 'utf8')).toBe(viaStdin.stdout);
    expect(readFileSync(join(out, 'b.yaml'), 'utf8')).toBe(SERVICE);
    const inPlace = runBin('retarget', [
      'hydrate',
      '-c',
      join(dir, 'c.yaml'),
      join(dir, 'a.yaml'),
      '--in-place',
    ]);
    expect(inPlace.status).toBe(0);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(viaStdin.stdout);
    runBin('retarget', ['hydrate', '-c', join(dir, 'c.yaml'), join(dir, 'a.yaml'), '--in-place']);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(viaStdin.stdout);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('on error --in-place leaves every file as it was', () => {
    const broken = LEGACY_DEPLOYMENT.replace(
      '      containers:\n',
      '      securityContext:\n        fsGroup: 99\n      containers:\n',
    );
    const dir = setup({ 'c.yaml': CONFIG, 'a.yaml': LEGACY_DEPLOYMENT, 'b.yaml': broken });
    const r = runBin('retarget', [
      'hydrate',
      '-c',
      join(dir, 'c.yaml'),
      join(dir, 'a.yaml'),
      join(dir, 'b.yaml'),
      '--in-place',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /b\.yaml:\d+:\d+ Deployment\/web spec\.template\.spec\.securityContext\.fsGroup: fsGroup is 99/,
    );
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(LEGACY_DEPLOYMENT);
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(broken);
  });

  test('usage errors exit 2; a missing file is a located error', () => {
    expect(runBin('retarget', ['hydrate']).status).toBe(2);
    expect(runBin('retarget', ['nope']).status).toBe(2);
    const r = runBin('retarget', [
      'hydrate',
      '-c',
      'examples/quickstart/retarget.yaml',
      '/no/such/file.yaml',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/no/such/file.yaml: no such file or directory');
  });

  test('each KRM executable runs a ResourceList and reports bad configs as results', () => {
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: c\n      image: x\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data:\n    fsGroup: "77"\n`;
    const ok = runBin('retarget-set-fs-group', [], list);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('fsGroup: 77');
    const bad = runBin('retarget-set-fs-group', [], list.replace('"77"', 'abc'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('severity: error');
    expect(bad.stdout).toContain('path: data.fsGroup');
    // A config error changes no item: the items are the input's, and no securityContext appears.
    const items = (text: string) => (parse(text) as { items: unknown[] }).items;
    expect(items(bad.stdout)).toEqual(items(list));
    expect(bad.stdout).not.toContain('securityContext');
    for (const bin of [
      'retarget-hydrate',
      'retarget-set-image-pull-secrets',
      'retarget-link-kubernetes-info-secrets',
      'retarget-set-aws-workload-identity',
      'retarget-set-gcp-workload-identity',
      'retarget-port-data-volumes',
    ]) {
      expect(existsSync(join(REPO, 'dist', `${bin}.js`))).toBe(true);
      expect(runBin(bin, ['--help']).status).toBe(0);
    }
  });
});
