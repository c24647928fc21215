import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';

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
