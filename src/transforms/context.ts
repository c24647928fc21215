import type { PodTemplatePath, Selector } from '../config/types';
import type { Resource } from '../krm/resource';
import type { ResourceSet } from '../krm/resource-set';
import type { Result } from '../krm/results';
import { FieldTypeError } from '../yaml/edit';
import { podSpecOf } from '../workload/pod-specs';
import type { PodSpecRef } from '../workload/pod-specs';
import { selectsResource } from '../workload/selector';

/** What a transform is given: the resources and a place for its results. No I/O. */
export interface TransformContext {
  readonly set: ResourceSet;
  readonly results: Result[];
}

export interface Targeting {
  selector?: Selector;
  podTemplatePaths?: readonly PodTemplatePath[];
}

/**
 * Runs `fn` on `resource`; a field of the wrong type becomes an error result
 * naming the resource, the field and its line, instead of an exception.
 */
export function guard(ctx: TransformContext, resource: Resource, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (!(error instanceof FieldTypeError)) throw error;
    ctx.results.push(
      resource.result('error', `expected ${error.expected}`, error.field, error.node),
    );
    return false;
  }
}

/** Selected, non-local-config resources that have a pod spec. */
export function selectedPodSpecs(ctx: TransformContext, targeting: Targeting): PodSpecRef[] {
  const pods: PodSpecRef[] = [];
  for (const resource of [...ctx.set.resources]) {
    if (resource.isLocalConfig() || !selectsResource(targeting.selector, resource)) continue;
    guard(ctx, resource, () => {
      const pod = podSpecOf(resource, targeting.podTemplatePaths ?? []);
      if (pod) pods.push(pod);
    });
  }
  return pods;
}
