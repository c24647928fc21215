import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { SourceError } from '../errors';

/** How many nodes aliases and merge keys may add to one document (an alias bomb adds billions). */
export const MAX_ALIAS_EXPANSION = 100_000;

export interface AnchorSource {
  path: string;
  lineCounter: LineCounter;
}

/**
 * True when the source of a document may hold an alias (`*name`) or a merge key (`<<`);
 * documents without either (nearly all) are not walked at all.
 */
export function mayHoldAliases(text: string, start: number, end: number): boolean {
  // Searched within the document only: an indexOf from `start` runs on to the end of the
  // stream when the document has no `*`, which makes a stream of documents quadratic. (A
  // slice shares the text's characters: it costs no copy.)
  const source = text.slice(start, end);
  return source.includes('*') || source.includes('<<');
}

/**
 * Expands the aliases and `<<` merge keys of a parsed document in place, the way kubectl
 * and kpt read them (go-yaml merges `<<` keys; kpt's reader de-anchors): each alias
 * becomes a copy of its anchored node, and each `<<` pair becomes the keys it merges in
 * that the map does not set itself (the map's own keys win, then earlier merge sources).
 * Transforms then see the data as Kubernetes will, and an edit can never reach the other
 * users of an anchor. The copies carry no source range, so a changed document is written
 * with them spelled out; an unchanged one keeps its source bytes, anchors and all.
 *
 * Refused, as located errors: an alias with no anchor before it in its document, an
 * alias inside the node it names, a merge of something other than maps, and expansion
 * past MAX_ALIAS_EXPANSION nodes. The walk keeps its own stack, so depth costs no call stack.
 */
export function expandAliases(
  doc: Document,
  source: AnchorSource,
  limit = MAX_ALIAS_EXPANSION,
): void {
  if (!isNode(doc.contents)) return;
  const expander = new Expander(source, limit);
  doc.contents = expander.run(doc.contents);
}

type Slot = { get(): unknown; set(value: Node): void };

class Expander {
  private readonly anchors = new Map<string, Node>();
  private readonly open = new Set<Node>();
  private added = 0;

  constructor(
    private readonly source: AnchorSource,
    private readonly limit: number,
  ) {}

  run(root: Node): Node {
    let result = root;
    const top: Slot = { get: () => result, set: (node) => (result = node) };
    // Each frame is a node being visited; `exit` frames finish a collection after its items.
    const stack: ({ slot: Slot } | { exit: Node })[] = [{ slot: top }];
    while (stack.length) {
      const frame = stack.pop()!;
      if ('exit' in frame) {
        this.open.delete(frame.exit);
        if (isMap(frame.exit)) this.merge(frame.exit);
        continue;
      }
      let node = frame.slot.get();
      if (isAlias(node)) {
        const copy = this.copyOf(node);
        frame.slot.set(copy);
        node = copy;
        continue;
      }
      if (!isNode(node)) continue;
      if (node.anchor) this.anchors.set(node.anchor, node);
      if (!isCollection(node)) continue;
      this.open.add(node);
      stack.push({ exit: node });
      // Pushed in reverse so items are visited in document order (anchors before aliases).
      const slots: Slot[] = [];
      const items = node.items as unknown[];
      items.forEach((item, i) => {
        if (isPair(item)) {
          const pair = item as Pair<unknown, unknown>;
          slots.push({ get: () => pair.key, set: (n) => (pair.key = n) });
          slots.push({ get: () => pair.value, set: (n) => (pair.value = n) });
        } else {
          slots.push({ get: () => items[i], set: (n) => (items[i] = n) });
        }
      });
      for (let i = slots.length - 1; i >= 0; i--) stack.push({ slot: slots[i] });
    }
    return result;
  }

  private copyOf(alias: Node & { source: string }): Node {
    const target = this.anchors.get(alias.source);
    if (!target) {
      throw this.error(
        alias,
        `alias *${alias.source} has no anchor &${alias.source} before it in its document`,
      );
    }
    if (this.open.has(target)) {
      throw this.error(
        alias,
        `alias *${alias.source} is inside the node it names, which would never end`,
      );
    }
    this.grow(countNodes(target), alias);
    return fresh(target.clone() as Node);
  }

  /** Replaces each `<<` pair with the pairs it merges in that the map does not already have. */
  private merge(map: YAMLMap): void {
    const items = map.items as Pair<unknown, unknown>[];
    if (!items.some(isMergePair)) return;
    const own = new Set(items.filter((p) => !isMergePair(p)).map((p) => keyOf(p.key)));
    const out: Pair<unknown, unknown>[] = [];
    for (const pair of items) {
      if (!isMergePair(pair)) {
        out.push(pair);
        continue;
      }
      const first = out.length;
      const value = pair.value;
      const sources = isSeq(value) ? value.items : [value];
      for (const src of sources) {
        if (!isMap(src)) {
          throw this.error(
            (isNode(src) && src.range ? src : pair.key) as Node,
            'a << merge key takes a map, an alias of a map, or a list of those',
          );
        }
        for (const merged of src.items as Pair<unknown, unknown>[]) {
          const key = keyOf(merged.key);
          if (own.has(key)) continue;
          own.add(key);
          this.grow(1 + countNodes(merged.value), pair.key as Node);
          out.push(fresh(merged.clone()) as Pair<unknown, unknown>);
        }
      }
      // A comment above the `<<` line stays above the first key it became.
      const comment = (pair.key as Scalar).commentBefore;
      const firstKey = out[first]?.key;
      if (comment && isNode(firstKey) && !firstKey.commentBefore) firstKey.commentBefore = comment;
    }
    map.items = out;
  }

  private grow(nodes: number, at: Node): void {
    this.added += nodes;
    if (this.added > this.limit) {
      throw this.error(
        at,
        `aliases expand this document past ${this.limit} nodes (an alias bomb?); retarget will not expand it`,
      );
    }
  }

  private error(node: Node, reason: string): SourceError {
    const offset = node.range?.[0];
    const pos = offset === undefined ? undefined : this.source.lineCounter.linePos(offset);
    return new SourceError(reason, {
      path: this.source.path,
      line: pos?.line,
      column: pos?.col,
      code: 'ALIAS',
    });
  }
}

/**
 * A plain `<<` key: a merge key in YAML 1.1 and in the Go YAML libraries Kubernetes uses.
 * Aliases are expanded as a document is parsed, so every key here was parsed (has a type).
 */
function isMergePair(pair: Pair<unknown, unknown>): boolean {
  const key = pair.key;
  return isScalar(key) && key.value === '<<' && key.type === Scalar.PLAIN;
}

function keyOf(key: unknown): string {
  if (isScalar(key)) return `s:${String(key.value)}`;
  return `n:${String(key)}`;
}

/** Visits every node under `root` (pairs are looked through), without recursion. */
function eachNode(root: unknown, visit: (node: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!isNode(node)) continue;
    visit(node);
    // One push per item: spreading a list of 100,000 items would overflow the call stack.
    if (isCollection(node)) for (const item of node.items as unknown[]) stack.push(item);
  }
}

/** Nodes under `root`. */
function countNodes(root: unknown): number {
  let count = 0;
  eachNode(root, () => count++);
  return count;
}

/**
 * A copy made new: no source range (so it is rendered, not patched in) and no anchor. A
 * copy holds no alias: the node it copies was expanded before the alias was reached.
 */
function fresh<T extends Node | Pair<unknown, unknown>>(root: T): T {
  eachNode(root, (node) => {
    node.range = undefined;
    node.anchor = undefined;
  });
  return root;
}
