import { Document, isScalar } from 'yaml';
import type { DocumentOptions, ParseOptions, Schema, SchemaOptions, YAMLMap } from 'yaml';
import { MapNode, PairNode, ScalarNode, SeqNode } from './classes';

/**
 * The documents of a generated spec are written in a plain subset of block YAML: maps and
 * lists, one-line plain or quoted scalars, `{}` and `[]`, comments only above the
 * document. The `yaml` library reads them through its lexer, its CST and its composer,
 * most of a run's time; a document in that subset is composed here from its lines, in
 * one pass, into the very nodes `parseAllDocuments` would make of it (the same classes,
 * values, scalar types and formats, source ranges, comments and document markers).
 * Anything outside the subset (and anything the library would report) returns undefined,
 * and the document is parsed by the library as before.
 *
 * The subset, line by line: after an optional `---` line, comment lines (`#` at column 0)
 * and blank lines; then content lines, each `(- )*` item markers then either `key:`,
 * `key: value` or (after a marker) a value, keys plain or quoted without escapes, values
 * plain without spaces, quoted without escapes, `{}` or `[]`; one space after each `-`
 * and `:`, no trailing space or comment, no tab or carriage return, no blank line inside
 * the content (blank lines may close the document); a key without a value on its line is
 * followed by its map or list, or is null (then no blank line may close the document).
 * Only the first document of a stream may do without `---`.
 *
 * The same composer builds one item of a ResourceList (composeListItem): its root map
 * starts after the item's `- ` marker, with comments above its first key.
 */

type Options = ParseOptions & DocumentOptions;

/*
 * A content line, as the composer reads it by hand:
 *   /^( *)((?:- )*)(?:([A-Za-z_][\w./-]*|"[^"\\\n]*"|'[^'\n]*'):(?: (\S.*))?|(\S.*))$/
 * indentation, item markers, then `key:` (+ one space and a value) or a value alone.
 */
type MapType = InstanceType<typeof MapNode>;
type SeqType = InstanceType<typeof SeqNode>;
type ScalarType = InstanceType<typeof ScalarNode>;
type PairType = InstanceType<typeof PairNode>;

interface Frame {
  column: number;
  /** A map (keys at `column`) or a list (markers at `column`). */
  node: MapType | SeqType;
  map: boolean;
  /** The keys of a map past a few, for the duplicate check. */
  keys: Set<string> | undefined;
}

/** What composing needs of a tag: the library's core schema tags, as it uses them. */
interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve(value: string, onError: (message: string) => void, options: unknown): unknown;
}

class Unsupported extends Error {}

/**
 * What inferStyle (document-stream.ts) reads off a document's content with two
 * multi-line regular expressions, noted while composing: the column step of the first
 * `key:` line followed by a deeper map line, and whether the first `key:` line followed
 * by a list has that list indented. A `key:` line with an item marker counts for neither,
 * as for the expressions.
 */
export interface Layout {
  step?: number;
  indentSeq?: boolean;
}

const layouts = new WeakMap<Document, Layout>();

/** The layout of a document composed here; undefined for a document the library parsed. */
export function layoutOf(doc: Document): Layout | undefined {
  return layouts.get(doc);
}

/**
 * The document `parseAllDocuments(text.slice(start, end), options)[0]` would make, its
 * ranges offsets in `text`, when the slice holds one document of the subset (starting at
 * its `---`, or at the start of the stream); undefined otherwise.
 */
export function composeSimple(
  text: string,
  start: number,
  end: number,
  options: Options,
  /** True when the caller knows `text` has no tab and no carriage return (the subset's). */
  clean = false,
): Document.Parsed | undefined {
  return orUndefined(() => {
    // Read in place in a clean text: its characters are read faster than a slice's.
    if (clean) return composeDocument(text, 0, start, end, options);
    const source = text.slice(start, end);
    if (source.includes('\t') || source.includes('\r')) return undefined;
    return composeDocument(source, start, 0, source.length, options);
  });
}

/**
 * The item node `yaml` makes of one ResourceList item `text[start, end)` (its lines from
 * the one of its `- ` marker at `column`, as splitListItems finds them), composed with
 * the list's `schema`; undefined when the item is not in the subset. Comment lines above
 * its first key (after the `- `, then at the key's column) are the map's commentBefore,
 * as the library reads them; no other comment and no blank line is taken. The text has
 * no carriage return (splitListItems declines one) and is read in place.
 */
export function composeListItem(
  text: string,
  start: number,
  end: number,
  column: number,
  schema: Schema,
): YAMLMap | undefined {
  if (schema.compat || !hasCoreTags(schema)) return undefined;
  // How the library resolves an item's scalars: with the list's options, its defaults
  // (no big integers).
  return orUndefined(
    () => new SimpleComposer(text, 0, schema, {}).item(start, end, column) as YAMLMap,
  );
}

/**
 * Whether a schema's tags are all the core schema's, in their order. Another schema
 * (failsafe reads an empty value as `''`), a custom tag (it may read a key, a value starting
 * with any letter, or nothing by default) or a tag left out is the library's to read, as
 * composeDocument leaves customTags to it.
 */
function hasCoreTags(schema: Schema): boolean {
  const tags = schema.tags;
  return tags.length === CORE_TAGS.length && tags.every((tag, i) => tag === CORE_TAGS[i]);
}

const CORE_TAGS: readonly unknown[] = new Document().schema.tags;

/** What `compose` returns, or undefined when it finds its input outside the subset. */
function orUndefined<T>(compose: () => T): T | undefined {
  try {
    return compose();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

// Never shown: it only tells the callers to leave the document to the library.
const unsupported = new Unsupported();

function composeDocument(
  source: string,
  offset: number,
  lo: number,
  hi: number,
  options: Options,
): Document.Parsed {
  // What the composer passes each document: the parse options, uniqueKeys off (the
  // linear check of unique-keys.ts runs after it; here each map's keys are checked).
  const doc = new Document(undefined, { ...options, uniqueKeys: false }) as Document.Parsed;
  // Other schemas, compat warnings, string keys and source tokens: the library's business.
  const o = doc.options;
  if (
    doc.schema.name !== 'core' ||
    doc.schema.compat ||
    (options as SchemaOptions).customTags ||
    o.stringKeys ||
    o.keepSourceTokens
  ) {
    throw unsupported;
  }
  return new SimpleComposer(source, offset, doc.schema, doc.options).compose(doc, lo, hi);
}

class SimpleComposer {
  /*
   * The patterns are the composer's own (one set per document): as module constants they
   * would be built once at load, where mutation testing cannot reach them.
   */
  /** Plain scalars without spaces or indicators; the schema decides what they read as. */
  private readonly plain = /^[\w./=+~](?:[\w./:@=+,~-]*[\w./@=+,~-])?$/;
  private readonly quotedValue = /^(?:"[^"\\\n]*"|'[^'\n]*')$/;
  private readonly tags: ScalarTag[];
  private readonly stringTag: ScalarTag;
  private readonly stack: Frame[] = [];
  /** A `key:` whose value (a map or list) starts on the next line. */
  private open: { pair: PairType; column: number; marked: boolean; at: number } | undefined;
  private readonly layout: Layout = {};
  /** The column of the root map's keys. */
  private rootColumn = 0;
  /** Where the last value written ends (its range[2]): where the collections around it end. */
  private lastEnd = 0;
  /**
   * Whether the last value written is a null (a `key:` with nothing under it). Set with
   * every value and null written, so before it is read (a document has one at least).
   */
  private lastNull!: boolean;

  /** Positions in `source` are `offset` short of their place in the stream. */
  constructor(
    private readonly source: string,
    private readonly offset: number,
    private readonly schema: Schema,
    /** The options scalars are resolved with. */
    private readonly options: object,
  ) {
    // The core schema's tags with a test: all of them defaults (other schemas and custom
    // tags are declined before).
    this.tags = (schema.tags as unknown as ScalarTag[]).filter((tag) => tag.test);
    // The library's key for a schema's string tag (`schema[SCALAR]`).
    this.stringTag = (schema as unknown as Record<symbol, ScalarTag>)[Symbol.for('yaml.scalar')];
  }

  /** The list item of lines [lo, hi) whose `- ` marker is at `column` (see composeListItem). */
  item(lo: number, hi: number, column: number): MapType {
    const src = this.source;
    const inner = column + 2;
    this.rootColumn = inner;
    const comments: string[] = [];
    // The first line's content starts after its `- `; comments above the first key only.
    let skip = inner;
    let pos = lo;
    while (pos < hi) {
      const eol = lineEnd(src, pos, hi);
      const next = eol < hi ? eol + 1 : eol;
      const at = pos + inner;
      if (!this.root && src.charCodeAt(at) === 35 && (skip === inner || isSpaces(src, pos, at))) {
        const comment = src.slice(pos + inner + 1, eol);
        if (!comment || /\s$/.test(comment)) throw unsupported;
        comments.push(comment);
      } else {
        // A blank line has neither key nor value: line() declines it.
        this.line(pos, eol, next, skip);
      }
      skip = 0;
      pos = next;
    }
    if (this.open) this.empty(this.open);
    this.closeAll();
    const root = this.root;
    if (!root) throw unsupported;
    if (comments.length) root.commentBefore = comments.join('\n');
    return root;
  }

  compose(doc: Document.Parsed, lo: number, hi: number): Document.Parsed {
    const src = this.source;
    let pos = lo;
    const docStart = src.startsWith('---', lo);
    // The head: comments and blank lines, as the library reads them before the content.
    const head: string[] = [];
    if (docStart) {
      // (A `---` that ends the slice leaves no content: declined below.)
      if (src.charCodeAt(lo + 3) !== 10) throw unsupported;
      pos = lo + 4;
    } else if (this.offset || lo) {
      // Not at the start of the stream (read in place or in a slice, one of the two is 0).
      throw unsupported;
    }
    while (pos < hi) {
      const c = src.charCodeAt(pos);
      if (c !== 35 && c !== 10) break;
      const eol = lineEnd(src, pos, hi);
      head.push(src.slice(pos, eol));
      pos = eol + 1;
    }
    // No content after the head: no root below, declined.
    const contentStart = pos;
    let contentEnd = pos;
    let blank = false;
    while (pos < hi) {
      const eol = lineEnd(src, pos, hi);
      const next = eol < hi ? eol + 1 : eol;
      if (eol === pos) {
        blank = true;
      } else {
        if (blank) throw unsupported;
        this.line(pos, eol, next);
        contentEnd = next;
      }
      pos = next;
    }
    if (this.open) {
      // A null last: blank lines after it would be its spaceBefore, and the document
      // would end at it.
      if (contentEnd !== hi) throw unsupported;
      this.empty(this.open);
    }
    this.closeAll();
    const contents = this.root;
    if (!contents) throw unsupported;
    const base = this.offset;
    if (this.lastNull) {
      // The library ends the content, and the document, at the null.
      contentEnd = this.lastEnd - base;
      hi = contentEnd;
    }
    if (docStart) {
      doc.directives!.docStart = true;
      const { comment, spaceBefore } = docStartProps(head);
      if (spaceBefore) contents.spaceBefore = true;
      if (comment) contents.commentBefore = comment;
      doc.range = [base + lo, base + contentEnd, base + hi];
    } else {
      const { comment, afterEmptyLine } = prelude(head);
      if (comment) {
        if (afterEmptyLine) doc.commentBefore = comment;
        else (contents.items[0] as PairType & { key: ScalarType }).key.commentBefore = comment;
      }
      doc.range = [base + contentStart, base + contentEnd, base + hi];
    }
    doc.contents = contents as unknown as Document.Parsed['contents'];
    layouts.set(doc, this.layout);
    return doc;
  }

  private root: MapType | undefined;

  /**
   * One content line `[from, eol)` of the source (`next` past its line break), read by
   * hand: a regular expression's match and the line's slice per line were most of the
   * garbage of composing. The grammar is that of LINE above.
   */
  private line(from: number, eol: number, next: number, skip = 0): void {
    const src = this.source;
    let i = from + skip;
    while (src.charCodeAt(i) === 32) i++;
    let column = i - from;
    let markers = 0;
    while (src.charCodeAt(i) === 45 && src.charCodeAt(i + 1) === 32) {
      markers++;
      i += 2;
    }
    // The key (up to its `:`), or where a value alone starts.
    const keyEnd = keyEndAt(src, i, eol);
    let key: string | undefined;
    let keyed: string | undefined;
    let value: string | undefined;
    if (keyEnd !== -1) {
      key = src.slice(i, keyEnd);
      // `key: value`: keyEndAt found the space; value() declines an empty value and one
      // that starts with another space.
      if (keyEnd + 1 < eol) keyed = src.slice(keyEnd + 2, eol);
    } else {
      // A value alone follows a marker; value() declines an empty one.
      if (markers === 0) throw unsupported;
      value = src.slice(i, eol);
    }
    const base = this.offset;
    const open = this.open;
    this.open = undefined;
    if (open && !(column > open.column || (column === open.column && markers > 0))) {
      // Nothing under the key above: its value is null. An indented key line after it
      // still counts for the layout's step expression, as after any `key:` line. (A list
      // line after it cannot be the first after a `key:` line: its list's key came first.)
      if (!open.marked && markers === 0 && column > 0) this.layout.step ??= column - open.column;
      this.empty(open);
    } else if (open) {
      // The value of the key above: a map deeper than it, or a list deeper or at its column.
      const layout = this.layout;
      if (!open.marked) {
        if (markers > 0) layout.indentSeq ??= column > open.column;
        else layout.step ??= column - open.column;
      }
      // Pushed here, it is the top of the stack below.
      open.pair.value = this.push(column, markers > 0, base + from + column).node;
    }
    let top: Frame | undefined;
    if (this.stack.length === 0) {
      if (column !== this.rootColumn || markers > 0 || this.root) throw unsupported;
      top = this.push(column, false, base + from + column);
      this.root = top.node as MapType;
    } else {
      this.close(column);
      top = this.stack[this.stack.length - 1];
      // A list at its key's column ends where the next key of that map starts. (A list left
      // of the line has no map at the line's column around it: declined below.)
      if (top && markers === 0 && !top.map) {
        this.end(this.stack.pop()!.node);
        top = this.stack[this.stack.length - 1];
      }
      if (!top || top.column !== column || markers > 0 === top.map) throw unsupported;
    }
    // Each marker opens an item of the list at its column: a nested list, a map or a value.
    for (let m = 0; m < markers; m++) {
      const seq = top.node as SeqType;
      column += 2;
      if (m + 1 < markers) {
        top = this.push(column, true, base + from + column);
        seq.items.push(top.node);
      } else if (key !== undefined) {
        top = this.push(column, false, base + from + column);
        seq.items.push(top.node);
      } else {
        seq.items.push(this.value(value!, base + from + column, base + next));
        this.lastEnd = base + next;
        this.lastNull = false;
        return;
      }
    }
    const keyNode = this.key(key!, base + from + column);
    this.addKey(top, keyNode.value as string);
    const pair = new PairNode(keyNode) as PairType;
    (top.node as MapType).items.push(pair);
    if (keyed === undefined) {
      this.open = { pair, column, marked: markers > 0, at: base + from + column + key!.length + 1 };
      return;
    }
    pair.value = this.value(keyed, base + from + column + key!.length + 2, base + next);
    this.lastEnd = base + next;
    this.lastNull = false;
  }

  /** A `key:` with nothing under it: null, just after its colon. */
  private empty(open: { pair: PairType; at: number }): void {
    // The core schema reads an empty plain scalar as null.
    const scalar = new ScalarNode(null) as ScalarType;
    const at = open.at;
    scalar.range = [at, at, at];
    scalar.source = '';
    scalar.type = 'PLAIN';
    open.pair.value = scalar;
    this.lastEnd = at;
    this.lastNull = true;
  }

  /**
   * A repeated key is the library's error to report. Small maps are searched; a map past
   * a few keys gets a set, so a wide map stays linear.
   */
  private addKey(frame: Frame, name: string): void {
    const keys = frame.keys;
    if (keys) {
      if (keys.has(name)) throw unsupported;
      keys.add(name);
      return;
    }
    const items = (frame.node as MapType).items as PairType[];
    for (const pair of items) if ((pair.key as ScalarType).value === name) throw unsupported;
    if (items.length >= 8) {
      frame.keys = new Set(items.map((pair) => (pair.key as ScalarType).value as string));
      frame.keys.add(name);
    }
  }

  private push(column: number, seq: boolean, at: number): Frame {
    const node = seq ? new SeqNode(this.schema) : new MapNode(this.schema);
    node.range = [at, at, at];
    const frame: Frame = { column, node, map: !seq, keys: undefined };
    this.stack.push(frame);
    return frame;
  }

  /** Ends the collections deeper than `column`: their content ends with the last value. */
  private close(column: number): void {
    const stack = this.stack;
    while (stack.length && stack[stack.length - 1].column > column) this.end(stack.pop()!.node);
  }

  private closeAll(): void {
    this.close(-1);
  }

  private end(node: MapType | SeqType): void {
    const end = this.lastEnd;
    node.range = [node.range![0], end, end];
  }

  private key(raw: string, at: number): ScalarType {
    const c = raw.charCodeAt(0);
    let scalar: ScalarType;
    if (c === 34 || c === 39) {
      scalar = this.quoted(raw);
    } else {
      // A plain key starts with a letter or `_` (keyEndAt): one the core schema reads as a
      // null or a boolean is left to the library.
      const tag = this.tagOf(raw);
      if (tag !== this.stringTag) throw unsupported;
      scalar = this.resolve(tag, raw);
    }
    scalar.range = [at, at + raw.length, at + raw.length];
    scalar.source = scalar.value as string;
    scalar.type = c === 34 ? 'QUOTE_DOUBLE' : c === 39 ? 'QUOTE_SINGLE' : 'PLAIN';
    return scalar;
  }

  /** A value from `at` to the end of its line; `next` is past the line break. */
  private value(raw: string, at: number, next: number): MapType | SeqType | ScalarType {
    if (raw === '{}' || raw === '[]') {
      const node = raw === '{}' ? new MapNode(this.schema) : new SeqNode(this.schema);
      node.flow = true;
      node.range = [at, at + 2, next];
      return node;
    }
    const c = raw.charCodeAt(0);
    if (c === 34 || c === 39) {
      if (!this.quotedValue.test(raw)) throw unsupported;
      const scalar = this.quoted(raw);
      scalar.range = [at, at + raw.length, next];
      scalar.source = scalar.value as string;
      scalar.type = c === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      return scalar;
    }
    if (!this.plain.test(raw)) throw unsupported;
    const tag = this.tagOf(raw);
    const scalar = this.resolve(tag, raw);
    scalar.range = [at, at + raw.length, next];
    scalar.source = raw;
    scalar.type = 'PLAIN';
    if (tag.format) scalar.format = tag.format;
    return scalar;
  }

  private quoted(raw: string): ScalarType {
    return this.resolve(this.stringTag, raw.slice(1, -1));
  }

  /** How the library reads a plain scalar: the first default tag whose test matches. */
  private tagOf(raw: string): ScalarTag {
    // The core schema's null, bool, int and float all start with one of `~nNtTfF0-9.+-`:
    // a scalar starting with another letter is a string without testing each.
    const c = raw.charCodeAt(0) | 0x20;
    if (c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) return this.stringTag;
    for (const t of this.tags) if (t.test!.test(raw)) return t;
    return this.stringTag;
  }

  private resolve(tag: ScalarTag, value: string): ScalarType {
    const res = tag.resolve(value, fail, this.options);
    return (isScalar(res) ? res : new ScalarNode(res)) as ScalarType;
  }
}

function fail(): never {
  throw unsupported;
}

/** Where the `:` of a key starting at `i` is (`key:` then a space or the line's end); -1 if none. */
function keyEndAt(src: string, i: number, eol: number): number {
  const c = src.charCodeAt(i);
  let j: number;
  if (c === 34 || c === 39) {
    // A quoted key without escapes: up to the same quote.
    j = i + 1;
    while (j < eol) {
      const d = src.charCodeAt(j);
      if (d === c) break;
      if (c === 34 && d === 92) return -1;
      j++;
    }
    // Past the closing quote (or past the line's end: no `:` there).
    j++;
  } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
    j = i + 1;
    // (Past the line's end in a slice read in place: no `:` there.)
    while (isKeyChar(src.charCodeAt(j))) j++;
  } else {
    return -1;
  }
  // The `:` must be on the line: a slice read in place may end inside one.
  if (j >= eol || src.charCodeAt(j) !== 58) return -1;
  return j + 1 === eol || src.charCodeAt(j + 1) === 32 ? j : -1;
}

/** [\w./-] */
function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 47 ||
    c === 45
  );
}

function isSpaces(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (src.charCodeAt(i) !== 32) return false;
  return true;
}

function lineEnd(src: string, from: number, hi: number): number {
  const eol = src.indexOf('\n', from);
  return eol < 0 ? hi : Math.min(eol, hi);
}

/**
 * The comment and blank lines after `---`, as the library's resolveProps reads them
 * (indicator doc-start): they become the content's commentBefore and spaceBefore.
 */
function docStartProps(head: readonly string[]): { comment: string; spaceBefore: boolean } {
  // Every head line ends with its line break, so each line starts at a new line: a comment
  // joins the one before with a line break, a blank line adds one to the comment (or
  // marks space before the content when no comment came yet).
  let comment = '';
  let spaceBefore = false;
  for (const line of head) {
    if (line)
      comment = comment ? `${comment}\n${line.substring(1) || ' '}` : line.substring(1) || ' ';
    else if (comment) comment += '\n';
    else spaceBefore = true;
  }
  return { comment, spaceBefore };
}

/** The comment lines before the first document, as the library's composer reads its prelude. */
function prelude(head: readonly string[]): { comment: string; afterEmptyLine: boolean } {
  let comment = '';
  let afterEmptyLine = false;
  for (const line of head) {
    if (line) {
      comment +=
        (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') + (line.substring(1) || ' ');
      afterEmptyLine = false;
      continue;
    }
    // A line break after a comment's own one: the library's afterEmptyLine.
    afterEmptyLine = true;
  }
  return { comment, afterEmptyLine };
}
