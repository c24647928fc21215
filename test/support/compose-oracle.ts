import {
  Composer,
  isDocument,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Parser,
} from 'yaml';
import type { Document } from 'yaml';
import { composeListItem, composeSimple, layoutOf } from '../../src/yaml/fast-compose';
import { AS_WRITTEN, inferStyle } from '../../src/yaml/document-stream';
import { splitListItems } from '../../src/yaml/list-items';

/*
 * The oracle of src/yaml/fast-compose.ts: a document composed from its lines must be the
 * very document the yaml library parses from the same slice.
 */

/** The options parseDocumentStream composes with (the line counter is not the composer's). */
export const OPTIONS = { prettyErrors: true, uniqueKeys: true, ...AS_WRITTEN };

/**
 * Everything a document and its nodes hold, as plain data: the class of every node, every
 * own property (value, source, type, format, range, comments, spaceBefore, flow, ...),
 * the document's range, comments, markers and options. Ranges are given relative to
 * `base`, so a document composed in place in a stream compares with its slice parsed alone.
 */
export function shape(value: unknown, base: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shape(v, base));
  if (isDocument(value)) {
    const doc = value as Document.Parsed;
    const options: Record<string, unknown> = { ...doc.options };
    delete options._directives;
    return {
      range: doc.range.map((r) => r - base),
      commentBefore: doc.commentBefore,
      comment: doc.comment,
      directives: {
        docStart: doc.directives?.docStart,
        docEnd: doc.directives?.docEnd,
        yaml: doc.directives?.yaml,
        tags: doc.directives?.tags,
      },
      options,
      schema: [doc.schema.name, doc.schema.tags.length, doc.schema.knownTags],
      errors: doc.errors.length,
      warnings: doc.warnings.length,
      contents: shape(doc.contents, base),
    };
  }
  if (isPair(value)) return { pair: [shape(value.key, base), shape(value.value, base)] };
  if (isNode(value)) {
    const out: Record<string, unknown> = { class: value.constructor.name };
    for (const [k, v] of Object.entries(value)) {
      if (k === 'range') out[k] = (v as number[]).map((r) => r - base);
      else if (k === 'items') out[k] = shape(v, base);
      else out[k] = typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v;
    }
    return out;
  }
  return value;
}

/** Where composeDocuments splits a stream: each `---` line starts a document. */
export function slices(text: string): [number, number][] {
  const starts = [0];
  for (const m of text.matchAll(/^---(?=[ \t]|\r?$)/gm)) if (m.index) starts.push(m.index);
  starts.push(text.length);
  return starts.slice(0, -1).map((s, i) => [s, starts[i + 1]]);
}

/**
 * The fast composition of `text[start, end)` is either declined, or exactly the one
 * document the library makes of that slice, without a word from it. True when composed.
 */
export function agrees(text: string, start: number, end: number): boolean {
  const fast = composeSimple(text, start, end, OPTIONS);
  // Read in place when the stream is known to be clean: the same document.
  if (!/[\t\r]/.test(text)) {
    const inPlace = composeSimple(text, start, end, OPTIONS, true);
    expect(inPlace && shape(inPlace, start)).toEqual(fast && shape(fast, start));
  }
  if (!fast) return false;
  const reference = parseAllDocuments(text.slice(start, end), { ...OPTIONS, uniqueKeys: false });
  expect(Array.isArray(reference) && reference.length).toBe(1);
  const doc = (reference as Document.Parsed[])[0];
  expect([...doc.errors, ...doc.warnings].map((e) => e.message)).toEqual([]);
  expect(shape(fast, start)).toStrictEqual(shape(doc, 0));
  // What a changed document is rendered from: the same text, in the same layout.
  expect(fast.toString()).toBe(doc.toString());
  const range = fast.contents!.range!;
  const content = text.slice(range[0], range[1]);
  expect(inferStyle(content, layoutOf(fast))).toEqual(inferStyle(content));
  return true;
}

export function agreesEverywhere(text: string): number {
  let composed = 0;
  for (const [start, end] of slices(text)) if (agrees(text, start, end)) composed++;
  return composed;
}

/**
 * What yaml makes of one ResourceList item `text[start, end)`: the item node of a one-item
 * sequence (offsets in `text`), undefined when the library reports an error.
 */
export function parsedItem(text: string, start: number, end: number) {
  const parser = new Parser();
  parser.offset = start;
  const docs = Array.from(
    new Composer({ uniqueKeys: false, ...AS_WRITTEN }).compose(
      parser.parse(text.slice(start, end)),
    ),
  );
  const seq = docs.length === 1 && !docs[0].errors.length ? docs[0].contents : undefined;
  return { node: isSeq(seq) ? seq.items[0] : undefined, schema: docs[0].schema };
}

/** An item node as plain data: its class, every property set, and its children. */
export function itemShape(node: unknown): unknown {
  if (isPair(node)) return { pair: [itemShape(node.key), itemShape(node.value)] };
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = { class: node.constructor.name };
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined || key === 'items') continue;
    out[key] = value;
  }
  if (isMap(node) || isSeq(node)) out.items = (node.items as unknown[]).map(itemShape);
  if (isScalar(node)) out.valueType = typeof node.value;
  return out;
}

/**
 * Compares every item of a ResourceList text composed by composeListItem with the item
 * the library parses; returns how many composeListItem accepted (-1: the list's layout is
 * not one splitListItems follows). What yaml refuses is never taken.
 */
export function itemsAgree(list: string): number {
  const split = splitListItems(list);
  if (!split) return -1;
  let accepted = 0;
  for (const item of split.items) {
    const { node, schema } = parsedItem(list, item.start, item.end);
    const composed = composeListItem(list, item.start, item.end, split.column, schema);
    if (node === undefined) expect(composed).toBeUndefined();
    if (composed === undefined) continue;
    accepted++;
    expect(itemShape(composed)).toStrictEqual(itemShape(node));
  }
  return accepted;
}
