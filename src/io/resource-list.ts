import { Document, isMap, isScalar, isSeq, LineCounter, YAMLSeq } from 'yaml';
import { parseOneUnique } from '../yaml/unique-keys';
import type { YAMLMap } from 'yaml';
import { SourceError } from '../errors';
import { sourceErrorOf } from '../yaml/source-error';
import { applyEdits, patchDocument } from '../yaml/patch';
import { expandAliases, mayHoldAliases } from '../yaml/anchors';
import { AS_WRITTEN } from '../yaml/document-stream';
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
    if (typeof apiVersion !== 'string' || !RESOURCE_LIST_VERSIONS.includes(apiVersion)) {
      throw new SourceError(`unsupported ResourceList apiVersion ${JSON.stringify(apiVersion)}`, {
        path,
        line: 1,
        column: 1,
      });
    }
    let items: unknown = root.get('items', true);
    if (items === undefined || isNull(items)) {
      items = new YAMLSeq(doc.schema);
      root.set('items', items);
    }
    if (!isSeq(items)) throw new SourceError('ResourceList items must be a list', { path });
    const fnConfigNode = root.get('functionConfig', true);
    const functionConfig = isMap(fnConfigNode)
      ? (fnConfigNode.toJS(doc, { maxAliasCount: 100 }) as unknown)
      : undefined;
    const list = new ResourceList(doc, items, functionConfig, []);
    list.text = text;
    items.items.forEach((item, index) => {
      if (!isKrmObject(item)) {
        list.invalidItems.push(index);
        return;
      }
      const origin = originOf(item, index, lineCounter);
      if (!isListWrapper(item)) {
        list.resources.push(new Resource(item, doc, origin));
        return;
      }
      for (const node of listMembers(item)) {
        const member = new Resource(node, doc, origin);
        list.resources.push(member);
        list.listOf.set(member, item);
      }
    });
    return list;
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
    return ranges.sort((a, b) => a[0] - b[0]);
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
    this.lastIndex = new Map();
    for (const resource of this.resources) {
      const annotations = resource.annotations();
      const path = PATH_ANNOTATIONS.map((key) => annotations[key]).find((p) => p !== undefined);
      if (path === undefined) continue;
      for (const key of INDEX_ANNOTATIONS) {
        const index = annotations[key];
        if (index !== undefined && /^[0-9]+$/.test(index)) {
          this.lastIndex.set(path, Math.max(this.lastIndex.get(path) ?? -1, Number(index)));
        }
      }
    }
    return this.lastIndex;
  }

  /** The ResourceList with `results` set (replacing any earlier ones). */
  render(results: readonly Result[]): string {
    const root = this.doc.contents as YAMLMap;
    if (results.length) root.set('results', this.doc.createNode(results.map(forSpec)));
    else root.delete('results');
    // Items no function changed are copied from the input; only what changed is rendered.
    const cuts = this.removedRanges();
    const edits = cuts && patchDocument(this.doc, this.text, LIST_STYLE);
    if (cuts && edits) {
      const kept = edits.filter(
        (e) => !cuts.some(([start, end]) => e.start >= start && e.end <= end && e.start < end),
      );
      const all = [...kept, ...cuts.map(([start, end]) => ({ start, end, text: '' }))];
      return applyEdits(
        this.text,
        all.sort((a, b) => a.start - b.start),
      );
    }
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
  while (cursor >= 0 && cursor < text.length) {
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

function isNull(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'value' in node && node.value === null;
}

function originOf(item: YAMLMap, index: number, lineCounter: LineCounter) {
  const annotations = item.getIn(['metadata', 'annotations'], true);
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
      if (value !== undefined && /^[0-9]+$/.test(String(value))) {
        fileIndex = Number(value);
        break;
      }
    }
  }
  // Without a file path, the line in the ResourceList itself is still a location.
  return path === undefined ? { index, lineCounter } : { path, index: fileIndex };
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
