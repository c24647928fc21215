import { parseAllDocuments } from 'yaml';
import { runText } from '../support/run';

/**
 * Oracles, not recordings: for each function, per container kind (legacy runtime,
 * service-manager runtime, plain, and an init container), what must be added, written
 * out here from the functions' READMEs and the platform documents they cite (EKS pod
 * identity webhook paths, systemd drop-in and tmpfiles.d locations), not read from the
 * code or from golden files.
 */
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: legacy
    image: gcr.io/p/legacy:v1
    readinessProbe:
      exec:
        command: [/code/ready.sh]
    securityContext:
      privileged: true
  - name: sm
    image: gcr.io/p/sm:v1
    env:
    - name: HC_V2K_SERVICE_MANAGER
      value: "true"
  - name: plain
    image: gcr.io/p/plain:v1
`;

type Container = {
  name: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  lifecycle?: { postStart?: { exec?: { command?: string[] } } };
};
type PodJs = { kind: string; spec: { initContainers: Container[]; containers: Container[] } };

const apiVersion = 'fn.retarget.dev/v1alpha1';
const ROLE = 'arn:aws:iam::123456789012:role/app';
const TOKEN_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
const LEGACY_TOKEN = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token';
const SYSTEMD_DROP_IN = '/etc/systemd/system.conf.d/10-default-env.conf';
const TMPFILES_DROP_IN = '/etc/tmpfiles.d/retarget-kubernetes-info-secrets.conf';

function run(fn: string, config: Record<string, unknown>) {
  const r = runText(fn, { apiVersion, ...config }, POD);
  expect(r.ok).toBe(true);
  const pod = parseAllDocuments(r.output)
    .map((d) => d.toJS() as PodJs)
    .find((d) => d.kind === 'Pod')!;
  const all = [...pod.spec.initContainers, ...pod.spec.containers];
  return {
    pod,
    container: (name: string) => all.find((c) => c.name === name)!,
  };
}

const original = (() => {
  const pod = parseAllDocuments(POD)[0].toJS() as PodJs;
  const all = [...pod.spec.initContainers, ...pod.spec.containers];
  return (name: string) => all.find((c) => c.name === name)!;
})();

/** The env and mounts a container gained, and whether it gained a postStart hook. */
function added(after: Container, before: Container) {
  const env = (after.env ?? []).slice((before.env ?? []).length);
  const mounts = (after.volumeMounts ?? []).slice((before.volumeMounts ?? []).length);
  return {
    env: Object.fromEntries(env.map((e) => [e.name, e.value])),
    mounts: mounts.map((m) => m.mountPath),
    hook: after.lifecycle?.postStart?.exec?.command?.join(' ') !== undefined,
  };
}

describe('oracle: set-aws-workload-identity, per container kind', () => {
  const aws = (token: string) => ({
    AWS_ROLE_ARN: ROLE,
    AWS_WEB_IDENTITY_TOKEN_FILE: token,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
  });
  const plainToken = `${TOKEN_DIR}/token`;
  test.each([
    // initSystem, container, token file, mounts added (token first), postStart hook
    ['systemd', 'legacy', LEGACY_TOKEN, [TOKEN_DIR, SYSTEMD_DROP_IN]],
    ['systemd', 'sm', plainToken, [TOKEN_DIR]],
    ['systemd', 'plain', plainToken, [TOKEN_DIR]],
    ['systemd', 'init', plainToken, [TOKEN_DIR]],
    ['sysv', 'legacy', LEGACY_TOKEN, [TOKEN_DIR]],
    ['sysv', 'sm', plainToken, [TOKEN_DIR]],
    ['sysv', 'init', plainToken, [TOKEN_DIR]],
    [undefined, 'legacy', LEGACY_TOKEN, [TOKEN_DIR]],
    [undefined, 'plain', plainToken, [TOKEN_DIR]],
  ] as const)(
    'initSystem %s: container %s gets token file %s and mounts %j',
    (init, name, token, mounts) => {
      const { container } = run('set-aws-workload-identity', {
        kind: 'SetAwsWorkloadIdentity',
        roleArn: ROLE,
        region: 'eu-west-1',
        ...(init ? { initSystem: init } : {}),
      });
      expect(added(container(name), original(name))).toEqual({
        env: aws(token),
        mounts,
        hook: false,
      });
      const tokenMount = container(name).volumeMounts!.find((m) => m.mountPath === TOKEN_DIR)!;
      expect(tokenMount).toEqual({ name: 'aws-iam-token', mountPath: TOKEN_DIR, readOnly: true });
      const dropIn = container(name).volumeMounts!.find((m) => m.mountPath === SYSTEMD_DROP_IN);
      if (dropIn) expect(dropIn).toMatchObject({ subPath: '10-default-env.conf', readOnly: true });
    },
  );

  test('the pod gets the projected token volume of the EKS pod identity webhook', () => {
    const { pod } = run('set-aws-workload-identity', {
      kind: 'SetAwsWorkloadIdentity',
      roleArn: ROLE,
    });
    const volumes = (pod.spec as unknown as { volumes: unknown[] }).volumes;
    expect(volumes).toContainEqual({
      name: 'aws-iam-token',
      projected: {
        sources: [
          {
            serviceAccountToken: {
              audience: 'sts.amazonaws.com',
              expirationSeconds: 86400,
              path: 'token',
            },
          },
        ],
      },
    });
  });
});

describe('oracle: link-kubernetes-info-secrets, per container kind', () => {
  test.each([
    // initSystem, container, link step, mounts added
    ['systemd', 'legacy', true, [TMPFILES_DROP_IN]],
    ['systemd', 'sm', false, []],
    ['systemd', 'plain', false, []],
    ['systemd', 'init', false, []],
    [undefined, 'legacy', true, []],
    [undefined, 'sm', false, []],
    [undefined, 'plain', false, []],
    [undefined, 'init', false, []],
  ] as const)(
    'initSystem %s: container %s gets link step %s and mounts %j',
    (init, name, hook, mounts) => {
      const { container } = run('link-kubernetes-info-secrets', {
        kind: 'LinkKubernetesInfoSecrets',
        ...(init ? { initSystem: init } : {}),
      });
      expect(added(container(name), original(name))).toEqual({ env: {}, mounts, hook });
      if (!hook && !mounts.length) expect(container(name)).toEqual(original(name));
      if (hook) {
        const [shell, flag, script] = container(name).lifecycle!.postStart!.exec!.command!;
        expect([shell, flag]).toEqual(['/bin/sh', '-c']);
        expect(script).toContain("src='/kubernetes-info/secrets' dst='/var/run/secrets'");
        expect(script).toMatch(/exit 0\n$/);
      }
      if (mounts.length) {
        expect(container(name).volumeMounts!.at(-1)).toEqual({
          name: 'retarget-tmpfiles',
          mountPath: TMPFILES_DROP_IN,
          subPath: 'retarget-kubernetes-info-secrets.conf',
          readOnly: true,
        });
      }
    },
  );
});

describe('oracle: pod-level functions add nothing to any container', () => {
  test.each([
    ['set-fs-group', { kind: 'SetFsGroup', fsGroup: 2000 }, { securityContext: { fsGroup: 2000 } }],
    [
      'set-image-pull-secrets',
      { kind: 'SetImagePullSecrets', names: ['gcr-json-key'] },
      { imagePullSecrets: [{ name: 'gcr-json-key' }] },
    ],
  ] as const)('%s', (fn, config, podFields) => {
    const { pod, container } = run(fn, config);
    expect(pod.spec).toMatchObject(podFields);
    for (const name of ['init', 'legacy', 'sm', 'plain'])
      expect(container(name)).toEqual(original(name));
  });
});

describe('oracle: hydrate (every stage), per container kind', () => {
  const legacyEnv = { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: LEGACY_TOKEN };
  const otherEnv = { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: `${TOKEN_DIR}/token` };
  test.each([
    ['legacy', legacyEnv, [TMPFILES_DROP_IN, TOKEN_DIR, SYSTEMD_DROP_IN], true],
    ['sm', otherEnv, [TOKEN_DIR], false],
    ['plain', otherEnv, [TOKEN_DIR], false],
    ['init', otherEnv, [TOKEN_DIR], false],
  ] as const)('container %s gets env %j, mounts %j, link step %s', (name, env, mounts, hook) => {
    const { pod, container } = run('hydrate', {
      kind: 'Retarget',
      imagePullSecrets: ['gcr-json-key'],
      fsGroup: 2000,
      awsWorkloadIdentity: { roleArn: ROLE, initSystem: 'systemd' },
    });
    const got = added(container(name), original(name));
    expect({ ...got, mounts: [...got.mounts].sort() }).toEqual({
      env,
      mounts: [...mounts].sort(),
      hook,
    });
    expect(pod.spec).toMatchObject({
      securityContext: { fsGroup: 2000 },
      imagePullSecrets: [{ name: 'gcr-json-key' }],
    });
  });
});
