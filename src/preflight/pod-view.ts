import type { Node, YAMLMap } from 'yaml';
import { ScalarNode } from '../yaml/classes';
import { child, FieldTypeError, mapItems, readMap, readSeq, readString } from '../yaml/edit';
import { fieldPath } from './field-path';

/** One container of a pod (init, regular or ephemeral), with its security context. */
export interface ContainerView {
  node: YAMLMap;
  name: string;
  field: string;
  /** `securityContext`, when set. */
  sc?: YAMLMap;
}

/** A security context (the pod's or a container's) and who sets it, for messages. */
export interface ContextView {
  sc: YAMLMap;
  field: string;
  /** `the pod` or `container "app"`. */
  who: string;
}

/**
 * The security-relevant fields of one pod spec and its metadata, read the way the API
 * server decodes them: a field of the wrong type stops the check as a schema error.
 */
export class PodView {
  readonly containers: ContainerView[] = [];
  readonly podSc?: YAMLMap;
  readonly podScField: string;
  readonly metadataField: string;

  constructor(
    readonly spec: YAMLMap,
    readonly field: string,
    readonly metadata: YAMLMap | undefined,
    private readonly metadataPath: readonly string[],
  ) {
    this.metadataField = fieldPath(metadataPath);
    this.podScField = `${field}.securityContext`;
    this.podSc = readMap(spec, 'securityContext', this.podScField);
    // The admission plugin's visitContainers order: init, regular, ephemeral.
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      const listField = `${field}.${list}`;
      mapItems(readSeq(spec, list, listField), listField).forEach((node, i) => {
        const cField = `${listField}[${i}]`;
        const name = readString(node, 'name', `${cField}.name`) ?? '';
        const sc = readMap(node, 'securityContext', `${cField}.securityContext`);
        this.containers.push({ node, name, field: cField, sc });
      });
    }
  }

  /** `spec.os.name: windows`: the plugin relaxes the Linux-only restricted controls. */
  get windows(): boolean {
    const os = readMap(this.spec, 'os', `${this.field}.os`);
    return os !== undefined && readString(os, 'name', `${this.field}.os.name`) === 'windows';
  }

  /** `hostUsers: false`: the pod runs in a user namespace. */
  get userNamespace(): boolean {
    return bool(this.spec, 'hostUsers', `${this.field}.hostUsers`) === false;
  }

  /** The pod's security context, then each container's that is set. */
  contexts(): ContextView[] {
    const out: ContextView[] = [];
    if (this.podSc) out.push({ sc: this.podSc, field: this.podScField, who: 'the pod' });
    for (const c of this.containers) {
      if (c.sc) out.push({ sc: c.sc, field: `${c.field}.securityContext`, who: who(c) });
    }
    return out;
  }

  /** The pod's annotations (the template's for a workload). */
  annotations(): { key: string; value: string; node: Node; field: string }[] {
    if (!this.metadata) return [];
    const annotations = readMap(this.metadata, 'annotations', `${this.metadataField}.annotations`);
    if (!annotations) return [];
    const out: { key: string; value: string; node: Node; field: string }[] = [];
    for (const pair of annotations.items) {
      const key = pair.key instanceof ScalarNode ? String(pair.key.value) : String(pair.key);
      const value = pair.value instanceof ScalarNode ? pair.value.value : pair.value;
      out.push({
        key,
        value: String(value ?? ''),
        node: (pair.value ?? pair.key) as Node,
        field: fieldPath([...this.metadataPath, 'annotations', key]),
      });
    }
    return out;
  }
}

/** `container "name"`, as the plugin names containers. */
export function who(c: ContainerView): string {
  return `container ${JSON.stringify(c.name)}`;
}

/** A boolean field: undefined when unset or null. */
export function bool(map: YAMLMap, key: string, field: string): boolean | undefined {
  const node = child(map, key);
  if (node === undefined) return undefined;
  if (!(node instanceof ScalarNode) || typeof node.value !== 'boolean') {
    throw new FieldTypeError(field, 'a boolean', node);
  }
  return node.value;
}

/** An integer field: undefined when unset or null. */
export function integer(map: YAMLMap, key: string, field: string): number | undefined {
  const node = child(map, key);
  if (node === undefined) return undefined;
  // Number.isInteger is false for anything but a number: it checks the type as well.
  if (!(node instanceof ScalarNode) || !Number.isInteger(node.value)) {
    throw new FieldTypeError(field, 'an integer', node);
  }
  return node.value as number;
}

/** The strings of a list field (`capabilities.add`), each with its node and field. */
export function strings(
  map: YAMLMap,
  key: string,
  field: string,
): { value: string; node: Node; field: string }[] {
  const seq = readSeq(map, key, `${field}`);
  if (!seq) return [];
  return seq.items.map((item, i) => {
    if (!(item instanceof ScalarNode) || typeof item.value !== 'string') {
      throw new FieldTypeError(`${field}[${i}]`, 'a string', item as Node);
    }
    return { value: item.value, node: item as Node, field: `${field}[${i}]` };
  });
}
