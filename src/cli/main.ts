import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, cut, MESSAGE_MAX, printable, SourceError, UsageError } from '../errors';
import { findInputs, readFound, readText } from '../io/files';
import { commitFiles } from '../io/commit';
import { lockInputDirectories, settleInputDirectories } from '../io/commit-lock';
import { COMMANDS } from './commands';
import { BROKEN_PIPE_STATUS, BrokenPipe, flushStdout, processIo } from './io';
import type { Io } from './io';
import { formatResult } from '../krm/results';
import type { Result } from '../krm/results';
import { FUNCTIONS, findFunction } from '../pipeline/functions';
import type { KrmFunction } from '../pipeline/functions';
import { joinStreams, parseConfigText, transformFiles } from '../pipeline/file-mode';
import { folderDockerfiles } from './folder-artifacts';
import { runKrm } from './krm';
import { configErrorResults } from '../pipeline/run';

const USAGE = `retarget: make a Migrate to Containers deployment_spec.yaml ready for its target cluster

Usage:
  retarget hydrate -c CONFIG [PATH ...] [-o DIR | --in-place]
  retarget FUNCTION -c CONFIG [PATH ...] [-o DIR | --in-place]
  retarget run FUNCTION [-c CONFIG]     KRM mode: ResourceList on stdin and stdout
                                        (FUNCTION defaults to $RETARGET_FUNCTION)
  retarget functions                    list the functions
%COMMANDS%
PATH is a file or a directory (its *.yaml/*.yml files); - or none reads stdin.
Migration artifacts (migration.yaml, services-config.yaml, skaffold.yaml, ...) are left
out; any other document that is not a Kubernetes object is an error (--keep-unknown keeps it).
The result goes to stdout unless -o or --in-place is given; nothing is written on error.
Options: --debug shows stack traces of internal errors.
`;

function usage(): string {
  const extra = Object.values(COMMANDS)
    .map((c) => `  ${c.usage}\n`)
    .join('');
  return USAGE.replace('%COMMANDS%', extra);
}

export function main(argv: readonly string[], io: Io = processIo): number {
  const debug = argv.includes('--debug') || process.env.RETARGET_DEBUG === '1';
  try {
    const status = dispatch(
      argv.filter((a) => a !== '--debug'),
      io,
    );
    if (io === processIo) flushStdout();
    return status;
  } catch (error) {
    return reportFailure(error, io, debug);
  }
}

/** Entry point of a single-function KRM executable (retarget-<function>). */
export function krmMain(fn: KrmFunction, argv: readonly string[], io: Io = processIo): number {
  const debug = argv.includes('--debug') || process.env.RETARGET_DEBUG === '1';
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(
        `retarget-${fn.name}: ${fn.description}\nKRM function: reads a ResourceList on stdin, writes it to stdout.\nConfig kind: ${fn.kind} (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap.\n`,
      );
      return 0;
    }
    const status = krm(
      fn,
      argv.filter((a) => a !== '--debug'),
      io,
    );
    if (io === processIo) flushStdout();
    return status;
  } catch (error) {
    return reportFailure(error, io, debug);
  }
}

function dispatch(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(usage());
    return command ? 0 : 2;
  }
  if (command === '--version') {
    io.stdout('retarget 0.1.0\n');
    return 0;
  }
  if (command === 'functions') {
    for (const fn of FUNCTIONS)
      io.stdout(`${fn.name.padEnd(30)} ${fn.kind.padEnd(26)} ${fn.description}\n`);
    return 0;
  }
  if (command === 'run') {
    // Without a name, RETARGET_FUNCTION picks it: the container image's build-arg default.
    const named = rest.length > 0 && !rest[0].startsWith('-');
    const name = named ? rest[0] : process.env.RETARGET_FUNCTION;
    const flags = named ? rest.slice(1) : rest;
    const fn = name ? findFunction(name) : undefined;
    if (!fn)
      throw new UsageError(
        `run: unknown function ${JSON.stringify(name ?? '')}; see retarget functions`,
      );
    return krm(fn, flags, io);
  }
  const extra = COMMANDS[command];
  if (extra) return extra.run(rest, io);
  const fn = findFunction(command);
  if (!fn) throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${usage()}`);
  return fileMode(fn, rest, io);
}

function krm(fn: KrmFunction, argv: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { config: { type: 'string', short: 'c' } },
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const config =
    values.config === undefined
      ? undefined
      : parseConfigText(readText(values.config, values.config), values.config, fn.kind);
  const outcome = runKrm(fn, io.readStdin(), config);
  io.stdout(outcome.stdout);
  reportResults(outcome.results, io);
  return outcome.exitCode;
}

function fileMode(fn: KrmFunction, argv: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', short: 'c' },
      output: { type: 'string', short: 'o' },
      'in-place': { type: 'boolean' },
      'keep-unknown': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (!values.config) throw new UsageError(`${fn.name}: -c CONFIG is required`);
  if (values.output && values['in-place'])
    throw new UsageError('-o and --in-place exclude each other');
  const configPath = values.config;
  const config = parseConfigText(readText(configPath, configPath), configPath, fn.kind);
  // The -o tree is never input: a second run must not read the first one's output.
  const found = findInputs(positionals, [configPath], values.output ? [values.output] : []);
  if (values['in-place'] && found.some((i) => i.path === '-')) {
    throw new UsageError('--in-place needs file or directory paths, not stdin');
  }
  const notice = (message: string) => io.stderr(`notice: ${printable(message)}\n`);
  // --in-place locks the inputs' directories before reading them (and finishes or undoes
  // an interrupted run there first), so a concurrent run cannot interleave.
  const lock = values['in-place'] ? lockInputDirectories(found, notice) : undefined;
  if (!lock) settleInputDirectories(found, notice);
  try {
    const inputs = readFound(found);
    const outcome = transformFiles(fn, config, configPath, inputs, {
      keepUnknown: values['keep-unknown'],
      folders: folderDockerfiles(inputs),
    });
    reportResults(outcome.results, io);
    if (!outcome.ok) return 1;
    // Every file is rendered before any is written, and all are written as one change.
    if (values.output) {
      const output = values.output;
      commitFiles(
        outcome.files.map((f) => ({ path: join(output, f.input.outputName), text: f.text })),
        { outputRoot: output, notice },
      );
    } else if (values['in-place']) {
      commitFiles(
        outcome.files.filter((f) => f.changed).map((f) => ({ path: f.input.path, text: f.text })),
        { lock, writeThroughWithin: positionals, notice },
      );
    } else {
      io.stdout(joinStreams(outcome.files.map((f) => f.text)));
    }
    return 0;
  } finally {
    lock?.release();
  }
}

function reportResults(results: readonly Result[], io: Io): void {
  for (const result of results) io.stderr(`${formatResult(result)}\n`);
}

function reportFailure(error: unknown, io: Io, debug: boolean): number {
  // The reader stopped reading: silent, as a Unix tool killed by SIGPIPE.
  if (error instanceof BrokenPipe) return BROKEN_PIPE_STATUS;
  if (error instanceof UsageError) {
    io.stderr(`retarget: ${printable(error.message, true)}\n`);
    return 2;
  }
  if (error instanceof SourceError) {
    io.stderr(`error: ${printable(cut(error.message, MESSAGE_MAX))}\n`);
    return 1;
  }
  if (error instanceof ConfigError) {
    reportResults(configErrorResults(error), io);
    return 1;
  }
  const err = error as Error;
  if ((err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    io.stderr(`retarget: ${printable(err.message)}\n`);
    return 2;
  }
  io.stderr(
    `retarget: internal error: ${printable(cut(err?.message ?? String(error), MESSAGE_MAX))}\n`,
  );
  if (debug && err?.stack) io.stderr(`${err.stack}\n`);
  else io.stderr('(run with --debug for the stack trace)\n');
  return 1;
}
