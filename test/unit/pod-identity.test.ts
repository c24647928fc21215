import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { patchDockerfile } from '../../src/dockerfile/patch';
import { associationCommand } from '../../src/transforms/pod-identity-association';
import {
  blockInstructions,
  installShims,
  optionsFromYaml,
  pamEnvFile,
  readRootFile,
  runBlock,
  removeTempRoots,
  tempRoot,
  upstartEnv,
  writeRootFile,
} from '../dockerfile/harness';
import { describeReal, FIXTURES, runText } from '../support/run';

afterAll(removeTempRoots);

/**
 * EKS Pod Identity (awsWorkloadIdentity.mechanism: pod-identity) against the webhook's
 * container-credentials mode (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go,
 * main.go's --container-credentials-* defaults), on real generated specs of both
 * runtimes, and through the preflight checks on the output.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const ROLE = 'arn:aws:iam::123456789012:role/migrated';
const FULL_URI = 'http://169.254.170.23/v1/credentials';
const MOUNT = '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount';
const TOKEN = `${MOUNT}/eks-pod-identity-token`;
const LEGACY_TOKEN =
  '/kubernetes-info/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token';

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}

function inNamespace(text: string, namespace: string): string {
  return text.replace(/^metadata:\n/gm, `metadata:\n  namespace: ${namespace}\n`);
}

const hydrateConfig = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Retarget',
  imagePullSecrets: ['gcr-json-key'],
  fsGroup: 1234,
  awsWorkloadIdentity: {
    mechanism: 'pod-identity',
    roleArn: ROLE,
    clusterName: 'prod-eks',
    initSystem: 'systemd',
    emitPodIdentityAssociation: true,
  },
  target: {
    platform: 'eks',
    pullSecrets: [{ name: 'gcr-json-key', registries: ['gcr.io'] }],
    skip: ['schema', 'pod-security-baseline'],
  },
};

describeReal('pod-identity on real generated specs', () => {
  test.each([
    ['mfa__deployment_spec.yaml', 'legacy', LEGACY_TOKEN],
    ['dockertest__deployment_spec.yaml', 'service-manager', TOKEN],
  ])('%s (%s runtime)', (file, _runtime, tokenFile) => {
    const input = inNamespace(readFileSync(join(FIXTURES, file), 'utf8'), 'migrated');
    const first = runText('hydrate', hydrateConfig, input, file);
    expect(first.results.filter((r) => r.severity !== 'info')).toEqual([]);
    expect(first.ok).toBe(true);

    const out = docs(first.output);
    const deployment = out.find((d) => d.kind === 'Deployment')!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = (container.env as Obj[]).filter((e) => e.name.startsWith('AWS_'));
    // The webhook's appended variables, in its order, and nothing of IRSA.
    expect(env).toEqual([
      { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: FULL_URI },
      { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: tokenFile },
    ]);
    expect(container.volumeMounts).toContainEqual({
      name: 'eks-pod-identity-token',
      mountPath: MOUNT,
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({
      name: 'eks-pod-identity-token',
      projected: {
        sources: [
          {
            serviceAccountToken: {
              audience: 'pods.eks.amazonaws.com',
              expirationSeconds: 86400,
              path: 'eks-pod-identity-token',
            },
          },
        ],
      },
    });
    const name = deployment.metadata.name as string;
    expect(pod.serviceAccountName).toBe(name);
    const sa = out.find((d) => d.kind === 'ServiceAccount' && d.metadata.name === name)!;
    expect(sa.metadata.namespace).toBe('migrated');
    expect(sa.metadata.annotations).toBeUndefined();
    expect(out.find((d) => d.kind === 'PodIdentityAssociation')).toEqual({
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'PodIdentityAssociation',
      metadata: { name, namespace: 'migrated' },
      spec: { clusterName: 'prod-eks', namespace: 'migrated', serviceAccount: name, roleARN: ROLE },
    });
    const command = first.results.find((r) =>
      r.message.includes('create-pod-identity-association'),
    );
    expect(command?.message).toContain(
      `aws eks create-pod-identity-association --cluster-name 'prod-eks' --namespace 'migrated' --service-account '${name}' --role-arn '${ROLE}'`,
    );
    // The legacy runtime's systemd gets the variables through the manager drop-in.
    const dropIn = out.find(
      (d) => d.kind === 'ConfigMap' && d.metadata.name.endsWith('-aws-workload-identity'),
    );
    if (_runtime === 'legacy') {
      expect(dropIn?.data['10-default-env.conf']).toContain(
        `DefaultEnvironment="AWS_CONTAINER_CREDENTIALS_FULL_URI=${FULL_URI}" "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${LEGACY_TOKEN}"`,
      );
    } else {
      expect(dropIn).toBeUndefined();
    }

    const again = runText('hydrate', hydrateConfig, first.output, file);
    expect(again.output).toBe(first.output);
  });
});

describe('the association command', () => {
  test('every value is one shell word, whatever it holds', () => {
    const command = associationCommand(
      { roleArn: ROLE, name: "it's", namespace: 'a b' },
      'prod-eks',
    );
    const r = spawnSync(
      '/bin/sh',
      ['-c', `set -- ${command.replace(/^aws eks /, '')}; printf '%s\\n' "$@"`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout.split('\n').slice(0, -1)).toEqual([
      'create-pod-identity-association',
      '--cluster-name',
      'prod-eks',
      '--namespace',
      'a b',
      '--service-account',
      "it's",
      '--role-arn',
      ROLE,
    ]);
  });

  test('a missing cluster name or namespace stops the command instead of passing an empty word', () => {
    const command = associationCommand(
      { roleArn: ROLE, name: 'app', namespace: undefined },
      undefined,
    );
    const r = spawnSync('/bin/sh', ['-c', `set -- ${command.replace(/^aws eks /, '')}`], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('the EKS cluster name');
  });
});

describe('set-aws-workload-identity with mechanism pod-identity', () => {
  const base = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetAwsWorkloadIdentity',
    mechanism: 'pod-identity',
  };
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
`;

  test('roleArn is required: the association is made from it', () => {
    const { ok, results } = runText('set-aws-workload-identity', base, deployment);
    expect(ok).toBe(false);
    expect(results.find((r) => r.severity === 'error')?.message).toContain('needs roleArn');
    // Located on the pods' account field, where the workload is bound.
    expect(results.map((r) => [r.severity, r.field?.path])).toEqual([
      ['error', 'spec.template.spec.serviceAccountName'],
    ]);
  });

  test('emitPodIdentityAssociation without clusterName is an error naming the field', () => {
    const config = { ...base, roleArn: ROLE, emitPodIdentityAssociation: true };
    const { ok, results } = runText('set-aws-workload-identity', config, deployment);
    expect(ok).toBe(false);
    expect(results.find((r) => r.severity === 'error')?.field?.path).toBe('clusterName');
  });

  test('a PodIdentityAssociation of the package with another role is kept and reported', () => {
    const input = `${deployment}---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: PodIdentityAssociation
metadata:
  name: app
  namespace: shop
spec:
  clusterName: prod-eks
  namespace: shop
  serviceAccount: app
  roleARN: arn:aws:iam::123456789012:role/other
`;
    const config = {
      ...base,
      roleArn: ROLE,
      clusterName: 'prod-eks',
      emitPodIdentityAssociation: true,
    };
    const { ok, output, results } = runText('set-aws-workload-identity', config, input);
    expect(ok).toBe(true);
    expect(output).toContain('roleARN: arn:aws:iam::123456789012:role/other');
    expect(docs(output).filter((d) => d.kind === 'PodIdentityAssociation')).toHaveLength(1);
    expect(results.find((r) => r.severity === 'warning')?.message).toContain('spec.roleARN');
  });

  test('IRSA variables a container sets are kept (the webhook keeps them), and preflight reports the two mechanisms', () => {
    const input = deployment.replace(
      '        image: app:1\n',
      '        image: app:1\n        env:\n        - name: AWS_ROLE_ARN\n          value: arn:aws:iam::123456789012:role/old\n        - name: AWS_WEB_IDENTITY_TOKEN_FILE\n          value: /var/run/secrets/eks.amazonaws.com/serviceaccount/token\n',
    );
    const { output, results } = runText(
      'set-aws-workload-identity',
      { ...base, roleArn: ROLE },
      input,
    );
    expect(output).toContain('value: arn:aws:iam::123456789012:role/old');
    expect(
      results.find((r) => r.severity === 'warning' && r.message.includes('(IRSA)'))?.field?.path,
    ).toBe('spec.template.spec.containers[0].env');
    const preflight = runText(
      'preflight',
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'eks' },
      output,
    );
    expect(preflight.results.map((r) => r.tags?.check)).toContain(
      'aws-identity-mechanism-conflict',
    );
  });
});

describe('retarget dockerfile with pod-identity', () => {
  const yaml = (initSystem: string) => `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
awsWorkloadIdentity:
  mechanism: pod-identity
  roleArn: ${ROLE}
  initSystem: ${initSystem}
  services: [app]
runtime: legacy
`;
  // The runtime is given (runtime: legacy): the token is read under /kubernetes-info.
  const legacyDockerfile = 'FROM example.org/vm:1\nENTRYPOINT ["/.v2k.go"]\n';

  test('sysv-pam: /etc/environment gets the Pod Identity variables and loses IRSA ones', () => {
    const block = blockInstructions(
      patchDockerfile(legacyDockerfile, optionsFromYaml(yaml('sysv-pam'))),
    );
    const root = tempRoot('pod-identity-pam');
    writeRootFile(root, 'etc/pam.d/su', 'auth sufficient pam_rootok.so\n');
    writeRootFile(
      root,
      'etc/environment',
      'LANG=C\nAWS_ROLE_ARN=arn:aws:iam::123456789012:role/old\nAWS_WEB_IDENTITY_TOKEN_FILE=/x\n',
    );
    const { bin } = installShims(root);
    expect(runBlock(block, root, bin)).toEqual({ status: 0, stderr: '' });
    const env = pamEnvFile(readRootFile(root, 'etc/environment'));
    expect(Object.fromEntries(env)).toEqual({
      LANG: 'C',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: FULL_URI,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: LEGACY_TOKEN,
    });
  });

  test('upstart: env stanzas name the legacy Pod Identity token', () => {
    const block = blockInstructions(
      patchDockerfile(legacyDockerfile, optionsFromYaml(yaml('upstart'))),
    );
    const root = tempRoot('pod-identity-upstart');
    writeRootFile(root, 'etc/init/app.conf', 'exec /usr/bin/app\n');
    const { bin } = installShims(root);
    expect(runBlock(block, root, bin)).toEqual({ status: 0, stderr: '' });
    const env = upstartEnv(readRootFile(root, 'etc/init/app.conf'));
    expect(env.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBe(FULL_URI);
    expect(env.get('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE')).toBe(LEGACY_TOKEN);
    expect(env.has('AWS_ROLE_ARN')).toBe(false);
  });
});

/**
 * The webhook's own container-credentials handler fixtures
 * (pkg/handler/testdata/containercredentials/*.pod.yaml at commit 3bf80a3), with the
 * fixture's made-up flag values (con-creds-uri, /con-creds-mount-path, ...) replaced by
 * the defaults of main.go's --container-credentials-* flags, which EKS runs, and each
 * expectedPatch's env, mounts and volume written out. The token expiration of the
 * fixtures without one is the webhook's jitter over the 86400 default; offline it is
 * the 86400 itself (the webhook keeps a volume that is there).
 */
describe("the webhook's container-credentials fixtures", () => {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetAwsWorkloadIdentity',
    mechanism: 'pod-identity',
    roleArn: 'arn:aws:iam::111122223333:role/s3-reader',
    serviceAccountName: 'default',
  };
  const volume = (expirationSeconds: number) => ({
    name: 'eks-pod-identity-token',
    projected: {
      sources: [
        {
          serviceAccountToken: {
            audience: 'pods.eks.amazonaws.com',
            expirationSeconds,
            path: 'eks-pod-identity-token',
          },
        },
      ],
    },
  });
  const credentials = [
    { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: FULL_URI },
    { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: TOKEN },
  ];
  const mount = { name: 'eks-pod-identity-token', readOnly: true, mountPath: MOUNT };

  function run(pod: string, extraConfig: Obj = {}, sa = '') {
    const input = `apiVersion: v1
kind: Pod
metadata:
  name: balajilovesoreos
  namespace: default
${pod}${sa ? `---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: default\n  annotations:\n${sa}` : ''}`;
    const result = runText('set-aws-workload-identity', { ...config, ...extraConfig }, input);
    expect(result.ok).toBe(true);
    const again = runText(
      'set-aws-workload-identity',
      { ...config, ...extraConfig },
      result.output,
    );
    expect(again.output).toBe(result.output);
    return { pod: docs(result.output)[0], results: result.results };
  }

  test('rawPodWithoutVolumes', () => {
    const { pod } = run(
      'spec:\n  containers:\n  - image: amazonlinux\n    name: balajilovesoreos\n  serviceAccountName: default\n',
    );
    expect(pod.spec.containers[0].env).toEqual(credentials);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { name: mount.name, mountPath: mount.mountPath, readOnly: true },
    ]);
    expect(pod.spec.volumes).toEqual([volume(86400)]);
  });

  test('rawPodNeedsAll: regional STS and token expiration from the ServiceAccount, the region flag', () => {
    const { pod } = run(
      'spec:\n  containers:\n  - image: amazonlinux\n    name: balajilovesoreos\n  serviceAccountName: default\n',
      { region: 'cn-north-1' },
      '    eks.amazonaws.com/sts-regional-endpoints: "true"\n    eks.amazonaws.com/token-expiration: "10000"\n',
    );
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
      { name: 'AWS_DEFAULT_REGION', value: 'cn-north-1' },
      { name: 'AWS_REGION', value: 'cn-north-1' },
      ...credentials,
    ]);
    expect(pod.spec.volumes).toEqual([volume(10000)]);
  });

  test('rawPodWithRoleArn: container credentials take precedence over the IRSA annotation', () => {
    const { pod, results } = run(
      'spec:\n  containers:\n  - image: amazonlinux\n    name: balajilovesoreos\n  serviceAccountName: default\n',
      {},
      '    eks.amazonaws.com/sts-regional-endpoints: "true"\n    eks.amazonaws.com/token-expiration: "10000"\n    eks.amazonaws.com/role-arn: arn:aws-cn:iam::111122223333:role/s3-reader\n',
    );
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
      ...credentials,
    ]);
    expect(pod.spec.volumes).toEqual([volume(10000)]);
    expect(results.map((r) => r.message).join('\n')).toContain(
      'still carries eks.amazonaws.com/role-arn',
    );
  });

  test('rawPodSkip: skip-containers leaves the sidecar alone', () => {
    const { pod } = run(
      'spec:\n  containers:\n    - image: amazonlinux\n      name: sidecar\n    - image: amazonlinux\n      name: balajilovesoreos\n  serviceAccountName: default\n'.replace(
        'spec:\n',
        '  annotations:\n    eks.amazonaws.com/skip-containers: "sidecar"\nspec:\n',
      ),
    );
    expect(pod.spec.containers[0]).toEqual({ image: 'amazonlinux', name: 'sidecar' });
    expect(pod.spec.containers[1].env).toEqual(credentials);
    expect(pod.spec.volumes).toEqual([volume(86400)]);
  });

  test('rawPodWithConflictingVolumeMount: a mount of that name is kept where it is, and so is the volume', () => {
    const { pod, results } = run(
      'spec:\n  containers:\n  - image: amazonlinux\n    name: balajilovesoreos\n    volumeMounts:\n      - mountPath: /some/other/path\n        name: eks-pod-identity-token\n        readOnly: true\n  serviceAccountName: default\n  volumes:\n  - name: eks-pod-identity-token\n    hostPath:\n      path: token\n',
    );
    expect(pod.spec.containers[0].env).toEqual(credentials);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { mountPath: '/some/other/path', name: 'eks-pod-identity-token', readOnly: true },
    ]);
    expect(pod.spec.volumes).toEqual([
      { name: 'eks-pod-identity-token', hostPath: { path: 'token' } },
    ]);
    expect(results.some((r) => r.severity === 'warning' && r.message.includes('is kept'))).toBe(
      true,
    );
  });
});

describe('preflight: why the webhook will not mount the Pod Identity token', () => {
  const preflight = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'eks' };
  const pod = (annotations: string, env: string) => `apiVersion: v1
kind: Pod
metadata:
  name: app
${annotations}spec:
  serviceAccountName: app
  containers:
  - name: app
    image: registry.example.com/app:1
    env:
    - name: AWS_CONTAINER_CREDENTIALS_FULL_URI
      value: ${FULL_URI}
    - name: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
      value: ${TOKEN}
${env}`;

  function finding(text: string) {
    const { results } = runText('preflight', preflight, text);
    return results.find((r) => r.tags?.check === 'aws-pod-identity-token-volume-missing');
  }

  test('the webhook mounts it: a warning that depends on the association', () => {
    const r = finding(pod('', ''));
    expect(r?.severity).toBe('warning');
    expect(r?.message).toContain('only if ServiceAccount app has a Pod Identity association');
  });

  test('skip-containers names the container: an error', () => {
    const r = finding(pod('  annotations:\n    eks.amazonaws.com/skip-containers: "app"\n', ''));
    expect(r?.severity).toBe('error');
    expect(r?.message).toContain('skip-containers names it');
  });

  test('region and regional STS already set: the webhook leaves the container alone', () => {
    const r = finding(
      pod(
        '',
        '    - name: AWS_REGION\n      value: eu-west-1\n    - name: AWS_STS_REGIONAL_ENDPOINTS\n      value: regional\n',
      ),
    );
    expect(r?.severity).toBe('error');
    expect(r?.message).toContain('leaves such a container alone');
  });
});
