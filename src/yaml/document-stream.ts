import { Document, isMap, LineCounter } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { expandAliases, mayHoldAliases } from './anchors';
import { sourceErrorOf } from './source-error';
import { composeDocuments } from './pass-through';
import { layoutOf } from './fast-compose';
import type { Layout } from './fast-compose';
import { patchDocument, renderNewDocument } from './patch';
import { parseAllUnique } from './unique-keys';

/**
 * A multi-document YAML text kept as its source. Documents that no transform
 * touched are written back as their original bytes; a changed document has only
 * the text of its top-level node re-rendered, so the comments above it, the
 * `---` markers and the blank lines around them stay as they were.
 */
export interface StreamDocument {
  doc: Document.Parsed;
  /** Source offsets of the top-level node (excludes leading comments and markers). */
  start: number;
  end: number;
  /** Layout inferred from the source so a re-rendered node keeps its style. */
  style: ToStringOptions;
  changed: boolean;
  /** Dropped by a transform: its text (from its `---` to the next one) is not written. */
  removed?: boolean;
}

export interface DocumentStream {
  path: string;
  text: string;
  lineCounter: LineCounter;
  documents: StreamDocument[];
  /** Documents created by transforms, rendered after the last source document. */
  appended: Document[];
}

/**
 * YAML 1.1 tags (`!!binary`, `!!set`, `!!timestamp`, ...) are kept as tagged data, like
 * custom tags (`!Ref`): resolving them would re-encode their values when a document is
 * rendered (and `yaml` cannot render `!!binary` without a line width).
 */
export const AS_WRITTEN = { resolveKnownTags: false } as const;

function baseStyle(): ToStringOptions {
  return {
    lineWidth: 0,
    minContentWidth: 0,
    indent: 2,
    indentSeq: false,
    flowCollectionPadding: false,
  };
}

export function parseDocumentStream(
  text: string,
  path: string,
  /** Kinds the caller never reads: sound documents of these kinds are not composed. */
  passThrough?: (kind: string) => boolean,
  /**
   * Every document through the yaml library's parser: no pass-through, no composing from
   * lines (fast-compose.ts). The output is the same; tests compare the two paths.
   */
  fullParse?: boolean,
): DocumentStream {
  const lineCounter = new LineCounter();
  const options = { lineCounter, prettyErrors: true, uniqueKeys: true, ...AS_WRITTEN };
  const docs = fullParse
    ? parseAllUnique(text, options)
    : composeDocuments(text, options, passThrough, parseAllUnique);
  // parseAllDocuments returns an EmptyStream (an array with no documents) for empty input.
  const documents: StreamDocument[] = [];
  for (const doc of docs) {
    if (doc.errors[0]) throw sourceErrorOf(doc.errors[0], path, text);
    const contents = doc.contents;
    const start = contents?.range?.[0] ?? doc.range[0];
    const end = contents?.range?.[1] ?? doc.range[0];
    // A document composed from its lines has no alias and no merge key.
    const layout = layoutOf(doc);
    if (!layout && mayHoldAliases(text, start, end)) expandAliases(doc, { path, lineCounter });
    documents.push({
      doc,
      start,
      end,
      style: inferStyle(text.slice(start, end), layout),
      changed: false,
    });
  }
  return { path, text, lineCounter, documents, appended: [] };
}

/**
 * Sequences written as `key:\n  - item` (indented) or `key:\n- item` (generated style).
 * `layout`: what composing the document from its lines found of the same (fast-compose.ts).
 */
export function inferStyle(source: string, layout?: Layout): ToStringOptions {
  let step: number | undefined;
  let indentSeq: boolean;
  if (layout) {
    step = layout.step;
    indentSeq = layout.indentSeq ?? false;
  } else {
    const seq = /^( *)[^ #\n-][^\n]*:[ \t]*\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)- /m.exec(source);
    const nested = /^( *)[^ #\n-][^\n]*:[ \t]*\r?\n( +)[^ #\n-]/m.exec(source);
    if (nested) step = nested[2].length - nested[1].length;
    indentSeq = seq ? seq[2].length > seq[1].length : false;
  }
  const indent = step !== undefined && step >= 1 && step <= 8 ? step : 2;
  // `[ a, b ]` or `[a, b]`: keep whichever the document already uses.
  const flowCollectionPadding = /[[{] +[^\s\]}]/.test(source) && !/[[{][^\s\]}]/.test(source);
  return { ...baseStyle(), indent, indentSeq, flowCollectionPadding };
}

/** Renders only the top-level node of a document, without its document-level comments. */
export function renderNode(doc: Document, style: ToStringOptions): string {
  const contents = doc.contents;
  const saved = {
    commentBefore: doc.commentBefore,
    comment: doc.comment,
    docStart: doc.directives?.docStart,
    nodeCommentBefore: contents?.commentBefore,
    firstKeyComment: undefined as string | null | undefined,
    firstKeySpace: undefined as boolean | undefined,
  };
  const firstKey = isMap(contents) ? contents.items[0]?.key : undefined;
  const firstKeyNode = isNodeWithComments(firstKey) ? firstKey : undefined;
  doc.commentBefore = null;
  doc.comment = null;
  if (doc.directives) doc.directives.docStart = null;
  if (contents) contents.commentBefore = null;
  if (firstKeyNode) {
    saved.firstKeyComment = firstKeyNode.commentBefore;
    saved.firstKeySpace = firstKeyNode.spaceBefore;
    firstKeyNode.commentBefore = null;
    firstKeyNode.spaceBefore = false;
  }
  try {
    return doc.toString(style);
  } finally {
    doc.commentBefore = saved.commentBefore;
    doc.comment = saved.comment;
    if (doc.directives) doc.directives.docStart = saved.docStart ?? null;
    if (contents) contents.commentBefore = saved.nodeCommentBefore;
    if (firstKeyNode) {
      firstKeyNode.commentBefore = saved.firstKeyComment;
      firstKeyNode.spaceBefore = saved.firstKeySpace;
    }
  }
}

function isNodeWithComments(
  value: unknown,
): value is { commentBefore?: string | null; spaceBefore?: boolean } {
  return typeof value === 'object' && value !== null && 'commentBefore' in value;
}

export function renderDocumentStream(stream: DocumentStream): string {
  const { text } = stream;
  // `yaml` writes LF; a CRLF file gets CRLF in what is rendered too (the patcher's rule).
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const parts: string[] = [];
  let cursor = 0;
  for (const [i, entry] of stream.documents.entries()) {
    if (entry.removed) {
      // A document's range starts at its `---` (the first one's after the file's head
      // comment) and runs to the next one's: the comments above a document go with it.
      const next = stream.documents[i + 1];
      parts.push(text.slice(cursor, entry.doc.range[0]));
      cursor = next ? next.doc.range[0] : text.length;
      continue;
    }
    if (!entry.changed) continue;
    // Only what changed is rendered; the rest of the document is copied from the source.
    const edits = patchDocument(entry.doc, text, entry.style);
    if (edits) {
      for (const edit of edits) {
        parts.push(text.slice(cursor, edit.start), edit.text);
        cursor = edit.end;
      }
      continue;
    }
    let rendered = renderNode(entry.doc, entry.style);
    const original = text.slice(entry.start, entry.end);
    if (!original.endsWith('\n') && rendered.endsWith('\n')) rendered = rendered.slice(0, -1);
    rendered = withLineBreaks(restoreCommentSpacing(original, rendered), eol);
    parts.push(text.slice(cursor, entry.start), rendered);
    cursor = entry.end;
  }
  if (stream.appended.length === 0) {
    parts.push(text.slice(cursor));
    return parts.join('');
  }
  // New documents go before a trailing bare `---` so that marker stays last.
  const insertAt = trailingEmptyDocumentStart(stream) ?? text.length;
  parts.push(text.slice(cursor, insertAt));
  let head = parts.join('');
  if (head.length > 0 && !head.endsWith('\n')) head += eol;
  const added = stream.appended
    .map((doc) => withLineBreaks(`---\n${renderNewDocument(doc, baseStyle())}`, eol))
    .join('');
  return head + added + text.slice(insertAt);
}

function withLineBreaks(rendered: string, eol: string): string {
  return eol === '\n' ? rendered : rendered.replace(/\r?\n/g, eol);
}

/**
 * The renderer writes one space before a line comment; put back the spacing the
 * source had (`name: web   # note`) on lines that are otherwise the same.
 */
export function restoreCommentSpacing(original: string, rendered: string): string {
  const normalize = (line: string) => line.replace(/\s+#/, ' #');
  const source = original.split('\n');
  let from = 0;
  return rendered
    .split('\n')
    .map((line) => {
      if (!line.includes(' #')) return line;
      const key = normalize(line);
      for (let i = from; i < source.length; i++) {
        if (source[i].includes('#') && normalize(source[i]) === key) {
          from = i + 1;
          return source[i];
        }
      }
      return line;
    })
    .join('\n');
}

function trailingEmptyDocumentStart(stream: DocumentStream): number | undefined {
  const last = stream.documents[stream.documents.length - 1];
  if (!last || stream.documents.length < 2) return undefined;
  return stream.text.slice(last.doc.range[0]).trim() === '---' ? last.doc.range[0] : undefined;
}
