import type { YAMLMap } from 'yaml';
import type { PortDataVolumesConfig } from '../config/types';
import type { Resource } from '../krm/resource';
import { commandLine } from '../preflight/command-line';
import { fieldPath } from '../preflight/field-path';
import {
  csiSource,
  cloudOf,
  diskSourceOf,
  pinningOf,
  regionOfZone,
  REGION_KEYS,
  ZONE_KEYS,
  zoneKeyOf,
} from '../storage/persistent-volume';
import type { Cloud, DiskSource } from '../storage/persistent-volume';
import { gceCopyCommands, resourceName } from '../storage/copy-commands';
import { stripServerFields } from '../storage/server-fields';
import { createPlainNode } from '../yaml/create-node';
import { MapNode, PairNode, ScalarNode } from '../yaml/classes';
import { child, plainValueAt, readMap, readString, setScalar, valueAt } from '../yaml/edit';
import { checkMetadata, guard } from './context';
import type { TransformContext } from './context';

type Placement = NonNullable<PortDataVolumesConfig['volumes']>[string];

const EBS_VOLUME_ID = /^vol-[0-9a-f]{8,17}$/;

/** One path for the class in every read and write, so that each error names it alike. */
const CLASS_FIELD = 'spec.storageClassName';

/** The PersistentVolumes and claims of the package (local-config resources are not deployed). */
export function storageResources(ctx: TransformContext): { pvs: Resource[]; claims: Resource[] } {
  const pvs: Resource[] = [];
  const claims: Resource[] = [];
  for (const resource of ctx.set.resources) {
    if (resource.apiVersion !== 'v1' || resource.isLocalConfig()) continue;
    if (resource.kind === 'PersistentVolume') pvs.push(resource);
    else if (resource.kind === 'PersistentVolumeClaim') claims.push(resource);
  }
  return { pvs, claims };
}

/**
 * The map under `key`, or undefined when there is none or it is no map: lookups into
 * other resources, whose fields are reported where those resources are checked.
 */
function mapAt(parent: unknown, key: string): YAMLMap | undefined {
  const value = parent instanceof MapNode ? valueAt(parent, key) : undefined;
  return value instanceof MapNode ? value : undefined;
}

/** The claims that name this volume by `spec.volumeName`. */
function claimsOf(pv: Resource, claims: readonly Resource[]): Resource[] {
  return claims.filter((claim) => {
    const spec = mapAt(claim.node, 'spec');
    return spec !== undefined && plainValueAt(spec, 'volumeName') === pv.name;
  });
}

/** The volume's `claimRef`, when it names a claim of the package. */
function claimRefOf(pv: Resource, claims: readonly Resource[]): Resource | undefined {
  const ref = mapAt(mapAt(pv.node, 'spec'), 'claimRef');
  if (!ref) return undefined;
  const name = plainValueAt(ref, 'name');
  return claims.find((c) => c.name === name);
}

/** The claims of the package bound to a volume: by their volumeName or its claimRef. */
function boundTo(pv: Resource, claims: readonly Resource[]): Resource[] {
  const bound = [...claimsOf(pv, claims)];
  const byRef = claimRefOf(pv, claims);
  if (byRef && !bound.includes(byRef)) bound.push(byRef);
  return bound;
}

/**
 * Makes the PersistentVolumes and claims an ImageAndData migration dumped from its
 * processing cluster deployable on the target: strips what the server wrote, then either
 * points each volume at the target's CSI driver, disk and zone (`attach`), or drops the
 * volumes and lets each claim provision a new one (`provision`). The commands that copy
 * the data where it has to move are reported as info results; nothing is run.
 */
export function portDataVolumes(ctx: TransformContext, config: PortDataVolumesConfig): void {
  const { pvs, claims } = storageResources(ctx);
  const sound = (r: Resource) => guard(ctx, r, () => checkMetadata(r));
  const volumes = pvs.filter(sound);
  const boundClaims = claims.filter(sound);
  // A volume provision mode drops is not cleaned first: it is reported once, as dropped.
  const dropped = volumes.filter(
    (pv) => config.mode === 'provision' && boundTo(pv, boundClaims).length,
  );
  for (const resource of [...volumes, ...boundClaims]) {
    if (dropped.includes(resource)) continue;
    guard(ctx, resource, () => {
      const removed = stripServerFields(resource);
      if (removed.length) {
        ctx.results.push(
          resource.result('info', `removed server-populated fields: ${removed.join(', ')}`),
        );
      }
    });
  }
  if (config.mode === 'provision') provision(ctx, config, volumes, boundClaims);
  else attach(ctx, config, volumes, boundClaims);
}

function provision(
  ctx: TransformContext,
  config: PortDataVolumesConfig,
  pvs: readonly Resource[],
  claims: readonly Resource[],
): void {
  for (const pv of pvs) {
    const bound = boundTo(pv, claims);
    if (!bound.length) {
      ctx.results.push(
        pv.result(
          'warning',
          'no claim of the package binds this PersistentVolume: left as it is (provision mode drops only the volumes of the claims it unpins)',
        ),
      );
      continue;
    }
    let source: DiskSource | undefined;
    guard(ctx, pv, () => {
      source = diskSourceOf(pv);
    });
    for (const claim of bound) {
      guard(ctx, claim, () => unpin(ctx, config, claim));
    }
    const disk = source ? ` (disk ${source.disk})` : '';
    ctx.results.push(
      pv.result(
        'info',
        `dropped: claim ${bound.map((c) => c.name).join(', ')} provisions a new, empty volume; restore the data of the processing cluster's volume${disk} into it before the workload uses it`,
      ),
    );
    ctx.set.remove(pv);
  }
}

/** Drops the claim's pin to the dumped volume and gives it the target's StorageClass. */
function unpin(ctx: TransformContext, config: PortDataVolumesConfig, claim: Resource): void {
  const spec = readMap(claim.node, 'spec', 'spec');
  if (!spec) return;
  if (child(spec, 'volumeName') !== undefined) {
    spec.delete('volumeName');
    claim.touch();
  }
  const current = readString(spec, 'storageClassName', CLASS_FIELD);
  if (config.storageClassName) {
    setScalar(claim, spec, 'storageClassName', config.storageClassName, CLASS_FIELD);
  } else if (current === '') {
    // "" turns dynamic provisioning off: without it the cluster's default class provisions.
    spec.delete('storageClassName');
    claim.touch();
  } else if (current !== undefined) {
    ctx.results.push(
      claim.result(
        'warning',
        `keeps storageClassName ${current} from the processing cluster; set storageClassName if the target has no such class`,
        CLASS_FIELD,
        child(spec, 'storageClassName'),
      ),
    );
  }
}

function attach(
  ctx: TransformContext,
  config: PortDataVolumesConfig,
  pvs: readonly Resource[],
  claims: readonly Resource[],
): void {
  const cloud = cloudOf(config.platform);
  const sharedDisk = config.disk !== undefined && pvs.length > 1;
  for (const pv of pvs) {
    guard(ctx, pv, () => {
      const source = diskSourceOf(pv);
      if (!source) return;
      if (source.region) {
        ctx.results.push(
          pv.result(
            'error',
            `regional persistent disk ${source.disk} (region ${source.region}): port-data-volumes rewrites zonal disks only`,
            handleField(source),
          ),
        );
        return;
      }
      const per: Placement = config.volumes?.[pv.name] ?? {};
      if (sharedDisk && per.disk === undefined) {
        ctx.results.push(
          pv.result(
            'error',
            `disk names one disk, and the package has ${pvs.length} PersistentVolumes: give each its disk under volumes.${pv.name}.disk`,
          ),
        );
        return;
      }
      attachVolume(ctx, config, cloud, pv, source, per, claims);
    });
  }
  if (config.storageClassName) {
    for (const claim of claims) {
      guard(ctx, claim, () => {
        const spec = readMap(claim.node, 'spec', 'spec');
        if (spec && child(spec, 'volumeName') !== undefined) {
          setScalar(claim, spec, 'storageClassName', config.storageClassName!, CLASS_FIELD);
        }
      });
    }
  }
}

function attachVolume(
  ctx: TransformContext,
  config: PortDataVolumesConfig,
  cloud: Cloud,
  pv: Resource,
  source: DiskSource,
  per: Placement,
  claims: readonly Resource[],
): void {
  const name = (field: string) =>
    config.volumes?.[pv.name]?.[field as keyof Placement] !== undefined
      ? `volumes.${pv.name}.${field}`
      : field;
  const sameCloud = source.cloud === cloud;
  const pinned = pinningOf(pv).zones[0]?.value;
  const sourceZone = source.zone ?? pinned;
  const sourceProject = per.sourceProject ?? config.sourceProject ?? source.project;
  const disk = per.disk ?? config.disk ?? (sameCloud ? source.disk : undefined);
  const zone = per.zone ?? config.zone ?? (sameCloud ? sourceZone : undefined);
  const project = per.project ?? config.project ?? (sameCloud ? source.project : undefined);
  const missing: string[] = [];
  if (!disk)
    missing.push(
      `volumes.${pv.name}.disk (the ${cloud === 'gce' ? 'Compute Engine disk' : 'EBS volume'} the data is copied to)`,
    );
  if (!zone) missing.push(`zone (or volumes.${pv.name}.zone)`);
  if (cloud === 'gce' && !project) missing.push(`project (or volumes.${pv.name}.project)`);
  const copy = copyCommands(config, cloud, pv, source, {
    disk,
    zone,
    project,
    sourceProject,
    sourceZone,
  });
  if (copy) ctx.results.push(pv.result('info', copy));
  if (missing.length) {
    ctx.results.push(
      pv.result(
        'error',
        `cannot attach ${describeSource(source)} on ${config.platform}: set ${missing.join(', ')}`,
        source.field,
        source.node,
      ),
    );
    return;
  }
  if (cloud === 'aws' && !EBS_VOLUME_ID.test(disk!)) {
    ctx.results.push(
      pv.result(
        'error',
        `${name('disk')} must be an EBS volume id (vol-…) on ${config.platform}, not ${disk}`,
      ),
    );
    return;
  }
  // diskSourceOf found the disk in spec: a map.
  const spec = child(pv.node, 'spec') as YAMLMap;
  const csi = csiSource(cloud, { disk: disk!, zone, project }, source);
  if (source.key === 'csi' && source.cloud === cloud) {
    // Already the target's driver: only the handle changes, the rest stays as written.
    setScalar(pv, source.node, 'volumeHandle', csi.volumeHandle as string, handleField(source));
  } else {
    replaceSource(pv, spec, source.key, csi);
  }
  replaceValue(pv, spec, 'nodeAffinity', {
    required: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: zoneKeyOf(cloud), operator: 'In', values: [zone] }] },
      ],
    },
  });
  relabel(pv, zone!);
  // The binder requires the volume's class to equal the claim's, volumeName or not.
  const claim = claimsOf(pv, claims)[0] ?? claimRefOf(pv, claims);
  const claimClass = config.storageClassName ?? (claim && classOf(ctx, claim));
  if (claimClass !== undefined) {
    setScalar(pv, spec, 'storageClassName', claimClass, CLASS_FIELD);
  }
  if (claim) fixClaimRef(ctx, pv, spec, claim);
}

/** The claim's storageClassName; a mistyped one is an error on the claim, not on its volume. */
function classOf(ctx: TransformContext, claim: Resource): string | undefined {
  let value: string | undefined;
  guard(ctx, claim, () => {
    const spec = readMap(claim.node, 'spec', 'spec');
    value = spec && readString(spec, 'storageClassName', CLASS_FIELD);
  });
  return value;
}

/**
 * The binder writes `claimRef` when it binds; on the target it must name the claim as
 * deployed, or the claim pinned by volumeName waits forever for a volume reserved for
 * another. A claim with no namespace is deployed wherever the applier says, so the
 * reservation cannot be written: it goes, and volumeName binds the pair.
 */
function fixClaimRef(ctx: TransformContext, pv: Resource, spec: YAMLMap, claim: Resource): void {
  const ref = readMap(spec, 'claimRef', 'spec.claimRef');
  if (!ref) return;
  const nameField = 'spec.claimRef.name';
  const namespaceField = 'spec.claimRef.namespace';
  const name = readString(ref, 'name', nameField);
  const namespace = readString(ref, 'namespace', namespaceField);
  if (name === claim.name && namespace === claim.namespace) return;
  if (claim.namespace === undefined) {
    spec.delete('claimRef');
    pv.touch();
    ctx.results.push(
      pv.result(
        'info',
        `removed spec.claimRef (${namespace ?? ''}/${name ?? ''} on the processing cluster): claim ${claim.name} names no namespace, so its volumeName binds the pair`,
      ),
    );
    return;
  }
  setScalar(pv, ref, 'name', claim.name, nameField);
  setScalar(pv, ref, 'namespace', claim.namespace, namespaceField);
}

/** Puts the CSI source in place of the pair `oldKey` (same position). */
function replaceSource(
  pv: Resource,
  spec: YAMLMap,
  oldKey: string,
  value: Record<string, unknown>,
): void {
  // diskSourceOf read the source under oldKey: the pair is there.
  const at = spec.items.findIndex((p) => keyOf(p.key) === oldKey);
  spec.items[at] = new PairNode(new ScalarNode('csi'), createPlainNode(pv.doc, value));
  pv.touch();
}

/** Puts `value` under `key` (in place when the key is there), unless it is there already. */
function replaceValue(
  pv: Resource,
  map: YAMLMap,
  key: string,
  value: Record<string, unknown>,
): void {
  // JSON.stringify reads a node through its toJSON, as plain data.
  if (JSON.stringify(child(map, key)) === JSON.stringify(value)) return;
  map.set(key, createPlainNode(pv.doc, value));
  pv.touch();
}

/** Old in-tree volumes carry their zone (and region) as labels, which the scheduler reads. */
function relabel(pv: Resource, zone: string): void {
  // checkMetadata read both as maps before the volume got here.
  const metadata = child(pv.node, 'metadata') as YAMLMap | undefined;
  const labels = metadata && (child(metadata, 'labels') as YAMLMap | undefined);
  if (!labels) return;
  for (const key of ZONE_KEYS) {
    if (child(labels, key) !== undefined)
      setScalar(pv, labels, key, zone, fieldPath(['metadata', 'labels', key]));
  }
  for (const key of REGION_KEYS) {
    if (child(labels, key) !== undefined)
      setScalar(pv, labels, key, regionOfZone(zone), fieldPath(['metadata', 'labels', key]));
  }
}

function keyOf(key: unknown): unknown {
  return key instanceof ScalarNode ? key.value : key;
}

function handleField(source: DiskSource): string {
  return `${source.field}.volumeHandle`;
}

function describeSource(source: DiskSource): string {
  return source.cloud === 'gce'
    ? `Compute Engine disk ${source.disk}`
    : `EBS volume ${source.disk}`;
}

interface Target {
  disk?: string;
  zone?: string;
  project?: string;
  sourceProject?: string;
  sourceZone?: string;
}

/**
 * The commands that copy the data where the target cannot use the processing cluster's
 * disk as it is: a snapshot and a disk in the target project and zone on GKE (Compute
 * Engine disks attach only to instances of their own project and zone); on EKS, the
 * disk exported as an image, copied to S3 and imported as an EBS snapshot (EC2 VM
 * Import/Export), then a volume created from it. Undefined when no copy is needed.
 */
function copyCommands(
  config: PortDataVolumesConfig,
  cloud: Cloud,
  pv: Resource,
  source: DiskSource,
  target: Target,
): string | undefined {
  const { disk, zone, project, sourceProject, sourceZone } = target;
  if (source.cloud === 'gce' && cloud === 'gce') {
    // On one cloud what is not configured is the volume's own: the disk is always known,
    // the zone unknown only where the volume names none (sourceZone).
    const to = { project, zone: zone ?? sourceZone, disk: disk ?? source.disk };
    const moves =
      (sourceZone !== undefined && to.zone !== sourceZone) ||
      (project !== undefined && sourceProject !== undefined && project !== sourceProject) ||
      to.disk !== source.disk;
    if (!moves) {
      if (sourceProject === undefined && project !== undefined) {
        return `the volume does not name the project of disk ${source.disk}: if it is not ${project}, set sourceProject (or volumes.${pv.name}.sourceProject) for the commands that copy it`;
      }
      // Same disk, same place: nothing moves, and two clusters must not write it at once.
      return `nothing is copied: the target attaches disk ${source.disk} itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first`;
    }
    if (!to.project || !sourceProject || !sourceZone) {
      return `the data of disk ${source.disk} has to be copied; set ${[
        !project && 'project',
        !sourceProject && 'sourceProject',
        !sourceZone && "the disk's zone in the volume's nodeAffinity (it names none)",
      ]
        .filter(Boolean)
        .join(', ')} for the commands`;
    }
    return [
      `copy the data of disk ${source.disk} (project ${sourceProject}, zone ${sourceZone}) to disk ${to.disk} (project ${to.project}, zone ${to.zone}) before the workload starts:`,
      ...gceCopyCommands(
        { project: sourceProject, zone: sourceZone, disk: source.disk },
        { project: to.project, zone: to.zone ?? sourceZone, disk: to.disk },
      ),
    ].join('\n');
  }
  // Compute Engine to Compute Engine returned above: this is Compute Engine to EBS.
  if (source.cloud === 'gce') {
    const { gcsBucket, s3Bucket } = config.staging ?? {};
    // A configured EBS volume holds the copy already, unless staging asks for the commands.
    if (disk && !gcsBucket && !s3Bucket) return undefined;
    if (!gcsBucket || !s3Bucket || !sourceProject || !sourceZone) {
      const need = [
        !sourceProject && 'sourceProject',
        !sourceZone && "the disk's zone in the volume's nodeAffinity (it names none)",
        !gcsBucket && 'staging.gcsBucket',
        !s3Bucket && 'staging.s3Bucket',
      ].filter(Boolean);
      return `the data of Compute Engine disk ${source.disk} has to be copied to an EBS volume (export the disk as an image, copy it to S3, import it as an EBS snapshot, create the volume); set ${need.join(', ')} for the commands`;
    }
    const image = resourceName(`${source.disk.slice(0, 57)}-image`);
    const object = `${source.disk}.vmdk`;
    return [
      `copy the data of Compute Engine disk ${source.disk} to an EBS volume${zone ? ` in ${zone}` : ''}, then set volumes.${pv.name}.disk to its id:`,
      commandLine(
        'gcloud',
        'compute',
        'images',
        'create',
        image,
        `--project=${sourceProject}`,
        `--source-disk=${source.disk}`,
        `--source-disk-zone=${sourceZone}`,
      ),
      commandLine(
        'gcloud',
        'compute',
        'images',
        'export',
        `--project=${sourceProject}`,
        `--image=${image}`,
        '--export-format=vmdk',
        `--destination-uri=gs://${gcsBucket}/${object}`,
      ),
      commandLine(
        'gcloud',
        'storage',
        'cp',
        `gs://${gcsBucket}/${object}`,
        `s3://${s3Bucket}/${object}`,
      ),
      commandLine(
        'aws',
        'ec2',
        'import-snapshot',
        `--description=retarget ${pv.name}`,
        `--disk-container=Format=VMDK,UserBucket={S3Bucket=${s3Bucket},S3Key=${object}}`,
      ),
      `# when the import task completes (aws ec2 describe-import-snapshot-tasks), with its SnapshotId:`,
      `aws ec2 create-volume --volume-type gp3 --availability-zone ${zone ?? 'ZONE'} --snapshot-id SNAPSHOT_ID`,
    ].join('\n');
  }
  // The source is an EBS volume from here on.
  if (cloud === 'aws') {
    if (!zone || !sourceZone || zone === sourceZone || disk !== source.disk) return undefined;
    return [
      `EBS volume ${source.disk} is in ${sourceZone}; a volume attaches only in its own Availability Zone: copy it to ${zone}, then set volumes.${pv.name}.disk to the new id:`,
      commandLine(
        'aws',
        'ec2',
        'create-snapshot',
        `--volume-id=${source.disk}`,
        `--description=retarget ${pv.name}`,
      ),
      `aws ec2 create-volume --volume-type gp3 --availability-zone ${zone} --snapshot-id SNAPSHOT_ID`,
    ].join('\n');
  }
  return `the data of EBS volume ${source.disk} has to be copied to a Compute Engine disk (no direct path: copy the files); then set volumes.${pv.name}.disk`;
}
