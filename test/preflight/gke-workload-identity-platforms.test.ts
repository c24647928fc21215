import { preflightResults } from './harness';
import { ANNOTATION, CHECKS, deployment, SELECTOR } from './gke-workload';

/**
 * Which platforms and which AWS token volumes the GKE Workload Identity checks recognise,
 * one row each: the sets of platform names, token volume names and token audiences are
 * the contract (functions/preflight/README.md), so that a name dropped from one of them
 * turns a finding off and a row fails.
 */

const bound = `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: billing
  namespace: orders
  annotations:
    ${ANNOTATION}: billing@project-b.iam.gserviceaccount.com
`;

function findings(text: string, platform: string) {
  return preflightResults(
    {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Preflight',
      platform,
      gcpProjectId: 'project-b',
      publicRegistries: ['registry.example.com'],
    },
    text,
  )
    .filter((r) => CHECKS.test(String(r.tags?.check)))
    .map((r) => [r.tags?.check, r.severity, r.field?.path, r.message]);
}

describe('GKE Workload Identity: the AWS token volumes a bound container may mount', () => {
  const mount = (name: string) =>
    `        volumeMounts:\n        - {name: ${name}, mountPath: /var/run/secrets/x}\n`;
  const projected = (name: string, audience: string) =>
    `      volumes:\n      - name: ${name}\n        projected:\n          sources:\n          - serviceAccountToken: {audience: ${audience}, path: token}\n`;

  test.each([
    ['the IRSA webhook volume, by name alone', 'aws-iam-token', ''],
    ['the EKS Pod Identity volume, by name alone', 'eks-pod-identity-token', ''],
    ['a projected token for STS, by audience', 'token', projected('token', 'sts.amazonaws.com')],
    [
      'a projected token for EKS Pod Identity, by audience',
      'token',
      projected('token', 'pods.eks.amazonaws.com'),
    ],
  ])('%s: an identity conflict located on the volume mounts', (_, name, volumes) => {
    expect(findings(deployment(SELECTOR + volumes, mount(name)) + bound, 'gke')).toEqual([
      [
        'gcp-identity-mechanism-conflict',
        'warning',
        'spec.template.spec.containers[0].volumeMounts',
        expect.stringContaining(
          `ServiceAccount billing carries ${ANNOTATION}: billing@project-b.iam.gserviceaccount.com, and container app also carries AWS identity (the AWS token volume ${name}): on GKE`,
        ),
      ],
    ]);
  });

  test.each([
    ['another volume name', 'token', ''],
    ['a projected token for another audience', 'token', projected('token', 'vault')],
  ])('%s: no conflict', (_, name, volumes) => {
    expect(findings(deployment(SELECTOR + volumes, mount(name)) + bound, 'gke')).toEqual([]);
  });
});

describe('GKE Workload Identity: the platforms', () => {
  const key = '        env:\n        - {name: GOOGLE_APPLICATION_CREDENTIALS, value: /k.json}\n';

  test('on Autopilot (a GKE platform) a bound container is checked for other identities', () => {
    expect(findings(deployment('', key) + bound, 'gke-autopilot')).toEqual([
      [
        'gcp-identity-mechanism-conflict',
        'warning',
        'spec.template.spec.containers[0].env[0]',
        expect.stringContaining(
          'but container app sets GOOGLE_APPLICATION_CREDENTIALS=/k.json: Application Default Credentials read that file before the GKE metadata server',
        ),
      ],
    ]);
  });

  test.each(['eks', 'anthos-aws'])(
    'on %s the annotation is reported as without effect, and the container is not checked further',
    (platform) => {
      expect(findings(deployment('', key) + bound, platform).map((f) => f[0])).toEqual([
        'gke-workload-identity-platform',
      ]);
    },
  );

  test.each(['generic'])('on %s nothing is said', (platform) => {
    expect(findings(deployment(SELECTOR, key) + bound, platform)).toEqual([]);
  });
});
