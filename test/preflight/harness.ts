import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import type { Result } from '../../src/krm/results';
import { runText } from '../support/run';

/** Runs the `retarget` CLI in process, capturing what it prints and its exit code. */
export function runCli(
  args: string[],
  stdin = '',
): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => stdin,
  };
  const code = main(args, io);
  return { code, stdout, stderr };
}

/**
 * The results of `retarget preflight` over one YAML text; fails the test when the config
 * itself is refused (every result must then be a check's), so that an expected "no
 * finding" cannot come from a config that checked nothing.
 */
export function preflightResults(config: unknown, text: string): Result[] {
  const { results } = runText('preflight', config, text);
  expect(results.filter((r) => r.tags?.check === undefined)).toEqual([]);
  return results;
}
