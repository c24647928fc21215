/**
 * The items of a ResourceList found in its text, without parsing it: the byte range of
 * each item, so an I/O layer can parse only the items a run edits and copy the others.
 *
 * Only the layout kpt and kustomize write is followed: a block `items:` key at column 0
 * whose sequence starts on the next line, each item starting with `- ` at one column, its
 * other lines indented past the `-`, and nothing between items or after the last one but
 * the next key of the ResourceList (no comment or blank line, which the parser would hand
 * to one node or another). Anything else (a flow or JSON list, CRLF line breaks, a
 * byte-order mark, tabs, directives or `---` / `...` markers) is `undefined`: the
 * caller parses the whole list instead.
 */
export interface ListItems {
  /** Offset of the `items:` key. */
  key: number;
  /** Start of the line of the first item's `-`. */
  start: number;
  /** Start of the line after the last item (the next key of the list), or the text's end. */
  end: number;
  /** Column of every item's `-`. */
  column: number;
  /** Each item: from the start of its `-` line to the start of the next item's. */
  items: { start: number; end: number }[];
}

const ITEMS_KEY = /^items: *\n/m;
const UNFOLLOWED = /^(?:---|\.\.\.|%)/m;

export function splitListItems(text: string): ListItems | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\r') || UNFOLLOWED.test(text)) {
    return undefined;
  }
  const key = ITEMS_KEY.exec(text);
  if (!key) return undefined;
  const start = key.index + key[0].length;
  let column = 0;
  while (text.charCodeAt(start + column) === 32) column++;
  if (!text.startsWith('- ', start + column) || text.charCodeAt(start + column + 2) === 32) {
    return undefined;
  }
  const items: { start: number; end: number }[] = [];
  // The end of the last content line seen: an item must end there (no trailing
  // comment or blank line, which the parser could give to the next node).
  let contentEnd = start;
  let end = text.length;
  for (let line = start; line < text.length;) {
    const next = text.indexOf('\n', line);
    const lineEnd = next < 0 ? text.length : next + 1;
    let indent = 0;
    while (text.charCodeAt(line + indent) === 32) indent++;
    const c = text.charCodeAt(line + indent);
    if (line + indent === text.length || c === 10) {
      // A blank line: kept only inside an item (it ends up as some node's spaceBefore).
    } else if (c === 9) {
      return undefined;
    } else if (c === 35) {
      if (indent <= column) return undefined; // `#` at the items' column: whose comment?
    } else if (indent > column) {
      contentEnd = lineEnd;
    } else if (indent === column && text.startsWith('- ', line + indent)) {
      if (text.charCodeAt(line + indent + 2) === 32) return undefined;
      if (items.length && contentEnd !== line) return undefined;
      if (items.length) items[items.length - 1].end = line;
      items.push({ start: line, end: text.length });
      contentEnd = lineEnd;
    } else {
      end = line; // the next key of the ResourceList
      break;
    }
    line = lineEnd;
  }
  if (contentEnd !== end) return undefined;
  items[items.length - 1].end = end;
  return { key: key.index, start, end, column, items };
}

/**
 * An item's text as a document of its own (`- ` and the indentation of its lines taken
 * off), for the line check; undefined when a line sits left of the item's content.
 */
export function itemAsDocument(
  text: string,
  item: { start: number; end: number },
  column: number,
): string | undefined {
  const source = text.slice(item.start + column + 2, item.end);
  const { shallow, indent } = patternsFor(column + 2);
  // Every non-blank line after the first indented at least as far as the content.
  if (shallow.test(source)) return undefined;
  return source.replace(indent, '\n');
}

const patterns = new Map<number, { shallow: RegExp; indent: RegExp }>();

function patternsFor(width: number): { shallow: RegExp; indent: RegExp } {
  let found = patterns.get(width);
  if (!found) {
    found = {
      shallow: new RegExp(`\\n {0,${width - 1}}[^ \\n]`),
      indent: new RegExp(`\\n {${width}}`, 'g'),
    };
    patterns.set(width, found);
  }
  return found;
}
