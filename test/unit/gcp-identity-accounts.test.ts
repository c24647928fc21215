import { parseAllDocuments } from 'yaml';
import { findFunction } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';
import { runText } from '../support/run';
import { deploymentYaml, stream } from '../support/workloads';

/*
 * GKE Workload Identity: one ServiceAccount per namespace and name, created once, right
 * after the first workload that runs as it, whatever the number of workloads sharing it;
 * and the warning for `serviceAccountName: default` names exactly the namespaces bound.
 */

const GSA = 'orders-vm@app-project.iam.gserviceaccount.com';
const config = (fields: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetGcpWorkloadIdentity',
  projectId: 'app-project',
  gcpServiceAccount: GSA,
  ...fields,
});

/** Each document as `Kind namespace/name` (no namespace: `Kind name`). */
function objects(text: string): string[] {
  return parseAllDocuments(text).map((d) => {
    const o = d.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
    const ns = o.metadata.namespace;
    return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}`;
  });
}

const DEFAULT_WARNING_TAIL =
  ': every pod there that names no ServiceAccount gets it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own';

test('unnamespaced workloads each get their own ServiceAccount, after each workload', () => {
  const r = runText(
    'set-gcp-workload-identity',
    config(),
    stream(deploymentYaml('web'), deploymentYaml('api')),
  );
  expect(r.ok).toBe(true);
  expect(objects(r.output)).toEqual([
    'Deployment web',
    'Deployment api',
    'ServiceAccount web',
    'ServiceAccount api',
  ]);
});

test('one name in two namespaces is two ServiceAccounts', () => {
  const r = runText(
    'set-gcp-workload-identity',
    config({ serviceAccountName: 'runner' }),
    stream(deploymentYaml('web', 'front'), deploymentYaml('web', 'back')),
  );
  expect(objects(r.output)).toEqual([
    'Deployment front/web',
    'Deployment back/web',
    'ServiceAccount front/runner',
    'ServiceAccount back/runner',
  ]);
});

test('workloads sharing a ServiceAccount: created once per namespace, after the workloads', () => {
  const r = runText(
    'set-gcp-workload-identity',
    config({ serviceAccountName: 'runner' }),
    stream(
      deploymentYaml('web', 'shop'),
      deploymentYaml('api', 'shop'),
      deploymentYaml('db', 'other'),
    ),
  );
  expect(objects(r.output)).toEqual([
    'Deployment shop/web',
    'Deployment shop/api',
    'Deployment other/db',
    'ServiceAccount shop/runner',
    'ServiceAccount other/runner',
  ]);
  // Both workloads of shop run as it, and both are placed on metadata-server nodes.
  const pods = parseAllDocuments(r.output)
    .slice(0, 3)
    .map((d) => d.toJS().spec.template.spec);
  for (const pod of pods) {
    expect(pod.serviceAccountName).toBe('runner');
    expect(pod.nodeSelector).toEqual({ 'iam.gke.io/gke-metadata-server-enabled': 'true' });
  }
});

test("a ServiceAccount shared by workloads of two files goes into the first one's file", () => {
  const fn = findFunction('set-gcp-workload-identity')!;
  const files = [
    { path: 'a.yaml', outputName: 'a.yaml', text: deploymentYaml('web', 'shop') },
    { path: 'b.yaml', outputName: 'b.yaml', text: deploymentYaml('api', 'shop') },
  ];
  const outcome = transformFiles(fn, config({ serviceAccountName: 'runner' }), 'c.yaml', files);
  expect(outcome.ok).toBe(true);
  expect(outcome.files.map((f) => [f.input.path, objects(f.text)])).toEqual([
    ['a.yaml', ['Deployment shop/web', 'ServiceAccount shop/runner']],
    ['b.yaml', ['Deployment shop/api']],
  ]);
});

test('an existing ServiceAccount with a stray annotation is reported once however many workloads use it', () => {
  const account = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
  namespace: shop
  annotations:
    iam.gke.io/gcp-service-account: old@app-project.iam.gserviceaccount.com
`;
  const r = runText(
    'set-gcp-workload-identity',
    config({
      gcpServiceAccount: undefined,
      principal: 'direct',
      projectNumber: '123456789012',
      roles: ['roles/storage.objectViewer'],
      serviceAccountName: 'runner',
    }),
    stream(deploymentYaml('web', 'shop'), deploymentYaml('api', 'shop'), account),
  );
  expect(r.results.filter((x) => x.severity === 'warning').map((x) => x.message)).toEqual([
    "ServiceAccount runner carries iam.gke.io/gcp-service-account: old@app-project.iam.gserviceaccount.com: GKE then gives its pods that Google service account's identity, not the principal the config's roles are granted to (principal: direct); remove the annotation",
  ]);
});

test.each([
  ['unnamespaced workloads only', [deploymentYaml('web'), deploymentYaml('api')], ''],
  [
    'namespaced and unnamespaced ones',
    [deploymentYaml('web'), deploymentYaml('api', 'shop')],
    ' of namespace shop and of the namespace the unnamespaced workloads are applied to',
  ],
  [
    'two namespaces, named in order',
    [deploymentYaml('web', 'shop'), deploymentYaml('api', 'back')],
    ' of namespaces back, shop',
  ],
])(
  'serviceAccountName: default over %s: the warning names the namespaces',
  (_n, workloads, where) => {
    const r = runText(
      'set-gcp-workload-identity',
      config({ serviceAccountName: 'default' }),
      stream(...workloads),
    );
    expect(r.results.filter((x) => x.severity === 'warning').map((x) => x.message)).toEqual([
      `serviceAccountName: default gives the identity of ${GSA} to the ServiceAccount default${where}${DEFAULT_WARNING_TAIL}`,
    ]);
  },
);
