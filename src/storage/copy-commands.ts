import { commandLine } from '../preflight/command-line';

/** Where a Compute Engine disk is (or is to be). */
export interface GceDisk {
  project: string;
  zone: string;
  disk: string;
}

/**
 * A Compute Engine disk attaches only to instances of its own project and zone; the
 * documented way to move one is a snapshot (which may live in another project than its
 * source disk) and a new disk from it: `gcloud compute snapshots create` and
 * `gcloud compute disks create --source-snapshot`. Words from the package are quoted.
 */
export function gceCopyCommands(from: GceDisk, to: GceDisk): string[] {
  const snapshot = resourceName(`${to.disk.slice(0, 54)}-snapshot`);
  return [
    commandLine(
      'gcloud',
      'compute',
      'snapshots',
      'create',
      snapshot,
      `--project=${to.project}`,
      `--source-disk=https://www.googleapis.com/compute/v1/projects/${from.project}/zones/${from.zone}/disks/${from.disk}`,
    ),
    commandLine(
      'gcloud',
      'compute',
      'disks',
      'create',
      to.disk,
      `--project=${to.project}`,
      `--zone=${to.zone}`,
      `--source-snapshot=${snapshot}`,
    ),
  ];
}

/** A Compute Engine resource name: at most 63 characters, not ending in "-". */
export function resourceName(name: string): string {
  return name.slice(0, 63).replace(/-+$/, '');
}
