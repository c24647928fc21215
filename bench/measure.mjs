// One whole-process measurement: wall time around the spawn, and the child's peak RSS and
// CPU time from /usr/bin/time when the machine has it (else from a preload in Node children).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'max-rss.cjs');

/** True when `command args` runs and exits 0. */
export function tool(command, args) {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return r.status === 0;
}

/**
 * Runs `command` with stdin from a file (or nothing), stdout to a file and `env` added.
 * Returns seconds (wall), exit status, stderr, peakRssKB and cpuSeconds (null if unknown).
 */
export function measure(command, { stdin, stdout, timeBin, env: extra = {} }) {
  const stats = join(tmpdir(), `retarget-bench-${process.pid}.txt`);
  rmSync(stats, { force: true });
  const argv = timeBin ? [timeBin, '-f', '%M %U %S', '-o', stats, ...command] : command;
  const env = timeBin
    ? { ...process.env, ...extra }
    : {
        ...process.env,
        ...extra,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require=${PRELOAD}`.trim(),
        RETARGET_BENCH_STATS: stats,
      };
  const input = stdin === undefined ? 'ignore' : openSync(stdin, 'r');
  const output = openSync(stdout, 'w');
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: [input, output, 'pipe'],
    env,
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (typeof input === 'number') closeSync(input);
  closeSync(output);
  let peakRssKB = null;
  let cpuSeconds = null;
  try {
    const [rss, user, system] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ');
    peakRssKB = Number(rss);
    cpuSeconds = Number(user) + Number(system);
    if (!Number.isFinite(peakRssKB)) peakRssKB = null;
    if (!Number.isFinite(cpuSeconds)) cpuSeconds = null;
  } catch {
    // a tool that is not Node, without /usr/bin/time: no RSS
  }
  rmSync(stats, { force: true });
  return {
    seconds,
    status: r.status,
    stderr: r.stderr?.toString() ?? String(r.error ?? ''),
    peakRssKB,
    cpuSeconds,
  };
}
