import { preflightResults } from './harness';
import { ANNOTATION, LABEL, CHECKS, deployment, SELECTOR } from './gke-workload';

/**
 * GKE Workload Identity at the edges of its input: what is not a ServiceAccount, grants
 * with no bindings or members, the fix and location of each finding (line and field), and
 * the host network outside GKE Standard.
 */

const GSA = 'billing-vm@project-a.iam.gserviceaccount.com';
const WI_USER = 'roles/iam.workloadIdentityUser';

const results = (text: string, platform = 'gke') =>
  preflightResults(
    {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Preflight',
      platform,
      gcpProjectId: 'project-b',
      publicRegistries: ['registry.example.com'],
    },
    text,
  ).filter((r) => CHECKS.test(String(r.tags?.check)));

const checks = (text: string, platform = 'gke') =>
  results(text, platform).map((r) => [r.tags?.check, r.severity, r.field?.path]);

/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const serviceAccount = (gsa: string, extra = '') => `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: billing
  namespace: orders
  annotations:
${extra}    ${ANNOTATION}: ${gsa}
`;

const CROSS = [
  'gcp-service-account-cross-project',
  'warning',
  `metadata.annotations["${ANNOTATION}"]`,
];

describe('GKE Workload Identity: only ServiceAccounts the cluster gets carry the binding', () => {
  test('a local-config ServiceAccount with a malformed annotation is not checked', () => {
    const local = serviceAccount('not-an-email', '    config.kubernetes.io/local-config: "true"\n');
    expect(checks(local)).toEqual([]);
    expect(checks(serviceAccount('not-an-email'))).toEqual([
      ['gcp-service-account-malformed', 'error', `metadata.annotations["${ANNOTATION}"]`],
    ]);
  });

  test('a ServiceAccount without metadata is passed over', () => {
    expect(checks('---\napiVersion: v1\nkind: ServiceAccount\n')).toEqual([]);
  });

  test('another kind carrying the annotation is not a ServiceAccount', () => {
    const configMap = serviceAccount('not-an-email').replace(
      'kind: ServiceAccount',
      'kind: ConfigMap',
    );
    expect(checks(configMap)).toEqual([]);
  });
});

describe('GKE Workload Identity: policies that hold no grant', () => {
  const policy = (body: string) => `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPartialPolicy
metadata:
  name: grant
  namespace: orders
spec:
  resourceRef:
    kind: IAMServiceAccount
    external: ${GSA}
${body}`;

  test.each([
    ['no bindings', ''],
    ['bindings that are not a list', '  bindings: {}\n'],
    ['a binding of the role without members', `  bindings:\n  - role: ${WI_USER}\n`],
    [
      'a binding of the role whose members are not a list',
      `  bindings:\n  - role: ${WI_USER}\n    members: {}\n`,
    ],
  ])('%s: the cross-project grant is still missing, nothing else is said', (_, body) => {
    expect(checks(serviceAccount(GSA) + policy(body))).toEqual([CROSS]);
  });
});

describe('GKE Workload Identity: where each finding points', () => {
  test('on EKS an affinity selector: the fix removes the node affinity term', () => {
    const affinity = `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: ${LABEL}, operator: In, values: ["true"]}
`;
    const selector = results(deployment(affinity), 'eks').filter(
      (r) => r.tags?.check === 'gke-metadata-server-node-selector',
    );
    expect(selector.map((r) => [r.field?.path, r.message])).toEqual([
      [
        'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
        expect.stringMatching(
          new RegExp(
            `\\(nodeAffinity\\), a label only GKE .*Fix: remove the ${LABEL} node affinity term$`,
          ),
        ),
      ],
    ]);
  });

  test('on EKS the annotation without effect is located on the serviceAccountName line', () => {
    // The pod spec opens with another key, so that its own line is not the one meant.
    const text =
      deployment(SELECTOR).replace(
        `      serviceAccountName: billing\n${SELECTOR}`,
        `${SELECTOR}      serviceAccountName: billing\n`,
      ) + serviceAccount('billing@project-b.iam.gserviceaccount.com');
    const [platform] = results(text, 'eks').filter(
      (r) => r.tags?.check === 'gke-workload-identity-platform',
    );
    expect([platform.field?.path, platform.tags?.line]).toEqual([
      'spec.template.spec.serviceAccountName',
      String(lineOf(text, 'serviceAccountName: billing')),
    ]);
  });

  test('an AWS token volume alone: the conflict is located on its volume mount line', () => {
    const text =
      deployment(
        SELECTOR,
        '        volumeMounts:\n        - {name: data, mountPath: /data}\n        - {name: aws-iam-token, mountPath: /var/run/secrets/eks.amazonaws.com/serviceaccount}\n',
      ) + serviceAccount('billing@project-b.iam.gserviceaccount.com');
    const [conflict] = results(text);
    expect([conflict.tags?.check, conflict.field?.path, conflict.tags?.line]).toEqual([
      'gcp-identity-mechanism-conflict',
      'spec.template.spec.containers[0].volumeMounts',
      String(lineOf(text, '- {name: aws-iam-token')),
    ]);
  });

  test('the host network is reported on GKE Standard only, not on Autopilot', () => {
    const bound = serviceAccount('billing@project-b.iam.gserviceaccount.com');
    const host = '      hostNetwork: true\n';
    expect(checks(deployment(SELECTOR + host) + bound, 'gke')).toEqual([
      ['gke-workload-identity-host-network', 'error', 'spec.template.spec.hostNetwork'],
    ]);
    expect(checks(deployment(host) + bound, 'gke-autopilot')).toEqual([]);
  });
});
