import { parseAllDocuments } from 'yaml';
import { defaultNamespacesText, serviceAccountRef } from '../../src/transforms/service-account';
import { runText } from '../support/run';

/**
 * The ServiceAccount a workload identity is bound to, shared by every mechanism: which one
 * the pods run as, the deprecated `serviceAccount` alias, what a new one carries, and the
 * binding annotation on a package account. Driven through set-gcp-workload-identity, the
 * mechanism that adds nothing to the containers, so the outputs below are the binding alone.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const GSA = 'orders-vm@prod-cluster.iam.gserviceaccount.com';
const ANNOTATION = 'iam.gke.io/gcp-service-account';
const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetGcpWorkloadIdentity',
  projectId: 'prod-cluster',
  gcpServiceAccount: GSA,
  ...body,
});

function pod(spec = '', name = 'batch'): string {
  return `apiVersion: v1
kind: Pod
metadata:
${name ? `  name: ${name}\n` : ''}  namespace: jobs
spec:
${spec}  containers:
  - name: batch
    image: batch:1
`;
}

function account(name: string, rest = ''): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: jobs
${rest}`;
}

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}
const specOf = (output: string) => docs(output)[0].spec as Obj;
const accounts = (output: string) => docs(output).filter((d) => d.kind === 'ServiceAccount');
const notInfo = (results: { severity: string }[]) => results.filter((r) => r.severity !== 'info');

const POD_REF = { apiVersion: 'v1', kind: 'Pod', name: 'batch', namespace: 'jobs' };

describe('which ServiceAccount the pods run as', () => {
  test('none named: one of their own, named after the workload, in its namespace', () => {
    const { ok, output, results } = runText('set-gcp-workload-identity', config(), pod());
    expect(ok).toBe(true);
    expect(notInfo(results)).toEqual([]);
    expect(specOf(output).serviceAccountName).toBe('batch');
    expect(specOf(output)).not.toHaveProperty('serviceAccount');
    expect(accounts(output)).toStrictEqual([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'batch', namespace: 'jobs', annotations: { [ANNOTATION]: GSA } },
      },
    ]);
  });

  test('one they name (not default) is kept, silently', () => {
    const { output, results } = runText(
      'set-gcp-workload-identity',
      config(),
      pod('  serviceAccountName: reader\n'),
    );
    expect(results.map((r) => r.message)).not.toContainEqual(
      expect.stringContaining('serviceAccountName changed'),
    );
    expect(specOf(output).serviceAccountName).toBe('reader');
    expect(accounts(output).map((a) => a.metadata.name)).toEqual(['reader']);
  });

  test('default is left for one of their own, silently (the documented default)', () => {
    const { output, results } = runText(
      'set-gcp-workload-identity',
      config(),
      pod('  serviceAccountName: default\n'),
    );
    expect(results.map((r) => r.message)).not.toContainEqual(
      expect.stringContaining('serviceAccountName changed'),
    );
    expect(specOf(output).serviceAccountName).toBe('batch');
  });

  test('the config names another: the change is an info on the field, and the alias follows', () => {
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      config({ serviceAccountName: 'x' }),
      pod('  serviceAccountName: y\n  serviceAccount: y\n'),
    );
    expect(ok).toBe(true);
    expect(results[0]).toStrictEqual({
      message: 'serviceAccountName changed from y to x for workload identity',
      severity: 'info',
      resourceRef: POD_REF,
      field: { path: 'spec.serviceAccountName' },
      file: { path: 'input.yaml', index: 0 },
      tags: { line: '1', column: '1' },
    });
    expect(output.startsWith(pod('  serviceAccountName: x\n  serviceAccount: x\n'))).toBe(true);
  });

  test('only the alias, naming default: read as the account, and rewritten beside the new field', () => {
    const { output } = runText(
      'set-gcp-workload-identity',
      config(),
      pod('  serviceAccount: default\n'),
    );
    const spec = specOf(output);
    expect([spec.serviceAccount, spec.serviceAccountName]).toEqual(['batch', 'batch']);
  });

  test('only the alias, naming an account: that account, the alias untouched', () => {
    const { output, results } = runText(
      'set-gcp-workload-identity',
      config(),
      pod('  serviceAccount: reader\n'),
    );
    expect(results.map((r) => r.message)).not.toContainEqual(
      expect.stringContaining('serviceAccountName changed'),
    );
    const spec = specOf(output);
    expect([spec.serviceAccount, spec.serviceAccountName]).toEqual(['reader', 'reader']);
  });

  test('no metadata.name and nothing named: a located error saying what to set, nothing bound', () => {
    const { ok, results } = runText('set-gcp-workload-identity', config(), pod('', ''));
    expect(ok).toBe(false);
    expect(results).toStrictEqual([
      {
        message:
          'the workload has no metadata.name to name its own ServiceAccount after: set serviceAccountName in the config or on the pods',
        severity: 'error',
        resourceRef: { ...POD_REF, name: '' },
        field: { path: 'spec.serviceAccountName' },
        file: { path: 'input.yaml', index: 0 },
        tags: { line: '1', column: '1' },
      },
    ]);
  });

  test('no metadata.name but the config names one: bound to it', () => {
    const { ok, output } = runText(
      'set-gcp-workload-identity',
      config({ serviceAccountName: 'x' }),
      pod('', ''),
    );
    expect(ok).toBe(true);
    expect(specOf(output).serviceAccountName).toBe('x');
  });
});

describe('what a new ServiceAccount carries', () => {
  test('pods moved off an account of the package keep its pull Secrets (names only, in order)', () => {
    const previous = account(
      'default',
      'imagePullSecrets:\n- name: a\n- name: 5\n- {}\n- name: b\n',
    );
    const { output } = runText(
      'set-gcp-workload-identity',
      config(),
      `${pod('  serviceAccountName: default\n')}---\n${previous}`,
    );
    expect(accounts(output)[1]).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'batch', namespace: 'jobs', annotations: { [ANNOTATION]: GSA } },
      imagePullSecrets: [{ name: 'a' }, { name: 'b' }],
    });
  });

  test('a previous account without pull Secrets, or in another namespace, gives none', () => {
    for (const previous of [
      account('default'),
      account('default', 'imagePullSecrets:\n- name: a\n').replace('jobs', 'other'),
    ]) {
      const { output } = runText(
        'set-gcp-workload-identity',
        config(),
        `${pod('  serviceAccountName: default\n')}---\n${previous}`,
      );
      const created = accounts(output).find((a) => a.metadata.name === 'batch')!;
      expect(created).not.toHaveProperty('imagePullSecrets');
    }
  });

  test('no annotation to give (principal direct): no annotations key, no namespace key without one', () => {
    const direct = config({
      gcpServiceAccount: undefined,
      principal: 'direct',
      projectNumber: 123456789012,
      roles: ['roles/storage.objectViewer'],
    });
    const unnamespaced = pod().replace('  namespace: jobs\n', '');
    const { output } = runText('set-gcp-workload-identity', direct, unnamespaced);
    expect(accounts(output)).toStrictEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'batch' } },
    ]);
  });
});

describe('the binding annotation on a package ServiceAccount', () => {
  test('none yet: added under metadata.annotations, nothing said', () => {
    const input = `${pod()}---\n${account('batch')}`;
    const { ok, output, results } = runText('set-gcp-workload-identity', config(), input);
    expect(ok).toBe(true);
    expect(notInfo(results)).toEqual([]);
    expect(
      output.endsWith(`${account('batch', `  annotations:\n    ${ANNOTATION}: ${GSA}\n`)}`),
    ).toBe(true);
  });

  test('another value: an error on the annotation with both values, unless override', () => {
    const other = 'old@prod-cluster.iam.gserviceaccount.com';
    const input = `${pod()}---\n${account('batch', `  annotations:\n    ${ANNOTATION}: ${other}\n`)}`;
    const refused = runText('set-gcp-workload-identity', config(), input);
    expect(refused.ok).toBe(false);
    expect(notInfo(refused.results)).toStrictEqual([
      {
        message: `ServiceAccount batch has ${ANNOTATION}: ${other}, the config asks for ${GSA}; set override: true to replace it`,
        severity: 'error',
        resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'batch', namespace: 'jobs' },
        field: {
          path: `metadata.annotations.${ANNOTATION}`,
          currentValue: other,
          proposedValue: GSA,
        },
        file: { path: 'input.yaml', index: 1 },
        tags: { line: '17', column: '37' },
      },
    ]);
    const replaced = runText('set-gcp-workload-identity', config({ override: true }), input);
    expect(replaced.ok).toBe(true);
    expect(replaced.results[0]).toMatchObject({
      message: `Google service account changed from ${other} to ${GSA}`,
      severity: 'info',
      field: { path: `metadata.annotations.${ANNOTATION}` },
      tags: { line: '17', column: '37' },
    });
    expect(accounts(replaced.output)[0].metadata.annotations).toEqual({ [ANNOTATION]: GSA });
  });

  test('annotations that are no map: a located error, nothing bound', () => {
    const input = `${pod()}---\n${account('batch', '  annotations: [1]\n')}`;
    const { ok, results } = runText('set-gcp-workload-identity', config(), input);
    expect(ok).toBe(false);
    expect(results.map((r) => [r.severity, r.field?.path, r.message])).toEqual([
      ['error', 'metadata.annotations', 'expected a map, found a list'],
    ]);
  });
});

describe('the pure helpers', () => {
  test.each([
    [[], ''],
    [[''], ''],
    [['a'], ' of namespace a'],
    [['b', 'a'], ' of namespaces a, b'],
    [['a', ''], ' of namespace a and of the namespace the unnamespaced workloads are applied to'],
    [
      ['', 'c', 'a'],
      ' of namespaces a, c and of the namespace the unnamespaced workloads are applied to',
    ],
  ])('defaultNamespacesText(%j) is %j', (namespaces, text) => {
    expect(defaultNamespacesText(new Set(namespaces))).toBe(text);
  });

  test('serviceAccountRef: a namespace key only when there is one', () => {
    expect(serviceAccountRef('a', 'n')).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: 'a',
      namespace: 'n',
    });
    expect(serviceAccountRef('a', undefined)).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: 'a',
    });
  });
});
