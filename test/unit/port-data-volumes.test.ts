import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigError } from '../../src/errors';
import { runKrm } from '../../src/cli/krm';
import { findFunction } from '../../src/pipeline/functions';
import { StreamResourceSet } from '../../src/io/stream-set';
import { proposeDataVolumes } from '../../src/storage/propose';
import { parseDocumentStream } from '../../src/yaml/document-stream';
import { REPO, runText } from '../support/run';

const config = (body: Record<string, unknown>) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'PortDataVolumes',
  metadata: { name: 'data' },
  ...body,
});

/** An in-tree EBS volume with its zone in the volume id, and its claim. */
const EBS = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: data-pv
  resourceVersion: "17"
spec:
  capacity:
    storage: 8Gi
  accessModes:
  - ReadWriteOnce
  awsElasticBlockStore:
    volumeID: aws://us-east-1a/vol-0123456789abcdef0
    fsType: xfs
  storageClassName: gp2
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: app
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 8Gi
  storageClassName: ""
  volumeName: data-pv
`;

function docs(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

describe('port-data-volumes', () => {
  test('an in-tree EBS volume becomes the EBS CSI form in its own zone, once', () => {
    const { output, ok, results } = runText('port-data-volumes', config({ platform: 'eks' }), EBS);
    expect(ok).toBe(true);
    const [pv, claim] = docs(output);
    expect(pv.spec).toEqual({
      capacity: { storage: '8Gi' },
      accessModes: ['ReadWriteOnce'],
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123456789abcdef0', fsType: 'xfs' },
      storageClassName: '',
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a'] },
              ],
            },
          ],
        },
      },
    });
    expect((pv.metadata as Record<string, unknown>).resourceVersion).toBeUndefined();
    expect(claim.spec).toMatchObject({ volumeName: 'data-pv', storageClassName: '' });
    // Same zone, same volume: nothing to copy.
    expect(results.filter((r) => r.message.includes('copy'))).toEqual([]);
    expect(runText('port-data-volumes', config({ platform: 'eks' }), output).output).toBe(output);
  });

  test('a second run on a ported volume copies nothing and says the disk is used as it is', () => {
    const dir = join(REPO, 'testdata/golden/port-data-volumes-gke-project');
    const ported = readFileSync(join(dir, '.expected/output.yaml'), 'utf8');
    const cfg = parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as unknown;
    const { output, results } = runText('hydrate', cfg, ported);
    expect(output).toBe(ported);
    expect(results.map((r) => r.message)).toEqual([
      'nothing is copied: the target attaches disk files-data itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first',
    ]);
  });

  test('fields of the wrong type are error results naming them, in both modes', () => {
    const bad = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: data-pv
spec:
  claimRef: data
  gcePersistentDisk: [data]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec: 5
`;
    for (const mode of ['attach', 'provision']) {
      const { ok, results } = runText(
        'port-data-volumes',
        config({ platform: 'gke', mode, project: 'target-project', zone: 'us-east1-b' }),
        bad,
        'bad.yaml',
      );
      expect(ok).toBe(false);
      const errors = results.filter((r) => r.severity === 'error');
      expect(errors.map((r) => `${r.resourceRef?.kind} ${r.field?.path}`).sort()).toEqual(
        mode === 'attach'
          ? [
              'PersistentVolume spec.claimRef',
              'PersistentVolume spec.gcePersistentDisk',
              'PersistentVolumeClaim spec',
            ]
          : ['PersistentVolume spec.claimRef', 'PersistentVolumeClaim spec'],
      );
    }
  });

  test('an EBS volume in another zone gets the snapshot commands', () => {
    const { results } = runText(
      'port-data-volumes',
      config({ platform: 'eks', zone: 'us-east-1b' }),
      EBS,
    );
    const copy = results.find((r) => r.message.includes('aws ec2 create-snapshot'));
    expect(copy?.message).toContain(
      "aws ec2 create-snapshot --volume-id=vol-0123456789abcdef0 '--description=retarget data-pv'",
    );
    expect(copy?.message).toContain('--availability-zone us-east-1b');
  });

  test('a disk that is no EBS volume id is an error on EKS', () => {
    const { ok, results } = runText(
      'port-data-volumes',
      config({ platform: 'eks', disk: 'my-disk' }),
      EBS,
    );
    expect(ok).toBe(false);
    expect(results.find((r) => r.severity === 'error')?.message).toContain(
      'disk must be an EBS volume id',
    );
  });

  test('one disk for several volumes is an error naming volumes.<name>.disk', () => {
    const two = `${EBS}---\n${EBS.split('---\n')[0].replace('name: data-pv', 'name: logs-pv')}`;
    const { ok, results } = runText(
      'port-data-volumes',
      config({ platform: 'eks', disk: 'vol-0fedcba9876543210' }),
      two,
    );
    expect(ok).toBe(false);
    expect(results.filter((r) => r.severity === 'error').map((r) => r.message)).toEqual([
      'disk names one disk, and the package has 2 PersistentVolumes: give each its disk under volumes.data-pv.disk',
      'disk names one disk, and the package has 2 PersistentVolumes: give each its disk under volumes.logs-pv.disk',
    ]);
  });

  test('config values that would reach a command are refused by the schema', () => {
    const fn = findFunction('port-data-volumes')!;
    for (const bad of [
      { zone: 'us-east-1a;rm -rf /' },
      { disk: "vol-1'" },
      { project: 'p $(id)' },
      { staging: { s3Bucket: 'b`id`' } },
    ]) {
      expect(() =>
        fn.apply(
          { set: new StreamResourceSet([]), results: [] },
          config({ platform: 'gke', ...bad }),
        ),
      ).toThrow(ConfigError);
    }
  });

  test("the package's values reach the copy commands as single shell words", () => {
    const pdName = "data'; touch /tmp/retarget-pwned; echo '$(id)";
    const gce = EBS.replace(
      /awsElasticBlockStore:\n.*\n.*\n/,
      `gcePersistentDisk:\n    pdName: ${JSON.stringify(pdName)}\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: topology.kubernetes.io/zone\n          operator: In\n          values: [us-central1-c]\n`,
    );
    const { results } = runText(
      'port-data-volumes',
      config({
        platform: 'gke',
        project: 'target-project',
        sourceProject: 'source-project',
        zone: 'us-east1-b',
        disk: 'data-copy',
      }),
      gce,
    );
    const lines = results
      .flatMap((r) => r.message.split('\n'))
      .filter((l) => l.startsWith('gcloud compute snapshots create'));
    expect(lines).toHaveLength(1);
    // The shell reads the line as words: printf prints each on a line, runs nothing else.
    const run = spawnSync('sh', ['-c', `printf '%s\\n' ${lines[0].slice('gcloud '.length)}`], {
      encoding: 'utf8',
    });
    expect(run.stdout.split('\n')).toContain(
      `--source-disk=https://www.googleapis.com/compute/v1/projects/source-project/zones/us-central1-c/disks/${pdName}`,
    );
    expect(existsSync('/tmp/retarget-pwned')).toBe(false);
  });

  test('provision mode drops a volume from a kind: List and keeps the rest of the file', () => {
    const list = `# a head comment
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PersistentVolume
  metadata:
    name: data-pv
  spec:
    gcePersistentDisk:
      pdName: data
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: data
  spec:
    storageClassName: ""
    volumeName: data-pv
`;
    const { output, ok } = runText(
      'port-data-volumes',
      config({ platform: 'gke', mode: 'provision' }),
      list,
    );
    expect(ok).toBe(true);
    expect(output.startsWith('# a head comment\napiVersion: v1\nkind: List\n')).toBe(true);
    const [doc] = docs(output);
    expect(doc.items).toEqual([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} },
    ]);
  });

  test('provision mode in a ResourceList removes the item', () => {
    const list = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
${EBS.split('---\n')
  .map((d) => `- ${d.trimEnd().replace(/\n/g, '\n  ')}`)
  .join('\n')}
functionConfig:
  apiVersion: fn.retarget.dev/v1alpha1
  kind: PortDataVolumes
  metadata:
    name: data
  platform: eks
  mode: provision
  storageClassName: gp3
`;
    const out = runKrm(findFunction('port-data-volumes')!, list);
    const items = (parseAllDocuments(out.stdout)[0].toJS() as { items: { kind: string }[] }).items;
    expect(items.map((i) => i.kind)).toEqual(['PersistentVolumeClaim']);
    expect(items[0]).toMatchObject({ spec: { storageClassName: 'gp3' } });
    expect(JSON.stringify(items[0])).not.toContain('volumeName');
  });

  test('provision mode cuts the item out of a kpt ResourceList, its comments with it', () => {
    const head = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- # the file's head comment, as kpt passes it
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
    annotations:
      config.kubernetes.io/path: 'spec.yaml'
`;
    const pv = `- # the data volume
  apiVersion: v1
  kind: PersistentVolume
  metadata:
    name: data-pv
  spec:
    gcePersistentDisk:
      pdName: data
`;
    const claim = `- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: data
  spec:
    storageClassName: ""
    volumeName: data-pv
`;
    const tail = `functionConfig:
  apiVersion: fn.retarget.dev/v1alpha1
  kind: PortDataVolumes
  metadata:
    name: data
  platform: gke
  mode: provision
`;
    const out = runKrm(findFunction('port-data-volumes')!, head + pv + claim + tail).stdout;
    expect(out.startsWith(head + '- apiVersion: v1\n  kind: PersistentVolumeClaim\n')).toBe(true);
    expect(out).toContain(`  spec: {}\n${tail}`);
    expect(out).not.toContain('pdName');
    expect(out).not.toContain('the data volume');
  });

  test('a document dropped from a stream takes its comments, not its neighbours', () => {
    const text = `# file head\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# about the volume\n${EBS}---\n`;
    const { output } = runText(
      'port-data-volumes',
      config({ platform: 'eks', mode: 'provision' }),
      text,
    );
    expect(output).toBe(
      `# file head\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: app\nspec:\n  accessModes:\n  - ReadWriteOnce\n  resources:\n    requests:\n      storage: 8Gi\n---\n`,
    );
  });

  test('hydrate takes platform, project and a single zone from the target', () => {
    const gce = EBS.replace(
      /awsElasticBlockStore:\n.*\n.*\n/,
      'gcePersistentDisk:\n    pdName: data\n',
    ).replace('storageClassName: gp2', 'storageClassName: standard');
    const retarget = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
      metadata: { name: 'r' },
      dataVolumes: {},
      target: { platform: 'gke', gcpProjectId: 'target-project', zones: ['europe-west1-b'] },
    };
    const { output, ok } = runText('hydrate', retarget, gce);
    expect(ok).toBe(true);
    expect(docs(output)[0].spec).toMatchObject({
      csi: {
        driver: 'pd.csi.storage.gke.io',
        volumeHandle: 'projects/target-project/zones/europe-west1-b/disks/data',
      },
      storageClassName: '',
    });
  });

  test('hydrate with a generic target and no platform names dataVolumes.platform', () => {
    const fn = findFunction('hydrate')!;
    const retarget = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
      metadata: { name: 'r' },
      dataVolumes: { zone: 'us-east-1a' },
    };
    expect(() => fn.apply({ set: new StreamResourceSet([]), results: [] }, retarget)).toThrow(
      /dataVolumes\.platform/,
    );
  });

  test('proposeDataVolumes proposes attach with the disks the target can use', () => {
    const gce = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: data-pv
spec:
  csi:
    driver: pd.csi.storage.gke.io
    volumeHandle: projects/src-project/zones/us-central1-c/disks/data
`;
    const set = new StreamResourceSet([parseDocumentStream(gce, 'in.yaml')]);
    expect(
      proposeDataVolumes(set.resources, {
        platform: 'gke',
        project: 'dst-project',
        zone: 'us-east1-b',
      }),
    ).toEqual({
      platform: 'gke',
      mode: 'attach',
      project: 'dst-project',
      zone: 'us-east1-b',
      volumes: { 'data-pv': { disk: 'data', sourceProject: 'src-project' } },
    });
    expect(proposeDataVolumes(set.resources, { platform: 'eks' })).toEqual({
      platform: 'eks',
      mode: 'attach',
      volumes: { 'data-pv': { sourceProject: 'src-project' } },
    });
    const none = new StreamResourceSet([
      parseDocumentStream('kind: ConfigMap\napiVersion: v1\n', 'x'),
    ]);
    expect(proposeDataVolumes(none.resources, { platform: 'gke' })).toBeUndefined();
  });
});
