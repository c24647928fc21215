import type { Node, YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import { fieldPath } from '../preflight/field-path';
import { ScalarNode } from '../yaml/classes';
import { child, mapItems, readMap, readScalar, readSeq, readString } from '../yaml/edit';

/**
 * What a PersistentVolume dumped from the processing cluster says about its disk, read
 * the way the Kubernetes CSI translation library reads it
 * (kubernetes/csi-translation-lib, plugins/gce_pd.go and plugins/aws_ebs.go): the in-tree
 * `gcePersistentDisk` / `awsElasticBlockStore` source, or the CSI form of either driver.
 */

export const GCE_PD_DRIVER = 'pd.csi.storage.gke.io';
export const EBS_DRIVER = 'ebs.csi.aws.com';

/** The topology key the PD CSI driver reports and provisions with (GKE nodes carry it). */
export const GKE_ZONE_KEY = 'topology.gke.io/zone';
/** The well-known zone label every node carries; the EBS CSI driver accepts it. */
export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const REGION_KEY = 'topology.kubernetes.io/region';

/** Node labels (and old PV labels) that name a zone or a region. */
export const ZONE_KEYS = [
  ZONE_KEY,
  'failure-domain.beta.kubernetes.io/zone',
  GKE_ZONE_KEY,
  'topology.ebs.csi.aws.com/zone',
];
export const REGION_KEYS = [REGION_KEY, 'failure-domain.beta.kubernetes.io/region'];

export type Cloud = 'gce' | 'aws';

export interface DiskSource {
  cloud: Cloud;
  /** The in-tree volume plugin's form, which only CSI migration still serves. */
  inTree: boolean;
  /** `gcePersistentDisk`, `awsElasticBlockStore` or `csi`. */
  key: string;
  field: string;
  node: YAMLMap;
  /** The disk name (Compute Engine) or volume id (EBS). */
  disk: string;
  /** From a CSI handle; undefined when it does not say (or says UNSPECIFIED). */
  project?: string;
  /** From a zonal CSI handle or an `aws://zone/vol-…` volume id. */
  zone?: string;
  /** A regional persistent disk (`projects/P/regions/R/disks/D`). */
  region?: string;
  fsType?: string;
  readOnly?: boolean;
  /** The in-tree `partition`: the CSI drivers take it as the `partition` volume attribute. */
  partition?: number;
}

const HANDLE = /^projects\/([^/]+)\/(zones|regions)\/([^/]+)\/disks\/([^/]+)$/;

/** The disk behind a PersistentVolume, or undefined when it is no Compute Engine or EBS disk. */
export function diskSourceOf(pv: Resource): DiskSource | undefined {
  const spec = readMap(pv.node, 'spec', 'spec');
  if (!spec) return undefined;
  const gce = readMap(spec, 'gcePersistentDisk', 'spec.gcePersistentDisk');
  if (gce) {
    const field = 'spec.gcePersistentDisk';
    const disk = readString(gce, 'pdName', `${field}.pdName`);
    if (!disk) return undefined;
    return {
      cloud: 'gce',
      inTree: true,
      key: 'gcePersistentDisk',
      field,
      node: gce,
      disk,
      ...common(gce, field),
    };
  }
  const ebs = readMap(spec, 'awsElasticBlockStore', 'spec.awsElasticBlockStore');
  if (ebs) {
    const field = 'spec.awsElasticBlockStore';
    const id = readString(ebs, 'volumeID', `${field}.volumeID`);
    if (!id) return undefined;
    // aws://us-east-1a/vol-0123 or vol-0123 (csi-translation-lib KubernetesVolumeIDToEBSVolumeID)
    const match = /^aws:\/\/([^/]*)\/(vol-[0-9a-f]+)$/.exec(id);
    const disk = match ? match[2] : id;
    const zone = match && match[1] ? match[1] : undefined;
    return {
      cloud: 'aws',
      inTree: true,
      key: 'awsElasticBlockStore',
      field,
      node: ebs,
      disk,
      zone,
      ...common(ebs, field),
    };
  }
  const csi = readMap(spec, 'csi', 'spec.csi');
  if (!csi) return undefined;
  const field = 'spec.csi';
  const driver = readString(csi, 'driver', `${field}.driver`);
  const handle = readString(csi, 'volumeHandle', `${field}.volumeHandle`);
  if (!handle) return undefined;
  if (driver === GCE_PD_DRIVER) {
    const m = HANDLE.exec(handle);
    if (!m) return undefined;
    const project = m[1] === 'UNSPECIFIED' ? undefined : m[1];
    const place = m[2] === 'zones' ? { zone: m[3] } : { region: m[3] };
    return {
      cloud: 'gce',
      inTree: false,
      key: 'csi',
      field,
      node: csi,
      disk: m[4],
      project,
      ...place,
      ...common(csi, field),
    };
  }
  if (driver === EBS_DRIVER) {
    return {
      cloud: 'aws',
      inTree: false,
      key: 'csi',
      field,
      node: csi,
      disk: handle,
      ...common(csi, field),
    };
  }
  return undefined;
}

function common(
  source: YAMLMap,
  field: string,
): { fsType?: string; readOnly?: boolean; partition?: number } {
  const out: { fsType?: string; readOnly?: boolean; partition?: number } = {};
  const fsType = readString(source, 'fsType', `${field}.fsType`);
  if (fsType) out.fsType = fsType;
  if (readScalar(source, 'readOnly', `${field}.readOnly`) === true) out.readOnly = true;
  const partition = readScalar(source, 'partition', `${field}.partition`);
  if (typeof partition === 'number' && partition > 0) out.partition = partition;
  return out;
}

/** A zone or region a PersistentVolume is pinned to, and where it says so. */
export interface Placement {
  value: string;
  field: string;
  node?: Node;
}

export interface Pinning {
  zones: Placement[];
  regions: Placement[];
}

/**
 * The zones and regions a PersistentVolume is pinned to: its `nodeAffinity` (In terms on
 * a zone or region key) and the zone/region labels in-tree volumes carried (the
 * VolumeZone scheduler plugin still reads them).
 */
export function pinningOf(pv: Resource): Pinning {
  const pinning: Pinning = { zones: [], regions: [] };
  const spec = readMap(pv.node, 'spec', 'spec');
  const affinity = spec && readMap(spec, 'nodeAffinity', 'spec.nodeAffinity');
  const required = affinity && readMap(affinity, 'required', 'spec.nodeAffinity.required');
  const termsField = 'spec.nodeAffinity.required.nodeSelectorTerms';
  const terms = required
    ? mapItems(readSeq(required, 'nodeSelectorTerms', termsField), termsField)
    : [];
  terms.forEach((term, t) => {
    const exprField = `${termsField}[${t}].matchExpressions`;
    mapItems(readSeq(term, 'matchExpressions', exprField), exprField).forEach((expr, e) => {
      const field = `${exprField}[${e}].values`;
      const key = readString(expr, 'key', `${exprField}[${e}].key`);
      if (readString(expr, 'operator', `${exprField}[${e}].operator`) !== 'In' || !key) return;
      const into = ZONE_KEYS.includes(key)
        ? pinning.zones
        : REGION_KEYS.includes(key)
          ? pinning.regions
          : undefined;
      if (!into) return;
      readSeq(expr, 'values', field)?.items.forEach((item) => {
        if (item instanceof ScalarNode && typeof item.value === 'string') {
          into.push({ value: item.value, field, node: item as Node });
        }
      });
    });
  });
  const metadata = readMap(pv.node, 'metadata', 'metadata');
  const labels = metadata && readMap(metadata, 'labels', 'metadata.labels');
  if (labels) {
    for (const [keys, into] of [
      [ZONE_KEYS, pinning.zones],
      [REGION_KEYS, pinning.regions],
    ] as const) {
      for (const key of keys) {
        const node = child(labels, key);
        if (node instanceof ScalarNode && typeof node.value === 'string') {
          // A multi-zone label joins zones with "__" (csi-translation-lib LabelMultiZoneDelimiter).
          for (const value of node.value.split('__')) {
            into.push({ value, field: fieldPath(['metadata', 'labels', key]), node: node as Node });
          }
        }
      }
    }
  }
  return pinning;
}

/** us-central1-a -> us-central1 (Compute Engine); us-east-1a -> us-east-1 (AWS). */
export function regionOfZone(zone: string): string {
  const gce = /^(.+-[a-z]+[0-9]+)-[a-z]$/.exec(zone);
  if (gce) return gce[1];
  const aws = /^(.+-[0-9]+)[a-z]$/.exec(zone);
  if (aws) return aws[1];
  return zone;
}

export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The platforms the configs accept (schemas.ts, dataVolumes.platform): each has its cloud. */
export type Platform = 'gke' | 'gke-autopilot' | 'eks' | 'anthos-aws';

export function cloudOf(platform: Platform): Cloud;
export function cloudOf(platform: string | undefined): Cloud | undefined;
export function cloudOf(platform: string | undefined): Cloud | undefined {
  if (platform === 'gke' || platform === 'gke-autopilot') return 'gce';
  if (platform === 'eks' || platform === 'anthos-aws') return 'aws';
  return undefined;
}

/** The CSI form of a disk on a cloud, as the CSI translation library writes it. */
export function csiSource(
  cloud: Cloud,
  place: { disk: string; project?: string; zone?: string },
  source: { fsType?: string; readOnly?: boolean; partition?: number },
): Record<string, unknown> {
  const volumeHandle =
    cloud === 'gce'
      ? `projects/${place.project ?? 'UNSPECIFIED'}/zones/${place.zone ?? 'UNSPECIFIED'}/disks/${place.disk}`
      : place.disk;
  const csi: Record<string, unknown> = {
    driver: cloud === 'gce' ? GCE_PD_DRIVER : EBS_DRIVER,
    volumeHandle,
    fsType: source.fsType ?? 'ext4',
  };
  if (source.readOnly) csi.readOnly = true;
  // csi-translation-lib carries an in-tree partition over as this volume attribute.
  if (source.partition) csi.volumeAttributes = { partition: String(source.partition) };
  return csi;
}

export function zoneKeyOf(cloud: Cloud): string {
  return cloud === 'gce' ? GKE_ZONE_KEY : ZONE_KEY;
}
