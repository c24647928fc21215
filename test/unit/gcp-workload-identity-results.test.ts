import { parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import { runText } from '../support/run';

/**
 * set-gcp-workload-identity's results and edits asserted whole, per rule of Google's guide
 * (cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): the metadata-server
 * nodeSelector on Standard and its absence on Autopilot, hostNetwork, the default
 * ServiceAccount, the direct principal's leftover annotation, and the project the metadata
 * server reports.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const GSA = 'orders-vm@prod-cluster.iam.gserviceaccount.com';
const OTHER_PROJECT_GSA = 'orders-vm@app-project.iam.gserviceaccount.com';
const LABEL = 'iam.gke.io/gke-metadata-server-enabled';
const ANNOTATION = 'iam.gke.io/gcp-service-account';
const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetGcpWorkloadIdentity',
  projectId: 'prod-cluster',
  gcpServiceAccount: GSA,
  ...body,
});
const direct = (body: Record<string, unknown> = {}) =>
  config({
    gcpServiceAccount: undefined,
    principal: 'direct',
    projectNumber: 123456789012,
    roles: ['roles/storage.objectViewer', 'roles/pubsub.subscriber'],
    ...body,
  });

function pod(spec = '', namespace = 'jobs', name = 'batch'): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${spec}  containers:
  - name: batch
    image: batch:1
`;
}

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}
/** Every result but the grant commands (asserted in gcp-iam-grants.test.ts). */
const said = (results: Result[]) =>
  results.filter((r) => !r.message.startsWith('Workload Identity Federation for GKE: '));
const at = (line: number, column: number, name = 'batch') => ({
  resourceRef: { apiVersion: 'v1', kind: 'Pod', name, namespace: 'jobs' },
  file: { path: 'input.yaml', index: 0 },
  tags: { line: String(line), column: String(column) },
});

describe('the metadata-server nodeSelector', () => {
  test('Standard: added, beside a nodeSelector the pods already have', () => {
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      config(),
      pod('  nodeSelector:\n    disk: ssd\n'),
    );
    expect(ok).toBe(true);
    expect(said(results)).toEqual([]);
    expect(docs(output)[0].spec.nodeSelector).toStrictEqual({ disk: 'ssd', [LABEL]: 'true' });
    // A string, as a nodeSelector value must be.
    expect(output).toContain(`    ${LABEL}: "true"\n`);
  });

  test('Standard: already "true", nothing changes', () => {
    const input = pod(`  serviceAccountName: batch\n  nodeSelector:\n    ${LABEL}: "true"\n`);
    const { output, results } = runText('set-gcp-workload-identity', config(), input);
    expect(said(results)).toEqual([]);
    expect(output.startsWith(`${input}---\n`)).toBe(true);
  });

  test('Standard: another value keeps the pods off those nodes: a located error, not changed', () => {
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      config(),
      pod(`  nodeSelector:\n    disk: ssd\n    ${LABEL}: "no"\n`),
    );
    expect(ok).toBe(false);
    expect(said(results)).toStrictEqual([
      {
        message: `nodeSelector ${LABEL}: no keeps the pods off the nodes that run the GKE metadata server, where Workload Identity Federation for GKE works; it must be "true"`,
        severity: 'error',
        field: { path: `spec.nodeSelector.${LABEL}` },
        ...at(9, 45),
      },
    ]);
    expect(docs(output)[0].spec.nodeSelector[LABEL]).toBe('no');
  });

  test('Autopilot: never added; one there is a located error', () => {
    const clean = runText(
      'set-gcp-workload-identity',
      config({ platform: 'gke-autopilot' }),
      pod(),
    );
    expect(clean.ok).toBe(true);
    expect(said(clean.results)).toEqual([]);
    expect(docs(clean.output)[0].spec).not.toHaveProperty('nodeSelector');
    const carried = runText(
      'set-gcp-workload-identity',
      config({ platform: 'gke-autopilot' }),
      pod(`  nodeSelector:\n    ${LABEL}: "true"\n`),
    );
    expect(carried.ok).toBe(false);
    expect(said(carried.results)).toStrictEqual([
      {
        message: `GKE Autopilot rejects the nodeSelector ${LABEL}: every Autopilot node runs the GKE metadata server; remove it`,
        severity: 'error',
        field: { path: `spec.nodeSelector.${LABEL}` },
        ...at(8, 45),
      },
    ]);
  });
});

describe('hostNetwork', () => {
  test('true: a warning on the field; false or absent: nothing', () => {
    const host = runText('set-gcp-workload-identity', config(), pod('  hostNetwork: true\n'));
    expect(said(host.results)).toStrictEqual([
      {
        message:
          'hostNetwork: true: Workload Identity Federation for GKE cannot be used by pods on the host network; they get the node service account, not the workload identity',
        severity: 'warning',
        field: { path: 'spec.hostNetwork' },
        ...at(7, 16),
      },
    ]);
    for (const spec of ['  hostNetwork: false\n', '  hostNetwork: "true"\n', '']) {
      expect(said(runText('set-gcp-workload-identity', config(), pod(spec)).results)).toEqual([]);
    }
  });
});

describe('the default ServiceAccount, named by the config', () => {
  test('service-account principal: one warning naming the identity and every namespace', () => {
    const { results } = runText(
      'set-gcp-workload-identity',
      config({ serviceAccountName: 'default' }),
      `${pod()}---\n${pod('', 'back', 'b2')}`,
    );
    expect(said(results)).toStrictEqual([
      {
        severity: 'warning',
        message: `serviceAccountName: default gives the identity of ${GSA} to the ServiceAccount default of namespaces back, jobs: every pod there that names no ServiceAccount gets it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own`,
      },
    ]);
  });

  test('direct principal: the warning names the roles', () => {
    const { results } = runText(
      'set-gcp-workload-identity',
      direct({ serviceAccountName: 'default' }),
      pod(),
    );
    expect(said(results)).toStrictEqual([
      {
        severity: 'warning',
        message:
          'serviceAccountName: default gives the roles roles/storage.objectViewer, roles/pubsub.subscriber to the ServiceAccount default of namespace jobs: every pod there that names no ServiceAccount gets it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own',
      },
    ]);
  });

  test('another account named: no warning', () => {
    const { results } = runText(
      'set-gcp-workload-identity',
      config({ serviceAccountName: 'reader' }),
      pod(),
    );
    expect(said(results)).toEqual([]);
  });
});

describe('a package ServiceAccount', () => {
  const account = (annotation?: string) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: batch
  namespace: jobs
${annotation ? `  annotations:\n    ${ANNOTATION}: ${annotation}\n` : ''}`;

  test('direct principal: an impersonation annotation left there is a warning on it, kept', () => {
    const input = `${pod()}---\n${account(OTHER_PROJECT_GSA)}`;
    const { ok, output, results } = runText('set-gcp-workload-identity', direct(), input);
    expect(ok).toBe(true);
    expect(said(results)).toStrictEqual([
      {
        message: `ServiceAccount batch carries ${ANNOTATION}: ${OTHER_PROJECT_GSA}: GKE then gives its pods that Google service account's identity, not the principal the config's roles are granted to (principal: direct); remove the annotation`,
        severity: 'warning',
        resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'batch', namespace: 'jobs' },
        field: { path: `metadata.annotations.${ANNOTATION}` },
        file: { path: 'input.yaml', index: 1 },
        tags: { line: '17', column: '37' },
      },
    ]);
    expect(output.endsWith(account(OTHER_PROJECT_GSA))).toBe(true);
    expect(docs(output)[0].spec.nodeSelector).toStrictEqual({ [LABEL]: 'true' });
  });

  test('direct principal, no annotation: bound as it is, nothing said', () => {
    const input = `${pod()}---\n${account()}`;
    const { ok, output, results } = runText('set-gcp-workload-identity', direct(), input);
    expect(ok).toBe(true);
    expect(said(results)).toEqual([]);
    expect(output.endsWith(account())).toBe(true);
    expect(docs(output).filter((d) => d.kind === 'ServiceAccount')).toHaveLength(1);
  });

  test('a conflicting annotation: nothing bound, so no nodeSelector either', () => {
    const input = `${pod()}---\n${account(OTHER_PROJECT_GSA)}`;
    const { ok, output } = runText('set-gcp-workload-identity', config(), input);
    expect(ok).toBe(false);
    expect(docs(output)[0].spec).not.toHaveProperty('nodeSelector');
  });

  test('one ServiceAccount for two workloads: bound once, one grant said', () => {
    const { results, output } = runText(
      'set-gcp-workload-identity',
      config({ serviceAccountName: 'shared' }),
      `${pod()}---\n${pod('', 'jobs', 'b2')}`,
    );
    expect(results.filter((r) => r.message.startsWith('Workload Identity'))).toHaveLength(1);
    expect(docs(output).filter((d) => d.kind === 'ServiceAccount')).toHaveLength(1);
    expect(docs(output).map((d) => d.spec?.nodeSelector?.[LABEL])).toEqual([
      'true',
      'true',
      undefined,
    ]);
  });
});

describe('what is selected', () => {
  test('a selector naming no container of the pod: the pod is left alone, nothing said', () => {
    const input = pod();
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      config({ selector: { containers: ['other'] } }),
      input,
    );
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    expect(output).toBe(input);
  });

  test('an init container alone selected is enough to bind the pod', () => {
    const input = pod('  initContainers:\n  - name: setup\n    image: setup:1\n');
    const { output } = runText(
      'set-gcp-workload-identity',
      config({ selector: { containers: ['setup'] } }),
      input,
    );
    expect(docs(output)[0].spec.serviceAccountName).toBe('batch');
  });
});

describe('the project the metadata server reports', () => {
  const info = {
    severity: 'info',
    message: `the GKE metadata server tells the pods they are in project prod-cluster (the cluster's), where ${OTHER_PROJECT_GSA} is in app-project: software that takes its default project from the metadata server, as on the source Compute Engine VM, now uses prod-cluster; set GOOGLE_CLOUD_PROJECT (or the software's own setting) where that matters`,
  };

  test('a Google service account of another project: said once, whatever the number of workloads', () => {
    const { results } = runText(
      'set-gcp-workload-identity',
      config({ gcpServiceAccount: OTHER_PROJECT_GSA }),
      `${pod()}---\n${pod('', 'jobs', 'b2')}`,
    );
    expect(said(results)).toStrictEqual([info]);
  });

  test('same project, direct principal, or nothing bound: not said', () => {
    expect(said(runText('set-gcp-workload-identity', config(), pod()).results)).toEqual([]);
    expect(said(runText('set-gcp-workload-identity', direct(), pod()).results)).toEqual([]);
    const none = runText(
      'set-gcp-workload-identity',
      config({ gcpServiceAccount: OTHER_PROJECT_GSA, selector: { containers: ['other'] } }),
      pod(),
    );
    expect(none.results).toEqual([]);
  });
});
