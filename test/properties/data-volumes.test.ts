import fc from 'fast-check';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { runKrm } from '../../src/cli/krm';
import { findFunction } from '../../src/pipeline/functions';
import { runText } from '../support/run';

// A fixed seed and a bounded number of runs, as the other properties; FC_RUNS widens it.
const params = {
  numRuns: Number(process.env.FC_RUNS ?? 60),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261130,
};

const zone = fc.constantFrom('us-central1-c', 'us-east1-b', 'us-east-1a', 'europe-west1-b');
const diskName = fc.constantFrom('data', 'ledger-data', 'pvc-0a1b');

/** A PersistentVolume as processing clusters dump them: any source form, pinned or not. */
const volume = fc.record({
  source: fc.oneof(
    fc.record({ gcePersistentDisk: fc.record({ pdName: diskName, fsType: fc.constant('ext4') }) }),
    fc.record({
      csi: fc.record({
        driver: fc.constant('pd.csi.storage.gke.io'),
        volumeHandle: fc
          .tuple(fc.constantFrom('src-project', 'dst-project'), zone, diskName)
          .map(([p, z, d]) => `projects/${p}/zones/${z}/disks/${d}`),
      }),
    }),
    fc.record({
      awsElasticBlockStore: fc.record({
        volumeID: fc.constantFrom('vol-0123456789abcdef0', 'aws://us-east-1a/vol-0fedcba987654321'),
      }),
    }),
  ),
  pinned: fc.option(zone, { nil: undefined }),
  labels: fc.boolean(),
  server: fc.boolean(),
  claimRefNamespace: fc.option(fc.constantFrom('v2k-system', 'app'), { nil: undefined }),
  claimNamespace: fc.option(fc.constant('app'), { nil: undefined }),
});

const config = fc.record(
  {
    platform: fc.constantFrom('gke', 'eks'),
    mode: fc.constantFrom('attach', 'provision'),
    zone,
    project: fc.constant('dst-project'),
    sourceProject: fc.constant('src-project'),
    disk: fc.constantFrom('data', 'vol-0a1b2c3d4e5f60718'),
    storageClassName: fc.constantFrom('standard-rwo', 'gp3'),
  },
  { requiredKeys: ['platform'] },
);

function render(v: {
  source: Record<string, unknown>;
  pinned?: string;
  labels: boolean;
  server: boolean;
  claimRefNamespace?: string;
  claimNamespace?: string;
}): string {
  const metadata: Record<string, unknown> = { name: 'data-pv' };
  if (v.labels && v.pinned) metadata.labels = { 'topology.kubernetes.io/zone': v.pinned };
  if (v.server) {
    Object.assign(metadata, {
      annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' },
      finalizers: ['kubernetes.io/pv-protection'],
      resourceVersion: '42',
      uid: '0f0e0d0c-1111-4222-8333-444455556666',
    });
  }
  const spec: Record<string, unknown> = {
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: '10Gi' },
    ...v.source,
    storageClassName: 'standard',
  };
  if (v.pinned) {
    spec.nodeAffinity = {
      required: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'topology.kubernetes.io/zone', operator: 'In', values: [v.pinned] },
            ],
          },
        ],
      },
    };
  }
  if (v.claimRefNamespace) {
    spec.claimRef = { kind: 'PersistentVolumeClaim', name: 'data', namespace: v.claimRefNamespace };
  }
  const claimMetadata: Record<string, unknown> = { name: 'data' };
  if (v.claimNamespace) claimMetadata.namespace = v.claimNamespace;
  const pv = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata,
    spec,
    status: { phase: 'Bound' },
  };
  const claim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: claimMetadata,
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      storageClassName: '',
      volumeName: 'data-pv',
    },
  };
  return `# the data volume\n${stringify(pv)}---\n${stringify(claim)}`;
}

describe('port-data-volumes properties', () => {
  test('twice is once (file mode), KRM mode agrees, and no server field is left', () => {
    const fn = findFunction('port-data-volumes')!;
    fc.assert(
      fc.property(volume, config, (v, body) => {
        const cfg = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'PortDataVolumes', ...body };
        const text = render(v);
        const once = runText('port-data-volumes', cfg, text);
        if (!once.ok) {
          // An error names what to set; nothing is half done.
          expect(once.results.some((r) => r.severity === 'error')).toBe(true);
          return;
        }
        expect(runText('port-data-volumes', cfg, once.output).output).toBe(once.output);
        const out = once.output;
        for (const field of ['resourceVersion', ' uid:', 'bound-by-controller', 'phase: Bound']) {
          expect(out).not.toContain(field);
        }
        const docs = parseAllDocuments(out).map((d) => d.toJS() as Record<string, unknown>);
        const list = stringify({
          apiVersion: 'config.kubernetes.io/v1',
          kind: 'ResourceList',
          items: parseAllDocuments(text).map((d) => d.toJS() as unknown),
          functionConfig: cfg,
        });
        const krm = parse(runKrm(fn, list).stdout) as { items: unknown[] };
        expect(krm.items).toEqual(docs);
        if (body.mode === 'provision') {
          expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim']);
        } else {
          // The volume and its claim agree on the class, as the binder requires.
          const [pv, claim] = docs as { spec: { storageClassName?: string } }[];
          expect(pv.spec.storageClassName).toBe(claim.spec.storageClassName);
        }
      }),
      params,
    );
  });
});
