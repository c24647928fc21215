import { StreamResourceSet } from '../../src/io/stream-set';
import { proposeDataVolumes } from '../../src/storage/propose';
import type { ProposalTarget } from '../../src/storage/propose';
import { parseDocumentStream } from '../../src/yaml/document-stream';

/**
 * The dataVolumes: section proposed for a set of PersistentVolumes, per kind of disk and
 * target: the disk only when the target's cloud can attach it, the zone of the disk when
 * the target names none, the source project only from a Compute Engine handle.
 */
const resources = (...docs: string[]) =>
  new StreamResourceSet([parseDocumentStream(docs.join('---\n'), 'in.yaml')]).resources;

const pv = (name: string, spec: string, extra = '') =>
  `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${name}\n${extra}spec:\n${spec}`;

const CSI_ZONAL = pv(
  'csi-zonal',
  '  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/src-p/zones/us-central1-c/disks/d1\n',
);
const CSI_REGIONAL = pv(
  'csi-regional',
  '  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/UNSPECIFIED/regions/us-central1/disks/d2\n',
);
const IN_TREE_PINNED = pv(
  'in-tree-pinned',
  '  gcePersistentDisk:\n    pdName: d3\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: topology.kubernetes.io/zone\n          operator: In\n          values: [europe-west1-b, europe-west1-c]\n',
);
const IN_TREE_LOOSE = pv('in-tree-loose', '  gcePersistentDisk:\n    pdName: d4\n');
const EBS = pv(
  'ebs',
  '  awsElasticBlockStore:\n    volumeID: aws://us-east-1a/vol-0123456789abcdef0\n',
);
const NFS = pv('nfs', '  nfs:\n    server: 10.0.0.1\n    path: /data\n');

describe('proposeDataVolumes', () => {
  test.each<[string, ProposalTarget, unknown]>([
    [
      'GKE with no project or zone: each disk with its own zone, the handle project as source',
      { platform: 'gke' },
      {
        platform: 'gke',
        mode: 'attach',
        volumes: {
          'csi-zonal': { disk: 'd1', sourceProject: 'src-p', zone: 'us-central1-c' },
          'csi-regional': { disk: 'd2' },
          'in-tree-pinned': { disk: 'd3', zone: 'europe-west1-b' },
          'in-tree-loose': { disk: 'd4' },
          ebs: {},
        },
      },
    ],
    [
      'GKE Autopilot with a project and zone: the section carries them, no zone per disk',
      { platform: 'gke-autopilot', project: 'dst-p', zone: 'asia-east1-a' },
      {
        platform: 'gke-autopilot',
        mode: 'attach',
        project: 'dst-p',
        zone: 'asia-east1-a',
        volumes: {
          'csi-zonal': { disk: 'd1', sourceProject: 'src-p' },
          'csi-regional': { disk: 'd2' },
          'in-tree-pinned': { disk: 'd3' },
          'in-tree-loose': { disk: 'd4' },
          ebs: {},
        },
      },
    ],
    [
      'EKS: the EBS volume with its zone; a Compute Engine disk only with its source project',
      { platform: 'eks', project: 'ignored-on-aws' },
      {
        platform: 'eks',
        mode: 'attach',
        volumes: {
          'csi-zonal': { sourceProject: 'src-p' },
          'csi-regional': {},
          'in-tree-pinned': {},
          'in-tree-loose': {},
          ebs: { disk: 'vol-0123456789abcdef0', zone: 'us-east-1a' },
        },
      },
    ],
    [
      'GKE on AWS with a zone: no zone per volume',
      { platform: 'anthos-aws', zone: 'us-west-2b' },
      {
        platform: 'anthos-aws',
        mode: 'attach',
        zone: 'us-west-2b',
        volumes: {
          'csi-zonal': { sourceProject: 'src-p' },
          'csi-regional': {},
          'in-tree-pinned': {},
          'in-tree-loose': {},
          ebs: { disk: 'vol-0123456789abcdef0' },
        },
      },
    ],
  ])('%s', (_name, target, expected) => {
    const all = resources(CSI_ZONAL, CSI_REGIONAL, IN_TREE_PINNED, IN_TREE_LOOSE, EBS, NFS);
    expect(proposeDataVolumes(all, target)).toStrictEqual(expected);
  });

  test('only v1 PersistentVolumes that are resources count; a malformed one is skipped', () => {
    const disk = '  gcePersistentDisk:\n    pdName: d\n';
    const ignored = resources(
      `apiVersion: v1\nkind: Claim\nmetadata:\n  name: other-kind\nspec:\n${disk}`,
      `apiVersion: v2\nkind: PersistentVolume\nmetadata:\n  name: other-version\nspec:\n${disk}`,
      pv('local', disk, '  annotations:\n    config.kubernetes.io/local-config: "true"\n'),
      pv('malformed', '  gcePersistentDisk: [not, a, map]\n'),
      // The disk reads, its nodeAffinity does not: the whole volume is preflight's to report.
      pv('malformed-affinity', '  gcePersistentDisk:\n    pdName: d\n  nodeAffinity: [x]\n'),
      NFS,
    );
    expect(proposeDataVolumes(ignored, { platform: 'gke' })).toBeUndefined();
    expect(
      proposeDataVolumes([...ignored, ...resources(IN_TREE_LOOSE)], { platform: 'gke' }),
    ).toStrictEqual({
      platform: 'gke',
      mode: 'attach',
      volumes: { 'in-tree-loose': { disk: 'd4' } },
    });
  });
});
