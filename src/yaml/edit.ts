import { isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { MapNode, ScalarNode, SeqNode } from './classes';
import { createPlainNode } from './create-node';

/** A field that exists but holds the wrong kind of value (e.g. `containers` as a map). */
export class FieldTypeError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly node: Node | undefined,
  ) {
    super(`${field}: expected ${expected}, found ${describe(node)}`);
    this.name = 'FieldTypeError';
  }

  /** What was expected and what was found, without the field (results carry it apart). */
  get reason(): string {
    return `expected ${this.expected}, found ${describe(this.node)}`;
  }
}

/**
 * The kind of value found, never the value: the field may be a Secret's data, an env
 * value or any other credential, and messages reach logs and CI output.
 */
function describe(node: Node | undefined): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : typeof node.value;
  return 'nothing';
}

/**
 * `fn()`, or `fallback` when it meets a field of the wrong type: for lookups into other
 * resources, whose fields are reported where those resources are checked.
 */
export function leniently<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FieldTypeError) return fallback;
    throw error;
  }
}

/** Something that owns nodes: creates them in its document and records that it changed. */
export interface NodeOwner {
  readonly doc: Document;
  touch(): void;
}

export function child(parent: YAMLMap, key: string): Node | undefined {
  const value = valueAt(parent, key);
  // Missing (undefined) or null: no value either way.
  if (value instanceof ScalarNode && value.value === null) return undefined;
  return value as Node | undefined;
}

/**
 * `parent.get(key, true)` for a string key, as a plain loop: transforms look fields up
 * a few hundred times per workload, and yaml's lookup tests node types through symbols.
 */
export function valueAt(parent: YAMLMap, key: string): unknown {
  const items = parent.items;
  for (let i = 0; i < items.length; i++) {
    const pair = items[i];
    const k = pair.key;
    if (k === key || (k instanceof ScalarNode && k.value === key)) return pair.value ?? undefined;
  }
  return undefined;
}

export function readMap(parent: YAMLMap, key: string, field: string): YAMLMap | undefined {
  const value = child(parent, key);
  if (value === undefined) return undefined;
  if (!(value instanceof MapNode)) throw new FieldTypeError(field, 'a map', value);
  return value as YAMLMap;
}

export function readSeq(parent: YAMLMap, key: string, field: string): YAMLSeq | undefined {
  const value = child(parent, key);
  if (value === undefined) return undefined;
  if (!(value instanceof SeqNode)) throw new FieldTypeError(field, 'a list', value);
  return value;
}

export function readScalar(parent: YAMLMap, key: string, field: string): unknown {
  const value = child(parent, key);
  if (value === undefined) return undefined;
  if (!(value instanceof ScalarNode)) throw new FieldTypeError(field, 'a scalar', value);
  return value.value;
}

export function readString(parent: YAMLMap, key: string, field: string): string | undefined {
  const value = child(parent, key);
  if (value === undefined) return undefined;
  if (!(value instanceof ScalarNode) || typeof value.value !== 'string') {
    throw new FieldTypeError(field, 'a string', value);
  }
  return value.value;
}

export function readInteger(parent: YAMLMap, key: string, field: string): number | undefined {
  const value = readScalar(parent, key, field);
  if (value === undefined) return undefined;
  // Number.isInteger is false for anything but a number.
  if (!Number.isInteger(value)) throw new FieldTypeError(field, 'an integer', child(parent, key));
  return value as number;
}

/** Map items of a list; any other item is a type error naming its index. */
export function mapItems(seq: YAMLSeq | undefined, field: string): YAMLMap[] {
  if (!seq) return [];
  return seq.items.map((item, i) => {
    if (!(item instanceof MapNode))
      throw new FieldTypeError(`${field}[${i}]`, 'a map', item as Node);
    return item as YAMLMap;
  });
}

export function ensureMap(owner: NodeOwner, parent: YAMLMap, key: string, field: string): YAMLMap {
  const existing = readMap(parent, key, field);
  if (existing) {
    if (existing.flow && existing.items.length === 0) existing.flow = false;
    return existing;
  }
  const created = new YAMLMap(owner.doc.schema);
  parent.set(key, created);
  owner.touch();
  return created;
}

export function ensureSeq(owner: NodeOwner, parent: YAMLMap, key: string, field: string): YAMLSeq {
  const existing = readSeq(parent, key, field);
  if (existing) {
    if (existing.flow && existing.items.length === 0) existing.flow = false;
    return existing;
  }
  const created = new YAMLSeq(owner.doc.schema);
  parent.set(key, created);
  owner.touch();
  return created;
}

/** Sets a scalar; returns false (and changes nothing) when it already holds `value`. */
export function setScalar(
  owner: NodeOwner,
  parent: YAMLMap,
  key: string,
  value: string | number | boolean,
  field: string,
): boolean {
  const existing = child(parent, key);
  if (existing !== undefined && !isScalar(existing)) {
    throw new FieldTypeError(field, `a ${typeof value}`, existing);
  }
  if (isScalar(existing)) {
    if (existing.value === value && !existing.tag) return false;
    // A quoting style chosen for another type (e.g. "1234" for a number) would misstate it.
    if (typeof existing.value !== typeof value) existing.type = undefined;
    // The old node's tag (`!!binary`, `!!str`, `!Custom`) describes the old value, not this
    // one: kept, it would make `fsGroup: !!binary 2000`, which kubectl rejects.
    existing.tag = undefined;
    existing.value = value;
  } else {
    parent.set(key, new Scalar(value));
  }
  owner.touch();
  return true;
}

/** Appends a plain value (converted to nodes in the owner's document) to a list. */
export function appendValue(owner: NodeOwner, seq: YAMLSeq, value: unknown): Node {
  const node = createPlainNode(owner.doc, value);
  seq.items.push(node);
  owner.touch();
  return node;
}

/** Index of the map item whose `name` equals `name`, or -1. */
export function indexByName(items: readonly YAMLMap[], name: string): number {
  return items.findIndex((item) => plainValueAt(item, 'name') === name);
}

/** `map.get(key)`: a scalar's value, or the node itself (see valueAt). */
export function plainValueAt(map: YAMLMap, key: string): unknown {
  const value = valueAt(map, key);
  return value instanceof ScalarNode ? value.value : value;
}
