// The data-volume checks' remaining branches, each stated as the whole set of findings a
// platform engineer gets: which resources count as storage, the fix per target platform,
// the project error's field and tags, zone and region lists, the copy commands' project,
// a claim pinned to another volume, and a volume's own wrong-typed fields.
import { runText } from '../support/run';

const PORT = 'port-data-volumes (dataVolumes: in a Retarget config)';
const CLAIM_REF_FIX = `run ${PORT}: it drops a claimRef the claim cannot match, or sets it to the claim's namespace and name`;

/** Every finding (schema ones included), one line each: severity, check, resource, field, line, tags | message. */
function findings(config: Record<string, unknown>, text: string): string[] {
  const { results } = runText(
    'preflight',
    { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', ...config },
    text,
  );
  return results.map((r) => {
    const tags = { ...r.tags };
    const { check, line } = tags;
    for (const shown of ['check', 'line', 'column', 'fix']) delete tags[shown];
    return `${r.severity} ${check} ${r.resourceRef?.kind}/${r.resourceRef?.name} ${r.field?.path} ${line} ${JSON.stringify(tags)} | ${r.message}`;
  });
}

const pv = (spec: string, policy = 'Retain') =>
  `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: ${policy}\n${spec}`;
const csi = (handle: string) => `  csi: {driver: pd.csi.storage.gke.io, volumeHandle: ${handle}}\n`;
const affinity = (key: string, values: string) =>
  `  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: ${key}, operator: In, values: [${values}]}\n`;
const claim = (spec: string, ns = '') =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n${ns}spec:\n  accessModes: [ReadWriteOnce]\n${spec}`;
const pod = (images: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${images.map((i, n) => `  - {name: c${n}, image: ${i}}\n`).join('')}`;
const ZONE_CONFLICT = (zones: string, nodes: string, copy: string, to: string) =>
  `the disk is in zone ${zones}, and the cluster's nodes are in ${nodes}: the pods stay Pending (volume node affinity conflict). Fix: copy the disk to ${to}${copy}, then run ${PORT} with zone: ${to}`;
const COPY = (from: string, fromZone: string, to: string, toZone: string) =>
  `: gcloud compute snapshots create d-snapshot --project=${to} --source-disk=https://www.googleapis.com/compute/v1/projects/${from}/zones/${fromZone}/disks/d && gcloud compute disks create d --project=${to} --zone=${toZone} --source-snapshot=d-snapshot`;
const REGION_CONFLICT = (regions: string) =>
  `the disk is in region ${regions}, and the cluster in us-central1: the pods stay Pending (volume node affinity conflict). Fix: copy the disk to a zone of us-central1 and run ${PORT} with that zone (with sourceProject, its info results give the commands)`;

describe('data volumes: what counts as storage', () => {
  test('a local-config volume is no resource of the cluster: nothing about it', () => {
    expect(
      findings(
        { platform: 'gke' },
        `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data\n  resourceVersion: "3"\n  annotations: {config.kubernetes.io/local-config: "true"}\nspec:\n  awsElasticBlockStore: {volumeID: vol-1}\n  persistentVolumeReclaimPolicy: Delete\n`,
      ),
    ).toEqual([]);
  });

  test('a PersistentVolume of another API group is not core storage: its server field only, port-data-volumes does not touch it', () => {
    expect(
      findings(
        { platform: 'gke' },
        `apiVersion: example.com/v1\nkind: PersistentVolume\nmetadata:\n  name: data\n  resourceVersion: "3"\nspec:\n  awsElasticBlockStore: {volumeID: vol-1}\n  volumeName: x\n`,
      ),
    ).toEqual([
      `error server-populated-metadata PersistentVolume/data metadata.resourceVersion 5 {} | metadata.resourceVersion was written by the processing cluster's API server: kubectl apply fails on create ("resourceVersion should not be set on objects to be created"). Fix: delete metadata.resourceVersion`,
    ]);
  });

  test('a custom resource with a volumeName is no claim', () => {
    expect(
      findings(
        { platform: 'gke' },
        `apiVersion: example.com/v1\nkind: Backup\nmetadata:\n  name: b\nspec:\n  volumeName: missing\n`,
      ),
    ).toEqual([]);
  });

  test('a volume that is no Compute Engine or EBS disk (NFS) is not checked, even with reclaim policy Delete', () => {
    expect(findings({ platform: 'gke' }, pv('  nfs: {server: s, path: /x}\n', 'Delete'))).toEqual(
      [],
    );
  });
});

describe('data volumes: the disk against the target', () => {
  test('a Compute Engine disk on EKS: the fix copies it to an EBS volume', () => {
    expect(findings({ platform: 'eks' }, pv(csi('projects/p/zones/us-east1-b/disks/d')))).toEqual([
      `error data-volume-platform PersistentVolume/data spec.csi 9 {"disk":"d"} | Compute Engine disk d cannot be attached on EKS: its pods stay Pending (FailedAttachVolume). Fix: copy the data to an EBS volume (export the disk as an image, copy it to S3, aws ec2 import-snapshot, aws ec2 create-volume) and run ${PORT} with volumes.data.disk set to its vol- id (with sourceProject and staging buckets, its info results give the commands), or run ${PORT} with mode: provision and restore the data into the new volume`,
    ]);
  });

  test('a CSI disk in another project: the error is on its volumeHandle, tagged with disk and project', () => {
    expect(
      findings(
        { platform: 'gke', gcpProjectId: 'project-q' },
        pv(csi('projects/project-p/zones/us-east1-b/disks/d')),
      ),
    ).toEqual([
      `error data-volume-project PersistentVolume/data spec.csi.volumeHandle 9 {"disk":"d","project":"project-p"} | Compute Engine disk d is in project project-p, the cluster in project project-q: a Compute Engine disk attaches only to instances of its own project. Fix: copy it into project project-q${COPY('project-p', 'us-east1-b', 'project-q', 'us-east1-b')}, then run ${PORT} with project: project-q`,
    ]);
  });

  test("an EBS volume names no project: the Google images' projects say nothing about it", () => {
    expect(
      findings(
        { platform: 'eks', gcpProjectId: 'project-q' },
        `${pod(['gcr.io/project-a/app:1'])}---\n${pv('  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0123456789abcdef0}\n')}`,
      ).filter((l) => l.includes('data-volume')),
    ).toEqual([]);
  });

  test('an in-tree disk of another project, the cluster zones known but not the disk zone: the steps, no commands', () => {
    const found = findings(
      { platform: 'gke', gcpProjectId: 'project-b', zones: ['us-central1-c'] },
      `${pod(['gcr.io/project-a/app:1'])}---\n${pv('  gcePersistentDisk:\n    pdName: d\n')}`,
    ).filter((l) => l.includes('data-volume-project'));
    expect(found).toEqual([
      `warning data-volume-project PersistentVolume/data spec.gcePersistentDisk 17 {"disk":"d","project":"project-a"} | Compute Engine disk d names no project (the in-tree source never does): it is in the project the processing cluster ran in, and the workload's images come from project-a, not project-b; a Compute Engine disk attaches only to instances of its own project. Fix: if the disk is not in project-b, copy it there (a snapshot, then a disk from it), then run ${PORT} with project: project-b and sourceProject: project-a`,
    ]);
  });
});

describe('data volumes: zones and regions', () => {
  test('one of the pinned zones in the cluster is enough', () => {
    expect(
      findings(
        { platform: 'gke', zones: ['us-central1-a', 'us-central1-c'] },
        pv(
          csi('projects/p/zones/us-central1-a/disks/d') +
            affinity('topology.kubernetes.io/zone', 'us-central1-a, us-central1-b'),
        ),
      ),
    ).toEqual([]);
  });

  test('every pinned zone and every cluster zone is named, comma-separated; the copy goes to the first cluster zone', () => {
    expect(
      findings(
        { platform: 'gke', zones: ['us-central1-c', 'us-central1-f'] },
        pv(
          csi('projects/p/zones/us-central1-a/disks/d') +
            affinity('topology.kubernetes.io/zone', 'us-central1-b'),
        ),
      ),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values 14 {"zone":"us-central1-a"} | ${ZONE_CONFLICT('us-central1-a, us-central1-b', 'us-central1-c, us-central1-f', COPY('p', 'us-central1-a', 'p', 'us-central1-c'), 'us-central1-c')}`,
    ]);
  });

  test("the copy stays in the disk's project when the cluster's is not given, and goes to the cluster's when it is", () => {
    const handle = csi('projects/project-p/zones/us-east1-b/disks/d');
    expect(findings({ platform: 'gke', zones: ['us-central1-a'] }, pv(handle))).toEqual([
      `error data-volume-zone PersistentVolume/data spec.csi.volumeHandle 9 {"zone":"us-east1-b"} | ${ZONE_CONFLICT('us-east1-b', 'us-central1-a', COPY('project-p', 'us-east1-b', 'project-p', 'us-central1-a'), 'us-central1-a')}`,
    ]);
    expect(
      findings(
        { platform: 'gke', zones: ['us-central1-a'], gcpProjectId: 'project-q' },
        pv(handle),
      ).filter((l) => l.includes('data-volume-zone')),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.csi.volumeHandle 9 {"zone":"us-east1-b"} | ${ZONE_CONFLICT('us-east1-b', 'us-central1-a', COPY('project-p', 'us-east1-b', 'project-q', 'us-central1-a'), 'us-central1-a')}`,
    ]);
  });

  test("a regional disk without a pinning: its handle's region, located at the handle", () => {
    expect(
      findings(
        { platform: 'gke', region: 'us-central1' },
        pv(csi('projects/p/regions/us-east1/disks/d')),
      ),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.csi.volumeHandle 9 {"region":"us-east1"} | ${REGION_CONFLICT('us-east1')}`,
    ]);
  });

  test('a pinned region and the region of the disk zone: both named', () => {
    expect(
      findings(
        { platform: 'gke', region: 'us-central1' },
        pv(
          csi('projects/p/zones/us-west1-a/disks/d') +
            affinity('topology.kubernetes.io/region', 'us-east1'),
        ),
      ),
    ).toEqual([
      `error data-volume-zone PersistentVolume/data spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values 14 {"region":"us-east1"} | ${REGION_CONFLICT('us-east1, us-west1')}`,
    ]);
  });
});

describe('data volumes: claims', () => {
  const volume = csi('projects/p/zones/us-east1-b/disks/d');

  test('a claim pinned to a volume of another name is unbound, whatever volumes the package has', () => {
    expect(
      findings({ platform: 'gke' }, `${claim('  volumeName: other\n')}---\n${pv(volume)}`),
    ).toEqual([
      `warning data-volume-claim-unbound PersistentVolumeClaim/c spec.volumeName 7 {"volume":"other"} | the claim is pinned by volumeName to PersistentVolume other, which the package does not contain: it stays Pending unless the cluster has that volume. Fix: add the PersistentVolume to the package, or run ${PORT} with mode: provision to unpin the claim`,
    ]);
  });

  test('a claimRef naming a namespace and no claim reserves the volume for no claim', () => {
    expect(
      findings(
        { platform: 'gke' },
        `${claim('  volumeName: data\n', '  namespace: shop\n')}---\n${pv(`${volume}  claimRef: {namespace: old}\n`)}`,
      ),
    ).toEqual([
      `error data-volume-claim-ref PersistentVolume/data spec.claimRef 19 {} | spec.claimRef reserves the volume for claim old/, and claim shop/c is pinned to it: neither binds. Fix: ${CLAIM_REF_FIX}`,
    ]);
  });

  test("a claim's wrong-typed spec or volumeName: one schema error on the claim", () => {
    expect(findings({ platform: 'gke' }, claim('  volumeName: [a]\n'))).toEqual([
      `error schema PersistentVolumeClaim/c spec.volumeName 7 {} | spec.volumeName must be a string (found a list): the API server rejects the PersistentVolumeClaim. Fix: write spec.volumeName as a string`,
    ]);
    expect(
      findings(
        { platform: 'gke' },
        `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec: x\n`,
      ),
    ).toEqual([
      `error schema PersistentVolumeClaim/c spec 5 {} | spec must be a map (found "x"): the API server rejects the PersistentVolumeClaim. Fix: write spec as a map`,
    ]);
  });

  // A pinned claim makes the check read its volume's spec: a wrong type there is the
  // volume's error (reported once, by the schema), never one on the claim.
  test.each([
    ['spec: x', 'spec', 'map (found "x")', 13],
    ['claimRef: x', 'spec.claimRef', 'map (found "x")', 18],
    ['claimRef: {name: [c]}', 'spec.claimRef.name', 'string (found a list)', 18],
    ['claimRef: {name: c, namespace: [a]}', 'spec.claimRef.namespace', 'string (found a list)', 18],
  ])("a pinned claim's volume with %s: one error, on the volume", (field, path, expected, line) => {
    const text =
      field === 'spec: x'
        ? `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data\nspec: x\n`
        : pv(`${volume}  ${field}\n`);
    const kind = expected.split(' ')[0];
    expect(findings({ platform: 'gke' }, `${claim('  volumeName: data\n')}---\n${text}`)).toEqual([
      `error schema PersistentVolume/data ${path} ${line} {} | ${path} must be a ${expected}: the API server rejects the PersistentVolume. Fix: write ${path} as a ${kind}`,
    ]);
  });

  test('a wrong-typed reclaim policy: one schema error, no reclaim finding', () => {
    expect(findings({ platform: 'gke' }, pv(volume, '[Delete]'))).toEqual([
      `error schema PersistentVolume/data spec.persistentVolumeReclaimPolicy 8 {} | spec.persistentVolumeReclaimPolicy must be a string (found a list): the API server rejects the PersistentVolume. Fix: write spec.persistentVolumeReclaimPolicy as a string`,
    ]);
  });
});
