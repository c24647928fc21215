import type { Document, Node, Scalar } from 'yaml';
import { MapNode, PairNode, ScalarNode, SeqNode } from './classes';

/**
 * `doc.createNode(value)` for the plain data transforms add (maps, lists, strings,
 * integers, booleans, null), built directly instead of through a schema tag lookup per
 * value; what it would turn into anything else (an object met twice becomes an alias, a
 * float, a class instance, a map with sorted entries) is left to `yaml`.
 */
export function createPlainNode(doc: Document, value: unknown): Node {
  const sorted = typeof (doc.schema as { sortMapEntries?: unknown }).sortMapEntries === 'function';
  return (!sorted && build(doc, value, new Set())) || (doc.createNode(value) as Node);
}

function build(doc: Document, value: unknown, seen: Set<object>): Node | undefined {
  if (value === null) return new ScalarNode(null);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return new ScalarNode(value);
    case 'number':
      return Number.isInteger(value) ? new ScalarNode(value) : undefined;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    const seq = new SeqNode(doc.schema);
    for (const item of value as unknown[]) {
      const node = build(doc, item, seen);
      if (!node) return undefined;
      seq.items.push(node);
    }
    return seq;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const map = new MapNode<Scalar, Node>(doc.schema);
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const node = build(doc, item, seen);
    if (!node) return undefined;
    map.items.push(new PairNode(new ScalarNode(key), node));
  }
  return map;
}
