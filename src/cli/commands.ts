import type { Io } from './io';

/**
 * Commands of the `retarget` CLI besides the functions themselves (which every
 * function gets: `retarget FUNCTION -c CONFIG PATH...` and `retarget run FUNCTION`).
 * Each returns the exit code; throwing UsageError, SourceError or ConfigError is
 * reported by main() as a located message.
 */
export type Command = (argv: readonly string[], io: Io) => number;

export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  dockerfile: lazy(loadDockerfile, (m) => [m.dockerfileCommand, m.DOCKERFILE_USAGE]),
  preflight: lazy(loadPreflight, (m) => [m.preflightCommand, m.PREFLIGHT_USAGE]),
  init: lazy(loadInit, (m) => [m.initCommand, m.INIT_USAGE]),
};

function loadInit(): typeof import('./init-command') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./init-command') as typeof import('./init-command');
}

function loadDockerfile(): typeof import('./dockerfile-command') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./dockerfile-command') as typeof import('./dockerfile-command');
}

function loadPreflight(): typeof import('./preflight-command') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./preflight-command') as typeof import('./preflight-command');
}

/**
 * A command whose module (and what it needs: dockerfile-ast, the preflight checks) is
 * required when the command runs or its usage is shown, so other commands and the
 * function executables start without loading it.
 */
function lazy<M>(
  load: () => M,
  pick: (m: M) => [Command, string],
): { run: Command; usage: string } {
  return {
    run: (argv, io) => pick(load())[0](argv, io),
    get usage() {
      return pick(load())[1];
    },
  };
}
