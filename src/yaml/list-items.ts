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
  items: ListItem[];
}

/** One item: from the start of its `-` line to the start of the next item's. */
export interface ListItem {
  start: number;
  end: number;
  /** A line of it starts left of its content (after `- `): not a document of its own. */
  shallow: boolean;
}

/** A line starting with a directive, a `---` or a `...` marker (searched without a regex). */
function hasMarkerLine(text: string): boolean {
  for (const mark of ['---', '...', '%']) {
    if (text.startsWith(mark) || text.includes(`\n${mark}`)) return true;
  }
  return false;
}

export function splitListItems(text: string): ListItems | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\r') || hasMarkerLine(text)) {
    return undefined;
  }
  const key = /^items: *\n/m.exec(text);
  if (!key) return undefined;
  const start = key.index + key[0].length;
  let column = 0;
  while (text.charCodeAt(start + column) === 32) column++;
  // The line after the key is the first item's: `- ` at its column, then content.
  if (!text.startsWith('- ', start + column) || text.charCodeAt(start + column + 2) === 32) {
    return undefined;
  }
  let current: ListItem = { start, end: text.length, shallow: false };
  const items: ListItem[] = [current];
  const firstBreak = text.indexOf('\n', start);
  // The end of the last content line seen: an item must end there (no trailing
  // comment or blank line, which the parser could give to the next node).
  let contentEnd = firstBreak < 0 ? text.length : firstBreak + 1;
  let end = text.length;
  for (let line = contentEnd; line < text.length;) {
    const next = text.indexOf('\n', line);
    const lineEnd = next < 0 ? text.length : next + 1;
    let indent = 0;
    while (text.charCodeAt(line + indent) === 32) indent++;
    const c = text.charCodeAt(line + indent);
    // A blank line is kept only inside an item (it ends up as some node's spaceBefore).
    const blank = line + indent === text.length || c === 10;
    if (!blank) {
      if (c === 9) return undefined;
      if (c === 35) {
        if (indent <= column) return undefined; // `#` at the items' column: whose comment?
        if (indent < column + 2) current.shallow = true;
      } else if (indent > column) {
        if (indent < column + 2) current.shallow = true;
        contentEnd = lineEnd;
      } else if (indent === column && text.startsWith('- ', line + indent)) {
        if (text.charCodeAt(line + indent + 2) === 32) return undefined;
        if (contentEnd !== line) return undefined;
        current.end = line;
        current = { start: line, end: text.length, shallow: false };
        items.push(current);
        contentEnd = lineEnd;
      } else {
        end = line; // the next key of the ResourceList
        break;
      }
    }
    line = lineEnd;
  }
  if (contentEnd !== end) return undefined;
  current.end = end;
  return { key: key.index, start, end, column, items };
}

/**
 * An item's text as a document of its own (`- ` and the indentation of its lines taken
 * off), for the line check; undefined when a line sits left of the item's content.
 */
export function itemAsDocument(text: string, item: ListItem, column: number): string | undefined {
  if (item.shallow) return undefined;
  const source = text.slice(item.start + column + 2, item.end);
  return source.split(`\n${' '.repeat(column + 2)}`).join('\n');
}
