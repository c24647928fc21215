import type { Node, YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import { fieldPath } from '../preflight/field-path';
import { MapNode, ScalarNode } from '../yaml/classes';
import { child, readMap, readSeq } from '../yaml/edit';

/**
 * The fields the API server (and its controllers) wrote into the processing cluster's
 * PersistentVolumes and claims, each with why it must not reach another cluster. The
 * same list drives the preflight check (`server-populated-metadata`) and what
 * port-data-volumes removes: nothing else is removed.
 */
export interface ServerField {
  /** Path under the resource; the annotation key alone in SERVER_ANNOTATIONS. */
  field: string;
  /** What it does on the target, for the finding. */
  why: string;
  /** error: apply fails or the claim never binds; warning: misbehaves. */
  severity: 'error' | 'warning';
}

export const SERVER_METADATA: readonly ServerField[] = [
  {
    field: 'metadata.resourceVersion',
    why: 'kubectl apply fails on create ("resourceVersion should not be set on objects to be created")',
    severity: 'error',
  },
  {
    field: 'metadata.uid',
    why: 'the processing cluster\'s uid: an update or delete with it as precondition fails ("Precondition failed: UID in precondition")',
    severity: 'warning',
  },
  {
    field: 'metadata.selfLink',
    why: 'names the object on the processing cluster (the field is deprecated and ignored)',
    severity: 'warning',
  },
  {
    field: 'metadata.generation',
    why: 'a server counter of the processing cluster',
    severity: 'warning',
  },
  {
    field: 'metadata.managedFields',
    why: "the processing cluster's field ownership: server-side apply takes it as the new owners'",
    severity: 'warning',
  },
  {
    field: 'metadata.deletionTimestamp',
    why: 'the object was being deleted on the processing cluster',
    severity: 'warning',
  },
  {
    field: 'metadata.deletionGracePeriodSeconds',
    why: 'the object was being deleted on the processing cluster',
    severity: 'warning',
  },
];

/** Annotations the binder and provisioners write; each makes the target's controllers misbehave. */
export const SERVER_ANNOTATIONS: readonly ServerField[] = [
  {
    field: 'pv.kubernetes.io/bind-completed',
    why: 'the PV controller takes the claim as already bound and skips binding it (the claim goes Lost when the volume does not name it)',
    severity: 'error',
  },
  {
    field: 'pv.kubernetes.io/bound-by-controller',
    why: 'the PV controller takes the binding for its own and may undo it',
    severity: 'warning',
  },
  {
    field: 'pv.kubernetes.io/provisioned-by',
    why: 'a provisioner of that name deletes the disk when the volume is released with reclaim policy Delete',
    severity: 'warning',
  },
  {
    field: 'pv.kubernetes.io/migrated-to',
    why: "the processing cluster's CSI migration state",
    severity: 'warning',
  },
  {
    field: 'volume.kubernetes.io/selected-node',
    why: 'names a node of the processing cluster: the claim waits for it and is never provisioned',
    severity: 'error',
  },
  {
    field: 'volume.kubernetes.io/storage-provisioner',
    why: "the processing cluster's provisioner for the claim",
    severity: 'warning',
  },
  {
    field: 'volume.beta.kubernetes.io/storage-provisioner',
    why: "the processing cluster's provisioner for the claim",
    severity: 'warning',
  },
  {
    field: 'kubectl.kubernetes.io/last-applied-configuration',
    why: "kubectl apply computes what to delete from the processing cluster's last configuration",
    severity: 'warning',
  },
];

/**
 * The controllers' finalizers: the protection ones (the target's controllers add their
 * own), the CSI provisioner's, and the CSI attacher's (`external-attacher/<driver>`,
 * held while the volume was attached to a node of the processing cluster).
 */
export const SERVER_FINALIZERS = [
  'kubernetes.io/pv-protection',
  'kubernetes.io/pvc-protection',
  'external-provisioner.volume.kubernetes.io/finalizer',
];

export function isServerFinalizer(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    (SERVER_FINALIZERS.includes(value) || value.startsWith('external-attacher/'))
  );
}

export const CLAIM_REF_FIELDS: readonly ServerField[] = [
  {
    field: 'spec.claimRef.uid',
    why: "the processing cluster's claim: the volume is taken as bound to a claim that is gone (Released) and never binds",
    severity: 'error',
  },
  {
    field: 'spec.claimRef.resourceVersion',
    why: "a version of the processing cluster's claim",
    severity: 'warning',
  },
];

export interface Found extends ServerField {
  node?: Node;
}

/** The server-populated fields a resource holds (only those of the lists above). */
export function serverFieldsOf(resource: Resource, storage: boolean): Found[] {
  const found: Found[] = [];
  const metadata = readMap(resource.node, 'metadata', 'metadata');
  if (!metadata) return found;
  for (const f of SERVER_METADATA) {
    const node = child(metadata, f.field.slice('metadata.'.length));
    if (node !== undefined) found.push({ ...f, node });
  }
  if (!storage) return found;
  const annotations = readMap(metadata, 'annotations', 'metadata.annotations');
  for (const f of SERVER_ANNOTATIONS) {
    const node = annotations && child(annotations, f.field);
    if (node !== undefined)
      found.push({ ...f, field: fieldPath(['metadata', 'annotations', f.field]), node });
  }
  const spec = readMap(resource.node, 'spec', 'spec');
  const claimRef = spec && readMap(spec, 'claimRef', 'spec.claimRef');
  for (const f of CLAIM_REF_FIELDS) {
    const node = claimRef && child(claimRef, f.field.slice('spec.claimRef.'.length));
    if (node !== undefined) found.push({ ...f, node });
  }
  return found;
}

/**
 * Removes the server-populated fields of a PersistentVolume or claim: the lists above,
 * the protection finalizers, a non-null creationTimestamp and a non-empty status (the
 * generator's own `creationTimestamp: null` and `status: {}` stay). Returns what went.
 */
export function stripServerFields(resource: Resource): string[] {
  const removed: string[] = [];
  const metadata = readMap(resource.node, 'metadata', 'metadata');
  if (metadata) {
    for (const f of SERVER_METADATA) {
      if (remove(metadata, f.field.slice('metadata.'.length))) removed.push(f.field);
    }
    if (remove(metadata, 'creationTimestamp')) removed.push('metadata.creationTimestamp');
    const annotations = readMap(metadata, 'annotations', 'metadata.annotations');
    if (annotations) {
      const before = annotations.items.length;
      for (const f of SERVER_ANNOTATIONS) {
        if (remove(annotations, f.field))
          removed.push(fieldPath(['metadata', 'annotations', f.field]));
      }
      // Emptied here: the map goes too. One the package wrote empty is not ours to remove.
      if (annotations.items.length === 0 && before > 0) metadata.delete('annotations');
    }
    const finalizers = readSeq(metadata, 'finalizers', 'metadata.finalizers');
    if (finalizers) {
      const before = finalizers.items.length;
      finalizers.items = finalizers.items.filter(
        (item) => !(item instanceof ScalarNode && isServerFinalizer(item.value)),
      );
      if (finalizers.items.length !== before) removed.push('metadata.finalizers');
      if (finalizers.items.length === 0 && before > 0) metadata.delete('finalizers');
    }
  }
  const spec = readMap(resource.node, 'spec', 'spec');
  const claimRef = spec && readMap(spec, 'claimRef', 'spec.claimRef');
  if (claimRef) {
    for (const f of CLAIM_REF_FIELDS) {
      if (remove(claimRef, f.field.slice('spec.claimRef.'.length))) removed.push(f.field);
    }
  }
  // remove() finds nothing when there is no status; an empty map is the generator's own.
  if (!isEmptyMap(child(resource.node, 'status')) && remove(resource.node, 'status')) {
    removed.push('status');
  }
  if (removed.length) resource.touch();
  return removed;
}

function remove(map: YAMLMap, key: string): boolean {
  // child() treats an explicit null as absent: `creationTimestamp: null` stays.
  if (child(map, key) === undefined) return false;
  return map.delete(key);
}

function isEmptyMap(node: unknown): boolean {
  return node instanceof MapNode && node.items.length === 0;
}
