/**
 * EKS Pod Identity at the edges the main tests leave: the fsGroup check for a Pod Identity
 * token, skip-containers and the region variables as the webhook reads them, the platforms
 * without the agent, and which mounts count as a Pod Identity token.
 */
import {
  URI,
  TOKEN,
  VOLUME,
  pod,
  envVar,
  findings,
  NO_MOUNT,
  missing,
} from './pod-identity-workload';

const checks = (text: string, platform?: string) => findings(text, platform).map((f) => f[0]);
const SHARED_USER = '  securityContext:\n    runAsUser: 1000\n';

describe('EKS Pod Identity: fsGroup', () => {
  test('a complete Pod Identity token read by a VM container of one runAsUser: fsGroup is missing', () => {
    expect(checks(pod({ spec: SHARED_USER }), 'eks')).toEqual(['fs-group-missing']);
  });

  test('no AWS identity at all: no fsGroup to ask for', () => {
    expect(checks(pod({ spec: SHARED_USER, env: '', ...NO_MOUNT }), 'eks')).toEqual([]);
  });
});

describe('EKS Pod Identity: what the webhook leaves alone', () => {
  test('skip-containers naming the container: it adds no mount, an error', () => {
    const text = pod(NO_MOUNT).replace(
      'metadata:\n  name: p\n',
      'metadata:\n  name: p\n  annotations:\n    eks.amazonaws.com/skip-containers: "sidecar,app"\n',
    );
    expect(findings(text, 'eks')).toEqual([
      missing(
        'error',
        "the pod's eks.amazonaws.com/skip-containers names it, so the EKS pod identity webhook leaves it alone",
      ),
    ]);
  });

  test.each(['AWS_REGION', 'AWS_DEFAULT_REGION'])(
    '%s and AWS_STS_REGIONAL_ENDPOINTS: it leaves the container alone, an error',
    (region) => {
      const env = `${envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI)}${envVar('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', TOKEN)}${envVar(region, 'eu-west-1')}${envVar('AWS_STS_REGIONAL_ENDPOINTS', 'regional')}`;
      expect(findings(pod({ ...NO_MOUNT, env }), 'eks')).toEqual([
        missing(
          'error',
          'it sets a container-credentials variable, a region and AWS_STS_REGIONAL_ENDPOINTS, and the EKS pod identity webhook leaves such a container alone',
        ),
      ]);
    },
  );

  test('a volume named eks-pod-identity-token mounted elsewhere, after another: no mount added, an error', () => {
    const mounts =
      '    - name: data\n      mountPath: /data\n    - name: eks-pod-identity-token\n      mountPath: /pi\n';
    expect(findings(pod({ mounts }), 'eks')).toEqual([
      missing(
        'error',
        'the container already mounts a volume named eks-pod-identity-token, so the EKS pod identity webhook adds no mount',
      ),
    ]);
  });
});

describe('EKS Pod Identity: platforms without the agent', () => {
  test.each([
    ['gke', "use the platform's own workload identity instead of AWS credentials from the pod"],
    [
      'gke-autopilot',
      "use the platform's own workload identity instead of AWS credentials from the pod",
    ],
    ['anthos-aws', 'use IRSA (awsWorkloadIdentity.mechanism: irsa), which GKE on AWS supports'],
  ])('%s: an error', (platform, fix) => {
    expect(findings(pod(), platform).filter((f) => f[0] === 'aws-pod-identity-platform')).toEqual([
      [
        'aws-pod-identity-platform',
        'error',
        'spec.containers[0].env[1]',
        `container app uses EKS Pod Identity, but the target platform is ${platform}: the EKS Pod Identity agent that answers at 169.254.170.23 runs only on EKS clusters, so the AWS SDKs get no credentials. Fix: ${fix}`,
      ],
    ]);
  });

  test.each(['eks', 'generic'])('%s: not this finding', (platform) => {
    expect(checks(pod(), platform)).not.toContain('aws-pod-identity-platform');
  });
});

describe('EKS Pod Identity: which mounts are a Pod Identity token (no variables set)', () => {
  const incomplete = (text: string) =>
    checks(text, 'eks').filter((c) => c === 'aws-pod-identity-env-incomplete');

  test.each([
    ['a malformed mount entry', '    - junk\n', VOLUME],
    [
      'an unrelated volume',
      '    - name: data\n      mountPath: /data\n',
      '  - name: data\n    emptyDir: {}\n',
    ],
    [
      'a projected volume of other sources',
      '    - name: data\n      mountPath: /data\n',
      '  - name: data\n    projected:\n      sources:\n      - configMap: {name: c}\n',
    ],
  ])('%s: none', (_, mounts, volumes) => {
    expect(incomplete(pod({ env: '', mounts, volumes }))).toEqual([]);
  });

  test('a Pod Identity token among other projected sources, under another volume name: one', () => {
    const volumes =
      '  - name: data\n    projected:\n      sources:\n      - configMap: {name: c}\n      - serviceAccountToken: {audience: pods.eks.amazonaws.com, path: t}\n';
    expect(
      incomplete(pod({ env: '', mounts: '    - name: data\n      mountPath: /data\n', volumes })),
    ).toEqual(['aws-pod-identity-env-incomplete']);
  });
});

describe('EKS Pod Identity: the token path in a legacy-runtime container', () => {
  test('the standard path without a link step: the fix names the legacy path', () => {
    // A legacy container: /.v2k.go without the service-manager variable.
    const text = pod()
      .replace('    - name: HC_V2K_SERVICE_MANAGER\n      value: "true"\n', '')
      .replace(
        '    image: registry.k8s.io/pause:3.9\n',
        '    image: registry.k8s.io/pause:3.9\n    command: ["/.v2k.go"]\n',
      );
    const path = findings(text, 'eks').filter((f) => f[0] === 'aws-token-path');
    expect(path.map((f) => f[3])).toEqual([
      `container app runs the legacy Migrate for Anthos runtime, which shows pod secrets under /kubernetes-info/secrets, and nothing links /var/run/secrets there: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${TOKEN} names no file for the services. Fix: use /kubernetes-info/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token, or add the link step (retarget link-kubernetes-info-secrets)`,
    ]);
  });
});
