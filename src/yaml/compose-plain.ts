import type { Node, Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';
import { MapNode, PairNode, ScalarNode, SeqNode } from './classes';
import { PLAIN, QUOTED } from './pass-through';

/**
 * The nodes `yaml` builds for one ResourceList item written in the plainest block YAML,
 * built from its lines without the library's lexer, parser and composer (most of a KRM
 * run's time is reading the items it edits). Only this is followed: the comments above
 * the item on its `- ` line and the lines under it, then lines of `key: value`, `key:`
 * and `- ` items, one space after each `:` and `-`, keys plain or quoted without
 * escapes, values one-line plain or quoted scalars without escapes, `{}` or `[]`; no
 * other comment, no blank line, no trailing space. Anything else is undefined, and the
 * item is parsed by `yaml` as usual. Scalars are resolved by the document's schema
 * exactly as the composer resolves them; ranges, types, sources and the comment above
 * the item are those the composer sets (tested node by node against it).
 */
export function composePlainItem(
  text: string,
  start: number,
  end: number,
  column: number,
  schema: Schema,
): YAMLMap | undefined {
  const reader = new Reader(text, schema);
  const head = reader.lines(start, end, column);
  if (head === undefined || !reader.rows.length) return undefined;
  try {
    const first = reader.rows[0];
    if (first.at !== column + 2 || first.markers.length) return undefined;
    const result = reader.map(0, column + 2);
    if (!result || result.next !== reader.rows.length) return undefined;
    if (head) result.node.commentBefore = head;
    return result.node as YAMLMap;
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

const DECLINE = new Error('not in the plain subset');

/** One content line: its item markers, then a key (maybe with a value) or a value. */
interface Row {
  /** Column of the first token (a marker or the key / value). */
  indent: number;
  /** Columns of its `- ` markers. */
  markers: number[];
  /** Column of the key or value after the markers. */
  at: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** Start of the line in the text. */
  lineStart: number;
}

const KEY = /^([A-Za-z_][\w./-]*|"[^"\\]*"|'[^']*'):(?: (.+))?$/;
const SCALAR = Symbol.for('yaml.scalar');

type Tag = {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
};

const RESOLVE_OPTIONS = { intAsBigInt: false };

class Reader {
  readonly rows: Row[] = [];
  private readonly tags: Tag[];
  private readonly stringTag: Tag;

  constructor(
    private readonly text: string,
    private readonly schema: Schema,
  ) {
    this.tags = (schema.tags as unknown as Tag[]).filter((tag) => tag.default === true && tag.test);
    this.stringTag = (schema as unknown as Record<symbol, Tag>)[SCALAR];
  }

  /** Reads the item's lines into rows; the comment above it, or undefined when out of subset. */
  lines(start: number, end: number, column: number): string | undefined {
    const text = this.text;
    const comments: string[] = [];
    let line = start;
    let first = true;
    while (line < end) {
      const next = text.indexOf('\n', line);
      const lineEnd = next < 0 || next >= end ? end : next;
      let pos = line;
      if (first)
        pos += column + 2; // past `- `
      else while (text.charCodeAt(pos) === 32) pos++;
      const content = text.slice(pos, lineEnd);
      if (content.charCodeAt(0) === 35) {
        // Comments only above the item's first key: on the `- ` line and under it.
        if (this.rows.length || (!first && pos !== line + column + 2)) return undefined;
        if (content.length < 2 || /\s$/.test(content)) return undefined;
        comments.push(content.slice(1));
      } else if (!this.row(line, pos, lineEnd)) {
        return undefined;
      }
      first = false;
      line = lineEnd + 1;
    }
    return comments.join('\n');
  }

  private row(lineStart: number, pos: number, lineEnd: number): boolean {
    const text = this.text;
    const markers: number[] = [];
    while (text.startsWith('- ', pos) && pos < lineEnd) {
      markers.push(pos - lineStart);
      pos += 2;
    }
    if (pos >= lineEnd || text.charCodeAt(pos) === 32) return false;
    const rest = text.slice(pos, lineEnd);
    const key = KEY.exec(rest);
    const row: Row = {
      indent: markers.length ? markers[0] : pos - lineStart,
      markers,
      at: pos - lineStart,
      keyStart: -1,
      keyEnd: -1,
      valueStart: -1,
      valueEnd: -1,
      lineStart,
    };
    if (key) {
      row.keyStart = pos;
      row.keyEnd = pos + key[1].length;
      if (key[2] !== undefined) {
        if (!isValue(key[2])) return false;
        row.valueStart = row.keyEnd + 2;
        row.valueEnd = lineEnd;
      }
    } else {
      if (!markers.length || !isValue(rest)) return false;
      row.valueStart = pos;
      row.valueEnd = lineEnd;
    }
    this.rows.push(row);
    return true;
  }

  /** A block map whose first key is on row `i` at `column`. */
  map(i: number, column: number): { node: Node; next: number } | undefined {
    const rows = this.rows;
    const map = new MapNode(this.schema) as YAMLMap<unknown, unknown>;
    let first = true;
    let last: Node | undefined;
    while (i < rows.length) {
      const row = rows[i];
      if (first) {
        if (row.at !== column || row.keyStart < 0) throw DECLINE;
      } else if (row.indent !== column || row.markers.length || row.keyStart < 0) break;
      first = false;
      const key = this.scalar(row.keyStart, row.keyEnd, true);
      let value: Node;
      if (row.valueStart >= 0) {
        value = this.scalar(row.valueStart, row.valueEnd, false);
        i++;
      } else {
        i++;
        const next = rows[i];
        if (next && next.indent > column) {
          const nested = next.markers.length ? this.seq(i, next.indent) : this.map(i, next.indent);
          if (!nested) throw DECLINE;
          value = nested.node;
          i = nested.next;
        } else if (next && next.indent === column && next.markers.length) {
          const nested = this.seq(i, column);
          if (!nested) throw DECLINE;
          value = nested.node;
          i = nested.next;
        } else {
          // `key:` and nothing under it: null, just after the colon.
          const at = row.keyEnd + 1;
          value = this.resolved('', at, at, at, 'PLAIN', false);
        }
      }
      map.items.push(new PairNode(key, value) as Pair<unknown, unknown>);
      last = value;
    }
    const keyRange = (map.items[0].key as Scalar).range!;
    const end = last!.range![2];
    map.range = [keyRange[0], end, end];
    return { node: map, next: i };
  }

  /** A block sequence whose first `- ` is on row `i` at `column`. */
  seq(i: number, column: number): { node: Node; next: number } | undefined {
    const rows = this.rows;
    const seq = new SeqNode(this.schema) as YAMLSeq<unknown>;
    let first = true;
    let startOffset = -1;
    while (i < rows.length) {
      const row = rows[i];
      const m = row.markers.indexOf(column);
      if (first) {
        if (m < 0) throw DECLINE;
        startOffset = row.lineStart + column;
      } else if (row.indent !== column || m !== 0) break;
      first = false;
      const inner = column + 2;
      let item: { node: Node; next: number } | undefined;
      if (row.markers[m + 1] === inner) item = this.seq(i, inner);
      else if (row.at !== inner) throw DECLINE;
      else if (row.keyStart >= 0) item = this.map(i, inner);
      else item = { node: this.scalar(row.valueStart, row.valueEnd, false), next: i + 1 };
      if (!item) throw DECLINE;
      seq.items.push(item.node);
      i = item.next;
    }
    const last = seq.items[seq.items.length - 1] as Node;
    const end = last.range![2];
    seq.range = [startOffset, end, end];
    return { node: seq, next: i };
  }

  /** A one-line scalar (or `{}` / `[]`) at [start, end). */
  private scalar(start: number, end: number, atKey: boolean): Node {
    const text = this.text;
    const source = text.slice(start, end);
    // The value's node ends after its line break; a key's at its last character.
    const after = atKey ? end : text.charCodeAt(end) === 10 ? end + 1 : end;
    if (source === '{}' || source === '[]') {
      if (atKey) throw DECLINE;
      const node =
        source === '{}'
          ? (new MapNode(this.schema) as YAMLMap<unknown, unknown>)
          : (new SeqNode(this.schema) as YAMLSeq<unknown>);
      node.flow = true;
      node.range = [start, end, after];
      return node;
    }
    const c = source.charCodeAt(0);
    if (c === 34 || c === 39) {
      return this.resolved(
        source.slice(1, -1),
        start,
        end,
        after,
        c === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE',
        true,
      );
    }
    return this.resolved(source, start, end, after, 'PLAIN', false);
  }

  private resolved(
    value: string,
    start: number,
    end: number,
    after: number,
    type: Scalar.Type,
    quoted: boolean,
  ): Node {
    const tag = quoted
      ? this.stringTag
      : (this.tags.find((t) => t.test!.test(value)) ?? this.stringTag);
    const res = tag.resolve(
      value,
      () => {
        throw DECLINE;
      },
      RESOLVE_OPTIONS,
    );
    const scalar = (res instanceof ScalarNode ? res : new ScalarNode(res)) as Scalar;
    scalar.range = [start, end, after];
    (scalar as Scalar & { source: string }).source = value;
    scalar.type = type;
    if (tag.format) scalar.format = tag.format;
    return scalar;
  }
}

function isValue(text: string): boolean {
  return text === '{}' || text === '[]' || PLAIN.test(text) || QUOTED.test(text);
}
