import {
  Composer,
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { checkUniqueKeys, parseOneUnique } from '../yaml/unique-keys';
import { SourceError } from '../errors';
import { sourceErrorOf } from '../yaml/source-error';
import { applyEdits, markVerbatim, patchDocument } from '../yaml/patch';
import type { Edit } from '../yaml/patch';
import { expandAliases, mayHoldAliases } from '../yaml/anchors';
import { AS_WRITTEN } from '../yaml/document-stream';
import { composeListItem } from '../yaml/fast-compose';
import { itemAsDocument, splitListItems } from '../yaml/list-items';
import { countLines, shiftRanges, soundObject } from '../yaml/pass-through';
import { isListWrapper, listItems, listMembers } from '../krm/list';
import { isKrmObject, Resource } from '../krm/resource';
import type { ResourceSet } from '../krm/resource-set';
import type { Result } from '../krm/results';

// Sequences unindented, as kpt and kustomize write ResourceLists: a comment after a
// list then sits at its key's column, where kyaml reads it back as the next key's.
const LIST_STYLE = { lineWidth: 0, minContentWidth: 0, indentSeq: false };

export const RESOURCE_LIST_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1'];
const PATH_ANNOTATIONS = ['internal.config.kubernetes.io/path', 'config.kubernetes.io/path'];
const INDEX_ANNOTATIONS = ['internal.config.kubernetes.io/index', 'config.kubernetes.io/index'];

/** A ResourceList read from a KRM function's stdin, edited in place. */
export class ResourceList implements ResourceSet {
  readonly resources: Resource[] = [];
  /** Resources inside a `kind: List` item, and that List: what is created for them joins it. */
  private readonly listOf = new Map<Resource, YAMLMap>();

  private constructor(
    readonly doc: Document.Parsed,
    readonly items: YAMLSeq,
    readonly functionConfig: unknown,
    /** Items that are not KRM objects: reported, and passed through untouched. */
    readonly invalidItems: number[],
  ) {}

  static parse(text: string, path = '<stdin>'): ResourceList {
    const lineCounter = new LineCounter();
    const doc = parseOneUnique(text, {
      lineCounter,
      prettyErrors: true,
      uniqueKeys: true,
      ...AS_WRITTEN,
    });
    if (doc.errors[0]) throw sourceErrorOf(doc.errors[0], path, text);
    // kpt hands items over de-anchored; a hand-written list is read the same way.
    if (mayHoldAliases(text, 0, text.length)) expandAliases(doc, { path, lineCounter });
    const root: unknown = doc.contents;
    if (!isMap<unknown, unknown>(root) || root.get('kind') !== 'ResourceList') {
      throw new SourceError('expected a ResourceList (kind: ResourceList)', {
        path,
        line: 1,
        column: 1,
      });
    }
    const apiVersion = root.get('apiVersion');
    if (!(RESOURCE_LIST_VERSIONS as unknown[]).includes(apiVersion)) {
      throw new SourceError(`unsupported ResourceList apiVersion ${JSON.stringify(apiVersion)}`, {
        path,
        line: 1,
        column: 1,
      });
    }
    // `items:` missing or null (`items: ~`) is an empty list.
    if (root.get('items') == null) root.set('items', new YAMLSeq(doc.schema));
    const items: unknown = root.get('items');
    if (!isSeq(items)) throw new SourceError('ResourceList items must be a list', { path });
    const fnConfigNode = root.get('functionConfig');
    const functionConfig = isMap(fnConfigNode)
      ? (fnConfigNode.toJS(doc, { maxAliasCount: 100 }) as unknown)
      : undefined;
    const list = new ResourceList(doc, items, functionConfig, []);
    list.text = text;
    items.items.forEach((item, index) => list.addItem(item, index, () => lineCounter));
    return list;
  }

  /**
   * The list with the items a run never reads copied through as their source text: only
   * the ResourceList's own keys and the items the run may edit are parsed (reading YAML
   * is most of a run's time and memory, and most items are Services and the like).
   * `passThroughFor` says, once the functionConfig is read, which kinds the run never
   * reads; an item of such a kind is copied when the line check of file mode finds it
   * sound (it parses, with no error, into an object of that kind, its metadata of the
   * shape every function checks).
   *
   * Undefined when this does not apply, and the caller parses the whole list: a layout
   * other than the block one kpt writes (see splitListItems: JSON or flow lists, CRLF,
   * a byte-order mark, comments between items), a function that reads every kind or an
   * unreadable functionConfig, and any error, warning aside, in what is parsed (a
   * duplicate key, an alias whose anchor is in another item, ...): the whole list is
   * then parsed so that errors read exactly as they always did.
   */
  static parseCopying(
    text: string,
    passThroughFor: PassThroughFor,
    path = '<stdin>',
  ): ResourceList | undefined {
    const layout = splitListItems(text);
    if (!layout) return undefined;
    // The list without its items: its own keys, functionConfig, results.
    const skeleton = text.slice(0, layout.start) + text.slice(layout.end);
    if (mayHoldAliases(skeleton, 0, skeleton.length)) return undefined;
    const doc = parseOneUnique(skeleton, AS_WRITTEN);
    if (doc.errors.length) return undefined;
    const root: unknown = doc.contents;
    if (!isMap<unknown, unknown>(root) || root.get('kind') !== 'ResourceList') return undefined;
    const apiVersion = root.get('apiVersion');
    if (!(RESOURCE_LIST_VERSIONS as unknown[]).includes(apiVersion)) {
      return undefined;
    }
    // The `items:` line found is the list's key, and the parser gave it nothing else.
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'items');
    if (!pair || !isScalar(pair.key) || pair.key.range?.[0] !== layout.key) return undefined;
    if (!isScalar(pair.value) || pair.value.value !== null) return undefined;
    shiftRanges(doc, layout.end - layout.start, layout.start);
    const fnConfigNode = root.get('functionConfig');
    const functionConfig = isMap(fnConfigNode)
      ? (fnConfigNode.toJS(doc, { maxAliasCount: 100 }) as unknown)
      : undefined;
    const passThrough = passThroughFor(functionConfig);
    if (!passThrough) return undefined;

    const items = new YAMLSeq(doc.schema);
    const list = new ResourceList(doc, items, functionConfig, []);
    list.text = text;
    let lineCounter: LineCounter | undefined;
    const lines = () => {
      if (!lineCounter) countLines(text, (lineCounter = new LineCounter()));
      return lineCounter;
    };
    for (const [index, item] of layout.items.entries()) {
      const source = itemAsDocument(text, item, layout.column);
      const sound = source === undefined ? undefined : soundObject(source);
      const placed = sound && passThrough(sound.kind) && placementOf(sound.annotations);
      if (placed) {
        // Stands in for the item's text, from after its `- ` to the next item.
        const standIn = new YAMLMap(doc.schema);
        standIn.range = [item.start + layout.column + 2, item.end, item.end];
        markVerbatim(standIn);
        items.items.push(standIn);
        list.copied.push(standIn.range);
        list.copiedPlacement.push(placed);
        continue;
      }
      // A sound item in the plainest block YAML is built from its lines; any other is parsed.
      const node =
        (sound && composeListItem(text, item.start, item.end, layout.column, doc.schema)) ??
        parseItem(text, item, path, lines, sound !== undefined);
      if (node === undefined) return undefined;
      items.items.push(node);
      list.addItem(node, index, lines);
    }
    // splitListItems finds one item at least, and every item here is parsed or stands in.
    const last = (items.items[items.items.length - 1] as YAMLMap).range!;
    items.range = [layout.start + layout.column, last[1], last[2]];
    pair.value = items;
    return list;
  }

  /** Items copied through as their text (source ranges), and their file placement. */
  private readonly copied: [number, number, number][] = [];
  private readonly copiedPlacement: Record<string, string>[] = [];

  /** How many items are copied through unparsed. */
  get copiedItems(): number {
    return this.copied.length;
  }

  /** A parsed item: a resource, the members of a List, or an invalid item. */
  private addItem(item: unknown, index: number, lines: () => LineCounter): void {
    if (!isKrmObject(item)) {
      this.invalidItems.push(index);
      return;
    }
    const origin = originOf(item, index, lines);
    if (!isListWrapper(item)) {
      this.resources.push(new Resource(item, this.doc, origin));
      return;
    }
    for (const node of listMembers(item)) {
      const member = new Resource(node, this.doc, origin);
      this.resources.push(member);
      this.listOf.set(member, item);
    }
  }

  add(value: Record<string, unknown>, near?: Resource): Resource {
    const wrapper = near && this.listOf.get(near);
    const node = this.doc.createNode(wrapper ? value : this.inFileOf(value, near)) as YAMLMap;
    (wrapper ? listItems(wrapper) : this.items).items.push(node);
    const resource = new Resource(node, this.doc, {});
    if (wrapper) this.listOf.set(resource, wrapper);
    resource.changed = true;
    this.resources.push(resource);
    return resource;
  }

  remove(resource: Resource): void {
    const at = this.resources.indexOf(resource);
    if (at < 0) return;
    this.resources.splice(at, 1);
    const wrapper = this.listOf.get(resource);
    this.listOf.delete(resource);
    // A top-level item stays in the tree until render, which cuts its source lines out:
    // taking it out of the tree would make the patcher render all the items again.
    if (!wrapper && resource.node.range) {
      this.removed.push(resource.node);
      return;
    }
    const items = (wrapper ? listItems(wrapper) : this.items).items;
    const i = items.indexOf(resource.node);
    if (i >= 0) items.splice(i, 1);
  }

  private readonly removed: YAMLMap[] = [];

  /** The source lines of each removed top-level item (its `-`, comments, and body). */
  private removedRanges(): [number, number][] | undefined {
    const ranges: [number, number][] = [];
    for (const node of this.removed) {
      const range = itemLines(this.text, node.range![0], node.range![1]);
      if (!range) return undefined;
      ranges.push(range);
    }
    return ranges;
  }

  /**
   * kpt and kustomize write an item to the file its path annotations name (kpt puts one
   * without them in a new file at the package root). A new resource goes to the file of
   * the resource it belongs with, after that file's last resource, as file mode does.
   */
  private inFileOf(value: Record<string, unknown>, near?: Resource): Record<string, unknown> {
    const annotations = near?.annotations() ?? {};
    const keys = PATH_ANNOTATIONS.filter((key) => annotations[key] !== undefined);
    if (!keys.length) return value;
    const path = annotations[keys[0]];
    const lastIndex = this.lastIndexByPath();
    const index = (lastIndex.get(path) ?? -1) + 1;
    lastIndex.set(path, index);
    const placed: Record<string, string> = {};
    PATH_ANNOTATIONS.forEach((key, i) => {
      if (annotations[key] === undefined) return;
      placed[key] = path;
      placed[INDEX_ANNOTATIONS[i]] = String(index);
    });
    const metadata = (value.metadata ?? {}) as Record<string, unknown>;
    const existing = (metadata.annotations ?? {}) as Record<string, unknown>;
    return { ...value, metadata: { ...metadata, annotations: { ...existing, ...placed } } };
  }

  private lastIndex?: Map<string, number>;
  /** The input, which unchanged items are copied from. */
  private text = '';

  /** The highest resource index of each file, read once (adds keep it current). */
  private lastIndexByPath(): Map<string, number> {
    if (this.lastIndex) return this.lastIndex;
    const lastIndex = new Map<string, number>();
    const note = (annotations: Record<string, string>) => {
      const path = PATH_ANNOTATIONS.map((key) => annotations[key]).find((p) => p !== undefined);
      if (path === undefined) return;
      for (const key of INDEX_ANNOTATIONS) {
        const index = annotations[key];
        if (/^[0-9]+$/.test(String(index))) {
          lastIndex.set(path, Math.max(lastIndex.get(path) ?? -1, Number(index)));
        }
      }
    };
    for (const resource of this.resources) note(resource.annotations());
    // Items copied through unparsed hold places in their files too.
    for (const placement of this.copiedPlacement) note(placement);
    this.lastIndex = lastIndex;
    return lastIndex;
  }

  /**
   * The ResourceList with `results` set (replacing any earlier ones). Undefined only for
   * a list read by parseCopying whose edits would have to render an item copied through
   * (the caller then reads the list whole): a list read by parse always renders.
   */
  render(results: readonly Result[]): string | undefined {
    const root = this.doc.contents as YAMLMap;
    if (results.length) root.set('results', this.doc.createNode(results.map(forSpec)));
    else root.delete('results');
    // Items no function changed are copied from the input; only what changed is rendered.
    const cuts = this.removedRanges();
    // A removed item is cut whole, so nothing edited inside it is patched: an insertion
    // at its end would otherwise land in the next item, or one at its start be lost.
    for (const node of this.removed) markVerbatim(node);
    const edits = cuts && patchDocument(this.doc, this.text, LIST_STYLE);
    if (cuts && edits) {
      // Stable: an insertion at a cut's start (the end of the item before) stays before it.
      const all = [...edits, ...cuts.map(([start, end]) => ({ start, end, text: '' }))];
      all.sort((a, b) => a.start - b.start);
      if (touchesAny(all, this.copied)) return undefined;
      return applyEdits(this.text, all);
    }
    if (this.copied.length) return undefined;
    this.items.items = this.items.items.filter((item) => !this.removed.includes(item as YAMLMap));
    for (const item of this.items.items) keepHeadCommentInItem(item);
    return this.doc.toString(LIST_STYLE);
  }
}

/**
 * kpt writes a file's head comment inside the item (`- # comment` then the first key);
 * `yaml` would print it above the `-`, where kpt reads it as a second comment and writes
 * both into the file. Keeping it on the first key prints it where kpt put it.
 */
function keepHeadCommentInItem(item: unknown): void {
  if (!isMap(item) || !item.commentBefore) return;
  const first = item.items[0];
  if (!first || !isScalar(first.key) || first.key.commentBefore) return;
  first.key.commentBefore = item.commentBefore;
  item.commentBefore = undefined;
}

/**
 * From the start of the line of an item's `-` to the start of the next line as far left
 * as that `-` (the next item, or the next key of the ResourceList); undefined when the
 * source does not have that shape, and the list is rendered whole instead.
 */
export function itemLines(text: string, start: number, end: number): [number, number] | undefined {
  let lineStart = text.lastIndexOf('\n', start - 1) + 1;
  // Walk up over comment lines between the `-` and the item's first key.
  for (;;) {
    const line = text.slice(lineStart, text.indexOf('\n', lineStart) >>> 0 || undefined);
    const trimmed = line.trimStart();
    if (trimmed.startsWith('- ') || trimmed === '-') break;
    if (lineStart === 0 || !(trimmed.startsWith('#') || lineStart + line.length >= start)) {
      return undefined;
    }
    lineStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  }
  const dashColumn = text.slice(lineStart).search(/\S/);
  let cursor = text.indexOf('\n', end - 1);
  while (cursor >= 0) {
    const next = cursor + 1;
    const rest = text.slice(next, text.indexOf('\n', next) >>> 0 || undefined);
    const column = rest.search(/\S/);
    if (column >= 0 && column <= dashColumn && !rest.trimStart().startsWith('#')) {
      return [lineStart, next];
    }
    cursor = text.indexOf('\n', next);
  }
  return [lineStart, text.length];
}

function originOf(item: YAMLMap, index: number, lineCounter: () => LineCounter) {
  const annotations = item.getIn(['metadata', 'annotations']);
  let path: string | undefined;
  let fileIndex: number | undefined;
  if (isMap(annotations)) {
    for (const key of PATH_ANNOTATIONS) {
      const value = annotations.get(key);
      if (typeof value === 'string') {
        path = value;
        break;
      }
    }
    for (const key of INDEX_ANNOTATIONS) {
      const value = annotations.get(key);
      if (/^[0-9]+$/.test(String(value))) {
        fileIndex = Number(value);
        break;
      }
    }
  }
  // Without a file path, the line in the ResourceList itself is still a location.
  return path === undefined ? { index, lineCounter: lineCounter() } : { path, index: fileIndex };
}

const ITEM_OPTIONS = { uniqueKeys: false, ...AS_WRITTEN } as const;

/** Which kinds a run never reads, once its functionConfig is known (undefined: it may read any). */
export type PassThroughFor = (functionConfig: unknown) => ((kind: string) => boolean) | undefined;

/**
 * The path and index annotations of an item copied through, for placing new resources
 * in its file; undefined when one of them reads as something other than a string (the
 * item is then parsed, and read as the resources are).
 */
function placementOf(
  annotations: ReadonlyMap<string, string | undefined>,
): Record<string, string> | undefined {
  const placement: Record<string, string> = {};
  for (const key of [...PATH_ANNOTATIONS, ...INDEX_ANNOTATIONS]) {
    if (!annotations.has(key)) continue;
    const value = annotations.get(key);
    if (value === undefined) return undefined;
    placement[key] = value;
  }
  return placement;
}

/**
 * One item parsed on its own (its `- ` line and the lines under it), with source ranges
 * at its place in the list; undefined when it does not parse cleanly alone. `checked`:
 * the line check found it sound, so it has no duplicate key and no alias to look for.
 */
function parseItem(
  text: string,
  item: { start: number; end: number },
  path: string,
  lines: () => LineCounter,
  checked: boolean,
): unknown {
  const source = text.slice(item.start, item.end);
  const parser = new Parser();
  // Tokens, and so nodes, get offsets in the whole text: no walk to move them there.
  parser.offset = item.start;
  const docs = Array.from(new Composer(ITEM_OPTIONS).compose(parser.parse(source)));
  if (docs.length !== 1) return undefined;
  const doc = docs[0];
  if (!checked) checkUniqueKeys(doc);
  if (doc.errors.length) return undefined;
  if (!checked && mayHoldAliases(source, 0, source.length)) {
    try {
      expandAliases(doc, { path, lineCounter: lines() });
    } catch {
      return undefined; // an alias to another item's anchor, a bomb: the whole list says
    }
  }
  // The text is one `- ` item and the lines under it (the next item starts the next text).
  return (doc.contents as YAMLSeq).items[0];
}

/** True when an edit (sorted by start) replaces or inserts into one of the ranges (sorted). */
function touchesAny(edits: readonly Edit[], ranges: readonly [number, number, number][]): boolean {
  let r = 0;
  for (const edit of edits) {
    while (r < ranges.length && ranges[r][1] <= edit.start) r++;
    if (r === ranges.length) return false;
    const start = ranges[r][0];
    // An insertion at a range's end (the next item's line) is outside it.
    const touches = edit.end > edit.start ? edit.end > start : edit.start >= start;
    if (touches) return true;
  }
  return false;
}

/** Results in the spec's shape: no tags unless set, line numbers only in messages. */
function forSpec(result: Result): Record<string, unknown> {
  const out: Record<string, unknown> = { message: result.message, severity: result.severity };
  if (result.resourceRef) out.resourceRef = result.resourceRef;
  if (result.field) out.field = result.field;
  if (result.file) out.file = result.file;
  if (result.tags && Object.keys(result.tags).length) out.tags = result.tags;
  return out;
}
