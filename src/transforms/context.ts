import type { PodTemplatePath, Selector } from '../config/types';
import type { Resource } from '../krm/resource';
import type { ResourceSet } from '../krm/resource-set';
import type { Result } from '../krm/results';
import { FieldTypeError, readMap, readString } from '../yaml/edit';
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
    const result = resultOf(error, resource);
    if (!result) throw error;
    // hydrate's stages read the same fields: one bad field is reported once.
    // The message is compared first: the key is built only for results that share it.
    const key = problemKey(result);
    const seen = ctx.results.some((r) => r.message === result.message && problemKey(r) === key);
    if (!seen) ctx.results.push(result);
    return false;
  }
}

function resultOf(error: unknown, resource: Resource): Result | undefined {
  if (error instanceof FieldTypeError) {
    return resource.result('error', error.reason, error.field, error.node);
  }
  // A value nested deeper than the call stack goes (JSON.stringify, rendering) is this
  // resource's problem, not a crash of the run.
  if (error instanceof RangeError) {
    return resource.result('error', 'nested too deeply to process');
  }
  return undefined;
}

/** What makes two results one problem: severity, message, field, file, place and resource. */
function problemKey(r: Result): string {
  return JSON.stringify([
    r.severity,
    r.message,
    r.field?.path,
    r.file?.path,
    r.file?.index,
    r.tags?.line,
    r.tags?.column,
    r.resourceRef?.kind,
    r.resourceRef?.name,
    r.resourceRef?.namespace,
  ]);
}

/**
 * The metadata every function reads (selectors, local-config, lookups by name) must have
 * its Kubernetes shape; anything else is an error on that resource, not a silent skip.
 */
export function checkMetadata(resource: Resource): void {
  const metadata = readMap(resource.node, 'metadata', 'metadata');
  if (!metadata) return;
  readString(metadata, 'name', 'metadata.name');
  readString(metadata, 'namespace', 'metadata.namespace');
  readMap(metadata, 'labels', 'metadata.labels');
  readMap(metadata, 'annotations', 'metadata.annotations');
}

const metadataChecked = new WeakSet<Resource>();

/** Selected, non-local-config resources that have a pod spec. */
export function selectedPodSpecs(ctx: TransformContext, targeting: Targeting): PodSpecRef[] {
  const pods: PodSpecRef[] = [];
  for (const resource of [...ctx.set.resources]) {
    // Every stage goes through every resource: metadata that passed once is not read again.
    if (!metadataChecked.has(resource)) {
      if (!guard(ctx, resource, () => checkMetadata(resource))) continue;
      metadataChecked.add(resource);
    }
    if (resource.isLocalConfig() || !selectsResource(targeting.selector, resource)) continue;
    guard(ctx, resource, () => {
      const pod = podSpecOf(resource, targeting.podTemplatePaths);
      if (pod) pods.push(pod);
    });
  }
  return pods;
}
