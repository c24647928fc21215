import {
  URI,
  TOKEN,
  FIX,
  VOLUME,
  MOUNT,
  pod,
  envVar,
  findings,
  NO_MOUNT,
  missing,
} from './pod-identity-workload';

describe('preflight EKS Pod Identity', () => {
  test('both variables and the token mounted where the file says: nothing to say on EKS', () => {
    expect(findings(pod(), 'eks')).toEqual([]);
  });

  test.each([
    ['generic', undefined],
    ['eks-less anthos-aws', 'anthos-aws'],
  ])('no webhook to add the mount (%s): an error', (_, platform) => {
    const found = findings(pod(NO_MOUNT), platform);
    expect(found[found.length - 1]).toEqual(
      missing(
        'error',
        `no EKS Pod Identity webhook runs on platform ${platform ?? 'generic'} to add it`,
      ),
    );
  });

  test('on EKS the webhook adds it only with an association: a warning', () => {
    expect(findings(pod(NO_MOUNT), 'eks')).toEqual([
      missing(
        'warning',
        'the EKS pod identity webhook adds volume eks-pod-identity-token there at admission only if ServiceAccount app has a Pod Identity association; the manifest alone does not work elsewhere',
      ),
    ]);
  });

  test('a region alone does not keep the webhook away; with AWS_STS_REGIONAL_ENDPOINTS it does', () => {
    const region = `${envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI)}${envVar('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', TOKEN)}${envVar('AWS_DEFAULT_REGION', 'eu-west-1')}`;
    expect(findings(pod({ ...NO_MOUNT, env: region }), 'eks').map((f) => f[1])).toEqual([
      'warning',
    ]);
    expect(
      findings(
        pod({ ...NO_MOUNT, env: region + envVar('AWS_STS_REGIONAL_ENDPOINTS', 'regional') }),
        'eks',
      ),
    ).toEqual([
      missing(
        'error',
        'it sets a container-credentials variable, a region and AWS_STS_REGIONAL_ENDPOINTS, and the EKS pod identity webhook leaves such a container alone',
      ),
    ]);
  });

  test('a mount of the volume name elsewhere: the webhook adds none', () => {
    const mounts = '    - name: eks-pod-identity-token\n      mountPath: /elsewhere\n';
    expect(findings(pod({ mounts }), 'eks')).toEqual([
      missing(
        'error',
        'the container already mounts a volume named eks-pod-identity-token, so the EKS pod identity webhook adds no mount',
      ),
    ]);
  });

  test('a token file elsewhere than the webhook mounts it', () => {
    const file = '/var/run/secrets/custom/token';
    const env = `${envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI)}${envVar('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', file)}`;
    expect(findings(pod({ ...NO_MOUNT, env }), 'eks')).toEqual([
      [
        'aws-pod-identity-token-volume-missing',
        'error',
        'spec.containers[0].volumeMounts',
        `container app: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${file}, but no volume is mounted at /var/run/secrets/custom; the EKS pod identity webhook mounts its token at ${TOKEN}, not there. Fix: ${FIX}`,
      ],
    ]);
  });

  test('one variable without the other', () => {
    expect(
      findings(pod({ env: envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI) }), 'eks'),
    ).toEqual([
      [
        'aws-pod-identity-env-incomplete',
        'error',
        'spec.containers[0].env[1]',
        `container app sets AWS_CONTAINER_CREDENTIALS_FULL_URI without AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the AWS SDKs use the Pod Identity agent only with both, and the EKS pod identity webhook adds neither when one is set. Fix: ${FIX}`,
      ],
    ]);
  });

  test('a token variable read from elsewhere (valueFrom) still makes the token matter to fsGroup; the URI alone does not', () => {
    const spec = '  securityContext:\n    runAsUser: 1000\n';
    const fromRef = `${envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI)}    - name: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE\n      valueFrom: {configMapKeyRef: {name: c, key: k}}\n`;
    expect(findings(pod({ env: fromRef, spec }), 'eks').map((f) => f[0])).toEqual([
      'fs-group-missing',
    ]);
    expect(
      findings(pod({ env: envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI), spec }), 'eks').map(
        (f) => f[0],
      ),
    ).toEqual(['aws-pod-identity-env-incomplete']);
  });

  test('a token file under /kubernetes-info/secrets in a container without it: the path error, and the token still counts for fsGroup', () => {
    const file =
      '/kubernetes-info/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token';
    const env = `${envVar('AWS_CONTAINER_CREDENTIALS_FULL_URI', URI)}${envVar('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', file)}`;
    const spec = '  securityContext:\n    runAsUser: 1000\n';
    expect(findings(pod({ env, spec }), 'eks').map((f) => f.slice(0, 3))).toEqual([
      ['fs-group-missing', 'warning', 'spec.securityContext.fsGroup'],
      ['aws-token-path', 'error', 'spec.containers[0].env[2].value'],
    ]);
  });

  test.each([
    ['gke', "use the platform's own workload identity instead of AWS credentials from the pod"],
    [
      'gke-autopilot',
      "use the platform's own workload identity instead of AWS credentials from the pod",
    ],
    ['anthos-aws', 'use IRSA (awsWorkloadIdentity.mechanism: irsa), which GKE on AWS supports'],
  ])('on %s there is no Pod Identity agent', (platform, fix) => {
    expect(findings(pod(), platform)[0]).toEqual([
      'aws-pod-identity-platform',
      'error',
      'spec.containers[0].env[1]',
      `container app uses EKS Pod Identity, but the target platform is ${platform}: the EKS Pod Identity agent that answers at 169.254.170.23 runs only on EKS clusters, so the AWS SDKs get no credentials. Fix: ${fix}`,
    ]);
  });

  describe('a Pod Identity token mounted without the variables', () => {
    const noEnv = { env: '' };
    test('on EKS the webhook may add them: info', () => {
      expect(findings(pod(noEnv), 'eks')).toEqual([
        [
          'aws-pod-identity-env-incomplete',
          'info',
          'spec.containers[0].env',
          `container app mounts the EKS Pod Identity token (volume eks-pod-identity-token) but sets neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the AWS SDKs do not find it; the EKS pod identity webhook adds both at admission only if ServiceAccount app has a Pod Identity association. Fix: ${FIX}`,
        ],
      ]);
    });

    test('elsewhere: a warning; a volume of another name is known by its audience', () => {
      const volumes = VOLUME.replace('name: eks-pod-identity-token', 'name: agent-token');
      const mounts = MOUNT.replace('name: eks-pod-identity-token', 'name: agent-token');
      expect(findings(pod({ env: '', volumes, mounts }))).toEqual([
        [
          'aws-pod-identity-env-incomplete',
          'warning',
          'spec.containers[0].env',
          `container app mounts the EKS Pod Identity token (volume agent-token) but sets neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the AWS SDKs do not find it. Fix: ${FIX}`,
        ],
      ]);
    });

    test('a mount of the volume name is one, whatever the volume holds', () => {
      const volumes = '  - name: eks-pod-identity-token\n    emptyDir: {}\n';
      expect(findings(pod({ env: '', volumes }), 'eks').map((f) => f[0])).toEqual([
        'aws-pod-identity-env-incomplete',
      ]);
    });

    test('a token of another audience, or another volume, is not one', () => {
      const volumes = VOLUME.replace('name: eks-pod-identity-token', 'name: sts-token').replace(
        'audience: pods.eks.amazonaws.com',
        'audience: sts.amazonaws.com',
      );
      const mounts = `${MOUNT.replace('name: eks-pod-identity-token', 'name: sts-token')}    - name: data\n      mountPath: /data\n`;
      expect(
        findings(
          pod({ env: '', volumes: `${volumes}  - name: data\n    emptyDir: {}\n`, mounts }),
          'eks',
        ),
      ).toEqual([]);
      expect(
        findings(pod({ env: '', mounts: '    - name: gone\n      mountPath: /gone\n' }), 'eks'),
      ).toEqual([]);
    });
  });
});
