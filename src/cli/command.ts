import { parseArgs } from 'node:util';
import { closest } from '../closest';
import { UsageError } from '../errors';
import type { Io } from './io';

/** One option of a command, as parseArgs reads it and as its help shows it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** How the help names a string option's value (CONFIG, DIR). */
  value?: string;
  default?: string;
  help: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

/**
 * A command of the `retarget` CLI (or a whole executable), registered as one object:
 * its options and help text live with what it does, so adding a command is adding one
 * of these. `-h`/`--help` and `--debug` are added to every command.
 */
export interface CommandSpec {
  /** How it is invoked: `retarget hydrate`, `retarget-hydrate`. */
  invocation: string;
  /** One line, for the command list of `retarget --help`. */
  summary: string;
  /** The usage line(s) after `Usage: `. */
  synopsis: string;
  /** Paragraphs between the usage line and the options. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** At least one, each a command line as typed. */
  examples: string[];
  /** What positionals are (for a message), and how many at most (unbounded if absent). */
  positionals?: { max: number; what: string };
  run(args: ParsedArgs, io: Io): number;
}

const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  debug: { type: 'boolean', help: 'show the stack trace of an internal error' },
};

/** Parses argv for a command, prints its help for -h/--help, else runs it. */
export function runCommand(spec: CommandSpec, argv: readonly string[], io: Io): number {
  const args = parseCommand(spec, argv);
  if (args.values.help) {
    io.stdout(renderHelp(spec));
    return 0;
  }
  return spec.run(args, io);
}

/** The command's arguments, or a UsageError saying which one is wrong in one line. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = { ...spec.options, ...COMMON };
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  // Help wins over every other mistake on the line: it is what the user is asking for.
  if (flags.includes('--help') || flags.includes('-h')) {
    return { values: { help: true }, positionals: [] };
  }
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    throw new UsageError(parseMistake(error, options), spec.invocation);
  }
  for (const [name, o] of Object.entries(options)) {
    if (o.default !== undefined && parsed.values[name] === undefined) {
      parsed.values[name] = o.default;
    }
  }
  if (spec.positionals && parsed.positionals.length > spec.positionals.max) {
    const extra = parsed.positionals[spec.positionals.max];
    throw new UsageError(
      spec.positionals.max === 0
        ? `unexpected argument ${JSON.stringify(extra)}: takes no ${spec.positionals.what}`
        : `unexpected argument ${JSON.stringify(extra)}: at most ${spec.positionals.max} ${spec.positionals.what}`,
      spec.invocation,
    );
  }
  return parsed;
}

/** node:util parseArgs errors, said plainly (its own messages are long and oddly quoted). */
function parseMistake(error: unknown, options: Record<string, OptionSpec>): string {
  const err = error as NodeJS.ErrnoException;
  const message = err?.message ?? String(error);
  const named = /'(-[^',\s]+)/.exec(message)?.[1] ?? '';
  const option = optionNamed(named, options);
  switch (err?.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const names = Object.entries(options).flatMap(([name, o]) => [
        `--${name}`,
        ...(o.short ? [`-${o.short}`] : []),
      ]);
      const guess = named.startsWith('--') ? closest(named, names) : undefined;
      return `unknown option ${named}${guess ? ` (did you mean ${guess}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && option[1].type === 'boolean') return `option ${label(option)} takes no value`;
      if (option) return `option ${label(option)} needs a value (${option[1].value ?? 'VALUE'})`;
      return message;
    default:
      return message;
  }
}

function optionNamed(
  named: string,
  options: Record<string, OptionSpec>,
): [string, OptionSpec] | undefined {
  return Object.entries(options).find(
    ([name, o]) => named === `--${name}` || named === `-${o.short ?? '\0'}`,
  );
}

function label([name, o]: [string, OptionSpec]): string {
  return o.short ? `-${o.short}/--${name}` : `--${name}`;
}

/** `Usage:`, what it does, the options, an example: what `--help` prints. */
export function renderHelp(spec: CommandSpec): string {
  const options = { ...spec.options, ...COMMON };
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.help + (o.default !== undefined ? ` (default: ${o.default})` : '')];
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [
    `${spec.invocation}: ${spec.summary}`,
    '',
    `Usage: ${spec.synopsis}`,
    ...(spec.description ? ['', spec.description.trimEnd()] : []),
    '',
    'Options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`),
    '',
    spec.examples.length > 1 ? 'Examples:' : 'Example:',
    ...spec.examples.map((e) => `  ${e}`),
  ];
  return `${lines.join('\n')}\n`;
}
