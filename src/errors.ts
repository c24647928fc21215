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
