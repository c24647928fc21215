import type { CommandSpec } from './command';

/**
 * Commands of the `retarget` CLI besides the functions themselves (which every
 * function gets: `retarget FUNCTION -c CONFIG PATH...` and `retarget run FUNCTION`).
 * Each is one CommandSpec (options, help, what it does) in its own module, required
 * only when the command runs or its help is shown, so other commands and the function
 * executables start without loading it (dockerfile-ast, the preflight checks).
 * `summary` is here so that `retarget --help` loads none of them.
 */
export const COMMANDS: Record<string, { summary: string; spec: () => CommandSpec }> = {
  init: {
    summary: "write a commented retarget.yaml from a migration's artifact folder",
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    spec: () => (require('./init-command') as typeof import('./init-command')).command,
  },
  preflight: {
    summary: 'predict what will fail on the target cluster (exit 1 on an error)',
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    spec: () => (require('./preflight-command') as typeof import('./preflight-command')).command,
  },
  dockerfile: {
    summary: 'add the build-time steps (init env, token group) to a Dockerfile',
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    spec: () => (require('./dockerfile-command') as typeof import('./dockerfile-command')).command,
  },
};
