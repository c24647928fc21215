import type { Document, Node } from 'yaml';
import { MapNode, ScalarNode, SeqNode } from './classes';

class Unsupported extends Error {}
// Never shown: it only tells plainValue to hand the node to the library.
const unsupported = new Unsupported();

/**
 * `node.toJS(doc, { maxAliasCount: 100 })` for the trees documents hold once their aliases
 * are expanded: plain maps (string, number, boolean or null keys), lists and scalars. The
 * library's conversion sets up a context, anchors and a reviver for each call; a check
 * that reads every resource this way spends more there than in checking. Anything else
 * (aliases, `<<`, collection keys, tagged collections, object-valued scalars) is converted
 * by the library, so the value is the same either way.
 */
export function plainValue(node: Node, doc: Document): unknown {
  try {
    return plain(node);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    return node.toJS(doc, { maxAliasCount: 100 }) as unknown;
  }
}

function plain(node: unknown): unknown {
  if (node === null) return null;
  // Values set as they are (map.set(key, 'text')) are their own JavaScript. undefined (only
  // in created nodes) is the library's: null as a map value, undefined as a list item.
  switch (typeof node) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return node;
    case 'object':
      break;
    default:
      throw unsupported;
  }
  const type = (node as object).constructor;
  if (type === ScalarNode) {
    // toJS(doc) keeps values as they are (its context's keep): a bigint stays one.
    const value = (node as InstanceType<typeof ScalarNode>).value;
    if (typeof value === 'object' && value !== null) throw unsupported;
    return value;
  }
  if (type === SeqNode) {
    return (node as InstanceType<typeof SeqNode>).items.map((item) => plain(item));
  }
  if (type !== MapNode) throw unsupported;
  const out: Record<string, unknown> = {};
  // A map's items are pairs; anything else has no key of the kinds below and is declined.
  for (const pair of (node as InstanceType<typeof MapNode>).items) {
    const key = pair.key as unknown;
    const k = key instanceof ScalarNode ? key.value : key;
    let name: string;
    if (k === null) name = '';
    // A merge key, where the document merges, is read as a symbol: declined below. Where it
    // does not, `<<` is an ordinary key for the library too.
    else if (typeof k === 'string') name = k;
    else if (typeof k === 'number' || typeof k === 'boolean' || typeof k === 'bigint') {
      name = String(k);
    } else throw unsupported;
    const value = plain(pair.value);
    // As the library does: a key already there (or inherited, __proto__) is defined, not set.
    if (name in out) {
      Object.defineProperty(out, name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else out[name] = value;
  }
  return out;
}
