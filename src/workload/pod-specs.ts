import type { YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import type { PodTemplatePath } from '../config/types';
import { mapItems, readMap, readSeq } from '../yaml/edit';

/** Where each built-in workload kind keeps its pod spec (any apiVersion). */
const BUILTIN_POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export interface PodSpecRef {
  resource: Resource;
  node: YAMLMap;
  /** Dotted field path of the pod spec, e.g. `spec.template.spec`. */
  field: string;
}

export interface ContainerRef {
  pod: PodSpecRef;
  node: YAMLMap;
  name: string;
  /** `containers` or `initContainers`. */
  list: 'containers' | 'initContainers';
  field: string;
}

function podSpecPath(
  resource: Resource,
  custom: readonly PodTemplatePath[],
): readonly string[] | undefined {
  const match = custom.find(
    (p) =>
      p.kind === resource.kind &&
      (p.apiVersion === undefined || p.apiVersion === resource.apiVersion),
  );
  if (match) return match.path.split('.');
  // Own properties only: a kind named `constructor` is no workload.
  const kind = resource.kind;
  return Object.hasOwn(BUILTIN_POD_SPEC_PATHS, kind) ? BUILTIN_POD_SPEC_PATHS[kind] : undefined;
}

/** The dotted field of each step of a path (`spec`, `spec.template`, ...), made once per path. */
const FIELDS_OF_PATH = new Map<string, string[]>();

function fieldsOf(path: readonly string[]): string[] {
  const key = path.join('.');
  let fields = FIELDS_OF_PATH.get(key);
  if (!fields) {
    fields = path.map((_, i) => path.slice(0, i + 1).join('.'));
    FIELDS_OF_PATH.set(key, fields);
  }
  return fields;
}

/** The pod spec of a workload, or undefined when the kind has none or it is absent. */
export function podSpecOf(
  resource: Resource,
  custom: readonly PodTemplatePath[] = [],
): PodSpecRef | undefined {
  const path = podSpecPath(resource, custom);
  if (!path) return undefined;
  const fields = fieldsOf(path);
  let node: YAMLMap | undefined = resource.node;
  for (let i = 0; i < path.length; i++) {
    node = readMap(node, path[i], fields[i]);
    if (!node) return undefined;
  }
  return { resource, node, field: fields[fields.length - 1] };
}

export function containersOf(
  pod: PodSpecRef,
  lists: readonly ('containers' | 'initContainers')[] = ['containers'],
): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of lists) {
    const field = `${pod.field}.${list}`;
    mapItems(readSeq(pod.node, list, field), field).forEach((node, i) => {
      const name = node.get('name');
      out.push({
        pod,
        node,
        name: typeof name === 'string' ? name : '',
        list,
        field: `${field}[${i}]`,
      });
    });
  }
  return out;
}

export function isWorkloadKind(kind: string, custom: readonly PodTemplatePath[] = []): boolean {
  return Object.hasOwn(BUILTIN_POD_SPEC_PATHS, kind) || custom.some((p) => p.kind === kind);
}
