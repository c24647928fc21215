import { isMap, isScalar } from 'yaml';
import type { Document, LineCounter, Node, YAMLMap } from 'yaml';
import { MapNode, ScalarNode } from '../yaml/classes';
import { valueAt } from '../yaml/edit';
import type { NodeOwner } from '../yaml/edit';
import type { ResourceRef, Result, Severity } from './results';

export const LOCAL_CONFIG_ANNOTATION = 'config.kubernetes.io/local-config';

/** Where a resource came from, for located results. */
export interface ResourceOrigin {
  path?: string;
  index?: number;
  lineCounter?: LineCounter;
}

/** One KRM object: a YAML map node inside a document, edited in place. */
export class Resource implements NodeOwner {
  changed = false;

  constructor(
    readonly node: YAMLMap,
    readonly doc: Document,
    readonly origin: ResourceOrigin,
    private readonly onTouch?: () => void,
  ) {}

  touch(): void {
    this.changed = true;
    this.onTouch?.();
  }

  get apiVersion(): string {
    return stringAt(this.node, 'apiVersion');
  }

  get kind(): string {
    return stringAt(this.node, 'kind');
  }

  get metadata(): YAMLMap | undefined {
    const metadata = valueAt(this.node, 'metadata');
    return metadata instanceof MapNode ? (metadata as YAMLMap) : undefined;
  }

  get name(): string {
    const metadata = this.metadata;
    return metadata ? stringAt(metadata, 'name') : '';
  }

  /** undefined when the resource names no namespace. */
  get namespace(): string | undefined {
    const metadata = this.metadata;
    const ns = metadata ? stringAt(metadata, 'namespace') : '';
    return ns || undefined;
  }

  labels(): Record<string, string> {
    return stringMap(this.metadata?.get('labels'));
  }

  annotations(): Record<string, string> {
    return stringMap(this.metadata?.get('annotations'));
  }

  isLocalConfig(): boolean {
    // Read directly: every stage asks this of every resource.
    const metadata = this.metadata;
    const annotations = metadata && valueAt(metadata, 'annotations');
    const value = isMap(annotations) ? valueAt(annotations, LOCAL_CONFIG_ANNOTATION) : undefined;
    // A string or a boolean that reads `true` (String(null) is 'null').
    return isScalar(value) && String(value.value) === 'true';
  }

  ref(): ResourceRef {
    const ref: ResourceRef = { apiVersion: this.apiVersion, kind: this.kind, name: this.name };
    if (this.namespace) ref.namespace = this.namespace;
    return ref;
  }

  /** A result about this resource; `node` adds the line when the source is known. */
  result(severity: Severity, message: string, fieldPath?: string, node?: Node): Result {
    const result: Result = { message, severity, resourceRef: this.ref() };
    if (fieldPath) result.field = { path: fieldPath };
    if (this.origin.path !== undefined) {
      result.file = { path: this.origin.path };
      if (this.origin.index !== undefined) result.file.index = this.origin.index;
    }
    const offset = (node ?? this.node).range?.[0];
    if (this.origin.lineCounter && offset !== undefined) {
      const pos = this.origin.lineCounter.linePos(offset);
      result.tags = { line: String(pos.line), column: String(pos.col) };
    }
    return result;
  }
}

function stringAt(map: YAMLMap, key: string): string {
  const value = valueAt(map, key);
  return value instanceof ScalarNode && typeof value.value === 'string' ? value.value : '';
}

/** The string-valued entries of a map node (annotations, labels); anything else is skipped. */
export function stringMap(node: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!isMap(node)) return out;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof key === 'string' && value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}

/** A KRM object is a map with string apiVersion and kind. */
export function isKrmObject(node: unknown): node is YAMLMap {
  if (!isMap(node)) return false;
  const apiVersion = node.get('apiVersion', true);
  const kind = node.get('kind', true);
  return (
    isScalar(apiVersion) &&
    typeof apiVersion.value === 'string' &&
    isScalar(kind) &&
    typeof kind.value === 'string'
  );
}
