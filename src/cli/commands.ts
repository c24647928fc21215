import { DOCKERFILE_USAGE, dockerfileCommand } from './dockerfile-command';
import type { Io } from './io';
import { PREFLIGHT_USAGE, preflightCommand } from './preflight-command';

/**
 * Commands of the `retarget` CLI besides the functions themselves (which every
 * function gets: `retarget FUNCTION -c CONFIG PATH...` and `retarget run FUNCTION`).
 * Each returns the exit code; throwing UsageError, SourceError or ConfigError is
 * reported by main() as a located message.
 */
export type Command = (argv: readonly string[], io: Io) => number;

export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  dockerfile: { run: dockerfileCommand, usage: DOCKERFILE_USAGE },
  preflight: { run: preflightCommand, usage: PREFLIGHT_USAGE },
};
