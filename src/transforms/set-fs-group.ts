import type { SetFsGroupConfig } from '../config/types';
import { child, ensureMap, readInteger, readMap, setScalar } from '../yaml/edit';
import { guard, selectedPodSpecs } from './context';
import type { TransformContext } from './context';

/**
 * Sets `securityContext.fsGroup` on every selected pod so a non-root service
 * (in the token's group) can read the projected token. A different existing value is
 * a conflict unless `override` is set.
 */
export function setFsGroup(ctx: TransformContext, config: SetFsGroupConfig): void {
  for (const pod of selectedPodSpecs(ctx, config)) {
    const { resource } = pod;
    guard(ctx, resource, () => {
      const scField = `${pod.field}.securityContext`;
      const existingContext = readMap(pod.node, 'securityContext', scField);
      const current = existingContext
        ? readInteger(existingContext, 'fsGroup', `${scField}.fsGroup`)
        : undefined;
      if (current !== undefined && current !== config.fsGroup && !config.override) {
        const result = resource.result(
          'error',
          `fsGroup is ${current}, the config asks for ${config.fsGroup}; set override: true to replace it`,
          `${scField}.fsGroup`,
          existingContext && child(existingContext, 'fsGroup'),
        );
        result.field = { ...result.field!, currentValue: current, proposedValue: config.fsGroup };
        ctx.results.push(result);
        return;
      }
      const securityContext = ensureMap(resource, pod.node, 'securityContext', scField);
      setScalar(resource, securityContext, 'fsGroup', config.fsGroup, `${scField}.fsGroup`);
      if (config.fsGroupChangePolicy) {
        setScalar(
          resource,
          securityContext,
          'fsGroupChangePolicy',
          config.fsGroupChangePolicy,
          `${scField}.fsGroupChangePolicy`,
        );
      }
    });
  }
}
