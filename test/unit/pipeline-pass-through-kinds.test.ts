import { ConfigError } from '../../src/errors';
import { FUNCTIONS, findFunction } from '../../src/pipeline/functions';
import { passThroughKinds } from '../../src/pipeline/pass-through-kinds';
import { runText } from '../support/run';
import { LEGACY_DEPLOYMENT, SERVICE, stream } from '../support/workloads';

/**
 * Which resource kinds a run never reads (src/pipeline/pass-through-kinds.ts), so that
 * file mode and KRM mode may copy them unparsed; and the function table the executables
 * and `retarget --help` list (src/pipeline/functions.ts).
 */
const meta = { apiVersion: 'fn.retarget.dev/v1alpha1', metadata: { name: 'c' } };
const VALID = {
  Retarget: { ...meta, kind: 'Retarget', fsGroup: 1234 },
  SetImagePullSecrets: { ...meta, kind: 'SetImagePullSecrets', names: ['gcr-json-key'] },
  SetFsGroup: { ...meta, kind: 'SetFsGroup', fsGroup: 2000 },
  LinkKubernetesInfoSecrets: { ...meta, kind: 'LinkKubernetesInfoSecrets' },
  SetAwsWorkloadIdentity: {
    ...meta,
    kind: 'SetAwsWorkloadIdentity',
    roleArn: 'arn:aws:iam::123456789012:role/app',
  },
  SetGcpWorkloadIdentity: {
    ...meta,
    kind: 'SetGcpWorkloadIdentity',
    projectId: 'prod-cluster',
    gcpServiceAccount: 'billing-vm@prod-cluster.iam.gserviceaccount.com',
  },
} as const;
type WorkloadKind = keyof typeof VALID;
const WORKLOAD_KINDS = Object.keys(VALID) as WorkloadKind[];

/** Resource kinds every workload function reads: the workloads and what they look up. */
const READ_BY_ALL = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'ReplicaSet',
  'ServiceAccount',
  'ConfigMap',
  'ExternalSecret',
  'List',
  'PodIdentityAssociation',
  'IAMPolicyMember',
];
const NEVER_READ = [
  'Service',
  'PersistentVolumeClaim',
  'Secret',
  'Ingress',
  'Rollout',
  'Namespace',
];

describe('passThroughKinds', () => {
  test.each(WORKLOAD_KINDS)(
    '%s: workloads and looked-up kinds are read, the rest copied',
    (kind) => {
      const copied = passThroughKinds(kind, VALID[kind]);
      if (!copied) throw new Error(`${kind} lets nothing through`);
      for (const k of READ_BY_ALL) expect([k, copied(k)]).toEqual([k, false]);
      for (const k of NEVER_READ) expect([k, copied(k)]).toEqual([k, true]);
    },
  );

  test.each(WORKLOAD_KINDS)('%s: a PersistentVolume is read by hydrate only', (kind) => {
    expect(passThroughKinds(kind, VALID[kind])!('PersistentVolume')).toBe(kind !== 'Retarget');
  });

  test.each(WORKLOAD_KINDS)('%s: a kind of podTemplatePaths is a workload, read', (kind) => {
    const config = {
      ...VALID[kind],
      podTemplatePaths: [{ kind: 'Rollout', path: 'spec.template.spec' }],
    };
    const copied = passThroughKinds(kind, config)!;
    expect(copied('Rollout')).toBe(false);
    expect(copied('Service')).toBe(true);
    expect(copied('Deployment')).toBe(false);
  });

  test.each(['Preflight', 'PortDataVolumes'] as const)('%s reads every kind', (kind) => {
    expect(passThroughKinds(kind, { ...meta, kind, platform: 'gke' })).toBeUndefined();
    expect(passThroughKinds(kind, {})).toBeUndefined();
  });

  test.each(WORKLOAD_KINDS)(
    '%s: an invalid config lets nothing through (the run reports it)',
    (kind) => {
      expect(passThroughKinds(kind, { ...VALID[kind], unknownField: 1 })).toBeUndefined();
      expect(passThroughKinds(kind, 'not a map')).toBeUndefined();
    },
  );

  // Only Retarget's `target` and `dataVolumes` sections read more: the same keys of other
  // kinds are a link path and set-fs-group's policy (these two used to copy nothing).
  test.each([
    ['SetFsGroup', { ...VALID.SetFsGroup, dataVolumes: 'skip' }],
    ['SetFsGroup', { ...VALID.SetFsGroup, dataVolumes: 'set' }],
    ['LinkKubernetesInfoSecrets', { ...VALID.LinkKubernetesInfoSecrets, target: '/run/secrets' }],
  ] as const)('%s with its own target or dataVolumes key still copies', (kind, config) => {
    const copied = passThroughKinds(kind, config);
    expect(copied?.('Service')).toBe(true);
    expect(copied?.('PersistentVolumeClaim')).toBe(true);
  });

  test.each([
    ['a target', { target: {} }],
    ['dataVolumes', { dataVolumes: { platform: 'gke' } }],
    ['both', { target: {}, dataVolumes: { platform: 'gke' } }],
  ])('Retarget with %s reads every kind', (_, extra) => {
    expect(passThroughKinds('Retarget', { ...VALID.Retarget, ...extra })).toBeUndefined();
  });
});

describe('FUNCTIONS', () => {
  test('the table: names, config kinds and descriptions, as --help lists them', () => {
    expect(FUNCTIONS.map((f) => [f.name, f.kind, f.description])).toEqual([
      ['hydrate', 'Retarget', 'every stage from one Retarget config'],
      [
        'set-image-pull-secrets',
        'SetImagePullSecrets',
        'pull-secret refs on pods and ServiceAccounts; optional ExternalSecret',
      ],
      ['set-fs-group', 'SetFsGroup', 'pod securityContext.fsGroup'],
      [
        'link-kubernetes-info-secrets',
        'LinkKubernetesInfoSecrets',
        '/var/run/secrets -> /kubernetes-info/secrets in legacy-runtime containers',
      ],
      [
        'set-aws-workload-identity',
        'SetAwsWorkloadIdentity',
        'AWS role env, projected token, ServiceAccount annotation, systemd drop-in',
      ],
      [
        'set-gcp-workload-identity',
        'SetGcpWorkloadIdentity',
        'GKE Workload Identity: a ServiceAccount per workload, its Google service account or direct roles, the metadata-server nodeSelector, the IAM grant',
      ],
      [
        'port-data-volumes',
        'PortDataVolumes',
        'PersistentVolumes and claims of ImageAndData migrations: server fields out, CSI source and zone, or provisioned claims',
      ],
      [
        'preflight',
        'Preflight',
        'validator: what will fail on the target cluster (pull access, IAM, admission, schema)',
      ],
    ]);
  });

  test('each function passes its own config kind to passThroughKinds', () => {
    for (const f of FUNCTIONS) {
      const config = (VALID as Record<string, unknown>)[f.kind];
      const copied = f.passThrough!(config ?? {});
      expect([f.name, copied === undefined]).toEqual([f.name, config === undefined]);
      if (copied)
        expect([f.name, copied('Service'), copied('Deployment')]).toEqual([f.name, true, false]);
    }
  });

  test('each function validates its config as its own kind, located, before it runs', () => {
    for (const f of FUNCTIONS) {
      let error: unknown;
      try {
        f.apply(
          { set: { resources: [], add: () => undefined as never, remove: () => {} }, results: [] },
          'x',
          {
            path: 'c.yaml',
          },
        );
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).location).toEqual({ path: 'c.yaml' });
    }
  });

  test('hydrate runs its stages; a single-stage function runs its transform', () => {
    const input = stream(LEGACY_DEPLOYMENT, SERVICE);
    const hydrated = runText('hydrate', VALID.Retarget, input);
    expect(hydrated.ok).toBe(true);
    expect(hydrated.output).toContain('fsGroup: 1234');
    expect(hydrated.output).toContain('/kubernetes-info/secrets');
    const fs = runText('set-fs-group', VALID.SetFsGroup, input);
    expect(fs.output).toContain('fsGroup: 2000');
    expect(fs.output).not.toContain('/kubernetes-info/secrets');
  });
});

describe('findFunction', () => {
  test.each(FUNCTIONS.map((f) => f.name))('%s, by its name and as retarget-%s', (name) => {
    expect(findFunction(name)?.name).toBe(name);
    expect(findFunction(`retarget-${name}`)?.name).toBe(name);
  });

  test.each([
    '',
    'retarget-',
    'retarget',
    'fs-group',
    'retarget-set-fs-group-x',
    'Hydrate',
    'retarget-retarget-hydrate',
  ])('%j is no function', (name) => {
    expect(findFunction(name)).toBeUndefined();
  });
});
