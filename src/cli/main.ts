import { closest } from '../closest';
import { ConfigError, cut, MESSAGE_MAX, printable, SourceError, UsageError } from '../errors';
import { readText } from '../io/files';
import { FUNCTIONS, findFunction } from '../pipeline/functions';
import type { KrmFunction } from '../pipeline/functions';
import { parseConfigText } from '../pipeline/file-mode';
import { configErrorResults } from '../pipeline/run';
import { runCommand } from './command';
import type { CommandSpec } from './command';
import { COMMANDS } from './commands';
import { fileCommand, reportResults } from './file-command';
import { BROKEN_PIPE_STATUS, BrokenPipe, processIo } from './io';
import type { Io } from './io';
import { runKrm } from './krm';

const VERSION = '0.1.0';

const RUN_SUMMARY = 'KRM mode: a ResourceList on stdin, the ResourceList with results on stdout';

function usage(): string {
  const rows: [string, string][] = [
    // preflight is a function (retarget-preflight, hydrate's last stage) and a command.
    ...FUNCTIONS.filter((fn) => !COMMANDS[fn.name]).map((fn): [string, string] => [
      fn.name,
      fn.description,
    ]),
    ...Object.entries(COMMANDS).map(([name, c]): [string, string] => [name, c.summary]),
    ['run', RUN_SUMMARY],
    ['functions', 'list the functions and their config kinds'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return `retarget: make a Migrate to Containers deployment_spec.yaml ready for its target cluster

Usage:
  retarget hydrate -c CONFIG [PATH ...] [-o DIR | --in-place | --diff] [--quiet]
  retarget FUNCTION -c CONFIG [PATH ...] [-o DIR | --in-place | --diff] [--quiet]
  retarget run [FUNCTION] [-c CONFIG]   KRM mode: a ResourceList on stdin and stdout
  retarget COMMAND --help               a command's options and an example

Commands:
${rows.map(([name, summary]) => `  ${name.padEnd(width)}${summary}`).join('\n')}

PATH is a file or a directory (its *.yaml/*.yml files); - or none reads stdin.
Migration artifacts (migration.yaml, services-config.yaml, skaffold.yaml, ...) are left
out; any other document that is not a Kubernetes object is an error (--keep-unknown keeps it).
The result goes to stdout unless -o or --in-place is given; nothing is written on error.
Exit codes: 0 success, 1 an error (located on stderr), 2 a usage mistake.
Options: -h/--help, --version, --debug (stack traces of internal errors).

Example:
  retarget hydrate -c retarget.yaml deployment_spec.yaml > hydrated.yaml
`;
}

export function main(argv: readonly string[], io: Io = processIo): number {
  const debug = argv.includes('--debug') || process.env.RETARGET_DEBUG === '1';
  try {
    const status = dispatch(
      argv.filter((a) => a !== '--debug'),
      io,
      debug,
    );
    io.flush?.();
    return status;
  } catch (error) {
    return reportFailure(error, io, debug);
  }
}

/** Entry point of a single-function KRM executable (retarget-<function>). */
export function krmMain(fn: KrmFunction, argv: readonly string[], io: Io = processIo): number {
  const debug = argv.includes('--debug') || process.env.RETARGET_DEBUG === '1';
  try {
    const status = runCommand(krmCommand(fn, `retarget-${fn.name}`, debug), argv, io);
    io.flush?.();
    return status;
  } catch (error) {
    return reportFailure(error, io, debug);
  }
}

function dispatch(argv: readonly string[], io: Io, debug: boolean): number {
  const [command, ...rest] = argv;
  if (!command) {
    io.stderr(usage());
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(usage());
    return 0;
  }
  if (command === '--version' || command === '-V') {
    io.stdout(`retarget ${VERSION}\n`);
    return 0;
  }
  const spec = commandFor(command, rest, debug);
  try {
    return runCommand(spec, command === 'run' ? runArgs(rest) : rest, io);
  } catch (error) {
    // Mistakes found past the parser (an -o clash, stdin with --in-place) point at the command.
    if (error instanceof UsageError && !error.command) error.command = spec.invocation;
    throw error;
  }
}

/** The command a first argument names, or a usage mistake naming the closest one. */
function commandFor(command: string, rest: readonly string[], debug: boolean): CommandSpec {
  if (command === 'functions') return functionsCommand;
  if (command === 'run') {
    // Without a name, RETARGET_FUNCTION picks it: the container image's build-arg default.
    const named = rest.length > 0 && !rest[0].startsWith('-');
    const name = named ? rest[0] : process.env.RETARGET_FUNCTION;
    const fn = name ? findFunction(name) : undefined;
    if (fn) return krmCommand(fn, 'retarget run', debug);
    if (!named && (rest.includes('--help') || rest.includes('-h'))) return runHelp;
    if (!name) throw whichFunction();
    const guess = closest(
      name,
      FUNCTIONS.map((f) => f.name),
    );
    throw new UsageError(
      `unknown function ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ''}`,
      'retarget run',
    );
  }
  const extra = COMMANDS[command];
  if (extra) return extra.spec();
  const fn = findFunction(command);
  if (fn) return fileCommand(fn);
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`);
  const names = [...FUNCTIONS.map((f) => f.name), ...Object.keys(COMMANDS), 'run', 'functions'];
  const guess = closest(command, names);
  throw new UsageError(
    `unknown command ${JSON.stringify(command)}${guess ? ` (did you mean ${guess}?)` : ''}`,
  );
}

/** `retarget run FUNCTION ...`: the function's name is not one of its options. */
function runArgs(rest: readonly string[]): readonly string[] {
  return rest.length > 0 && !rest[0].startsWith('-') ? rest.slice(1) : rest;
}

const functionsCommand: CommandSpec = {
  invocation: 'retarget functions',
  summary: 'list the functions and their config kinds',
  synopsis: 'retarget functions',
  options: {},
  positionals: { max: 0, what: 'arguments' },
  examples: ['retarget functions'],
  run: (_args, io) => {
    for (const fn of FUNCTIONS)
      io.stdout(`${fn.name.padEnd(30)} ${fn.kind.padEnd(26)} ${fn.description}\n`);
    return 0;
  },
};

const RUN_SYNOPSIS = 'retarget run [FUNCTION] [-c CONFIG] < resource-list.yaml';

function krmDescription(what: string, kind: string): string {
  return `${what}: reads a ResourceList on stdin and writes it to stdout with its results
(exit 1 when one is an error; every item is then emitted unchanged). The config is the
ResourceList's functionConfig (a ${kind} with apiVersion fn.retarget.dev/v1alpha1, or a
ConfigMap), or -c CONFIG. Results go only into the ResourceList (kpt and kustomize show
them); --debug or RETARGET_DEBUG=1 also prints them on stderr.`;
}

const CONFIG_OPTION = {
  type: 'string',
  short: 'c',
  value: 'CONFIG',
  help: 'the function config, in place of the functionConfig',
} as const;

/** `retarget run --help` without a function: what run does for any of them. */
const runHelp: CommandSpec = {
  invocation: 'retarget run',
  summary: RUN_SUMMARY,
  synopsis: RUN_SYNOPSIS,
  description: krmDescription(
    "KRM mode, as kpt, kustomize and the container image run retarget. FUNCTION defaults to $RETARGET_FUNCTION (see 'retarget functions')",
    'config of its kind',
  ),
  options: { config: CONFIG_OPTION },
  examples: ['kpt fn source my-workload | retarget run hydrate -c my-workload/retarget.yaml'],
  // Reached when --help came only after `--` (`retarget run -- --help`): still no function.
  run: () => {
    throw whichFunction();
  },
};

function whichFunction(): UsageError {
  return new UsageError(
    'which function? name one (retarget run hydrate) or set RETARGET_FUNCTION',
    'retarget run',
  );
}

/** KRM mode for one function: `retarget run FUNCTION` and the retarget-FUNCTION executables. */
function krmCommand(fn: KrmFunction, invocation: string, debug: boolean): CommandSpec {
  const executable = invocation !== 'retarget run';
  return {
    invocation: executable ? invocation : `retarget run ${fn.name}`,
    summary: `${fn.description} (KRM function)`,
    synopsis: `${executable ? invocation : `retarget run ${fn.name}`} [-c CONFIG] < resource-list.yaml`,
    description: krmDescription(`A KRM function`, fn.kind),
    options: {
      config: { ...CONFIG_OPTION, help: `a ${fn.kind} config, in place of the functionConfig` },
    },
    positionals: { max: 0, what: 'arguments (the ResourceList comes on stdin)' },
    examples: [
      executable
        ? `kpt fn eval my-workload --exec ${invocation} --fn-config my-workload/config.yaml`
        : `kpt fn source my-workload | retarget run ${fn.name} -c my-workload/config.yaml`,
    ],
    run: ({ values }, io) => {
      const path = values.config;
      const config =
        typeof path === 'string' ? parseConfigText(readText(path, path), path, fn.kind) : undefined;
      const outcome = runKrm(fn, io.readStdin(), config);
      io.stdout(outcome.stdout);
      // kpt and kustomize show the ResourceList's results themselves: printing them on
      // stderr as well would show every message twice.
      if (debug) reportResults(outcome.results, io);
      return outcome.exitCode;
    },
  };
}

function reportFailure(error: unknown, io: Io, debug: boolean): number {
  // The reader stopped reading: silent, as a Unix tool killed by SIGPIPE.
  if (error instanceof BrokenPipe) return BROKEN_PIPE_STATUS;
  if (error instanceof UsageError) {
    const command = error.command ?? 'retarget';
    io.stderr(`${command}: ${error.message}; see '${command} --help'\n`);
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
  io.stderr(
    `retarget: internal error: ${printable(cut(err?.message ?? String(error), MESSAGE_MAX))}\n`,
  );
  if (debug && err?.stack) io.stderr(`${err.stack}\n`);
  else io.stderr('(run with --debug for the stack trace)\n');
  return 1;
}
