import type { PortDataVolumesConfig } from '../config/types';
import type { Resource } from '../krm/resource';
import { cloudOf, diskSourceOf, pinningOf } from './persistent-volume';

type Platform = PortDataVolumesConfig['platform'];
type Volumes = NonNullable<PortDataVolumesConfig['volumes']>;

/** What is known of the target when the proposal is made (e.g. by `retarget init`). */
export interface ProposalTarget {
  platform: Platform;
  project?: string;
  zone?: string;
}

/**
 * The `dataVolumes:` section a person would start from for these resources: attach mode,
 * the target's project and zone, and per PersistentVolume the disk it names when the
 * target can attach that kind of disk (an EBS volume id must be filled in by hand after
 * the data is copied), with the source project the copy commands need. Undefined when
 * the resources hold no Compute Engine or EBS volume. Pure: reads nothing but its inputs.
 */
export function proposeDataVolumes(
  resources: readonly Resource[],
  target: ProposalTarget,
): Record<string, unknown> | undefined {
  const cloud = cloudOf(target.platform);
  const volumes: Volumes = {};
  for (const pv of resources) {
    if (pv.kind !== 'PersistentVolume' || pv.apiVersion !== 'v1' || pv.isLocalConfig()) continue;
    let source;
    let zone;
    try {
      source = diskSourceOf(pv);
      zone = source && (source.zone ?? pinningOf(pv).zones[0]?.value);
    } catch {
      continue; // a malformed volume is preflight's to report, not a proposal's
    }
    if (!source) continue;
    const entry: Volumes[string] = {};
    if (source.cloud === cloud) entry.disk = source.disk;
    // Only a Compute Engine handle names a project.
    if (source.project) entry.sourceProject = source.project;
    if (!target.zone && zone && source.cloud === cloud) entry.zone = zone;
    volumes[pv.name] = entry;
  }
  if (!Object.keys(volumes).length) return undefined;
  const section: Record<string, unknown> = { platform: target.platform, mode: 'attach' };
  if (target.project && cloud === 'gce') section.project = target.project;
  if (target.zone) section.zone = target.zone;
  section.volumes = volumes;
  return section;
}
