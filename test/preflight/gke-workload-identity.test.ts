import { preflightResults } from './harness';

/**
 * Workload Identity Federation for GKE as preflight checks it
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): the grant a
 * cross-project service account needs, which package objects are that grant, how pods
 * select metadata-server nodes, and the other identities a bound container may carry.
 * Each table row states one rule; the golden cases (testdata/preflight/gke-wi-*) hold the
 * whole messages.
 */

const ANNOTATION = 'iam.gke.io/gcp-service-account';
const LABEL = 'iam.gke.io/gke-metadata-server-enabled';
const GSA = 'billing-vm@project-a.iam.gserviceaccount.com';
const WI_USER = 'roles/iam.workloadIdentityUser';
const CHECKS =
  /^(gcp-service-account|gke-metadata-server|gke-workload-identity|gcp-identity-mechanism)/;

const config = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Preflight',
  platform: 'gke',
  gcpProjectId: 'project-b',
  gcpProjectNumber: '123456789012',
  publicRegistries: ['registry.example.com'],
  ...extra,
});

const serviceAccount = (
  gsa: string | null = GSA,
  { name = 'billing', namespace = 'orders' as string | undefined, extra = '' } = {},
) => `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}${extra}  annotations:
    ${ANNOTATION}: ${gsa === null ? 'null' : gsa}
`;

interface Pod {
  spec?: string;
  container?: string;
  namespace?: string;
}

const deployment = (p: Pod = {}) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: ${p.namespace ?? 'orders'}
spec:
  selector:
    matchLabels: {app: billing}
  template:
    metadata:
      labels: {app: billing}
    spec:
      serviceAccountName: billing
${p.spec ?? `      nodeSelector:\n        ${LABEL}: "true"\n`}      containers:
      - name: app
        image: registry.example.com/billing:2
${p.container ?? ''}`;

function findings(text: string, extra: Record<string, unknown> = {}) {
  return preflightResults(config(extra), text)
    .filter((r) => CHECKS.test(String(r.tags?.check)))
    .map((r) => ({
      check: r.tags?.check,
      severity: r.severity,
      on: `${r.resourceRef?.kind}/${r.resourceRef?.name}`,
      field: r.field?.path,
      message: r.message,
    }));
}

const checks = (text: string, extra: Record<string, unknown> = {}) =>
  findings(text, extra).map((f) => [f.check, f.severity, f.on, f.field]);

const CROSS = [
  'gcp-service-account-cross-project',
  'warning',
  'ServiceAccount/billing',
  `metadata.annotations["${ANNOTATION}"]`,
];

describe('GKE Workload Identity: which package objects grant roles/iam.workloadIdentityUser', () => {
  const member = (ns = 'orders', ksa = 'billing', pool = 'project-b') =>
    `serviceAccount:${pool}.svc.id.goog[${ns}/${ksa}]`;
  const policyMember = (
    m: string,
    { role = WI_USER, ref = `kind: IAMServiceAccount\n    external: ${GSA}`, head = '' } = {},
  ) => `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: grant
${head}spec:
  member: ${m}
  role: ${role}
  resourceRef:
    ${ref}
`;
  const policy = (kind: string, members: string, role = WI_USER) => `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: ${kind}
metadata:
  name: grant
spec:
  resourceRef:
    kind: IAMServiceAccount
    name: billing-vm
  bindings:
  - role: roles/viewer
    members: ["${member()}"]
  - role: ${role}
    members:
${members}`;

  test.each([
    ['an IAMPolicyMember on the email', policyMember(member())],
    [
      'an IAMPolicyMember on the full resource name',
      policyMember(member(), {
        ref: `kind: IAMServiceAccount\n    external: projects/project-a/serviceAccounts/${GSA}`,
      }),
    ],
    [
      'an IAMPolicyMember on the IAMServiceAccount object named for the account id',
      policyMember(member(), { ref: 'kind: IAMServiceAccount\n    name: billing-vm' }),
    ],
    [
      'an IAMPartialPolicy binding (members as objects)',
      policy('IAMPartialPolicy', `    - member: ${member()}\n`),
    ],
    ['an IAMPolicy binding (members as strings)', policy('IAMPolicy', `    - ${member()}\n`)],
    [
      'a binding that lists other members first',
      policy('IAMPartialPolicy', `    - member: ${member('web')}\n    - member: ${member()}\n`),
    ],
  ])('%s is the grant: no finding', (_, grant) => {
    expect(checks(serviceAccount() + grant)).toEqual([]);
  });

  test('a ServiceAccount without a namespace is granted by a member of any namespace', () => {
    expect(
      checks(serviceAccount(GSA, { namespace: undefined }) + policyMember(member('anywhere'))),
    ).toEqual([CROSS]);
  });

  test.each([
    [
      'local-config',
      policyMember(member(), {
        head: '  annotations:\n    config.kubernetes.io/local-config: "true"\n',
      }),
    ],
    ['another role', policyMember(member(), { role: 'roles/iam.serviceAccountTokenCreator' })],
    ['another namespace', policyMember(member('web'))],
    ['another Kubernetes ServiceAccount', policyMember(member('orders', 'reports'))],
    ['another project pool', policyMember(member('orders', 'billing', 'project-c'))],
    ['a member that is not a workload pool member', policyMember(`serviceAccount:${GSA}`)],
    ['a pool member with a suffix', policyMember(`${member()}x`)],
    ['a pool member with a prefix', policyMember(`user:${member()}`)],
    ['a member that is not a string', policyMember('[a, b]')],
    [
      'another service account by email',
      policyMember(member(), {
        ref: 'kind: IAMServiceAccount\n    external: other@project-a.iam.gserviceaccount.com',
      }),
    ],
    [
      'another service account by resource name',
      policyMember(member(), {
        ref: `kind: IAMServiceAccount\n    external: projects/project-a/serviceAccounts/x${GSA}`,
      }),
    ],
    [
      'another IAMServiceAccount object',
      policyMember(member(), { ref: 'kind: IAMServiceAccount\n    name: billing' }),
    ],
    [
      'a reference to another kind',
      policyMember(member(), { ref: `kind: Project\n    external: ${GSA}` }),
    ],
    [
      'a scalar resourceRef',
      policyMember(member(), { ref: '' }).replace('resourceRef:\n    \n', `resourceRef: ${GSA}\n`),
    ],
    [
      'an object of another API group',
      policyMember(member()).replace('iam.cnrm.cloud.google.com/v1beta1', 'example.com/v1'),
    ],
    [
      'an IAMPartialPolicy binding of another role',
      policy('IAMPartialPolicy', `    - member: ${member()}\n`, 'roles/viewer'),
    ],
    [
      'an IAMPartialPolicy binding of another member',
      policy('IAMPartialPolicy', `    - member: ${member('web')}\n`),
    ],
    ['an IAMPolicy binding whose member is a list', policy('IAMPolicy', `    - ["${member()}"]\n`)],
    [
      'an IAMPartialPolicy binding whose members is not a list',
      policy('IAMPartialPolicy', `      member: ${member()}\n`),
    ],
    ['an IAMAuditConfig', policy('IAMAuditConfig', `    - member: ${member()}\n`)],
  ])('%s is no grant: the finding stays', (_, grant) => {
    expect(checks(serviceAccount() + grant)).toEqual([CROSS]);
  });

  test('an IAMPartialPolicy whose bindings is not a list grants nothing', () => {
    const grant = `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPartialPolicy
metadata:
  name: grant
spec:
  resourceRef:
    kind: IAMServiceAccount
    name: billing-vm
  bindings:
    role: ${WI_USER}
`;
    expect(checks(serviceAccount() + grant).slice(0, 1)).toEqual([CROSS]);
  });
});

describe('GKE Workload Identity: which service accounts are in another project', () => {
  test.each([
    [
      'a user-managed account of the cluster project',
      'billing@project-b.iam.gserviceaccount.com',
      {},
    ],
    [
      'the Compute Engine default account of the cluster project number',
      '123456789012-compute@developer.gserviceaccount.com',
      {},
    ],
    [
      'a Compute Engine default account when the cluster number is unknown',
      '987654321098-compute@developer.gserviceaccount.com',
      { gcpProjectNumber: undefined },
    ],
    [
      'the App Engine default account of the cluster project',
      'project-b@appspot.gserviceaccount.com',
      {},
    ],
    ['any account when the cluster project is unknown', GSA, { gcpProjectId: undefined }],
  ])('%s: no finding', (_, gsa, extra) => {
    expect(checks(serviceAccount(gsa), extra)).toEqual([]);
  });

  test.each([
    [
      'a Compute Engine default account of another number',
      '987654321098-compute@developer.gserviceaccount.com',
      'number 987654321098',
    ],
    [
      'the cluster number written as a number',
      '987654321098-compute@developer.gserviceaccount.com',
      'number 987654321098',
    ],
    [
      'an App Engine default account of another project',
      'project-a@appspot.gserviceaccount.com',
      'project-a',
    ],
  ])('%s: a finding naming project %s', (_, gsa, project) => {
    const [f] = findings(serviceAccount(gsa), { gcpProjectNumber: 123456789012 });
    expect([f.check, f.severity]).toEqual(['gcp-service-account-cross-project', 'warning']);
    expect(f.message).toContain(
      `acts as ${gsa}, of project ${project}, and the cluster is in project project-b`,
    );
  });

  test('the whole finding: the grant command with the pool member, where it is made', () => {
    const text = serviceAccount();
    const all = preflightResults(config(), text).filter((r) => r.tags?.check === CROSS[0]);
    const member = 'serviceAccount:project-b.svc.id.goog[orders/billing]';
    const command = `gcloud iam service-accounts add-iam-policy-binding ${GSA} --role=${WI_USER} '--member=${member}'`;
    expect(all.map((r) => [r.message, r.tags])).toEqual([
      [
        `ServiceAccount billing acts as ${GSA}, of project project-a, and the cluster is in project project-b: the GKE metadata server issues its tokens only once ${member} holds ${WI_USER} on that service account, a grant made in project project-a that the package does not hold. Fix: ${command}; or declare it as a Config Connector IAMPolicyMember on the IAMServiceAccount ${GSA}`,
        expect.objectContaining({ member, role: WI_USER, command, serviceAccount: GSA }),
      ],
    ]);
  });

  test('local-config ServiceAccounts and annotations without a value are not checked', () => {
    const local = serviceAccount('not-an-email', {
      extra: '  labels: {a: b}\n',
    }).replace(
      '  annotations:\n',
      '  annotations:\n    config.kubernetes.io/local-config: "true"\n',
    );
    expect(checks(local)).toEqual([]);
    expect(checks(serviceAccount(null))).toEqual([]);
    expect(checks(serviceAccount('not-an-email'))).toEqual([
      [
        'gcp-service-account-malformed',
        'error',
        'ServiceAccount/billing',
        `metadata.annotations["${ANNOTATION}"]`,
      ],
    ]);
  });

  test('a malformed email: the exact finding, with the reason', () => {
    const [f] = findings(serviceAccount(`serviceAccount:${GSA}`));
    expect(f.message).toBe(
      `ServiceAccount billing: ${ANNOTATION}: "serviceAccount:${GSA}" is not a Google service account the pods can act as (it is an IAM member (serviceAccount:EMAIL); the annotation takes the email alone): the GKE metadata server cannot issue its tokens, so every Google API call of the pods fails. Fix: set it to the email of the service account the workload acts as, NAME@PROJECT_ID.iam.gserviceaccount.com (or remove it with principal: direct and grant roles to the ServiceAccount's principal)`,
    );
  });
});

describe('GKE Workload Identity: how the pods select metadata-server nodes', () => {
  const bound = serviceAccount('billing@project-b.iam.gserviceaccount.com');
  const affinity = (terms: string) => `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
${terms}`;
  const term = (key = LABEL, operator = 'In', values = '["true"]') =>
    `            - matchExpressions:\n              - {key: ${key}, operator: ${operator}, values: ${values}}\n`;
  const SELECTOR_MISSING = [
    'gke-metadata-server-node-selector',
    'warning',
    'Deployment/billing',
    'spec.template.spec.nodeSelector',
  ];
  const AFFINITY =
    'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';

  test.each([
    ['nodeSelector "true"', `      nodeSelector:\n        ${LABEL}: "true"\n`],
    ['nodeSelector true (a boolean)', `      nodeSelector:\n        ${LABEL}: true\n`],
    ['one required term', affinity(term())],
    ['every required term', affinity(term() + term())],
    [
      'a term with other expressions too',
      affinity(
        `            - matchExpressions:\n              - {key: zone, operator: In, values: [a]}\n              - {key: ${LABEL}, operator: In, values: ["true"]}\n`,
      ),
    ],
  ])('on GKE Standard, %s selects them: no finding', (_, spec) => {
    expect(checks(deployment({ spec }) + bound)).toEqual([]);
  });

  test.each([
    ['no selector', ''],
    ['nodeSelector "false"', `      nodeSelector:\n        ${LABEL}: "false"\n`],
    ['another nodeSelector label', `      nodeSelector:\n        ${LABEL}x: "true"\n`],
    ['a term of another key', affinity(term('zone'))],
    ['a NotIn term', affinity(term(LABEL, 'NotIn'))],
    ['a term allowing "false" too', affinity(term(LABEL, 'In', '["true", "false"]'))],
    ['only one of two terms (either may place the pod)', affinity(term() + term('zone'))],
    ['a term without matchExpressions', affinity('            - matchFields: []\n')],
    [
      'no terms',
      affinity('              []\n').replace(
        'nodeSelectorTerms:\n              []',
        'nodeSelectorTerms: []',
      ),
    ],
  ])('on GKE Standard, %s does not: a warning on the nodeSelector', (_, spec) => {
    expect(checks(deployment({ spec }) + bound)).toEqual([SELECTOR_MISSING]);
  });

  test('the warning in full', () => {
    const [f] = findings(deployment({ spec: '' }) + bound);
    expect(f.message).toBe(
      `ServiceAccount billing carries ${ANNOTATION}: billing@project-b.iam.gserviceaccount.com, and the pods do not select ${LABEL}: "true": on a Standard cluster, a node pool without Workload Identity Federation for GKE (workload metadata GCE_METADATA) serves them the Compute Engine metadata server, where they act as the node's service account instead. Fix: add nodeSelector ${LABEL}: "true" to the pod template (unless every node pool runs with --workload-metadata=GKE_METADATA)`,
    );
  });

  test('on Autopilot a selector is refused, by nodeSelector or affinity, bound or not', () => {
    const unbound = serviceAccount('billing@project-b.iam.gserviceaccount.com').replace(
      `    ${ANNOTATION}: billing@project-b.iam.gserviceaccount.com\n`,
      '    a: b\n',
    );
    expect(findings(deployment() + unbound, { platform: 'gke-autopilot' })).toEqual([
      {
        check: 'gke-metadata-server-node-selector',
        severity: 'error',
        on: 'Deployment/billing',
        field: `spec.template.spec.nodeSelector["${LABEL}"]`,
        message: `the pods select ${LABEL}: "true" (nodeSelector), which GKE Autopilot rejects: every Autopilot node runs the GKE metadata server. Fix: remove the ${LABEL} nodeSelector`,
      },
    ]);
    expect(
      findings(deployment({ spec: affinity(term()) }) + bound, { platform: 'gke-autopilot' }),
    ).toEqual([
      {
        check: 'gke-metadata-server-node-selector',
        severity: 'error',
        on: 'Deployment/billing',
        field: AFFINITY,
        message: `the pods select ${LABEL}: "true" (nodeAffinity), which GKE Autopilot rejects: every Autopilot node runs the GKE metadata server. Fix: remove the ${LABEL} node affinity term`,
      },
    ]);
    // Without a selector, Autopilot needs none.
    expect(checks(deployment({ spec: '' }) + bound, { platform: 'gke-autopilot' })).toEqual([]);
  });

  test.each([
    ['eks', 'EKS'],
    ['anthos-aws', 'GKE on AWS (Anthos clusters on AWS)'],
  ])(
    'on %s the label selects no node: the pods stay Pending; the annotation has no effect',
    (platform, name) => {
      // In line order: serviceAccountName comes before the nodeSelector.
      const all = findings(deployment() + bound, { platform });
      expect(all.map((f) => [f.check, f.severity, f.field])).toEqual([
        ['gke-workload-identity-platform', 'warning', 'spec.template.spec.serviceAccountName'],
        [
          'gke-metadata-server-node-selector',
          'error',
          `spec.template.spec.nodeSelector["${LABEL}"]`,
        ],
      ]);
      expect(all[0].message).toContain(
        `but the target platform is ${platform}: only GKE runs the GKE metadata server that honours it`,
      );
      expect(all[0].message).toContain(`Fix: on ${name}, use Workload Identity Federation`);
      expect(all[1].message).toContain(
        `a label only GKE node pools with Workload Identity Federation carry: on ${name} no node has it, so the pods stay Pending. Fix: remove the ${LABEL} nodeSelector`,
      );
    },
  );

  test('on a generic platform nothing is said: preflight cannot tell what runs there', () => {
    expect(checks(deployment() + bound, { platform: 'generic' })).toEqual([]);
    expect(checks(deployment({ spec: '' }) + bound, { platform: undefined })).toEqual([]);
  });

  test('the host network: an error on GKE Standard only when hostNetwork is true', () => {
    const host = (v: string) =>
      `      nodeSelector:\n        ${LABEL}: "true"\n      hostNetwork: ${v}\n`;
    expect(checks(deployment({ spec: host('true') }) + bound)).toEqual([
      [
        'gke-workload-identity-host-network',
        'error',
        'Deployment/billing',
        'spec.template.spec.hostNetwork',
      ],
    ]);
    expect(checks(deployment({ spec: host('false') }) + bound)).toEqual([]);
    expect(checks(deployment({ spec: host('"true"') }) + bound)).toEqual([]);
  });
});

describe('GKE Workload Identity: other identities in a bound container', () => {
  const bound = serviceAccount('billing@project-b.iam.gserviceaccount.com');
  const env = (vars: string) => `        env:\n${vars}`;

  test('GOOGLE_APPLICATION_CREDENTIALS from a Secret (no value): the warning names the variable alone', () => {
    const f = findings(
      deployment({
        container: env(
          '        - name: GOOGLE_APPLICATION_CREDENTIALS\n          valueFrom: {secretKeyRef: {name: key, key: path}}\n',
        ),
      }) + bound,
    );
    expect(f.map((x) => [x.check, x.field])).toEqual([
      ['gcp-identity-mechanism-conflict', 'spec.template.spec.containers[0].env[0]'],
    ]);
    expect(f[0].message).toContain(
      'but container app sets GOOGLE_APPLICATION_CREDENTIALS: Application Default Credentials read that file',
    );
  });

  test('an AWS token volume without AWS variables: the warning is on the volume mounts', () => {
    const f = findings(
      deployment({
        container: `        volumeMounts:\n        - {name: token, mountPath: /var/run/secrets/aws}\n`,
        spec: `      nodeSelector:\n        ${LABEL}: "true"\n      volumes:\n      - name: token\n        projected:\n          sources:\n          - serviceAccountToken: {audience: sts.amazonaws.com, path: token}\n`,
      }) + bound,
    );
    expect(f.map((x) => [x.check, x.field])).toEqual([
      ['gcp-identity-mechanism-conflict', 'spec.template.spec.containers[0].volumeMounts'],
    ]);
    expect(f[0].message).toContain('also carries AWS identity (the AWS token volume token)');
  });

  test('AWS variables are all named, the first one located', () => {
    const f = findings(
      deployment({
        container: env(
          '        - {name: HOME, value: /root}\n        - {name: AWS_ROLE_ARN, value: "arn:aws:iam::123456789012:role/x"}\n        - {name: AWS_WEB_IDENTITY_TOKEN_FILE, value: /t/token}\n',
        ),
      }) + bound,
    );
    expect(f.map((x) => [x.check, x.field])).toEqual([
      ['gcp-identity-mechanism-conflict', 'spec.template.spec.containers[0].env[1]'],
    ]);
    expect(f[0].message).toContain(
      'container app also carries AWS identity (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE): on GKE',
    );
  });

  test('a container of an unbound pod is not checked for other identities', () => {
    const unbound = deployment({
      container: env('        - {name: GOOGLE_APPLICATION_CREDENTIALS, value: /k.json}\n'),
    }).replace('      serviceAccountName: billing\n', '');
    expect(checks(unbound + bound)).toEqual([]);
  });
});
