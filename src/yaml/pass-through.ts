import { Composer, Parser } from 'yaml';
import type { CST, Document, DocumentOptions, LineCounter, ParseOptions } from 'yaml';

/**
 * Documents a run does not need as nodes are not composed. Composing (turning the parser's
 * tokens into nodes) is about half the cost of reading YAML, and most of a package is
 * resources no function reads: Services, PersistentVolumeClaims, and so on. Such a document
 * is still parsed, and checked on its tokens for everything composing it would report
 * (duplicate keys, bad indentation, stray tokens, metadata fields of the wrong type); it
 * is composed only as an empty stand-in, and its source is copied to the output as it is.
 *
 * The check accepts a plain subset: block maps and sequences, single-line plain or quoted
 * scalars, empty flow collections, comments; no tabs, anchors, aliases, tags, block scalars
 * or directives. Anything else is composed as usual, so what yaml would report is reported.
 */

type Options = ParseOptions & DocumentOptions & { lineCounter?: LineCounter };

const passThroughDocuments = new WeakSet<Document>();

/** True for the empty stand-in of a document that was not composed. */
export function isPassThrough(doc: Document): boolean {
  return passThroughDocuments.has(doc);
}

/**
 * `parseAllDocuments(text, options)`, except that a document whose kind `passThrough`
 * accepts, and which the token check finds sound, is composed as an empty stand-in.
 * When anything in the stream has an error, the whole text is parsed the usual way, so
 * errors are reported exactly as `parseAllDocuments` reports them.
 */
export function composeDocuments(
  text: string,
  options: Options,
  passThrough: (kind: string) => boolean,
  parseAll: (text: string, options: Options) => Document.Parsed[],
): Document.Parsed[] {
  const parser = new Parser(options.lineCounter?.addNewLine);
  const composer = new Composer(options);
  const docs: Document.Parsed[] = [];
  const standIns: boolean[] = [];
  let directives = false;
  for (const token of parser.parse(text)) {
    let next = token;
    if (token.type === 'directive') directives = true;
    if (token.type === 'document') {
      // The kind is read first: the full check is only worth making for a kind let through.
      const kind = directives ? undefined : kindOf(token);
      const standIn = kind !== undefined && passThrough(kind) && soundKind(token) === kind;
      if (standIn) next = { ...token, value: undefined, end: [] };
      standIns.push(standIn);
    }
    for (const doc of composer.next(next)) docs.push(doc as Document.Parsed);
  }
  for (const doc of composer.end()) docs.push(doc as Document.Parsed);
  if (docs.length === 0 || docs.length !== standIns.length || docs.some((d) => d.errors.length)) {
    // Parsed again from the start: the line counter must not count the lines twice.
    if (options.lineCounter) options.lineCounter.lineStarts.length = 0;
    return parseAll(text, options);
  }
  docs.forEach((doc, i) => {
    if (standIns[i]) passThroughDocuments.add(doc);
  });
  return docs;
}

/** The `kind:` of a document whose top level is a block map, read off its tokens. */
function kindOf(token: CST.Document): string | undefined {
  const value = token.value;
  if (value?.type !== 'block-map') return undefined;
  for (const item of value.items) {
    if ('key' in item && item.key && isFlowScalar(item.key) && stringOf(item.key) === 'kind') {
      return stringOf(item.value);
    }
  }
  return undefined;
}

/**
 * The kind of a document whose tokens compose without any error or warning into a KRM
 * object (string apiVersion and kind, not a List) with metadata of Kubernetes shape;
 * undefined for anything else.
 */
export function soundKind(token: CST.Document): string | undefined {
  const value = token.value;
  if (!value || value.type !== 'block-map') return undefined;
  const end = token.end ?? [];
  let docStart = false;
  let newlineAfterStart = true;
  for (const t of token.start) {
    if (t.type === 'doc-start') {
      if (docStart) return undefined;
      docStart = true;
      newlineAfterStart = false;
    } else if (t.type === 'newline') newlineAfterStart = true;
    else if (!blank(t) && t.type !== 'comment') return undefined;
  }
  if (!newlineAfterStart || !separated(token.start, true)) return undefined;
  if (!endTokens(end, false)) return undefined;
  const top = new Map<string, CST.Token | undefined>();
  if (!blockMap(value, top)) return undefined;
  const apiVersion = stringOf(top.get('apiVersion'));
  const kind = stringOf(top.get('kind'));
  if (apiVersion === undefined || kind === undefined || kind === 'List') return undefined;
  return top.has('metadata') && !metadataShaped(top.get('metadata')) ? undefined : kind;
}

/** Kubernetes metadata as checkMetadata wants it: a map with string name and namespace. */
function metadataShaped(metadata: CST.Token | undefined): boolean {
  if (metadata === undefined || isEmptyFlow(metadata, '{')) return true;
  if (metadata.type !== 'block-map') return false;
  const fields = new Map<string, CST.Token | undefined>();
  blockMap(metadata, fields);
  for (const key of ['name', 'namespace']) {
    const field = fields.get(key);
    if (field !== undefined && stringOf(field) === undefined) return false;
  }
  for (const key of ['labels', 'annotations']) {
    const field = fields.get(key);
    if (field !== undefined && field.type !== 'block-map' && !isEmptyFlow(field, '{')) return false;
  }
  return true;
}

/**
 * A block map that composes cleanly; `fields` gets each key's value token (undefined
 * for `key:` with nothing after it).
 */
function blockMap(map: CST.BlockMap, fields?: Map<string, CST.Token | undefined>): boolean {
  const keys = new Set<string>();
  for (const item of map.items) {
    if (!('key' in item) || !item.key || !item.sep) return false;
    if (!separated(item.start, true, [])) return false;
    const key = item.key;
    if (!isFlowScalar(key) || key.indent !== map.indent || !scalar(key, true)) return false;
    const name = stringOf(key);
    if (name === undefined || keys.has(name) || name.length > 1000) return false;
    keys.add(name);
    let indicator = false;
    let newline = false;
    for (const t of item.sep) {
      if (t.type === 'map-value-ind') {
        if (indicator) return false;
        indicator = true;
      } else if (t.type === 'newline') {
        if (indicator) newline = true;
      } else if (!blank(t) && t.type !== 'comment') return false;
    }
    if (!indicator || !separated(item.sep, false, ['map-value-ind'])) return false;
    const value = item.value;
    if (value?.type === 'block-map' && (!newline || value.indent <= map.indent)) return false;
    if (value?.type === 'block-seq' && (!newline || value.indent < map.indent)) return false;
    if (value && !node(value)) return false;
    fields?.set(name, value);
  }
  return map.items.length > 0;
}

function blockSeq(seq: CST.BlockSequence): boolean {
  for (const item of seq.items) {
    const indicators = item.start.filter((t) => t.type === 'seq-item-ind').length;
    if (indicators !== 1 || !separated(item.start, true, ['seq-item-ind'])) return false;
    if (item.value && !node(item.value)) return false;
  }
  return seq.items.length > 0;
}

function node(token: CST.Token): boolean {
  switch (token.type) {
    case 'block-map':
      return blockMap(token);
    case 'block-seq':
      return blockSeq(token);
    case 'flow-collection':
      return isEmptyFlow(token, token.start.source === '{' ? '{' : '[');
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
      return scalar(token, false);
    default:
      return false;
  }
}

function isFlowScalar(token: CST.Token): token is CST.FlowScalar {
  return (
    token.type === 'scalar' ||
    token.type === 'single-quoted-scalar' ||
    token.type === 'double-quoted-scalar'
  );
}

/** A single-line flow scalar that resolves without error; a key has nothing after it. */
function scalar(token: CST.FlowScalar, isKey: boolean): boolean {
  const source = token.source;
  if (source.includes('\n') || source.length === 0) return false;
  if (token.type === 'scalar') {
    if (',%|>@`'.includes(source[0])) return false;
  } else {
    const quote = token.type === 'single-quoted-scalar' ? "'" : '"';
    if (source.length < 2 || source[source.length - 1] !== quote) return false;
    if (quote === '"' && source.includes('\\')) return false;
  }
  const end = token.end ?? [];
  if (isKey) return end.every((t) => t.type === 'space' && blank(t));
  return endTokens(end, true);
}

/** `{}` or `[]` with nothing inside, then blanks and comments. */
function isEmptyFlow(token: CST.Token, open: '{' | '['): boolean {
  if (token.type !== 'flow-collection' || token.start.source !== open) return false;
  if (token.items.length) return false;
  const [close, ...rest] = token.end;
  return close?.source === (open === '{' ? '}' : ']') && endTokens(rest, true);
}

/** Tokens after a node: blanks and comments, a comment only after white space. */
function endTokens(tokens: readonly CST.SourceToken[], strict: boolean): boolean {
  let space = false;
  for (const t of tokens) {
    if (blank(t)) space = true;
    else if (t.type === 'comment') {
      if (strict && !space) return false;
    } else return false;
  }
  return true;
}

/** A line break, or spaces without a tab (a tab in indentation is an error). */
function blank(token: CST.SourceToken): boolean {
  return token.type === 'newline' || (token.type === 'space' && !token.source.includes('\t'));
}

/**
 * Blanks, comments and the given indicators only, each comment after white space (at
 * the start of a line counts as white space).
 */
function separated(
  tokens: readonly CST.SourceToken[],
  atLineStart: boolean,
  indicators: readonly string[] = [],
): boolean {
  let space = atLineStart;
  for (const t of tokens) {
    if (blank(t)) space = true;
    else if (t.type === 'comment') {
      if (!space) return false;
    } else if (indicators.includes(t.type) || t.type === 'doc-start') space = false;
    else return false;
  }
  return true;
}

const NOT_A_STRING = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$|^[-+.0-9]/;

/** The string a scalar token composes to; undefined when it is no string or not a scalar. */
function stringOf(token: CST.Token | undefined): string | undefined {
  if (!token || !isFlowScalar(token)) return undefined;
  const source = token.source;
  switch (token.type) {
    case 'scalar':
      return NOT_A_STRING.test(source) ? undefined : source;
    case 'single-quoted-scalar':
      return source.slice(1, -1).replace(/''/g, "'");
    default:
      return source.slice(1, -1);
  }
}
