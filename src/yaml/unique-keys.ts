import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, YAMLParseError } from 'yaml';
import type {
  Document,
  DocumentOptions,
  LineCounter,
  Node,
  ParseOptions,
  SchemaOptions,
} from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions & { lineCounter?: LineCounter };

/**
 * `parseAllDocuments` refusing duplicate map keys in linear time. The yaml library's own
 * check (uniqueKeys) compares each key with every key before it in its map: 40,000 keys
 * take 16 s. Here the library's check is off and each map's keys go through a Map once;
 * the error is the library's (DUPLICATE_KEY, "Map keys must be unique", at the repeated
 * key), with the same notion of equal keys: the same node, or scalars of the same value.
 */
export function parseAllUnique(text: string, options: Options): Document.Parsed[] {
  const docs = parseAllDocuments(text, { ...options, uniqueKeys: false });
  // An EmptyStream (no documents) is an array too.
  if (options.uniqueKeys !== false && Array.isArray(docs)) {
    for (const doc of docs) checkUniqueKeys(doc, options.lineCounter);
  }
  return docs as Document.Parsed[];
}

/** `parseDocument` with the same linear duplicate-key check. */
export function parseOneUnique(text: string, options: Options): Document.Parsed {
  const doc = parseDocument(text, { ...options, uniqueKeys: false });
  if (options.uniqueKeys !== false) checkUniqueKeys(doc, options.lineCounter);
  return doc;
}

/** Adds a DUPLICATE_KEY error to `doc.errors` (in source order) for each repeated key. */
export function checkUniqueKeys(doc: Document.Parsed, lineCounter?: LineCounter): void {
  const found: YAMLParseError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        // yaml: a === b, or two scalars whose values are ===. A Set compares keys the same
        // way, except that it finds NaN equal to NaN: a NaN key never repeats.
        const id = isScalar(key) ? key.value : key;
        if (!Number.isNaN(id)) {
          if (seen.has(id)) found.push(duplicate(key, lineCounter));
          else seen.add(id);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      // A parsed list holds nodes only (a flow `[a: 1]` holds maps), never bare pairs.
      for (const item of node.items) stack.push(item);
    }
  }
  if (!found.length) return;
  for (const error of found) doc.errors.push(error);
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}

function duplicate(key: Node | null, lineCounter: LineCounter | undefined): YAMLParseError {
  const offset = key?.range?.[0] ?? 0;
  const error = new YAMLParseError(
    [offset, offset + 1],
    'DUPLICATE_KEY',
    'Map keys must be unique',
  );
  if (lineCounter) error.linePos = [lineCounter.linePos(offset)];
  return error;
}
