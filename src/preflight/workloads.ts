import { isMap, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import { readString } from '../yaml/edit';
import { containersOf, podSpecOf } from '../workload/pod-specs';
import type { ContainerRef, PodSpecRef } from '../workload/pod-specs';
import { selectsContainer, selectsResource } from '../workload/selector';
import type { PreflightContext } from './context';

/** A pod template that will run on the target cluster, with what the checks need to know. */
export interface Workload {
  pod: PodSpecRef;
  resource: Resource;
  namespace: string | undefined;
  /** The ServiceAccount the pods run as (`default` when unnamed). */
  serviceAccountName: string;
  /** The ServiceAccount when the package holds it. */
  serviceAccount?: Resource;
  /** Containers and init containers the selector picks. */
  containers: ContainerRef[];
}

/** Selected, deployable (not local-config) resources with a pod template. */
export function workloadsOf(ctx: PreflightContext): Workload[] {
  const out: Workload[] = [];
  const { selector, podTemplatePaths } = ctx.config;
  for (const resource of ctx.set.resources) {
    if (resource.isLocalConfig() || !selectsResource(selector, resource)) continue;
    ctx.safely(resource, () => {
      const pod = podSpecOf(resource, podTemplatePaths ?? []);
      if (!pod) return;
      const serviceAccountName =
        readString(pod.node, 'serviceAccountName', `${pod.field}.serviceAccountName`) ??
        readString(pod.node, 'serviceAccount', `${pod.field}.serviceAccount`) ??
        'default';
      const containers = containersOf(pod, ['containers', 'initContainers']).filter((c) =>
        selectsContainer(selector, c.name),
      );
      out.push({
        pod,
        resource,
        namespace: resource.namespace,
        serviceAccountName,
        serviceAccount: findResource(
          ctx.set,
          'ServiceAccount',
          serviceAccountName,
          resource.namespace,
        ),
        containers,
      });
    });
  }
  return out;
}

/** A container's env var by name: its item node and literal value (undefined for valueFrom). */
export function envVar(
  container: ContainerRef,
  name: string,
): { node: YAMLMap; value?: string; field: string } | undefined {
  const env = container.node.get('env', true);
  if (!isSeq(env)) return undefined;
  for (let i = 0; i < env.items.length; i++) {
    const item = env.items[i];
    if (!isMap(item) || item.get('name') !== name) continue;
    const value = item.get('value');
    return {
      node: item,
      value: typeof value === 'string' ? value : undefined,
      field: `${container.field}.env[${i}]`,
    };
  }
  return undefined;
}
