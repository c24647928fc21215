import { Document } from 'yaml';
import type { DocumentOptions, LineCounter, Node, ParseOptions } from 'yaml';
import { AliasNode, MapNode, PairNode, ScalarNode, SeqNode } from './classes';
import { composeSimple } from './fast-compose';

/**
 * Documents a run does not need as nodes are not parsed. Reading YAML (tokens, then
 * nodes) is most of the cost of a run, and most of a package is resources no function
 * reads: Services, PersistentVolumeClaims and so on. Such a document is checked line by
 * line for everything parsing it would report (duplicate keys, bad indentation, stray
 * characters, metadata fields of the wrong type), stands in the stream as an empty
 * document, and its source is copied to the output as it is.
 *
 * The check accepts a plain subset of block YAML: maps and lists, one-line plain or
 * quoted scalars, `{}` and `[]`, comments; no tabs, anchors, aliases, tags, block or
 * multi-line scalars, flow collections with content, or directives. A document outside
 * it is parsed as usual, and so is every document when the stream has anything this
 * splitting cannot follow, so what yaml would report is reported.
 */

type Options = ParseOptions & DocumentOptions & { lineCounter?: LineCounter };

const passThroughDocuments = new WeakSet<Document>();

/** True for the empty stand-in of a document that was not parsed. */
export function isPassThrough(doc: Document): boolean {
  return passThroughDocuments.has(doc);
}

/*
 * The patterns of this file are written where they are used, not as module constants:
 * a constant is built when the module loads, outside any test, and mutation testing
 * could then only rerun every suite for each of its mutants ("static" mutants).
 */

/**
 * `parseAllDocuments(text, options)`, except that a document whose kind `passThrough`
 * accepts and which the line check finds sound is not parsed: an empty stand-in takes
 * its place; and a document of the simple subset of fast-compose.ts is composed from its
 * lines into the nodes the library would make. When any parsed document has an error, the
 * whole text is parsed the usual way, so errors are reported exactly as
 * `parseAllDocuments` reports them.
 */
export function composeDocuments(
  text: string,
  options: Options,
  /** Kinds the caller never reads; undefined when it may read any. */
  passThrough: ((kind: string) => boolean) | undefined,
  parseAll: (text: string, options: Options) => Document.Parsed[],
): Document.Parsed[] {
  // Directives and `...` document ends change how documents split: not followed here.
  const unfollowed = /^(?:%|\.\.\.(?:[ \t]|\r?$))/m;
  if (text.charCodeAt(0) === 0xfeff || unfollowed.test(text)) return parseAll(text, options);
  const starts = [0];
  // A `---` line: where a document starts.
  for (const match of text.matchAll(/^---(?=[ \t]|\r?$)/gm)) {
    if (match.index) starts.push(match.index);
  }
  starts.push(text.length);
  const docs: Document.Parsed[] = [];
  const parseOptions = { ...options, lineCounter: undefined };
  const clean = !text.includes('\t') && !text.includes('\r');
  let pending = 0; // start of the documents not yet parsed
  for (let i = 0; i + 1 < starts.length; i++) {
    const [start, end] = [starts[i], starts[i + 1]];
    const kind = passThrough && kindOf(text, start, end);
    const skip = !!kind && passThrough(kind) && soundKind(text.slice(start, end)) === kind;
    const doc = skip ? standIn(start, end) : composeSimple(text, start, end, parseOptions, clean);
    if (!doc) continue;
    if (!parseRange(text, pending, start, parseOptions, docs, parseAll)) {
      return parseAll(text, options);
    }
    docs.push(doc);
    pending = end;
  }
  if (!parseRange(text, pending, text.length, parseOptions, docs, parseAll)) {
    return parseAll(text, options);
  }
  if (docs.length === 0) return parseAll(text, options);
  if (options.lineCounter) countLines(text, options.lineCounter);
  return docs;
}

/** Parses `text[start, end)` into `docs`, with source ranges in `text`; false on any error. */
function parseRange(
  text: string,
  start: number,
  end: number,
  options: Options,
  docs: Document.Parsed[],
  parseAll: (text: string, options: Options) => Document.Parsed[],
): boolean {
  if (start === end) return true;
  const parsed = parseAll(text.slice(start, end), options);
  for (const doc of parsed) {
    if (doc.errors.length) return false;
    if (start) shiftRanges(doc, start);
    docs.push(doc);
  }
  return true;
}

function standIn(start: number, end: number): Document.Parsed {
  const doc = new Document() as Document.Parsed;
  doc.range = [start, end, end];
  passThroughDocuments.add(doc);
  return doc;
}

/** What the parser tells a line counter: the start of every line. */
export function countLines(text: string, lineCounter: LineCounter): void {
  lineCounter.lineStarts.length = 0;
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lineCounter.addNewLine(i + 1);
  }
}

/**
 * Moves every source range of a document parsed from a slice to its place in the stream
 * (offsets from `from` on, when part of the text was cut out before it was parsed).
 */
export function shiftRanges(doc: Document.Parsed, by: number, from = 0): void {
  const shift = (range: [number, number, number]): [number, number, number] =>
    from === 0
      ? [range[0] + by, range[1] + by, range[2] + by]
      : [
          range[0] >= from ? range[0] + by : range[0],
          range[1] >= from ? range[1] + by : range[1],
          range[2] >= from ? range[2] + by : range[2],
        ];
  doc.range = shift(doc.range);
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (node instanceof PairNode) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!(node instanceof ScalarNode || node instanceof AliasNode || isCollection(node))) continue;
    const r = (node as Node).range;
    if (r) (node as Node).range = shift(r);
    // One push per item: spreading a list of 100,000 items would overflow the call stack.
    if (isCollection(node)) for (const item of node.items as unknown[]) stack.push(item);
  }
}

function isCollection(node: unknown): node is MapOrSeq {
  return node instanceof MapNode || node instanceof SeqNode;
}

type MapOrSeq = InstanceType<typeof MapNode> | InstanceType<typeof SeqNode>;

/** The `kind:` of a document's top-level map, when one line says it; undefined otherwise. */
function kindOf(text: string, start: number, end: number): string | undefined {
  const kindLine = /^kind:[ \t]*([^\s#'"]+)[ \t]*(?:#.*)?$/gm;
  kindLine.lastIndex = start;
  const match = kindLine.exec(text);
  return match && match.index < end ? match[1] : undefined;
}

/** What a key was given: a one-line scalar (as written), nothing, a map or a list. */
const MAP: unique symbol = Symbol();
const SEQ: unique symbol = Symbol();
type Given = string | undefined | typeof MAP | typeof SEQ;

interface Level {
  column: number;
  map: boolean;
  keys: Set<string>;
  /** Kept for the top level and metadata, whose fields are checked. */
  given?: Map<string, Given>;
  /** A key ending the previous line, whose map or list may start on the next. */
  open?: { key: string; column: number };
}

class LineCheck {
  readonly stack: Level[] = [];
  /**
   * A content line: indentation, `- ` item markers, then a `key:` with or without a
   * one-line value, or (after a marker) a value; then maybe a comment.
   */
  private readonly content =
    /^( *)((?:- +)*)(?:([A-Za-z_][\w./-]*|"[^"\\]*"|'[^']*'):(?: +([^ #].*?))?|([^ #].*?))(?: +#.*)? *$/;
  metadata?: Level;
  /** metadata.annotations, when written as a block map. */
  annotations?: Level;

  /** One content line; false when it is not in the accepted subset. */
  line(text: string): boolean {
    const m = this.content.exec(text);
    if (!m) return false;
    const [, indent, dashes, key, keyed, value] = m;
    const markers = dashes ? dashes.match(/- +/g)! : [];
    // A scalar alone on its line is a list item only after `- `; elsewhere it continues
    // a multi-line scalar or is an error (`port=80`, a key split by a line break).
    if (key === undefined && !markers.length) return false;
    let column = indent.length;
    if (!this.place(column, markers.length ? 'seq' : 'map')) return false;
    // Each marker starts an item; what follows it on the line is that item's value.
    for (let i = 0; i < markers.length; i++) {
      column += markers[i].length;
      if (i + 1 < markers.length) this.push(column, false);
      else if (key !== undefined) this.push(column, true);
    }
    if (key === undefined) return isScalar(value);
    const level = this.stack[this.stack.length - 1];
    const name = keyName(key);
    if (!level.map || level.column !== column || name === undefined || level.keys.has(name)) {
      return false;
    }
    level.keys.add(name);
    if (keyed !== undefined && !isScalar(keyed)) return false;
    level.given?.set(name, keyed);
    if (keyed === undefined) level.open = { key: name, column };
    return true;
  }

  private push(column: number, map: boolean, given?: Map<string, Given>): Level {
    const level: Level = { column, map, keys: new Set(), given };
    this.stack.push(level);
    return level;
  }

  /**
   * Where the first token of a line (a key, or an item marker) goes: under a key left
   * open on the line before when deeper (a list may sit at the key's own column), else
   * into the level at its column, deeper levels having ended.
   */
  private place(column: number, what: 'map' | 'seq'): boolean {
    const stack = this.stack;
    if (!stack.length) {
      if (column !== 0 || what !== 'map') return false;
      this.push(0, true, new Map());
      return true;
    }
    const top = stack[stack.length - 1];
    const open = top.open;
    top.open = undefined;
    if (open && (column > open.column || (column === open.column && what === 'seq'))) {
      top.given?.set(open.key, what === 'map' ? MAP : SEQ);
      const isMetadata = stack.length === 1 && open.key === 'metadata' && what === 'map';
      const isAnnotations =
        top === this.metadata && stack.length === 2 && open.key === 'annotations' && what === 'map';
      const level = this.push(
        column,
        what === 'map',
        isMetadata || isAnnotations ? new Map() : undefined,
      );
      if (isMetadata) this.metadata = level;
      if (isAnnotations) this.annotations = level;
      return true;
    }
    while (stack.length && stack[stack.length - 1].column > column) stack.pop();
    let level = stack[stack.length - 1];
    // A list written at its key's column ends where the next key of that map starts.
    if (level && what === 'map' && !level.map && level.column === column) {
      stack.pop();
      level = stack[stack.length - 1];
    }
    return !!level && level.column === column && level.map === (what === 'map');
  }
}

/** One-line scalars the line check takes: plain ones that read as themselves, quoted ones without escapes. */
function isScalar(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === '{}' || value === '[]') return true;
  return (
    /^[\w./=+~](?:[\w./:@=+,~-]*[\w./@=+,~-])?$/.test(value) ||
    /^(?:"[^"\\]*"|'[^']*')$/.test(value)
  );
}

/** A plain scalar that reads as something else than a string: null, a boolean, a number. */
function notAString(plain: string): boolean {
  return /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$|^[-+.\d]/.test(plain);
}

function keyName(key: string): string | undefined {
  if (key[0] === '"' || key[0] === "'") return key.slice(1, -1);
  return notAString(key) ? undefined : key;
}

/** The string a one-line scalar reads as; undefined when it reads as anything else. */
function stringOf(value: Given): string | undefined {
  if (typeof value !== 'string' || value === '{}' || value === '[]') return undefined;
  if (value[0] === '"') return value.slice(1, -1);
  if (value[0] === "'") return value.slice(1, -1);
  return notAString(value) ? undefined : value;
}

/**
 * The kind of a document the line check finds sound: it parses without any error or
 * warning into a KRM object (string apiVersion and kind, not a List) whose metadata has
 * the shape checkMetadata wants. Undefined for anything else.
 */
export function soundKind(source: string): string | undefined {
  return soundObject(source)?.kind;
}

/** A document the line check finds sound: its kind and its annotations as one-line scalars. */
export interface SoundObject {
  kind: string;
  /**
   * Each annotation of a block `metadata.annotations` map: the string it reads as, or
   * undefined when its value reads as something else (a number, a boolean, null).
   */
  annotations: Map<string, string | undefined>;
}

/** soundKind, with the annotations of the object (for an I/O layer that copies it through). */
export function soundObject(source: string): SoundObject | undefined {
  if (source.includes('\t') || source.includes('\r')) return undefined;
  const lines = source.split('\n');
  let first = 0;
  if (lines[0].startsWith('---')) {
    if (!/^---(?: +(?:#.*)?)?$/.test(lines[0])) return undefined;
    first = 1;
  }
  const check = new LineCheck();
  const blankOrComment = /^ *(?:#.*)?$/;
  for (let i = first; i < lines.length; i++) {
    if (blankOrComment.test(lines[i])) continue;
    if (!check.line(lines[i])) return undefined;
  }
  const top = check.stack[0]?.given;
  if (!top) return undefined;
  const apiVersion = stringOf(top.get('apiVersion'));
  const kind = stringOf(top.get('kind'));
  if (apiVersion === undefined || kind === undefined || kind === 'List') return undefined;
  const metadata = top.get('metadata');
  if (top.has('metadata') && metadata !== undefined && metadata !== MAP && metadata !== '{}') {
    return undefined;
  }
  const fields = check.metadata?.given ?? new Map<string, Given>();
  for (const field of ['name', 'namespace']) {
    const v = fields.get(field);
    if (v !== undefined && stringOf(v) === undefined) return undefined;
  }
  for (const field of ['labels', 'annotations']) {
    const v = fields.get(field);
    if (v !== undefined && v !== MAP && v !== '{}') return undefined;
  }
  const annotations = new Map<string, string | undefined>();
  for (const [key, value] of check.annotations?.given ?? []) annotations.set(key, stringOf(value));
  return { kind, annotations };
}
