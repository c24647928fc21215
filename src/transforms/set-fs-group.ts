import type { SetFsGroupConfig } from '../config/types';
import {
  child,
  ensureMap,
  mapItems,
  plainValueAt,
  readInteger,
  readMap,
  readSeq,
  readString,
  setScalar,
} from '../yaml/edit';
import { containersOf } from '../workload/pod-specs';
import type { PodSpecRef } from '../workload/pod-specs';
import { guard, selectedPodSpecs } from './context';
import type { TransformContext } from './context';

/**
 * Sets `securityContext.fsGroup` on every selected pod so a non-root service
 * (in the token's group) can read the projected token. A different existing value is
 * a conflict unless `override` is set.
 *
 * With an fsGroup the kubelet changes the group (and group permissions) of every file
 * on each mounted volume that supports ownership management, on every mount unless
 * `fsGroupChangePolicy: OnRootMismatch`. On a pod that mounts a PersistentVolumeClaim
 * (the VM's migrated data) that is a slow walk that rewrites the data's ownership, so
 * such pods get OnRootMismatch unless a policy is given, or with `dataVolumes: skip`
 * no fsGroup at all.
 */
export function setFsGroup(ctx: TransformContext, config: SetFsGroupConfig): void {
  for (const pod of selectedPodSpecs(ctx, config)) {
    const { resource } = pod;
    guard(ctx, resource, () => {
      const scField = `${pod.field}.securityContext`;
      const fsGroupField = `${scField}.fsGroup`;
      const claims = dataVolumes(pod);
      if (claims.length && config.dataVolumes === 'skip') {
        ctx.results.push(
          resource.result(
            'info',
            `fsGroup not set (dataVolumes: skip): the pod mounts ${claims.join(', ')}, whose files the kubelet would regroup; give the service users access in the image instead`,
            fsGroupField,
          ),
        );
        return;
      }
      const existingContext = readMap(pod.node, 'securityContext', scField);
      const current = existingContext
        ? readInteger(existingContext, 'fsGroup', fsGroupField)
        : undefined;
      if (current !== undefined && current !== config.fsGroup && !config.override) {
        const result = resource.result(
          'error',
          `fsGroup is ${current}, the config asks for ${config.fsGroup}; set override: true to replace it`,
          fsGroupField,
          existingContext && child(existingContext, 'fsGroup'),
        );
        result.field = { ...result.field!, currentValue: current, proposedValue: config.fsGroup };
        ctx.results.push(result);
        return;
      }
      const securityContext = ensureMap(resource, pod.node, 'securityContext', scField);
      setScalar(resource, securityContext, 'fsGroup', config.fsGroup, fsGroupField);
      const policyField = `${scField}.fsGroupChangePolicy`;
      if (config.fsGroupChangePolicy) {
        setScalar(
          resource,
          securityContext,
          'fsGroupChangePolicy',
          config.fsGroupChangePolicy,
          policyField,
        );
      } else if (claims.length) {
        const current = readString(securityContext, 'fsGroupChangePolicy', policyField);
        if (current === undefined) {
          setScalar(
            resource,
            securityContext,
            'fsGroupChangePolicy',
            'OnRootMismatch',
            policyField,
          );
        }
        // Said on every run, not only the first, so that reruns give the same results.
        if ((current ?? 'OnRootMismatch') === 'OnRootMismatch') {
          ctx.results.push(
            resource.result(
              'info',
              `fsGroupChangePolicy: OnRootMismatch, as the pod mounts ${claims.join(', ')}: with fsGroup the kubelet otherwise changes the group of every file on it at every mount; set fsGroupChangePolicy (or dataVolumes: skip) in the config to choose`,
              policyField,
            ),
          );
        }
      }
    });
  }
}

/**
 * The claims a pod mounts: PersistentVolumeClaim and generic ephemeral volumes, and a
 * StatefulSet's volumeClaimTemplates its containers mount.
 */
export function dataVolumes(pod: PodSpecRef): string[] {
  const out: string[] = [];
  const volumesField = `${pod.field}.volumes`;
  mapItems(readSeq(pod.node, 'volumes', volumesField), volumesField).forEach((volume, i) => {
    const pvc = readMap(
      volume,
      'persistentVolumeClaim',
      `${volumesField}[${i}].persistentVolumeClaim`,
    );
    if (pvc) {
      const claim = plainValueAt(pvc, 'claimName');
      out.push(
        `PersistentVolumeClaim ${typeof claim === 'string' ? claim : String(plainValueAt(volume, 'name'))}`,
      );
    } else if (child(volume, 'ephemeral') !== undefined) {
      out.push(`ephemeral volume ${String(plainValueAt(volume, 'name'))}`);
    }
  });
  if (pod.resource.kind !== 'StatefulSet') return out;
  const spec = readMap(pod.resource.node, 'spec', 'spec');
  const templates = spec
    ? mapItems(
        readSeq(spec, 'volumeClaimTemplates', 'spec.volumeClaimTemplates'),
        'spec.volumeClaimTemplates',
      )
    : [];
  const mounted = new Set(
    containersOf(pod, ['containers', 'initContainers']).flatMap((c) => {
      const field = `${c.field}.volumeMounts`;
      return mapItems(readSeq(c.node, 'volumeMounts', field), field).map((m) =>
        plainValueAt(m, 'name'),
      );
    }),
  );
  templates.forEach((template, i) => {
    const metadata = readMap(template, 'metadata', `spec.volumeClaimTemplates[${i}].metadata`);
    const name = metadata && plainValueAt(metadata, 'name');
    if (typeof name === 'string' && mounted.has(name)) out.push(`volumeClaimTemplates ${name}`);
  });
  return out;
}
