/**
 * The first record of a comma-separated value, as Go's `encoding/csv` Reader.Read
 * returns it with its defaults (no trimming, `"` quoting, `""` for a quote inside
 * quotes): the EKS pod identity webhook reads `eks.amazonaws.com/skip-containers` this
 * way, and a value it cannot parse makes it skip no container. undefined is that case
 * (a bare quote in an unquoted field, a quoted field not followed by a comma or the end
 * of the line, an unterminated quote, or nothing at all).
 */
export function goCsvFirstRecord(text: string): string[] | undefined {
  // Read skips empty lines; the record ends at the first newline outside quotes.
  const lines = text.replace(/\r\n/g, '\n');
  let i = 0;
  while (lines[i] === '\n') i++;
  if (i >= lines.length) return undefined;
  const fields: string[] = [];
  for (;;) {
    let field = '';
    if (lines[i] === '"') {
      i++;
      for (;;) {
        const c = lines[i];
        // The value ended inside quotes.
        if (c === undefined) return undefined;
        if (c === '"') {
          if (lines[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      const next = lines[i];
      if (next !== undefined && next !== ',' && next !== '\n') return undefined;
    } else {
      while (i < lines.length && lines[i] !== ',' && lines[i] !== '\n') {
        if (lines[i] === '"') return undefined;
        field += lines[i];
        i++;
      }
    }
    fields.push(field);
    if (lines[i] === ',') {
      i++;
      continue;
    }
    return fields;
  }
}
