import type { Document, Node, Scalar, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { MapNode, PairNode, ScalarNode, SeqNode } from './classes';

/**
 * Renders an edited document as its source text plus edits, instead of stringifying
 * all of it: only what a transform added or replaced is rendered by `yaml`, at the
 * column it goes to, and everything else is copied from the source byte for byte.
 *
 * What changed is read from the nodes themselves, so transforms need no bookkeeping
 * and nothing has to be recorded at parse time (that would cost a walk and an object
 * per node of every document, edited or not). A parsed node has a source range, a
 * created one has none; a parsed scalar still equals its source unless its value or
 * type was set; a collection's items must still sit in its source, in order, with
 * nothing but blanks, comments and indicators between them. Then:
 * - new pairs or items after the last parsed one are inserted after its lines, at
 *   the column of the first;
 * - a changed scalar value, or a changed pair or item inside a block collection, has
 *   its own source lines rendered over;
 * - anything else (an item removed, replaced or inserted before a parsed one, a flow
 *   collection that changed) renders the smallest enclosing pair or item whose source
 *   lines are known, up to the whole document.
 * Comments are kept as parsed: transforms do not edit the comments of parsed nodes.
 *
 * Types are told apart with `instanceof` rather than yaml's `isMap()` family: this walk
 * visits every node of every edited document, and the symbol lookups those do cost more
 * than the rest of it.
 */

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The edits that turn the source of `doc` into its current state, in source order;
 * undefined when its top-level node has to be rendered whole.
 */
export function patchDocument(
  doc: Document,
  text: string,
  style: ToStringOptions,
): Edit[] | undefined {
  const patcher = new Patcher(doc, text, style);
  return patcher.node(doc.contents) ? patcher.edits : undefined;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const edit of edits) {
    parts.push(text.slice(cursor, edit.start), edit.text);
    cursor = edit.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/**
 * A document created by a transform, as `doc.toString(style)` prints it: a plain map
 * is printed pair by pair, so pairs it shares with other new documents (apiVersion,
 * kind, the same data) are rendered once.
 */
export function renderNewDocument(doc: Document, style: ToStringOptions): string {
  const contents = doc.contents;
  const plain =
    contents instanceof MapNode &&
    !contents.range &&
    !contents.flow &&
    contents.items.length > 0 &&
    !doc.commentBefore &&
    !doc.comment &&
    !doc.directives?.docStart &&
    !contents.commentBefore &&
    !contents.comment &&
    !contents.anchor &&
    !contents.tag;
  if (!plain) return doc.toString(style);
  const renderer = new FragmentRenderer(doc, style, '\n');
  return contents.items.map((pair) => renderer.fresh(true, pair, 0)).join('');
}

/**
 * Nodes that stand for source text that was not parsed (an I/O layer copies it through):
 * always as parsed, never rendered. An edit that would render one is the caller's to refuse.
 */
const verbatim = new WeakSet<object>();

export function markVerbatim(node: YAMLMap<unknown, unknown>): void {
  verbatim.add(node);
}

type Range = [number, number, number];
type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/** The source range of a parsed node; undefined for created nodes, pairs and plain values. */
function rangeOf(value: unknown): Range | undefined {
  // A plain value (a string key, a number) has no `range` either.
  return (value as { range?: Range | null } | null | undefined)?.range ?? undefined;
}

function isCollection(value: unknown): value is Collection {
  return value instanceof MapNode || value instanceof SeqNode;
}

/** A parsed scalar whose value, type and tag are still the ones its source gives. */
function scalarAsParsed(node: Scalar, text: string): boolean {
  // yaml keeps the source text of every parsed scalar (a string).
  const source = (node as Scalar & { source: string }).source;
  if (node.type === undefined) return false;
  // A tag dropped from a value left as it was (`setScalar` does) shows only in the source.
  if (!node.tag && taggedInSource(text, (node.range as Range)[0])) return false;
  const value = node.value;
  if (typeof value === 'string') return value === source;
  if (node.type !== ScalarNode.PLAIN) return false;
  if (value === null) return ['', '~', 'null', 'Null', 'NULL'].includes(source);
  // A number or a boolean (an object value, `!!binary`, never prints as its source).
  return String(value) === source;
}

/**
 * True when a tag stands before the scalar at `start` on its line, alone or with an
 * anchor (`!T x`, `&a !T x`, `!T &a x`): the words before it, back to a blank or a line
 * break, read from the value backwards. A tag on a line of its own above the value is not
 * seen (such a scalar is then taken as untagged, as before). A tag right after a flow
 * indicator (`[!T x`, `{!T a: x}`, `,!T x`) is not read here: it sits between two items,
 * where `gap` finds it and has the collection rendered anyway.
 */
function taggedInSource(text: string, start: number): boolean {
  let end = start;
  for (;;) {
    // Before the text, charCodeAt gives NaN: no blank, and the end of the word.
    while (isBlank(text.charCodeAt(end - 1))) end--;
    let from = end;
    while (from > 0 && !isBlank(text.charCodeAt(from - 1)) && text.charCodeAt(from - 1) !== 10)
      from--;
    if (from === end) return false;
    const c = text.charCodeAt(from);
    if (c !== 38) return c === 33; // ! a tag; & an anchor: look before it
    end = from;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Rendered new pairs and items by style, column and shape. A shape may leave holes for
 * names (see HOLE): the entry is then the text around them, to be joined with the names.
 */
const renderedNew = new Map<string, string | readonly string[]>();
const stringIds = new Map<string, number>();
const CACHE_LIMIT = 20_000;

function stringId(value: string): number {
  let id = stringIds.get(value);
  if (id === undefined) {
    if (stringIds.size >= CACHE_LIMIT) forgetShapes();
    id = stringIds.size;
    stringIds.set(value, id);
  }
  return id;
}

/**
 * Names (`app-vm-00042-aws-workload-identity`) differ from workload to workload in content
 * that is otherwise the same. A lower-case name of letters, digits, `.` and `-` that does
 * not read as another type prints as itself, unquoted, wherever it is a value in the core
 * schema, so it is left as a hole in the shape and filled in after rendering.
 */
const HOLE = /^[a-z][a-z0-9.-]*$/;
const NOT_HOLES = new Set(['true', 'false', 'null']);
const PLACEHOLDER = 'retargetplaceholder';

/** Shapes of collections, by the shapes of their items. */
const shapeIds = new Map<string, number>();

/** Ids are only meaningful together: all three tables are dropped at once. */
let generation = 0;

function forgetShapes(): void {
  generation++;
  stringIds.clear();
  shapeIds.clear();
  renderedNew.clear();
}

function shapeId(key: string): number {
  let id = shapeIds.get(key);
  if (id === undefined) {
    if (shapeIds.size >= CACHE_LIMIT) forgetShapes();
    id = shapeIds.size;
    shapeIds.set(key, id);
  }
  return id;
}

// What a shape number is the shape of, in its low bits.
const STRING = 1;
const PRINTED = 5;
const HOLE_SHAPE = 6;
const COLLECTION = 7;

/**
 * The shape of a created node, as a number that determines how it renders; undefined
 * for anything parsed, commented, tagged, anchored or styled, which is rendered as is.
 * Scalars left as holes are pushed to `holes`.
 */
function fingerprint(value: unknown, holes?: Scalar[]): number | undefined {
  // A plain string (a key or a value set with `map.set`) prints as a created string scalar.
  if (typeof value === 'string') return stringId(value) * 8 + STRING;
  if (value instanceof PairNode) {
    const key = fingerprint(value.key);
    const item = key === undefined ? undefined : fingerprint(value.value, holes);
    return item === undefined ? undefined : shapeId(`${key}:${item}`) * 8 + COLLECTION;
  }
  if (!(value instanceof ScalarNode || isCollection(value)) || value.range) return undefined;
  if (value.commentBefore || value.comment || value.spaceBefore || value.anchor || value.tag) {
    return undefined;
  }
  if (value instanceof ScalarNode) {
    if (value.type !== undefined || value.format !== undefined) return undefined;
    const v = value.value;
    if (typeof v === 'string') {
      if (holes && HOLE.test(v) && !NOT_HOLES.has(v)) {
        holes.push(value);
        return HOLE_SHAPE;
      }
      return stringId(v) * 8 + STRING;
    }
    // null, a boolean or a number, told apart by what String() gives (-0, which gives 0's,
    // has no shape). Any other value prints as its digits (a bigint) or not at all.
    return Object.is(v, -0) ? undefined : stringId(String(v)) * 8 + PRINTED;
  }
  if (value.flow) return undefined;
  let key = value instanceof MapNode ? '{' : '[';
  for (const item of value.items as unknown[]) {
    const part = fingerprint(item, holes);
    if (part === undefined) return undefined;
    key += `${part},`;
  }
  return shapeId(key) * 8 + COLLECTION;
}

function fill(parts: readonly string[], holes: readonly Scalar[]): string {
  let text = parts[0];
  for (let i = 0; i < holes.length; i++) text += `${holes[i].value as string}${parts[i + 1]}`;
  return text;
}

/** Renders nodes the way their document prints them, at indent 0 or at a column. */
class FragmentRenderer {
  private readonly options: ToStringOptions;
  private readonly styleKey: string;
  /** Holes are only safe in the core schema (YAML 1.1 reads `yes` or `on` as booleans). */
  private readonly core: boolean;

  constructor(
    private readonly doc: Document,
    style: ToStringOptions,
    readonly eol: string,
  ) {
    this.options = { ...style, directives: false };
    this.styleKey = `${JSON.stringify(this.options)}${eol}\0${doc.schema.name}\0`;
    this.core = doc.schema.name === 'core';
  }

  /**
   * One new pair (`inMap`) or item, rendered as its own lines at `column`. Transforms
   * add the same pairs and items to many workloads, so the text of plain new content
   * (no comments, tags or styles) is kept by its shape and reused.
   */
  fresh(inMap: boolean, item: unknown, column: number): string {
    const holes: Scalar[] = [];
    const before = generation;
    const shape = fingerprint(item, this.core ? holes : undefined);
    // Ids handed out before the tables were dropped mean nothing now.
    if (shape === undefined || generation !== before) return this.item(inMap, item, column);
    const key = `${this.styleKey}${inMap}${column}:${shape}`;
    const cached = renderedNew.get(key);
    if (cached !== undefined) return typeof cached === 'string' ? cached : fill(cached, holes);
    if (!holes.length) {
      const text = this.item(inMap, item, column);
      renderedNew.set(key, text);
      return text;
    }
    const values = holes.map((hole) => hole.value);
    holes.forEach((hole, i) => (hole.value = `${PLACEHOLDER}${i}x`));
    let text: string;
    try {
      text = this.item(inMap, item, column);
    } finally {
      holes.forEach((hole, i) => (hole.value = values[i]));
    }
    const parts = text.split(new RegExp(`${PLACEHOLDER}[0-9]+x`));
    const names = text.match(new RegExp(`${PLACEHOLDER}[0-9]+x`, 'g'));
    // Only when each placeholder came out once, in order, as it went in.
    if (String(names) === holes.map((_, i) => `${PLACEHOLDER}${i}x`).join()) {
      renderedNew.set(key, parts);
      return fill(parts, holes);
    }
    return this.item(inMap, item, column);
  }

  /** One pair or item, rendered as its own lines at `column`. */
  private item(inMap: boolean, item: unknown, column: number): string {
    const wrapper = inMap ? new MapNode(this.doc.schema) : new SeqNode(this.doc.schema);
    wrapper.items.push(item as never);
    return this.indent(this.render(wrapper), column, true);
  }

  /** Lines after the first (or all) indented by `column`; empty lines stay empty. */
  indent(text: string, column: number, first: boolean): string {
    const pad = ' '.repeat(column);
    return text
      .split('\n')
      .map((line, i) => (line && (first || i > 0) ? pad + line : line))
      .join(this.eol);
  }

  /** `node` as its document prints it at indent 0, without document-level comments. */
  render(node: Node): string {
    const doc = this.doc;
    const saved = {
      contents: doc.contents,
      commentBefore: doc.commentBefore,
      comment: doc.comment,
    };
    doc.contents = node;
    doc.commentBefore = null;
    doc.comment = null;
    try {
      return doc.toString(this.options);
    } finally {
      doc.contents = saved.contents;
      doc.commentBefore = saved.commentBefore;
      doc.comment = saved.comment;
    }
  }

  /**
   * Renders `wrapper` without the comment and blank line before `node`: they sit in
   * the source before the lines being replaced, which keep them.
   */
  renderWithout(wrapper: Node, node: Node): string {
    const saved = { commentBefore: node.commentBefore, spaceBefore: node.spaceBefore };
    node.commentBefore = null;
    node.spaceBefore = false;
    try {
      return this.render(wrapper);
    } finally {
      node.commentBefore = saved.commentBefore;
      node.spaceBefore = saved.spaceBefore;
    }
  }
}

class Patcher {
  readonly edits: Edit[] = [];
  private readonly renderer: FragmentRenderer;

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    style: ToStringOptions,
  ) {
    // The document's first line break tells its line ends (before the text: undefined).
    const lineBreak = text.indexOf('\n', doc.range?.[0] ?? 0);
    const eol = text[lineBreak - 1] === '\r' ? '\r\n' : '\n';
    this.renderer = new FragmentRenderer(doc, style, eol);
  }

  /** Patches a parsed `node` in place; false when the caller must render it whole. */
  node(node: unknown): boolean {
    if (verbatim.has(node as object)) return true;
    if (!isCollection(node) || node.flow)
      return rangeOf(node) !== undefined && this.unchanged(node);
    const range = node.range;
    if (!range) return false;
    const items = node.items as unknown[];
    const dash = node instanceof MapNode ? '' : '-';
    let parsed = 0;
    let cursor = range[0];
    let lastEnd = 0;
    for (const item of items) {
      if (!this.span(item)) break;
      const { start, valueEnd, trailEnd } = this;
      if (start < cursor || !this.gap(cursor, start, dash)) return false;
      const mark = this.edits.length;
      if (!this.item(item)) {
        this.edits.length = mark;
        if (!this.replace(item, start, trailEnd)) return false;
      }
      cursor = valueEnd;
      lastEnd = trailEnd;
      parsed++;
    }
    // The source holds nothing after the parsed items (a block collection's source is not
    // empty: with none parsed, this is false), and nothing was made a flow collection (its
    // source would begin with `{` or `[`, which no gap holds).
    if (!this.gap(cursor, range[2], '')) return false;
    if (parsed === items.length) return true;
    return this.append(node, items, parsed, lastEnd);
  }

  /**
   * True when `node`, which has a source range, and everything under it are as parsed
   * (no edits made). Only scalars, aliases and flow collections come here: the items of a
   * flow collection are flow, and a block collection met here is a key (`? a: 1`), whose
   * pair is then rendered.
   */
  private unchanged(node: unknown): boolean {
    if (node instanceof ScalarNode) return scalarAsParsed(node, this.text);
    if (!isCollection(node)) return true; // an alias: the only other node with a range
    // Compared as flow: a block collection (a key, `? a: 1`) has no `{` or `[` before its
    // first item, and a flow child set to block still prints as flow in its flow parent.
    const range = node.range as Range;
    const inMap = node instanceof MapNode;
    const items = node.items as unknown[];
    let cursor = range[0];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!this.span(item)) return false;
      const { start, valueEnd } = this;
      // An item before the one above it (start < cursor) leaves no room for the indicator.
      if (!this.gap(cursor, start, i === 0 ? (inMap ? '{' : '[') : ',')) return false;
      if (
        item instanceof PairNode
          ? !this.unchanged(item.key) || !this.unchanged(item.value)
          : !this.unchanged(item)
      ) {
        return false;
      }
      cursor = valueEnd;
    }
    if (!items.length) return this.gap(range[0], range[1], inMap ? '{}' : '[]');
    const close = inMap ? '}' : ']';
    return this.gap(cursor, range[1], close) || this.gap(cursor, range[1], `,${close}`);
  }

  /** Set by span() (read them before looking at another item). */
  private start = 0;
  private valueEnd = 0;
  private trailEnd = 0;

  /**
   * Where a parsed pair or item sits in the source: its start, the end of its value,
   * and the end of its value's trailing comment. False when it was created.
   */
  private span(item: unknown): boolean {
    let from: Range | undefined;
    let to: Range | undefined;
    if (item instanceof PairNode) {
      from = rangeOf(item.key);
      to = rangeOf(item.value);
    } else {
      from = to = rangeOf(item);
    }
    if (!from || !to) return false;
    this.start = from[0];
    this.valueEnd = to[1];
    this.trailEnd = to[2];
    return true;
  }

  /** A parsed pair or item, patched in place. */
  private item(item: unknown): boolean {
    if (!(item instanceof PairNode)) return this.node(item);
    return this.unchanged(item.key) && this.node(item.value);
  }

  /** Renders a parsed pair or item over its own source lines. */
  private replace(item: unknown, start: number, valueEnd: number): boolean {
    const end = this.lineEnd(valueEnd);
    const column = this.column(start);
    if (end < 0) return false;
    const renderer = this.renderer;
    if (item instanceof PairNode) {
      const wrapper = new MapNode(this.doc.schema);
      wrapper.items.push(item);
      const text = renderer.renderWithout(wrapper, item.key as Node);
      return this.push(start, end, renderer.indent(text, column, false));
    }
    if (column < 2) return false;
    const wrapper = new SeqNode(this.doc.schema);
    wrapper.items.push(item);
    const text = renderer.renderWithout(wrapper, item as Node);
    if (!text.startsWith('- ')) return false;
    return this.push(start, end, renderer.indent(text.slice(2), column - 2, false));
  }

  /**
   * New pairs or items after the last parsed one (whose trailing comment ends at
   * `trailEnd`), at the column where the collection starts: its first key, or its first
   * `-` (a block collection's range begins there).
   */
  private append(
    collection: Collection,
    items: unknown[],
    parsed: number,
    trailEnd: number,
  ): boolean {
    const inMap = collection instanceof MapNode;
    const column = this.column((collection.range as Range)[0]);
    const at = this.lineEnd(trailEnd);
    if (at < 0) return false;
    let text = '';
    for (let i = parsed; i < items.length; i++) {
      text += this.renderer.fresh(inMap, items[i], column);
    }
    if (this.text.charCodeAt(at - 1) !== 10) text = this.renderer.eol + text;
    return this.push(at, at, text);
  }

  private push(start: number, end: number, text: string): boolean {
    const last = this.edits[this.edits.length - 1];
    if (last && start < last.end) return false;
    // A source without a final line break gets none from an edit at its very end.
    const source = this.text;
    const eol = this.renderer.eol;
    if (end === source.length && !source.endsWith('\n') && text.endsWith(eol)) {
      text = text.slice(0, -eol.length);
    }
    this.edits.push({ start, end, text });
    return true;
  }

  /**
   * True when `text[from, to)` holds `expected` and otherwise only blanks and comments.
   * Between two items of a block map that is nothing, of a block sequence `-`.
   */
  private gap(from: number, to: number, expected: string): boolean {
    const text = this.text;
    let matched = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (c === 35) {
        // To the comment's line break (at or past `to`, the loop ends); none: the text's end.
        i = text.indexOf('\n', i);
        if (i === -1) break;
        continue;
      }
      if (c !== expected.charCodeAt(matched)) return false;
      matched++;
    }
    return matched === expected.length;
  }

  /**
   * The start of the line after a pair or item whose range ends at `at`. yaml ends the
   * range of a block item after its line break (or at the end of the text); that of an
   * empty value (`a:`, `-`) at the line break itself, LF or CRLF. -1 otherwise (never
   * seen: the caller then renders a larger node).
   */
  private lineEnd(at: number): number {
    const text = this.text;
    if (at === text.length || text.charCodeAt(at - 1) === 10) return at;
    const lf = text.charCodeAt(at) === 13 ? at + 1 : at;
    return text.charCodeAt(lf) === 10 ? lf + 1 : -1;
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }
}
