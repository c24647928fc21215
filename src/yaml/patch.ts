import type { Document, Node, Scalar, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { AliasNode, MapNode, PairNode, ScalarNode, SeqNode } from './classes';

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
  return value !== null && typeof value === 'object'
    ? ((value as { range?: Range | null }).range ?? undefined)
    : undefined;
}

function isCollection(value: unknown): value is Collection {
  return value instanceof MapNode || value instanceof SeqNode;
}

/** A parsed scalar whose value, type and tag are still the ones its source gives. */
function scalarAsParsed(node: Scalar, text: string): boolean {
  const source = (node as Scalar & { source?: unknown }).source;
  if (typeof source !== 'string' || node.type === undefined) return false;
  // A tag dropped from a value left as it was (`setScalar` does) shows only in the source.
  if (!node.tag && taggedInSource(text, (node.range as Range)[0])) return false;
  const value = node.value;
  if (typeof value === 'string') return value === source;
  if (node.type !== ScalarNode.PLAIN) return false;
  if (value === null) return ['', '~', 'null', 'Null', 'NULL'].includes(source);
  return (typeof value === 'number' || typeof value === 'boolean') && String(value) === source;
}

/**
 * True when a tag stands before the scalar at `start` on its line, alone or with an
 * anchor (`!T x`, `&a !T x`, `!T &a x`, `[!T x]`). A tag on a line of its own above the
 * value is not seen (such a scalar is then taken as untagged, as before).
 */
function taggedInSource(text: string, start: number): boolean {
  let end = start;
  while (end > 0) {
    while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
    let from = end;
    while (from > 0 && !endsProperty(text.charCodeAt(from - 1))) from--;
    const c = text.charCodeAt(from);
    if (from === end || c !== 38) return from < end && c === 33; // & an anchor: look before it; ! a tag
    end = from;
  }
  return false;
}

/** Blanks, line breaks and flow indicators: no tag or anchor holds one. */
function endsProperty(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 91 || c === 123;
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
const KEY = 0;
const STRING = 1;
const NULL = 2;
const TRUE = 3;
const FALSE = 4;
const NUMBER = 5;
const HOLE_SHAPE = 6;
const COLLECTION = 7;

/**
 * The shape of a created node, as a number that determines how it renders; undefined
 * for anything parsed, commented, tagged, anchored or styled, which is rendered as is.
 * Scalars left as holes are pushed to `holes`.
 */
function fingerprint(value: unknown, holes?: Scalar[]): number | undefined {
  if (typeof value === 'string') return stringId(value) * 8 + KEY;
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
    if (v === null) return NULL;
    if (typeof v === 'string') {
      if (holes && HOLE.test(v) && !NOT_HOLES.has(v)) {
        holes.push(value);
        return HOLE_SHAPE;
      }
      return stringId(v) * 8 + STRING;
    }
    if (typeof v === 'boolean') return v ? TRUE : FALSE;
    return typeof v === 'number' && !Object.is(v, -0)
      ? stringId(String(v)) * 8 + NUMBER
      : undefined;
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
    let shape = fingerprint(item, this.core ? holes : undefined);
    // Ids handed out before the tables were dropped mean nothing now.
    if (generation !== before) shape = undefined;
    const key = shape === undefined ? undefined : `${this.styleKey}${inMap}${column}:${shape}`;
    const cached = key === undefined ? undefined : renderedNew.get(key);
    if (cached !== undefined) return typeof cached === 'string' ? cached : fill(cached, holes);
    const wrapper = inMap ? new MapNode(this.doc.schema) : new SeqNode(this.doc.schema);
    wrapper.items.push(item as never);
    if (key === undefined || !holes.length) {
      const text = this.indent(this.render(wrapper), column, true);
      if (key !== undefined) renderedNew.set(key, text);
      return text;
    }
    const values = holes.map((hole) => hole.value);
    holes.forEach((hole, i) => (hole.value = `${PLACEHOLDER}${i}x`));
    let text: string;
    try {
      text = this.indent(this.render(wrapper), column, true);
    } finally {
      holes.forEach((hole, i) => (hole.value = values[i]));
    }
    const parts = text.split(new RegExp(`${PLACEHOLDER}[0-9]+x`));
    const names = text.match(new RegExp(`${PLACEHOLDER}[0-9]+x`, 'g')) ?? [];
    // Only when each placeholder came out once, in order, as it went in.
    if (names.join() === holes.map((_, i) => `${PLACEHOLDER}${i}x`).join()) {
      renderedNew.set(key, parts);
      return fill(parts, holes);
    }
    return this.indent(this.render(wrapper), column, true);
  }

  /** Lines after the first (or all) indented by `column`; empty lines stay empty. */
  indent(text: string, column: number, first: boolean): string {
    if (column === 0 && this.eol === '\n') return text;
    const pad = ' '.repeat(column);
    const lines = text.split('\n');
    for (let i = first ? 0 : 1; i < lines.length; i++) if (lines[i]) lines[i] = pad + lines[i];
    return lines.join(this.eol);
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
  renderWithout(wrapper: Node, node: unknown): string {
    if (!(node instanceof ScalarNode || isCollection(node) || node instanceof AliasNode)) {
      return this.render(wrapper);
    }
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
    const lineBreak = text.indexOf('\n', doc.range?.[0] ?? 0);
    const eol = lineBreak > 0 && text[lineBreak - 1] === '\r' ? '\r\n' : '\n';
    this.renderer = new FragmentRenderer(doc, style, eol);
  }

  /** Patches a parsed `node` in place; false when the caller must render it whole. */
  node(node: unknown): boolean {
    if (node instanceof ScalarNode) return node.range ? scalarAsParsed(node, this.text) : false;
    if (!isCollection(node)) return node instanceof AliasNode && !!node.range;
    if (verbatim.has(node)) return true;
    const range = node.range;
    if (!range || this.startsFlow(range) !== Boolean(node.flow)) return false;
    if (node.flow) return this.unchanged(node);
    const items = node.items as unknown[];
    const inMap = node instanceof MapNode;
    const dash = inMap ? '' : '-';
    let parsed = 0;
    let cursor = range[0];
    while (parsed < items.length) {
      const item = items[parsed];
      if (!this.span(item)) break;
      const { start, valueEnd, trailEnd } = this;
      if (start < cursor || !this.gap(cursor, start, dash)) return false;
      const mark = this.edits.length;
      if (!this.item(item)) {
        this.edits.length = mark;
        if (!this.replace(item, start, trailEnd)) return false;
      }
      cursor = valueEnd;
      parsed++;
    }
    if (parsed === 0 || !this.gap(cursor, range[2], '')) return false;
    if (parsed === items.length) return true;
    for (let i = parsed; i < items.length; i++) if (this.span(items[i])) return false;
    return this.append(node, items, parsed);
  }

  /** True when `node` and everything under it are as parsed (no edits made). */
  private unchanged(node: unknown): boolean {
    if (node instanceof ScalarNode) return node.range ? scalarAsParsed(node, this.text) : false;
    if (!isCollection(node)) return node instanceof AliasNode && !!node.range;
    if (verbatim.has(node)) return true;
    const range = node.range;
    const flow = Boolean(node.flow);
    if (!range || this.startsFlow(range) !== flow) return false;
    const inMap = node instanceof MapNode;
    const items = node.items as unknown[];
    let cursor = range[0];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!this.span(item)) return false;
      const { start, valueEnd } = this;
      const expected = flow ? (i === 0 ? (inMap ? '{' : '[') : ',') : inMap ? '' : '-';
      if (start < cursor || !this.gap(cursor, start, expected)) return false;
      if (
        item instanceof PairNode
          ? !this.unchanged(item.key) || !this.unchanged(item.value)
          : !this.unchanged(item)
      ) {
        return false;
      }
      cursor = valueEnd;
    }
    if (!flow) return items.length > 0 && this.gap(cursor, range[2], '');
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

  private startsFlow(range: Range): boolean {
    const c = this.text.charCodeAt(range[0]);
    return c === 123 || c === 91; // { [
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
      const text = renderer.renderWithout(wrapper, item.key);
      return this.push(start, end, renderer.indent(text, column, false));
    }
    if (column < 2) return false;
    const wrapper = new SeqNode(this.doc.schema);
    wrapper.items.push(item);
    const text = renderer.renderWithout(wrapper, item);
    if (!text.startsWith('- ')) return false;
    return this.push(start, end, renderer.indent(text.slice(2), column - 2, false));
  }

  /** New pairs or items after the last parsed one, at the column of the first. */
  private append(collection: Collection, items: unknown[], parsed: number): boolean {
    const inMap = collection instanceof MapNode;
    if (!this.span(items[0])) return false;
    const column = inMap ? this.column(this.start) : this.dashColumn(collection);
    if (!this.span(items[parsed - 1])) return false;
    const at = this.lineEnd(this.trailEnd);
    if (column < 0 || at < 0) return false;
    let text = '';
    for (let i = parsed; i < items.length; i++) {
      text += this.renderer.fresh(inMap, items[i], column);
    }
    if (at > 0 && this.text.charCodeAt(at - 1) !== 10) text = this.renderer.eol + text;
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
        const next = text.indexOf('\n', i);
        if (next < 0 || next >= to) break;
        i = next;
        continue;
      }
      if (c !== expected.charCodeAt(matched)) return false;
      matched++;
    }
    return matched === expected.length;
  }

  /**
   * `at` moved to the start of a line: back over the indentation of the line it is on,
   * or forward over blanks to the next line. -1 when that would step over anything else.
   */
  private lineEnd(at: number): number {
    const text = this.text;
    let i = at - 1;
    while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
    if (i < 0 || text.charCodeAt(i) === 10) return i + 1;
    for (i = at; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) return i + 1;
      if (c !== 32 && c !== 9 && c !== 13) return -1;
    }
    return text.length;
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  /** The column of the `-` that starts a block sequence. */
  private dashColumn(seq: YAMLSeq<unknown>): number {
    const start = seq.range?.[0];
    return start !== undefined && this.text.charCodeAt(start) === 45 ? this.column(start) : -1;
  }
}
