import { runText } from '../support/run';

const PORT = 'port-data-volumes (dataVolumes: in a Retarget config)';

const pv = (spec: string, name = 'data') => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${name}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
${spec}`;
const GCE_CSI = (handle: string) =>
  `  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: ${handle}\n`;
const EBS_CSI = `  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-0123456789abcdef0\n`;

function volumes(text: string, extra: Record<string, unknown>) {
  const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', ...extra };
  const { results } = runText('preflight', config, text);
  // A config error would leave nothing to check: every result is a check's.
  expect(results.filter((r) => r.tags?.check === undefined)).toEqual([]);
  return results
    .filter((r) => String(r.tags?.check).startsWith('data-volume'))
    .map((r) => ({
      check: r.tags?.check,
      severity: r.severity,
      field: r.field?.path,
      message: r.message,
    }));
}

describe('preflight data volumes', () => {
  test('an EBS volume on GKE: no EBS driver; the fix copies it to a Compute Engine disk', () => {
    expect(volumes(pv(EBS_CSI), { platform: 'gke' })).toEqual([
      {
        check: 'data-volume-platform',
        severity: 'error',
        field: 'spec.csi',
        message: `EBS volume vol-0123456789abcdef0 cannot be attached on GKE: its pods stay Pending (no EBS driver). Fix: copy the data to a Compute Engine disk and run ${PORT} with volumes.data.disk, or run ${PORT} with mode: provision and restore the data into the new volume`,
      },
    ]);
  });

  test('a disk on a platform the target does not name: provision instead', () => {
    expect(
      volumes(pv(GCE_CSI('projects/project-b/zones/us-central1-a/disks/d')), {
        platform: 'generic',
      }),
    ).toEqual([
      {
        check: 'data-volume-platform',
        severity: 'error',
        field: 'spec.csi',
        message: `Compute Engine disk d cannot be attached on the target cluster (set platform in the target when it is GKE or EKS): its pods stay Pending (FailedAttachVolume). Fix: run ${PORT} with mode: provision and restore the data into the new volume`,
      },
    ]);
  });

  test('a CSI disk in the cluster project and zone, retained: nothing to say', () => {
    expect(
      volumes(
        pv(
          `${GCE_CSI('projects/project-b/zones/us-central1-a/disks/d')}  persistentVolumeReclaimPolicy: Retain\n`,
        ),
        {
          platform: 'gke',
          gcpProjectId: 'project-b',
          zones: ['us-central1-b', 'us-central1-a'],
          region: 'us-central1',
        },
      ),
    ).toEqual([]);
  });

  test('a disk in another zone of the cluster region: the zone conflict, with the copy commands', () => {
    const found = volumes(pv(GCE_CSI('projects/project-b/zones/us-central1-a/disks/d')), {
      platform: 'gke',
      gcpProjectId: 'project-b',
      zones: ['us-central1-b'],
      region: 'us-central1',
    });
    expect(found.map((f) => [f.check, f.severity, f.field])).toEqual([
      ['data-volume-zone', 'error', 'spec.csi.volumeHandle'],
    ]);
    expect(found[0].message).toMatch(
      /^the disk is in zone us-central1-a, and the cluster's nodes are in us-central1-b: the pods stay Pending \(volume node affinity conflict\)\. Fix: copy the disk to us-central1-b: gcloud compute snapshots create .*--project=project-b.* then run port-data-volumes \(dataVolumes: in a Retarget config\) with zone: us-central1-b$/,
    );
  });

  test('a disk in another project: the project error; an in-tree disk names none, so the image projects tell', () => {
    expect(
      volumes(
        pv(
          `${GCE_CSI('projects/project-q/zones/us-central1-a/disks/d')}  persistentVolumeReclaimPolicy: Retain\n`,
        ),
        {
          platform: 'gke',
          gcpProjectId: 'project-b',
        },
      ).map((f) => [f.check, f.severity, f.field]),
    ).toEqual([['data-volume-project', 'error', 'spec.csi.volumeHandle']]);
    const inTree = pv(
      `  gcePersistentDisk:\n    pdName: d\n  persistentVolumeReclaimPolicy: Retain\n`,
    );
    // No workload image in another project: nothing can be said about the project.
    expect(
      volumes(inTree, { platform: 'gke', gcpProjectId: 'project-b' }).map((f) => f.check),
    ).toEqual(['data-volume-in-tree']);
  });
});
