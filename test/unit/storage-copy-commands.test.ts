import { gceCopyCommands, resourceName } from '../../src/storage/copy-commands';

/**
 * The documented move of a Compute Engine disk to another project or zone: a snapshot
 * (gcloud compute snapshots create --source-disk=URL) and a disk from it (gcloud compute
 * disks create --source-snapshot). Names follow Compute Engine's rule: at most 63
 * characters, lower case, digits and hyphens, not ending in a hyphen.
 */
describe('gceCopyCommands: snapshot, then a disk from it', () => {
  test('the two commands, word for word', () => {
    expect(
      gceCopyCommands(
        { project: 'src-p', zone: 'us-central1-a', disk: 'data' },
        { project: 'dst-p', zone: 'europe-west1-b', disk: 'data-copy' },
      ),
    ).toEqual([
      'gcloud compute snapshots create data-copy-snapshot --project=dst-p --source-disk=https://www.googleapis.com/compute/v1/projects/src-p/zones/us-central1-a/disks/data',
      'gcloud compute disks create data-copy --project=dst-p --zone=europe-west1-b --source-snapshot=data-copy-snapshot',
    ]);
  });

  test('a long disk name: the snapshot name is cut to 63 characters, its suffix kept', () => {
    const disk = `pvc-${'a'.repeat(59)}`; // 63 characters, the longest disk name
    const [snapshot, create] = gceCopyCommands(
      { project: 'p1', zone: 'z1', disk },
      { project: 'p2', zone: 'z2', disk },
    );
    const name = `${disk.slice(0, 54)}-snapshot`;
    expect(name).toHaveLength(63);
    expect(snapshot.split(' ')[4]).toBe(name);
    expect(create).toBe(
      `gcloud compute disks create ${disk} --project=p2 --zone=z2 --source-snapshot=${name}`,
    );
  });

  test('words from the package are quoted for the shell', () => {
    const [snapshot, create] = gceCopyCommands(
      { project: 'p1', zone: 'z1', disk: "x'; rm -rf /" },
      { project: 'p2', zone: 'z2', disk: 'd e' },
    );
    expect(snapshot).toBe(
      "gcloud compute snapshots create 'd e-snapshot' --project=p2 '--source-disk=https://www.googleapis.com/compute/v1/projects/p1/zones/z1/disks/x'\\''; rm -rf /'",
    );
    expect(create).toBe(
      "gcloud compute disks create 'd e' --project=p2 --zone=z2 '--source-snapshot=d e-snapshot'",
    );
  });
});

describe('resourceName: at most 63 characters, no hyphen at the end', () => {
  test.each([
    ['data', 'data'],
    ['a'.repeat(63), 'a'.repeat(63)],
    ['a'.repeat(64), 'a'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)], // the cut leaves a hyphen last: it goes
    [`${'a'.repeat(60)}---b`, 'a'.repeat(60)], // every trailing hyphen goes
    ['data--', 'data'],
    ['a-b-c', 'a-b-c'], // hyphens inside stay
    ['-a', '-a'],
  ])('%s -> %s', (name, want) => {
    expect(resourceName(name)).toBe(want);
  });
});
