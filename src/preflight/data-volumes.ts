import type { YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import {
  cloudOf,
  csiSource,
  diskSourceOf,
  distinct,
  pinningOf,
  regionOfZone,
} from '../storage/persistent-volume';
import type { DiskSource } from '../storage/persistent-volume';
import { gceCopyCommands } from '../storage/copy-commands';
import { serverFieldsOf } from '../storage/server-fields';
import { classifyRegistry } from '../image/registry-hosts';
import { ImageReferenceError, parseImageReference } from '../image/reference';
import { child, leniently, readMap, readString } from '../yaml/edit';
import type { PreflightContext } from './context';
import { describePlatform } from './target';
import type { Workload } from './workloads';

const PORT = 'port-data-volumes (dataVolumes: in a Retarget config)';

/** A name the processing cluster's provisioner made up (`pvc-<claim uid>`): no other cluster has it. */
const PROVISIONED_NAME = /^pvc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The data volumes of an ImageAndData (or Data) migration, as dumped from the
 * processing cluster: what the target cannot attach, where it is pinned, which project
 * holds the disk, how the claims bind, and what the server wrote into them.
 */
export function checkDataVolumes(ctx: PreflightContext, workloads: readonly Workload[]): void {
  const pvs: Resource[] = [];
  const claims: Resource[] = [];
  for (const resource of ctx.set.resources) {
    if (resource.isLocalConfig()) continue;
    const storage =
      resource.apiVersion === 'v1' &&
      (resource.kind === 'PersistentVolume' || resource.kind === 'PersistentVolumeClaim');
    ctx.safely(resource, () => checkServerFields(ctx, resource, storage));
    if (!storage) continue;
    (resource.kind === 'PersistentVolume' ? pvs : claims).push(resource);
  }
  const projects = imageProjects(workloads);
  for (const pv of pvs) ctx.safely(pv, () => checkVolume(ctx, pv, projects));
  for (const claim of claims) ctx.safely(claim, () => checkClaim(ctx, claim, pvs));
}

function checkServerFields(ctx: PreflightContext, resource: Resource, storage: boolean): void {
  for (const found of serverFieldsOf(resource, storage)) {
    ctx.report(resource, {
      check: 'server-populated-metadata',
      severity: found.severity,
      message: `${found.field} was written by the processing cluster's API server: ${found.why}`,
      fix: `delete ${found.field}${storage ? ` (${PORT} removes it)` : ''}`,
      field: found.field,
      node: found.node,
    });
  }
}

/**
 * The Google Cloud projects the workloads' images come from: Migrate to Containers
 * pushes them to the project it runs in, where the processing cluster's disks are.
 */
function imageProjects(workloads: readonly Workload[]): string[] {
  const projects = new Set<string>();
  for (const { containers } of workloads) {
    for (const container of containers) {
      const image = leniently(() => readString(container.node, 'image', 'image'), undefined);
      if (!image) continue;
      try {
        const host = classifyRegistry(parseImageReference(image));
        if (host.kind === 'gcr' || host.kind === 'artifact-registry') projects.add(host.project);
      } catch (error) {
        if (!(error instanceof ImageReferenceError)) throw error;
      }
    }
  }
  return [...projects];
}

function checkVolume(ctx: PreflightContext, pv: Resource, imageProjects: readonly string[]): void {
  const source = diskSourceOf(pv);
  if (!source) return;
  const { platform, gcpProjectId } = ctx.config;
  const target = cloudOf(platform);
  const where = describePlatform(platform);
  const what =
    source.cloud === 'gce' ? `Compute Engine disk ${source.disk}` : `EBS volume ${source.disk}`;
  if (source.cloud !== target) {
    ctx.report(pv, {
      check: 'data-volume-platform',
      severity: 'error',
      message: `${what} cannot be attached on ${where}${target ? '' : ' (set platform in the target when it is GKE or EKS)'}: its pods stay Pending (${source.cloud === 'gce' ? 'FailedAttachVolume' : 'no EBS driver'})`,
      fix:
        target === 'aws'
          ? `copy the data to an EBS volume (export the disk as an image, copy it to S3, aws ec2 import-snapshot, aws ec2 create-volume) and run ${PORT} with volumes.${pv.name}.disk set to its vol- id (with sourceProject and staging buckets, its info results give the commands), or run ${PORT} with mode: provision and restore the data into the new volume`
          : target === 'gce'
            ? `copy the data to a Compute Engine disk and run ${PORT} with volumes.${pv.name}.disk, or run ${PORT} with mode: provision and restore the data into the new volume`
            : `run ${PORT} with mode: provision and restore the data into the new volume`,
      field: source.field,
      node: source.node,
      tags: { disk: source.disk },
    });
    return;
  }
  if (source.inTree) {
    const csi = csiSource(
      source.cloud,
      {
        disk: source.disk,
        project: source.project ?? gcpProjectId,
        zone: source.zone ?? pinningOf(pv).zones[0]?.value,
      },
      source,
    );
    ctx.report(pv, {
      check: 'data-volume-in-tree',
      severity: 'warning',
      message: `${source.key} is the in-tree volume plugin's source, removed from Kubernetes (GCE PD in 1.28, EBS in 1.27): only CSI migration still serves it, and only where the ${csi.driver as string} driver runs`,
      fix: `replace spec.${source.key} with csi: ${JSON.stringify(csi)} (${PORT} does it)`,
      field: source.field,
      node: source.node,
      tags: { driver: csi.driver as string, volumeHandle: csi.volumeHandle as string },
    });
  }
  checkPlacement(ctx, pv, source);
  if (source.cloud === 'gce' && gcpProjectId && source.project && source.project !== gcpProjectId) {
    ctx.report(pv, {
      check: 'data-volume-project',
      severity: 'error',
      message: `${what} is in project ${source.project}, the cluster in project ${gcpProjectId}: a Compute Engine disk attaches only to instances of its own project`,
      fix: `copy it into project ${gcpProjectId}${copyTo(ctx, pv, source, source.project, gcpProjectId)}, then run ${PORT} with project: ${gcpProjectId}`,
      field: `${source.field}.volumeHandle`,
      node: child(source.node, 'volumeHandle'),
      tags: { disk: source.disk, project: source.project },
    });
  }
  if (source.cloud === 'gce' && gcpProjectId && !source.project) {
    const others = imageProjects.filter((p) => p !== gcpProjectId);
    if (others.length) {
      ctx.report(pv, {
        check: 'data-volume-project',
        severity: 'warning',
        message: `${what} names no project (the in-tree source never does): it is in the project the processing cluster ran in, and the workload's images come from ${others.join(', ')}, not ${gcpProjectId}; a Compute Engine disk attaches only to instances of its own project`,
        fix: `if the disk is not in ${gcpProjectId}, copy it there${others.length === 1 ? copyTo(ctx, pv, source, others[0], gcpProjectId) : ''}, then run ${PORT} with project: ${gcpProjectId} and sourceProject: ${others.length === 1 ? others[0] : "the disk's project"}`,
        field: source.field,
        node: source.node,
        tags: { disk: source.disk, project: others[0] },
      });
    }
  }
  const spec = readMap(pv.node, 'spec', 'spec');
  const policy =
    spec && readString(spec, 'persistentVolumeReclaimPolicy', 'spec.persistentVolumeReclaimPolicy');
  if (policy === 'Delete') {
    ctx.report(pv, {
      check: 'data-volume-reclaim-delete',
      severity: 'warning',
      message: `reclaim policy Delete: deleting the claim deletes ${what}, which holds the migrated data`,
      fix: 'set spec.persistentVolumeReclaimPolicy: Retain',
      field: 'spec.persistentVolumeReclaimPolicy',
      node: child(spec!, 'persistentVolumeReclaimPolicy'),
    });
  }
}

/** The commands that copy a disk whose project and zone are known, after ": ". */
function copyTo(
  ctx: PreflightContext,
  pv: Resource,
  source: DiskSource,
  fromProject: string,
  toProject: string,
): string {
  const fromZone = source.zone ?? pinningOf(pv).zones[0]?.value;
  const toZone = ctx.config.zones?.[0] ?? fromZone;
  if (!fromZone || !toZone) return ' (a snapshot, then a disk from it)';
  const commands = gceCopyCommands(
    { project: fromProject, zone: fromZone, disk: source.disk },
    { project: toProject, zone: toZone, disk: source.disk },
  );
  return `: ${commands.join(' && ')}`;
}

/** A disk attaches only in its own zone: the volume's pinning must name a zone the cluster has. */
function checkPlacement(ctx: PreflightContext, pv: Resource, source: DiskSource): void {
  const { zones, region } = ctx.config;
  const pinning = pinningOf(pv);
  // An in-tree disk names no project: the copy commands need the source's.
  const project = source.cloud === 'gce' ? source.project : undefined;
  const pinnedZones = distinct([
    ...(source.zone ? [source.zone] : []),
    ...pinning.zones.map((z) => z.value),
  ]);
  // Without a pinning, the zone or region comes from the disk's own id: located there.
  const id = source.key === 'csi' ? 'volumeHandle' : 'volumeID';
  if (zones?.length && pinnedZones.length && !pinnedZones.some((z) => zones.includes(z))) {
    const at = pinning.zones[0];
    ctx.report(pv, {
      check: 'data-volume-zone',
      severity: 'error',
      message: `the disk is in zone ${pinnedZones.join(', ')}, and the cluster's nodes are in ${zones.join(', ')}: the pods stay Pending (volume node affinity conflict)`,
      fix: `copy the disk to ${zones[0]}${project ? copyTo(ctx, pv, source, project, ctx.config.gcpProjectId ?? project) : ' (a snapshot, then a disk from it)'}, then run ${PORT} with zone: ${zones[0]}`,
      field: at?.field ?? `${source.field}.${id}`,
      node: at?.node ?? child(source.node, id),
      tags: { zone: pinnedZones[0] },
    });
    return;
  }
  if (!region) return;
  const pinnedRegions = distinct([
    ...pinning.regions.map((r) => r.value),
    ...pinnedZones.map(regionOfZone),
    ...(source.region ? [source.region] : []),
  ]);
  if (pinnedRegions.length && !pinnedRegions.includes(region)) {
    const at = pinning.regions[0] ?? pinning.zones[0];
    ctx.report(pv, {
      check: 'data-volume-zone',
      severity: 'error',
      message: `the disk is in region ${pinnedRegions.join(', ')}, and the cluster in ${region}: the pods stay Pending (volume node affinity conflict)`,
      fix: `copy the disk to a zone of ${region} and run ${PORT} with that zone (with sourceProject, its info results give the commands)`,
      field: at?.field ?? `${source.field}.${id}`,
      node: at?.node ?? child(source.node, id),
      tags: { region: pinnedRegions[0] },
    });
  }
}

function checkClaim(ctx: PreflightContext, claim: Resource, pvs: readonly Resource[]): void {
  const spec = readMap(claim.node, 'spec', 'spec');
  const volumeName = spec && readString(spec, 'volumeName', 'spec.volumeName');
  if (!spec || !volumeName) return;
  const node = child(spec, 'volumeName');
  const pv = pvs.find((p) => p.name === volumeName);
  if (!pv) {
    const provisioned = PROVISIONED_NAME.test(volumeName);
    ctx.report(claim, {
      check: 'data-volume-claim-unbound',
      severity: provisioned ? 'error' : 'warning',
      message: `the claim is pinned by volumeName to PersistentVolume ${volumeName}, which the package does not contain${provisioned ? " (a name the processing cluster's provisioner made up)" : ''}: it stays Pending unless the cluster has that volume`,
      fix: `add the PersistentVolume to the package, or run ${PORT} with mode: provision to unpin the claim`,
      field: 'spec.volumeName',
      node,
      tags: { volume: volumeName },
    });
    return;
  }
  // The volume's own fields: a wrong type there is the volume's error, not the claim's.
  ctx.safely(pv, () => {
    const pvSpec = readMap(pv.node, 'spec', 'spec');
    const ref = pvSpec && readMap(pvSpec, 'claimRef', 'spec.claimRef');
    if (ref) checkClaimRef(ctx, claim, pv, ref);
  });
}

/** The binder binds a pinned claim only to a volume whose claimRef (if any) names it. */
function checkClaimRef(ctx: PreflightContext, claim: Resource, pv: Resource, ref: YAMLMap): void {
  const name = readString(ref, 'name', 'spec.claimRef.name');
  const namespace = readString(ref, 'namespace', 'spec.claimRef.namespace');
  const reserved = `${namespace ?? ''}/${name ?? ''}`;
  const fix = `run ${PORT}: it drops a claimRef the claim cannot match, or sets it to the claim's namespace and name`;
  if (name !== claim.name || (claim.namespace && namespace && namespace !== claim.namespace)) {
    ctx.report(pv, {
      check: 'data-volume-claim-ref',
      severity: 'error',
      message: `spec.claimRef reserves the volume for claim ${reserved}, and claim ${claim.namespace ? `${claim.namespace}/` : ''}${claim.name} is pinned to it: neither binds`,
      fix,
      field: 'spec.claimRef',
      node: ref,
    });
  } else if (!claim.namespace && namespace) {
    ctx.report(pv, {
      check: 'data-volume-claim-ref',
      severity: 'warning',
      message: `spec.claimRef reserves the volume for claim ${reserved} (the processing cluster's namespace), and claim ${claim.name} names no namespace: they bind only if it is applied to ${namespace}`,
      fix,
      field: 'spec.claimRef.namespace',
      node: child(ref, 'namespace'),
    });
  }
}
