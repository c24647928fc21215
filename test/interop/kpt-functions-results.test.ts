import { Configs } from 'kpt-functions';
import type { KubernetesObject } from 'kpt-functions';
import * as sdk from '../../src/interop/kpt-functions';
import { KPT_FUNCTIONS, setFsGroup, toSdkResult } from '../../src/interop/kpt-functions';
import type { Result } from '../../src/krm/results';

/**
 * What the kpt-functions SDK receives, field by field: the SDK's Result shape
 * (kpt-functions/src/types.ts: severity `warn`, `field.suggestedValue`, a resourceRef
 * with a namespace), and the objects it holds after a run.
 */
describe('toSdkResult: our result in the SDK shape', () => {
  test.each<[string, Result, unknown]>([
    ['info alone', { message: 'm', severity: 'info' }, { message: 'm', severity: 'info' }],
    ['error alone', { message: 'e', severity: 'error' }, { message: 'e', severity: 'error' }],
    [
      'warning becomes warn',
      { message: 'w', severity: 'warning' },
      { message: 'w', severity: 'warn' },
    ],
    [
      'every part carried over; a cluster-scoped ref gets an empty namespace',
      {
        message: 'm',
        severity: 'warning',
        tags: { line: '3', column: '5' },
        resourceRef: { apiVersion: 'v1', kind: 'PersistentVolume', name: 'pv' },
        file: { path: 'a.yaml', index: 2 },
        field: { path: 'spec.x', currentValue: 1, proposedValue: 2 },
      },
      {
        message: 'm',
        severity: 'warn',
        tags: { line: '3', column: '5' },
        resourceRef: { apiVersion: 'v1', kind: 'PersistentVolume', name: 'pv', namespace: '' },
        file: { path: 'a.yaml', index: 2 },
        field: { path: 'spec.x', currentValue: 1, suggestedValue: 2 },
      },
    ],
    [
      'a namespaced ref keeps its namespace',
      {
        message: 'm',
        severity: 'info',
        resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'ns' },
      },
      {
        message: 'm',
        severity: 'info',
        resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'ns' },
      },
    ],
    [
      'a field with no values has only its path',
      { message: 'm', severity: 'error', field: { path: 'spec' } },
      { message: 'm', severity: 'error', field: { path: 'spec' } },
    ],
    [
      'a current value alone; a falsy one is still a value',
      { message: 'm', severity: 'error', field: { path: 'p', currentValue: 0 } },
      { message: 'm', severity: 'error', field: { path: 'p', currentValue: 0 } },
    ],
    [
      'a proposed value alone',
      { message: 'm', severity: 'error', field: { path: 'p', proposedValue: false } },
      { message: 'm', severity: 'error', field: { path: 'p', suggestedValue: false } },
    ],
  ])('%s', (_name, result, sdk) => {
    const out = toSdkResult(result);
    expect(out).toStrictEqual(sdk);
    // Copies, not the same objects: the SDK may edit what it holds.
    if (result.tags) expect((out as { tags?: unknown }).tags).not.toBe(result.tags);
    if (result.file) expect((out as { file?: unknown }).file).not.toBe(result.file);
  });
});

describe('a KptFunc run: the objects the SDK holds afterwards', () => {
  const pod = (name: string, labels: Record<string, string>): KubernetesObject =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    }) as KubernetesObject;

  const fsGroupConfig = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetFsGroup',
    metadata: { name: 'fs' },
    fsGroup: 2000,
  } as unknown as KubernetesObject;

  test('objects that share one value in memory (as js-yaml gives for an alias) go through as two copies', async () => {
    const labels = { app: 'web' };
    const configs = new Configs([pod('a', labels), pod('b', labels)], fsGroupConfig);
    await setFsGroup(configs);
    expect(configs.getResults().filter((r) => r.severity === 'error')).toEqual([]);
    const out = configs.getAll() as unknown as {
      metadata: { name: string; labels: unknown };
      spec: { securityContext?: unknown };
    }[];
    expect(out.map((o) => [o.metadata.name, o.metadata.labels, o.spec.securityContext])).toEqual([
      ['a', { app: 'web' }, { fsGroup: 2000 }],
      ['b', { app: 'web' }, { fsGroup: 2000 }],
    ]);
  });

  test('no object in, none out', async () => {
    const configs = new Configs([], fsGroupConfig);
    await setFsGroup(configs);
    expect(configs.getAll()).toEqual([]);
    expect(configs.getResults().filter((r) => r.severity === 'error')).toEqual([]);
  });

  test("each function's usage names it, says what it does and the kind of its config", () => {
    expect(KPT_FUNCTIONS['set-fs-group'].usage).toMatch(
      /^retarget set-fs-group: .+\.\nfunctionConfig: a SetFsGroup \(apiVersion fn\.retarget\.dev\/v1alpha1\) or a ConfigMap whose data keys are its fields\.$/,
    );
  });

  test('each function exported under its own name is the one of that retarget name', () => {
    expect([
      sdk.hydrate,
      sdk.setImagePullSecrets,
      sdk.setFsGroup,
      sdk.linkKubernetesInfoSecrets,
      sdk.setAwsWorkloadIdentity,
      sdk.setGcpWorkloadIdentity,
      sdk.portDataVolumes,
    ]).toEqual(
      [
        'hydrate',
        'set-image-pull-secrets',
        'set-fs-group',
        'link-kubernetes-info-secrets',
        'set-aws-workload-identity',
        'set-gcp-workload-identity',
        'port-data-volumes',
      ].map((name) => {
        const fn = KPT_FUNCTIONS[name];
        expect(typeof fn).toBe('function');
        return fn;
      }),
    );
  });
});
