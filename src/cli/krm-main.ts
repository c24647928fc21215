// Entry point of the single-function KRM executables (retarget-<function>) and the KRM mode
// of `retarget run`. Apart from main.ts so that those bundles do not carry the CLI's
// commands and file mode (Dockerfile parser, init, artifact folders): less to parse at start.
import { parseArgs } from 'node:util';
import { ConfigError, cut, MESSAGE_MAX, printable, SourceError, UsageError } from '../errors';
import { readText } from '../io/files';
import { BROKEN_PIPE_STATUS, BrokenPipe, flushStdout, processIo } from './io';
import type { Io } from './io';
import { formatResult } from '../krm/results';
import type { Result } from '../krm/results';
import type { KrmFunction } from '../pipeline/functions';
import { parseConfigText } from '../pipeline/file-mode';
import { runKrm } from './krm';
import { configErrorResults } from '../pipeline/run';

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

export function krm(fn: KrmFunction, argv: readonly string[], io: Io): number {
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

export function reportResults(results: readonly Result[], io: Io): void {
  for (const result of results) io.stderr(`${formatResult(result)}\n`);
}

export function reportFailure(error: unknown, io: Io, debug: boolean): number {
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
