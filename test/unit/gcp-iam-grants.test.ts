import { parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import {
  grantsOf,
  memberText,
  serviceAccountProject,
  workloadPool,
} from '../../src/transforms/gcp-iam-grants';
import { runText } from '../support/run';
import { SERVICE_MANAGER_DEPLOYMENT, stream } from '../support/workloads';

/**
 * The IAM side of Workload Identity Federation for GKE (Google's guide,
 * cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): the members of both
 * principals, the info per ServiceAccount, and the Config Connector IAMPolicyMember objects
 * asserted whole — namespace included, since the grant's member names it. The names'
 * hashes were computed apart from the code:
 * `printf '%s\0%s\0%s' MEMBER ROLE EXTERNAL | sha256sum | cut -c1-8`.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const GSA = 'orders-vm@app-project.iam.gserviceaccount.com';
const KSA_MEMBER = 'serviceAccount:prod-cluster.svc.id.goog[shop/api]';
const PRINCIPAL =
  'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/prod-cluster.svc.id.goog/subject/ns/shop/sa/api';
const CUSTOM_ROLE = 'projects/prod-cluster/roles/Order_Reader';

const gcp = (fields: Record<string, unknown>) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetGcpWorkloadIdentity',
  projectId: 'prod-cluster',
  ...fields,
});
const saConfig = gcp({ gcpServiceAccount: GSA, emitIamPolicyMember: true });
const directConfig = gcp({
  principal: 'direct',
  projectNumber: 123456789012,
  roles: ['roles/storage.objectViewer', CUSTOM_ROLE],
  emitIamPolicyMember: true,
});

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}
const members = (text: string) => docs(text).filter((d) => d.kind === 'IAMPolicyMember');
const unnamespaced = SERVICE_MANAGER_DEPLOYMENT.replace('  namespace: shop\n', '');

const SA_OBJECT = {
  apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
  kind: 'IAMPolicyMember',
  metadata: { name: 'workload-identity-api-iam.workloadidentityuser-9ac1332f', namespace: 'shop' },
  spec: {
    member: KSA_MEMBER,
    role: 'roles/iam.workloadIdentityUser',
    resourceRef: {
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMServiceAccount',
      external: `projects/app-project/serviceAccounts/${GSA}`,
    },
  },
};

const saInfo = (namespace?: string): Result => ({
  severity: 'info',
  message: `Workload Identity Federation for GKE: ServiceAccount api${namespace ? ` in namespace ${namespace}` : ''} acts as ${GSA} once it holds roles/iam.workloadIdentityUser on it; grant it with: gcloud iam service-accounts add-iam-policy-binding '${GSA}' --role='roles/iam.workloadIdentityUser' --member=${namespace ? `'serviceAccount:prod-cluster.svc.id.goog[${namespace}/api]'` : `'serviceAccount:prod-cluster.svc.id.goog['"\${NAMESPACE:?the namespace the workload is applied to}"'/api]'`}`,
  resourceRef: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    name: 'api',
    ...(namespace ? { namespace } : {}),
  },
});

/** The Google service account is in another project than the cluster: said once per run. */
const PROJECT_INFO: Result = {
  severity: 'info',
  message: `the GKE metadata server tells the pods they are in project prod-cluster (the cluster's), where ${GSA} is in app-project: software that takes its default project from the metadata server, as on the source Compute Engine VM, now uses prod-cluster; set GOOGLE_CLOUD_PROJECT (or the software's own setting) where that matters`,
};

describe('the IAMPolicyMember objects of the grants', () => {
  test('service-account principal: one object in the workload namespace, exactly', () => {
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      saConfig,
      SERVICE_MANAGER_DEPLOYMENT,
    );
    expect(ok).toBe(true);
    expect(results).toStrictEqual([saInfo('shop'), PROJECT_INFO]);
    expect(members(output)).toStrictEqual([SA_OBJECT]);
  });

  test('direct principal: one object per role on the project, named after the role, in the namespace', () => {
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      directConfig,
      SERVICE_MANAGER_DEPLOYMENT,
    );
    expect(ok).toBe(true);
    expect(results).toStrictEqual([
      {
        severity: 'info',
        message: `Workload Identity Federation for GKE: ServiceAccount api in namespace shop is granted roles/storage.objectViewer, ${CUSTOM_ROLE} on project prod-cluster as principal ${PRINCIPAL}; grant it with: gcloud projects add-iam-policy-binding 'projects/prod-cluster' --role='roles/storage.objectViewer' --member='${PRINCIPAL}' --condition=None && gcloud projects add-iam-policy-binding 'projects/prod-cluster' --role='${CUSTOM_ROLE}' --member='${PRINCIPAL}' --condition=None`,
        resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'api', namespace: 'shop' },
      },
    ]);
    const object = (name: string, role: string) => ({
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      metadata: { name, namespace: 'shop' },
      spec: {
        member: PRINCIPAL,
        role,
        resourceRef: { kind: 'Project', external: 'projects/prod-cluster' },
      },
    });
    expect(members(output)).toStrictEqual([
      object('workload-identity-api-storage.objectviewer-ddb866a3', 'roles/storage.objectViewer'),
      object(
        'workload-identity-api-projects-prod-cluster-roles-order-reader-0bf71655',
        CUSTOM_ROLE,
      ),
    ]);
  });

  test('a rerun finds every object it wrote: the same bytes, the same results', () => {
    for (const config of [saConfig, directConfig]) {
      const first = runText('set-gcp-workload-identity', config, SERVICE_MANAGER_DEPLOYMENT);
      const again = runText('set-gcp-workload-identity', config, first.output);
      expect(again.output).toBe(first.output);
      expect(again.results).toStrictEqual(first.results);
    }
  });

  test('no namespace: the command with a NAMESPACE parameter, an error instead of an object', () => {
    const { ok, output, results } = runText('set-gcp-workload-identity', saConfig, unnamespaced);
    expect(ok).toBe(false);
    expect(results).toStrictEqual([
      saInfo(),
      {
        severity: 'error',
        message:
          "no IAMPolicyMember for ServiceAccount api: the workload has no metadata.namespace, and the grant's member must name the namespace",
        resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'api' },
      },
      PROJECT_INFO,
    ]);
    expect(members(output)).toEqual([]);
  });

  test('without emitIamPolicyMember: the command only', () => {
    const { ok, output, results } = runText(
      'set-gcp-workload-identity',
      gcp({ gcpServiceAccount: GSA }),
      unnamespaced,
    );
    expect(ok).toBe(true);
    expect(results).toStrictEqual([saInfo(), PROJECT_INFO]);
    expect(members(output)).toEqual([]);
  });
});

test('a role with a run of characters no name may hold: one dash for the run', () => {
  const { output } = runText(
    'set-gcp-workload-identity',
    { ...directConfig, roles: ['projects/prod-cluster/roles/order__reader'] },
    SERVICE_MANAGER_DEPLOYMENT,
  );
  expect(members(output).map((d) => d.metadata.name)).toEqual([
    'workload-identity-api-projects-prod-cluster-roles-order-reader-566764d8',
  ]);
});

describe('an IAMPolicyMember of that name already in the package', () => {
  const objectText = (spec: string) => `apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: ${SA_OBJECT.metadata.name}
  namespace: shop
${spec}`;
  const SPEC = `spec:
  member: ${KSA_MEMBER}
  role: roles/iam.workloadIdentityUser
  resourceRef:
    apiVersion: iam.cnrm.cloud.google.com/v1beta1
    kind: IAMServiceAccount
    external: projects/app-project/serviceAccounts/${GSA}
`;
  const run = (spec: string) => {
    const input = stream(SERVICE_MANAGER_DEPLOYMENT, objectText(spec));
    const r = runText('set-gcp-workload-identity', saConfig, input);
    // Kept as the package has it, never a second one.
    expect(r.output).toContain(objectText(spec));
    expect(members(r.output)).toHaveLength(1);
    return r.results.filter((x) => x.severity !== 'info');
  };
  const warning = (differs: string) => ({
    severity: 'warning',
    message: `IAMPolicyMember ${SA_OBJECT.metadata.name} is kept as the package has it: its ${differs} from the grant the config describes`,
    resourceRef: {
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      name: SA_OBJECT.metadata.name,
      namespace: 'shop',
    },
    field: { path: 'spec' },
    file: { path: 'input.yaml', index: 1 },
    tags: { line: '29', column: '1' },
  });

  test('the same grant: nothing said', () => {
    expect(run(SPEC)).toEqual([]);
  });

  test.each([
    [
      'member',
      SPEC.replace('[shop/api]', '[shop/other]'),
      `spec.member differs`,
      `spec.member: ${KSA_MEMBER}`,
    ],
    [
      'resourceRef.kind',
      SPEC.replace('kind: IAMServiceAccount', 'kind: Project'),
      'spec.resourceRef.kind differs',
      'spec.resourceRef.kind: IAMServiceAccount',
    ],
    [
      'resourceRef.external',
      SPEC.replace('serviceAccounts/orders-vm', 'serviceAccounts/x'),
      'spec.resourceRef.external differs',
      `spec.resourceRef.external: projects/app-project/serviceAccounts/${GSA}`,
    ],
  ])('%s differs: one warning naming it and the wanted value', (_f, spec, differs, wanted) => {
    expect(run(spec)).toStrictEqual([
      { ...warning(differs), message: `${warning(differs).message} (${wanted})` },
    ]);
  });

  test('no spec at all: all four named, with "differ"', () => {
    const [result] = run('');
    expect(result.message).toBe(
      `IAMPolicyMember ${SA_OBJECT.metadata.name} is kept as the package has it: its spec.member, spec.role, spec.resourceRef.kind, spec.resourceRef.external differ from the grant the config describes (spec.member: ${KSA_MEMBER}, spec.role: roles/iam.workloadIdentityUser, spec.resourceRef.kind: IAMServiceAccount, spec.resourceRef.external: projects/app-project/serviceAccounts/${GSA})`,
    );
  });

  test('a spec without resourceRef: the two reference fields are said to differ', () => {
    const spec = `spec:\n  member: ${KSA_MEMBER}\n  role: roles/iam.workloadIdentityUser\n`;
    const [result] = run(spec);
    expect(result.message).toContain(
      'its spec.resourceRef.kind, spec.resourceRef.external differ from',
    );
  });

  test.each([
    ['spec: [1]\n', 'spec'],
    ['spec:\n  resourceRef: projects/x\n', 'spec.resourceRef'],
  ])('%j: a located error on that field, the object kept', (spec, path) => {
    const input = stream(SERVICE_MANAGER_DEPLOYMENT, objectText(spec));
    const r = runText('set-gcp-workload-identity', saConfig, input);
    expect(r.ok).toBe(false);
    expect(r.output).toContain(objectText(spec));
    expect(r.results.filter((x) => x.severity === 'error').map((x) => x.field?.path)).toEqual([
      path,
    ]);
  });

  test('an object of that name in another namespace is not it', () => {
    const input = stream(
      SERVICE_MANAGER_DEPLOYMENT,
      objectText(SPEC).replace('namespace: shop', 'namespace: other'),
    );
    const r = runText('set-gcp-workload-identity', saConfig, input);
    expect(members(r.output).map((d) => d.metadata.namespace)).toEqual(['other', 'shop']);
  });
});

/** A validated config's fields (the defaults the schema fills in do not matter here). */
const fields = (body: Record<string, unknown>) =>
  ({ projectId: 'p-1', ...body }) as Parameters<typeof memberText>[0];

describe('the parts of a grant', () => {
  test('the workload pool, and the member of each principal with a known or unknown namespace', () => {
    expect(workloadPool('p-1')).toBe('p-1.svc.id.goog');
    const sa = fields({ principal: 'service-account', gcpServiceAccount: GSA });
    expect(memberText(sa, { name: 'k', namespace: 'n' })).toBe(
      'serviceAccount:p-1.svc.id.goog[n/k]',
    );
    expect(memberText(sa, { name: 'k', namespace: undefined })).toBe(
      'serviceAccount:p-1.svc.id.goog[NAMESPACE/k]',
    );
    const direct = fields({ principal: 'direct', projectNumber: 42, roles: [] });
    expect(memberText(direct, { name: 'k', namespace: 'n' })).toBe(
      'principal://iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/p-1.svc.id.goog/subject/ns/n/sa/k',
    );
  });

  test('the project of a Google service account, domain-scoped ones as DOMAIN:PROJECT', () => {
    expect(serviceAccountProject('a@app-project.iam.gserviceaccount.com')).toBe('app-project');
    expect(serviceAccountProject('a@legacy-app.example.com.iam.gserviceaccount.com')).toBe(
      'example.com:legacy-app',
    );
    expect(serviceAccountProject('a@legacy-app.corp.example.com.iam.gserviceaccount.com')).toBe(
      'corp.example.com:legacy-app',
    );
  });

  test('a domain-scoped account: the IAMServiceAccount reference names its project so', () => {
    const gsa = 'a@legacy-app.example.com.iam.gserviceaccount.com';
    const [grant] = grantsOf(fields({ principal: 'service-account', gcpServiceAccount: gsa }), {
      name: 'k',
      namespace: 'n',
    });
    expect(grant.resourceRef.external).toBe(
      `projects/example.com:legacy-app/serviceAccounts/${gsa}`,
    );
  });
});
