import { isScalar } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { LinkKubernetesInfoSecretsConfig } from '../config/types';
import { CHAIN_ARG0, LINK_SCRIPT_MARKER, linkScript, tmpfilesLine } from '../shell/link-script';
import { createPlainNode } from '../yaml/create-node';
import { ensureMap, FieldTypeError, readMap, readSeq } from '../yaml/edit';
import { containerKind } from '../workload/container-kind';
import { ensureConfigMap, ensureVolume, ensureVolumeMount } from '../workload/pod-edit';
import { containersOf } from '../workload/pod-specs';
import type { ContainerRef } from '../workload/pod-specs';
import { selectsContainer } from '../workload/selector';
import { guard, selectedPodSpecs } from './context';
import type { TransformContext } from './context';

export const TMPFILES_CONFIGMAP = 'retarget-kubernetes-info-secrets';
export const TMPFILES_VOLUME = 'retarget-tmpfiles';
/** Also the file name `retarget dockerfile` writes, so image and mount hold one link line. */
export const TMPFILES_KEY = 'retarget-kubernetes-info-secrets.conf';

/**
 * Legacy-runtime containers see pod secrets under /kubernetes-info/secrets. This adds a
 * postStart step that links /var/run/secrets there (chaining an existing exec hook) and,
 * for systemd images, a tmpfiles.d drop-in that restores the link when /run is remounted.
 * Service-manager and plain containers use the standard paths and are left alone.
 */
export function linkKubernetesInfoSecrets(
  ctx: TransformContext,
  config: LinkKubernetesInfoSecretsConfig,
): void {
  for (const pod of selectedPodSpecs(ctx, config)) {
    guard(ctx, pod.resource, () => {
      const legacy = containersOf(pod).filter(
        (c) =>
          selectsContainer(config.selector, c.name) &&
          containerKind(c, config.runtime, config.containerRuntimes) === 'legacy',
      );
      for (const container of legacy) ensureLinkHook(ctx, container, config);
      if (config.initSystem !== 'systemd' || !legacy.length) return;
      ensureConfigMap(
        ctx.set,
        TMPFILES_CONFIGMAP,
        pod.resource.namespace,
        { [TMPFILES_KEY]: tmpfilesLine(config.source, config.target) },
        pod.resource,
      );
      ensureVolume(pod, { name: TMPFILES_VOLUME, configMap: { name: TMPFILES_CONFIGMAP } });
      for (const container of legacy) {
        ensureVolumeMount(container, {
          name: TMPFILES_VOLUME,
          mountPath: `/etc/tmpfiles.d/${TMPFILES_KEY}`,
          subPath: TMPFILES_KEY,
          readOnly: true,
        });
      }
    });
  }
}

function ensureLinkHook(
  ctx: TransformContext,
  container: ContainerRef,
  config: LinkKubernetesInfoSecretsConfig,
): void {
  const resource = container.pod.resource;
  const lifecycleField = `${container.field}.lifecycle`;
  const postStartField = `${lifecycleField}.postStart`;
  const execField = `${postStartField}.exec`;
  const lifecycle = readMap(container.node, 'lifecycle', lifecycleField);
  const postStart = lifecycle && readMap(lifecycle, 'postStart', postStartField);
  let chained: string[] | undefined;
  if (postStart) {
    const others = postStart.items
      // A key's text: a scalar's value, or a complex key as YAML rather than nothing.
      .map((pair) => String(pair.key))
      .filter((key) => key !== 'exec');
    if (others.length) {
      ctx.results.push(
        resource.result(
          'error',
          `postStart is a ${others.join(', ')} handler, which cannot be chained with the link step; turn it into an exec hook`,
          postStartField,
          postStart,
        ),
      );
      return;
    }
    const current = commandOf(postStart, execField);
    chained = isLinkCommand(current)
      ? current[3] === CHAIN_ARG0
        ? current.slice(4)
        : undefined
      : current.length
        ? current
        : undefined;
    const desired = linkCommand(config, chained);
    if (current.length === desired.length && current.every((arg, i) => arg === desired[i])) return;
  }
  const desired = linkCommand(config, chained);
  const exec = ensureMap(
    resource,
    ensureMap(
      resource,
      ensureMap(resource, container.node, 'lifecycle', lifecycleField),
      'postStart',
      postStartField,
    ),
    'exec',
    execField,
  );
  exec.set('command', createPlainNode(resource.doc, desired));
  resource.touch();
}

function linkCommand(
  config: LinkKubernetesInfoSecretsConfig,
  chained: string[] | undefined,
): string[] {
  return chained
    ? ['/bin/sh', '-c', linkScript(config.source, config.target, true), CHAIN_ARG0, ...chained]
    : ['/bin/sh', '-c', linkScript(config.source, config.target, false)];
}

function isLinkCommand(command: readonly string[]): boolean {
  return (
    command[0] === '/bin/sh' &&
    command[1] === '-c' &&
    command[2]?.startsWith(LINK_SCRIPT_MARKER) === true
  );
}

function commandOf(postStart: YAMLMap, execField: string): string[] {
  const exec = readMap(postStart, 'exec', execField);
  if (!exec) return [];
  const field = `${execField}.command`;
  const seq = readSeq(exec, 'command', field);
  return (seq?.items ?? []).map((item, i) => {
    if (!isScalar(item) || typeof item.value !== 'string') {
      throw new FieldTypeError(`${field}[${i}]`, 'a string', item as Node);
    }
    return item.value;
  });
}
