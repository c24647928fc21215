// The data volumes of an ImageAndData migration, branch by branch: server-written fields,
// the project a disk without one is in, zone and region conflicts (located where the zone
// is written: the pinning, else the disk's own id), and how a pinned claim binds.
import { runText } from '../support/run';

const PORT = 'port-data-volumes (dataVolumes: in a Retarget config)';
const CLAIM_REF_FIX = `run ${PORT}: it drops a claimRef the claim cannot match, or sets it to the claim's namespace and name`;

function volumes(config: Record<string, unknown>, text: string): string[] {
  const { results } = runText(
    'preflight',
    { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', ...config },
    text,
  );
  expect(results.filter((r) => r.tags?.check === undefined)).toEqual([]);
  return results
    .filter((r) => /^(data-volume|server-populated)/.test(String(r.tags?.check)))
    .map((r) => {
      const tags = { ...r.tags };
      const { check, line } = tags;
      for (const shown of ['check', 'line', 'column', 'fix']) delete tags[shown];
      return `${r.severity} ${check} ${r.resourceRef?.kind}/${r.resourceRef?.name} ${r.field?.path} ${line} ${JSON.stringify(tags)} | ${r.message}`;
    });
}

const pv = (spec: string, meta = '') =>
  `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data\n${meta}spec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Retain\n${spec}`;
const affinity = (key: string, value: string) =>
  `  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: ${key}, operator: In, values: [${value}]}\n`;
const pod = (images: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${images.map((i, n) => `  - {name: c${n}, image: ${i}}\n`).join('')}`;
const IN_TREE = `  gcePersistentDisk:\n    pdName: d\n`;
const IN_TREE_WARNING = (line: number, project: string, zone: string) =>
  `warning data-volume-in-tree PersistentVolume/data spec.gcePersistentDisk ${line} {"driver":"pd.csi.storage.gke.io","volumeHandle":"projects/${project}/zones/${zone}/disks/d"} | gcePersistentDisk is the in-tree volume plugin's source, removed from Kubernetes (GCE PD in 1.28, EBS in 1.27): only CSI migration still serves it, and only where the pd.csi.storage.gke.io driver runs. Fix: replace spec.gcePersistentDisk with csi: {"driver":"pd.csi.storage.gke.io","volumeHandle":"projects/${project}/zones/${zone}/disks/d","fsType":"ext4"} (${PORT} does it)`;
const RESOURCE_VERSION = `metadata.resourceVersion was written by the processing cluster's API server: kubectl apply fails on create ("resourceVersion should not be set on objects to be created")`;

describe('data volumes', () => {
  test('server-written fields: any resource; port-data-volumes removes them from storage only', () => {
    expect(
      volumes(
        { platform: 'gke' },
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, resourceVersion: "5"}\n---\n${pv(IN_TREE, '  resourceVersion: "7"\n')}`,
      ),
    ).toEqual([
      `error server-populated-metadata ConfigMap/c metadata.resourceVersion 3 {} | ${RESOURCE_VERSION}. Fix: delete metadata.resourceVersion`,
      `error server-populated-metadata PersistentVolume/data metadata.resourceVersion 9 {} | ${RESOURCE_VERSION}. Fix: delete metadata.resourceVersion (${PORT} removes it)`,
      IN_TREE_WARNING(15, 'UNSPECIFIED', 'UNSPECIFIED'),
    ]);
  });

  test('an in-tree disk names no project: the projects of the valid Google images tell', () => {
    const found = volumes(
      { platform: 'gke', gcpProjectId: 'project-b' },
      `${pod(['gcr.io/project-a/app:1', 'UPPER/Bad:1', '12', 'us-docker.pkg.dev/project-c/repo/app:1', 'gcr.io/project-b/x:1', 'quay.io/x/y:1'])}---\n${pv(IN_TREE)}`,
    );
    expect(found).toEqual([
      IN_TREE_WARNING(22, 'project-b', 'UNSPECIFIED'),
      `warning data-volume-project PersistentVolume/data spec.gcePersistentDisk 22 {"disk":"d","project":"project-a"} | Compute Engine disk d names no project (the in-tree source never does): it is in the project the processing cluster ran in, and the workload's images come from project-a, project-c, not project-b; a Compute Engine disk attaches only to instances of its own project. Fix: if the disk is not in project-b, copy it there, then run ${PORT} with project: project-b and sourceProject: the disk's project`,
    ]);
    // The images all in the cluster's project, or no project named: nothing to say.
    expect(
      volumes(
        { platform: 'gke', gcpProjectId: 'project-b' },
        `${pod(['gcr.io/project-b/x:1'])}---\n${pv(IN_TREE)}`,
      ),
    ).toEqual([IN_TREE_WARNING(17, 'project-b', 'UNSPECIFIED')]);
    expect(
      volumes({ platform: 'gke' }, `${pod(['gcr.io/project-a/x:1'])}---\n${pv(IN_TREE)}`),
    ).toEqual([IN_TREE_WARNING(17, 'UNSPECIFIED', 'UNSPECIFIED')]);
  });

  test('one other project: its copy commands when the zones are known, else the steps', () => {
    const warning = (copy: string) =>
      `Compute Engine disk d names no project (the in-tree source never does): it is in the project the processing cluster ran in, and the workload's images come from project-a, not project-b; a Compute Engine disk attaches only to instances of its own project. Fix: if the disk is not in project-b, copy it there${copy}, then run ${PORT} with project: project-b and sourceProject: project-a`;
    const unknownZone = volumes(
      { platform: 'gke', gcpProjectId: 'project-b' },
      `${pod(['gcr.io/project-a/app:1'])}---\n${pv(IN_TREE)}`,
    );
    expect(unknownZone[1].split(' | ')[1]).toBe(warning(' (a snapshot, then a disk from it)'));
    const known = volumes(
      { platform: 'gke', gcpProjectId: 'project-b', zones: ['us-central1-c'] },
      `${pod(['gcr.io/project-a/app:1'])}---\n${pv(IN_TREE + affinity('topology.kubernetes.io/zone', 'us-central1-a'))}`,
    );
    expect(known.map((l) => l.split(' | ')[0])).toEqual([
      'warning data-volume-in-tree PersistentVolume/data spec.gcePersistentDisk 17 {"driver":"pd.csi.storage.gke.io","volumeHandle":"projects/project-b/zones/us-central1-a/disks/d"}',
      'warning data-volume-project PersistentVolume/data spec.gcePersistentDisk 17 {"disk":"d","project":"project-a"}',
      'error data-volume-zone PersistentVolume/data spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values 22 {"zone":"us-central1-a"}',
    ]);
    expect(known[1].split(' | ')[1]).toBe(
      warning(
        ': gcloud compute snapshots create d-snapshot --project=project-b --source-disk=https://www.googleapis.com/compute/v1/projects/project-a/zones/us-central1-a/disks/d && gcloud compute disks create d --project=project-b --zone=us-central1-c --source-snapshot=d-snapshot',
      ),
    );
    // The zone conflict: no project known for an in-tree disk, so the steps only.
    expect(known[2].split(' | ')[1]).toBe(
      `the disk is in zone us-central1-a, and the cluster's nodes are in us-central1-c: the pods stay Pending (volume node affinity conflict). Fix: copy the disk to us-central1-c (a snapshot, then a disk from it), then run ${PORT} with zone: us-central1-c`,
    );
  });

  test('a zone or region conflict is located at the pinning, else at the disk id', () => {
    const ZONE = (zone: string, nodes: string) =>
      `the disk is in zone ${zone}, and the cluster's nodes are in ${nodes}: the pods stay Pending (volume node affinity conflict). Fix: copy the disk to ${nodes} (a snapshot, then a disk from it), then run ${PORT} with zone: ${nodes}`;
    const REGION = `the disk is in region us-east1, and the cluster in us-central1: the pods stay Pending (volume node affinity conflict). Fix: copy the disk to a zone of us-central1 and run ${PORT} with that zone (with sourceProject, its info results give the commands)`;
    expect(
      volumes(
        { platform: 'eks', zones: ['us-east-1a'] },
        pv(
          `  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0123456789abcdef0}\n${affinity('topology.ebs.csi.aws.com/zone', 'us-east-1b')}`,
        ),
      ),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values 14 {"zone":"us-east-1b"} | ${ZONE('us-east-1b', 'us-east-1a')}`,
    ]);
    expect(
      volumes(
        { platform: 'eks', zones: ['us-east-1a'] },
        pv(`  awsElasticBlockStore:\n    volumeID: aws://us-east-1b/vol-0123456789abcdef0\n`),
      ).filter((l) => l.includes('data-volume-zone')),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.awsElasticBlockStore.volumeID 10 {"zone":"us-east-1b"} | ${ZONE('us-east-1b', 'us-east-1a')}`,
    ]);
    expect(
      volumes(
        { platform: 'gke', region: 'us-central1' },
        pv(
          `  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/p/zones/us-east1-b/disks/d\n`,
        ),
      ),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.csi.volumeHandle 11 {"region":"us-east1"} | ${REGION}`,
    ]);
    expect(
      volumes(
        { platform: 'gke', region: 'us-central1' },
        pv(
          `  csi: {driver: pd.csi.storage.gke.io, volumeHandle: projects/p/regions/us-east1/disks/d}\n${affinity('topology.kubernetes.io/region', 'us-east1')}`,
        ),
      ),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values 14 {"region":"us-east1"} | ${REGION}`,
    ]);
    // A regional disk in the cluster's region, its zones not pinned: it attaches.
    expect(
      volumes(
        { platform: 'gke', region: 'us-central1', zones: ['us-central1-a'] },
        pv(
          `  csi: {driver: pd.csi.storage.gke.io, volumeHandle: projects/p/regions/us-central1/disks/d}\n`,
        ),
      ),
    ).toEqual([]);
  });

  const claim = (spec: string, ns = '') =>
    `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n${ns}spec:\n  accessModes: [ReadWriteOnce]\n${spec}`;
  const CSI = `  csi: {driver: pd.csi.storage.gke.io, volumeHandle: projects/p/zones/us-east1-b/disks/d}\n`;
  const SHOP = '  namespace: shop\n';

  test('a claim pinned to a volume the package lacks: an error when the provisioner named it', () => {
    const unbound = (volume: string, provisioned: boolean) =>
      `the claim is pinned by volumeName to PersistentVolume ${volume}, which the package does not contain${provisioned ? " (a name the processing cluster's provisioner made up)" : ''}: it stays Pending unless the cluster has that volume. Fix: add the PersistentVolume to the package, or run ${PORT} with mode: provision to unpin the claim`;
    const uid = 'pvc-0b1c2d3e-1234-4abc-8def-0123456789ab';
    expect(
      volumes(
        { platform: 'gke' },
        [
          claim(''),
          claim(`  volumeName: ${uid}\n`),
          claim('  volumeName: other\n'),
          claim(`  volumeName: ${uid.slice(0, -1)}B\n`),
          claim(`  volumeName: x${uid}\n`),
          claim(`  volumeName: ${uid}0\n`),
        ].join('---\n'),
      ),
    ).toEqual([
      `error data-volume-claim-unbound PersistentVolumeClaim/c spec.volumeName 14 {"volume":"${uid}"} | ${unbound(uid, true)}`,
      `warning data-volume-claim-unbound PersistentVolumeClaim/c spec.volumeName 22 {"volume":"other"} | ${unbound('other', false)}`,
      `warning data-volume-claim-unbound PersistentVolumeClaim/c spec.volumeName 30 {"volume":"${uid.slice(0, -1)}B"} | ${unbound(`${uid.slice(0, -1)}B`, false)}`,
      `warning data-volume-claim-unbound PersistentVolumeClaim/c spec.volumeName 38 {"volume":"x${uid}"} | ${unbound(`x${uid}`, false)}`,
      `warning data-volume-claim-unbound PersistentVolumeClaim/c spec.volumeName 46 {"volume":"${uid}0"} | ${unbound(`${uid}0`, false)}`,
    ]);
  });

  test("a volume's claimRef must name the claim pinned to it", () => {
    const bind = (claimNs: string, claimRef: string) =>
      volumes(
        { platform: 'gke' },
        [claim('  volumeName: data\n', claimNs), pv(CSI + claimRef)].join('---\n'),
      );
    // No claimRef, or the claim's own name and namespace: it binds.
    expect(bind(SHOP, '')).toEqual([]);
    expect(bind(SHOP, '  claimRef: {name: c, namespace: shop}\n')).toEqual([]);
    expect(bind(SHOP, '  claimRef: {name: c}\n')).toEqual([]);
    expect(bind('', '  claimRef: {name: c}\n')).toEqual([]);
    expect(bind(SHOP, '  claimRef: {name: c, namespace: old}\n')).toEqual([
      `error data-volume-claim-ref PersistentVolume/data spec.claimRef 19 {} | spec.claimRef reserves the volume for claim old/c, and claim shop/c is pinned to it: neither binds. Fix: ${CLAIM_REF_FIX}`,
    ]);
    expect(bind('', '  claimRef: {name: other}\n')).toEqual([
      `error data-volume-claim-ref PersistentVolume/data spec.claimRef 18 {} | spec.claimRef reserves the volume for claim /other, and claim c is pinned to it: neither binds. Fix: ${CLAIM_REF_FIX}`,
    ]);
    expect(bind('', '  claimRef: {name: c, namespace: old}\n')).toEqual([
      `warning data-volume-claim-ref PersistentVolume/data spec.claimRef.namespace 18 {} | spec.claimRef reserves the volume for claim old/c (the processing cluster's namespace), and claim c names no namespace: they bind only if it is applied to old. Fix: ${CLAIM_REF_FIX}`,
    ]);
  });

  test('reclaim policy Delete deletes the migrated data with the claim', () => {
    expect(volumes({ platform: 'gke' }, pv(CSI).replace('Retain', 'Delete'))).toEqual([
      `warning data-volume-reclaim-delete PersistentVolume/data spec.persistentVolumeReclaimPolicy 8 {} | reclaim policy Delete: deleting the claim deletes Compute Engine disk d, which holds the migrated data. Fix: set spec.persistentVolumeReclaimPolicy: Retain`,
    ]);
  });
});
