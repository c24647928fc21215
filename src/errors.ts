/** Where in the input a problem is: every user-facing error carries one. */
export interface SourceLocation {
  path?: string;
  line?: number;
  column?: number;
  code?: string;
}

export function formatLocation(loc: SourceLocation): string {
  const parts = [loc.path ?? '<stdin>'];
  if (loc.line !== undefined) parts.push(String(loc.line));
  if (loc.line !== undefined && loc.column !== undefined) parts.push(String(loc.column));
  return parts.join(':');
}

/** Input that cannot be read as YAML (syntax, duplicate keys, encoding). */
export class SourceError extends Error {
  constructor(
    readonly reason: string,
    readonly location: SourceLocation,
  ) {
    super(`${formatLocation(location)}: ${reason}`);
    this.name = 'SourceError';
  }
}

/** A function config that fails its schema; `fields` name each offending field. */
export class ConfigError extends Error {
  constructor(
    readonly problems: { field: string; message: string }[],
    readonly location: SourceLocation = {},
  ) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

/**
 * A usage mistake on the command line. `command` is how the command is invoked
 * (`retarget hydrate`): the message points at its `--help`.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    public command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Text for a terminal or a report read by people: control characters (C0, DEL, C1),
 * Unicode line separators and bidirectional overrides are written as escapes, so a
 * hostile name cannot start a line of its own (a fake `fix:`), move the cursor or
 * recolour the screen. `keepNewlines` leaves `\n` for messages that are several lines
 * by design (usage); everything else is one line.
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return keepNewlines ? c : '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.codePointAt(0)!;
    // C0, DEL and C1 end at U+009F: two hex digits; the separators and marks above take four.
    return code <= 0x9f
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** How long a message printed for people may be; a longer one is cut. */
export const MESSAGE_MAX = 2000;

/** At most `max` characters of a message or value; the rest is counted, not shown. */
export function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A value quoted in a message: JSON, cut short (a hostile value can be megabytes). */
export function quoted(value: unknown, max = 60): string {
  const json = JSON.stringify(value) ?? String(value);
  return cut(json, max);
}
