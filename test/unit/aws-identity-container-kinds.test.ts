import { parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import { runText } from '../support/run';

/*
 * set-aws-workload-identity, per container kind and per init system, for both mechanisms:
 * what each container gains (env in the webhook's order, the token mount, the systemd
 * drop-in mount), what the pod gains (volumes, serviceAccountName) and which objects and
 * results come with them. Every expected value is written out here from the function's
 * README and the EKS pod identity webhook (aws/amazon-eks-pod-identity-webhook,
 * pkg/handler/handler.go: addEnvToContainer appends AWS_STS_REGIONAL_ENDPOINTS, then
 * AWS_DEFAULT_REGION and AWS_REGION, then the credential pair; the token volume and its
 * mount), not read from the code or from golden files.
 *
 * The kinds: a legacy-runtime container (command /.v2k.go: the VM's init starts the
 * services, which see none of the container's env), a service-manager container (its
 * runtime starts the services with the container's env), a plain one, and two init
 * containers, one of each runtime. Only a legacy *main* container gets the systemd drop-in
 * or asks for build-time steps: an init container runs before the VM's init boots.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const FN = 'set-aws-workload-identity';
const ROLE = 'arn:aws:iam::123456789012:role/vm-reader';
const REGION = 'eu-west-1';

const INPUT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vm
  namespace: shop
spec:
  template:
    spec:
      initContainers:
      - name: prep
        image: gcr.io/p/vm:v1
        command: [/.v2k.go]
      - name: wait
        image: busybox
      containers:
      - name: vm
        image: gcr.io/p/vm:v1
        command: [/.v2k.go]
      - name: sm
        image: gcr.io/p/sm:v1
        env:
        - name: HC_V2K_SERVICE_MANAGER
          value: "true"
      - name: plain
        image: gcr.io/p/plain:v1
`;

/** Where each mechanism puts its token, as the webhook and the legacy runtime show it. */
const MECHANISMS = {
  irsa: {
    volume: 'aws-iam-token',
    audience: 'sts.amazonaws.com',
    path: 'token',
    dir: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    token: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    legacyToken: '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token',
    credential: (token: string): [string, string][] => [
      ['AWS_ROLE_ARN', ROLE],
      ['AWS_WEB_IDENTITY_TOKEN_FILE', token],
    ],
    accountAnnotations: {
      'eks.amazonaws.com/role-arn': ROLE,
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
    } as Record<string, string>,
  },
  'pod-identity': {
    volume: 'eks-pod-identity-token',
    audience: 'pods.eks.amazonaws.com',
    path: 'eks-pod-identity-token',
    dir: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount',
    token: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
    legacyToken:
      '/kubernetes-info/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
    credential: (token: string): [string, string][] => [
      ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://169.254.170.23/v1/credentials'],
      ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', token],
    ],
    // The role is bound by the association; the account only carries regional STS.
    accountAnnotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'true' } as Record<
      string,
      string
    >,
  },
} as const;
type Mechanism = keyof typeof MECHANISMS;

const DROP_IN_MOUNT = {
  name: 'retarget-systemd-env',
  mountPath: '/etc/systemd/system.conf.d/10-default-env.conf',
  subPath: '10-default-env.conf',
  readOnly: true,
};

const TAIL =
  ". These cannot be done safely in manifests; run `retarget dockerfile -c CONFIG Dockerfile` (CONFIG: the Retarget config with this awsWorkloadIdentity and the fsGroup) to add them to the image's Dockerfile";

/** The results about the init system, per initSystem (none for systemd: the drop-in does it). */
const INIT_RESULTS: Record<string, [string, string][]> = {
  systemd: [],
  'sysv-pam': [
    [
      'info',
      `build-time steps needed in the image: \`session required pam_env.so\` in /etc/pam.d/su and both variables in /etc/environment${TAIL}`,
    ],
  ],
  sysv: [
    [
      'info',
      `build-time steps needed in the image: export lines in the init scripts of the services${TAIL}`,
    ],
  ],
  upstart: [
    [
      'info',
      `build-time steps needed in the image: env stanzas in the Upstart jobs of the services${TAIL}`,
    ],
  ],
  none: [
    [
      'warning',
      'migrated-VM containers found but awsWorkloadIdentity.initSystem is not set: services started by the init system do not inherit container env; set initSystem (systemd, sysv-pam, sysv or upstart)',
    ],
  ],
};

function config(mechanism: Mechanism, initSystem: string) {
  return {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetAwsWorkloadIdentity',
    roleArn: ROLE,
    region: REGION,
    stsRegionalEndpoints: 'regional',
    ...(mechanism === 'pod-identity' ? { mechanism } : {}),
    ...(initSystem === 'none' ? {} : { initSystem }),
  };
}

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}

const ASSOCIATION = `EKS Pod Identity needs an association of role ${ROLE} with ServiceAccount vm in namespace shop; make it with: aws eks create-pod-identity-association --cluster-name "\${EKS_CLUSTER_NAME:?the EKS cluster name}" --namespace 'shop' --service-account 'vm' --role-arn '${ROLE}'`;

/** Severity and message of each result; pod-identity's association command is said first. */
function initResults(mechanism: Mechanism, results: readonly Result[]): [string, string][] {
  const said = results.map((r): [string, string] => [r.severity, r.message]);
  if (mechanism === 'irsa') return said;
  expect(said[0]).toEqual(['info', ASSOCIATION]);
  return said.slice(1);
}

/** The env a container must gain, in the webhook's order, for a token file. */
function envFor(mechanism: Mechanism, token: string): { name: string; value: string }[] {
  return [
    ['AWS_STS_REGIONAL_ENDPOINTS', 'regional'],
    ['AWS_DEFAULT_REGION', REGION],
    ['AWS_REGION', REGION],
    ...MECHANISMS[mechanism].credential(token),
  ].map(([name, value]) => ({ name, value }));
}

/** The systemd drop-in, as systemd reads it: one quoted assignment per variable. */
function dropInText(mechanism: Mechanism): string {
  const env = [
    ...MECHANISMS[mechanism].credential(MECHANISMS[mechanism].legacyToken),
    ['AWS_REGION', REGION],
    ['AWS_DEFAULT_REGION', REGION],
    ['AWS_STS_REGIONAL_ENDPOINTS', 'regional'],
  ];
  return [
    '# Written by retarget: AWS workload identity for every systemd service.',
    '[Manager]',
    `DefaultEnvironment=${env.map(([k, v]) => `"${k}=${v}"`).join(' ')}`,
    '',
  ].join('\n');
}

const CASES: [Mechanism, string][] = (['irsa', 'pod-identity'] as const).flatMap((m) =>
  ['systemd', 'sysv-pam', 'sysv', 'upstart', 'none'].map((i): [Mechanism, string] => [m, i]),
);

describe.each(CASES)('mechanism %s, initSystem %s', (mechanism, initSystem) => {
  const m = MECHANISMS[mechanism];
  const systemd = initSystem === 'systemd';
  const tokenMount = { name: m.volume, mountPath: m.dir, readOnly: true };
  const run = runText(FN, config(mechanism, initSystem), INPUT);
  const out = docs(run.output);
  const pod = out[0].spec.template.spec;

  test('each container gains the env of its kind, in the webhook order, and the token mount', () => {
    expect(run.ok).toBe(true);
    // [container, token file it reads, mounts it gains]
    const expected: [Obj, string, Obj[], Obj[]][] = [
      [pod.initContainers[0], m.legacyToken, [tokenMount], []],
      [pod.initContainers[1], m.token, [tokenMount], []],
      [pod.containers[0], m.legacyToken, systemd ? [tokenMount, DROP_IN_MOUNT] : [tokenMount], []],
      [
        pod.containers[1],
        m.token,
        [tokenMount],
        [{ name: 'HC_V2K_SERVICE_MANAGER', value: 'true' }],
      ],
      [pod.containers[2], m.token, [tokenMount], []],
    ];
    for (const [container, token, mounts, before] of expected) {
      expect({ name: container.name, env: container.env }).toStrictEqual({
        name: container.name,
        env: [...before, ...envFor(mechanism, token)],
      });
      expect({ name: container.name, mounts: container.volumeMounts }).toStrictEqual({
        name: container.name,
        mounts,
      });
    }
  });

  test('the pod gains the projected token volume, the drop-in volume under systemd only, its account', () => {
    const token = {
      name: m.volume,
      projected: {
        sources: [
          { serviceAccountToken: { audience: m.audience, expirationSeconds: 86400, path: m.path } },
        ],
      },
    };
    const dropIn = {
      name: 'retarget-systemd-env',
      configMap: { name: 'vm-aws-workload-identity' },
    };
    expect(pod.volumes).toStrictEqual(systemd ? [token, dropIn] : [token]);
    expect(pod.serviceAccountName).toBe('vm');
  });

  test('the objects beside it: the drop-in ConfigMap (systemd only), then the ServiceAccount', () => {
    const others = out.slice(1).filter((d) => d.kind !== 'PodIdentityAssociation');
    const account = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'vm', namespace: 'shop', annotations: m.accountAnnotations },
    };
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vm-aws-workload-identity', namespace: 'shop' },
      data: { '10-default-env.conf': dropInText(mechanism) },
    };
    expect(others).toStrictEqual(systemd ? [configMap, account] : [account]);
  });

  test('results: the build-time steps or the missing initSystem, once, for the main container', () => {
    expect(initResults(mechanism, run.results)).toEqual(INIT_RESULTS[initSystem]);
  });

  test('a second run changes nothing and says the same', () => {
    const again = runText(FN, config(mechanism, initSystem), run.output);
    expect(again.output).toBe(run.output);
    expect(initResults(mechanism, again.results)).toEqual(INIT_RESULTS[initSystem]);
  });
});
