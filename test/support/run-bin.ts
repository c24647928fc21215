// Running the executables: spawned from dist/ as a user runs them, or in this process for
// the mutation runs. Apart from run.ts so that only the command-line suites load (and, for
// jest's related-test search, depend on) the whole command-line module graph.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Io } from '../../src/cli/io';
import { krmMain, main } from '../../src/cli/main';
import { readText } from '../../src/io/files';
import { findFunction } from '../../src/pipeline/functions';
import { DIST, REPO } from './run';

export interface Spawned {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an executable as a user does: the bundled file in dist/ (built by `npm test` before
 * jest starts) in a child process. In the mutation runs (`RETARGET_TEST_CLI=in-process`,
 * set by scripts/mutate.mjs) the same command line runs in this process instead, through
 * the entry points the executables call (`main`, `krmMain`) with the source under test: a
 * mutant in src/ is invisible to a child process running dist/, and these suites are the
 * ones that state what the command line does. What only a process shows (signals, exit
 * codes of a closed pipe, descriptors) is tested with spawnSync directly, not through this.
 */
export function runBin(bin: string, args: string[], input?: string, cwd = REPO): Spawned {
  return process.env.RETARGET_TEST_CLI === 'in-process'
    ? runInProcess(bin, args, input, cwd)
    : spawnBin(bin, args, input, cwd);
}

/** The bundled executable in a child process, whatever RETARGET_TEST_CLI says. */
export function spawnBin(bin: string, args: string[], input?: string, cwd = REPO): Spawned {
  const path = resolve(DIST, `${bin}.js`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [path, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `bin args < input` in this process: stdout and stderr into buffers, stdin a file holding
 * `input` (empty when none, as spawnSync gives), the working directory `cwd` for the run.
 */
export function runInProcess(bin: string, args: string[], input = '', cwd = REPO): Spawned {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'retarget-stdin-'));
  const stdinPath = join(dir, 'stdin');
  writeFileSync(stdinPath, input);
  const io: Io = {
    stdout: (text) => void stdout.push(text),
    stderr: (text) => void stderr.push(text),
    readStdin: (limit, alreadyRead) => readText(stdinPath, '<stdin>', limit, alreadyRead),
  };
  const before = process.cwd();
  process.chdir(cwd);
  try {
    let status: number;
    if (bin === 'retarget') status = main(args, io);
    else {
      const fn = findFunction(bin.replace(/^retarget-/, ''));
      if (!fn) throw new Error(`no executable ${bin}`);
      status = krmMain(fn, args, io);
    }
    return { status, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
}
