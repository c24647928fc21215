import type { YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import type { PodTemplatePath } from '../config/types';
import { mapItems, plainValueAt, readMap, readSeq } from '../yaml/edit';

/** Where each built-in workload kind keeps its pod spec (any apiVersion). */
export const BUILTIN_POD_SPEC_PATHS: Record<string, readonly string[]> = {
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

/** A pod spec path as keys, and the dotted field of each step (`spec`, `spec.template`, ...). */
interface SpecPath {
  keys: readonly string[];
  fields: readonly string[];
}

function specPath(dotted: string): SpecPath {
  const keys = dotted.split('.');
  return { keys, fields: keys.map((_, i) => keys.slice(0, i + 1).join('.')) };
}

// Made once: every stage asks for every workload's pod spec.
const BUILTIN_SPEC_PATHS = new Map(
  Object.entries(BUILTIN_POD_SPEC_PATHS).map(([kind, keys]) => [kind, specPath(keys.join('.'))]),
);
const CUSTOM_SPEC_PATHS = new Map<string, SpecPath>();

function podSpecPath(resource: Resource, custom: readonly PodTemplatePath[]): SpecPath | undefined {
  const kind = resource.kind;
  const match = custom.length
    ? custom.find(
        (p) =>
          p.kind === kind && (p.apiVersion === undefined || p.apiVersion === resource.apiVersion),
      )
    : undefined;
  if (match) {
    let path = CUSTOM_SPEC_PATHS.get(match.path);
    if (!path) CUSTOM_SPEC_PATHS.set(match.path, (path = specPath(match.path)));
    return path;
  }
  // A Map, not an object: a kind named `constructor` is no workload.
  return BUILTIN_SPEC_PATHS.get(kind);
}

/** The pod spec of a workload, or undefined when the kind has none or it is absent. */
export function podSpecOf(
  resource: Resource,
  custom: readonly PodTemplatePath[] = [],
): PodSpecRef | undefined {
  const path = podSpecPath(resource, custom);
  if (!path) return undefined;
  const { keys, fields } = path;
  let node: YAMLMap | undefined = resource.node;
  for (let i = 0; i < keys.length; i++) {
    node = readMap(node, keys[i], fields[i]);
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
      const name = plainValueAt(node, 'name');
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
