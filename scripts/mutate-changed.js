// CI's mutation step: StrykerJS on the lines of src/**/*.ts a change touched, within a hard
// time bound. `node scripts/mutate-changed.js [STRYKER OPTIONS]` (e.g. `--concurrency 2` on a
// machine of its own); environment:
//   MUTATE_BASE                 what the change is measured from (default HEAD~1: the last
//                               commit; CI on a branch passes its merge base with main)
//   MUTATE_TIME_LIMIT_MINUTES   the bound (default 30); past it the step fails
// The changed line ranges (`git diff -U0 BASE -- src`, scripts/changed-ranges.js) become
// Stryker's `--mutate path:start-end` patterns; `npm run mutate` (scripts/mutate.mjs) runs
// them and applies the thresholds (scripts/mutation-thresholds.js) to those mutants only.
// No change in src/ → the step says so and passes. Stryker not installed → it fails: a CI
// that cannot mutate must not look green.
const { execFileSync, spawn } = require('node:child_process');
const { existsSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const { changedRanges, mutatePatterns } = require('./changed-ranges.js');

const repo = join(__dirname, '..');
const base = process.env.MUTATE_BASE || 'HEAD~1';
const limitMinutes = Number(process.env.MUTATE_TIME_LIMIT_MINUTES || 30);
const report = join(repo, 'reports/mutation/mutation.json');

function fail(message) {
  process.stderr.write(`mutation: ${message}\n`);
  process.exit(1);
}

function git(...args) {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
}

if (!Number.isFinite(limitMinutes) || limitMinutes <= 0)
  fail(
    `MUTATE_TIME_LIMIT_MINUTES must be a positive number of minutes, not ${JSON.stringify(process.env.MUTATE_TIME_LIMIT_MINUTES)}`,
  );
for (const pkg of ['@stryker-mutator/core', '@stryker-mutator/jest-runner']) {
  try {
    require.resolve(`${pkg}/package.json`, { paths: [repo] });
  } catch {
    fail(
      `${pkg} is not installed (npm ci installs it from devDependencies); the mutation step cannot run`,
    );
  }
}
try {
  git('rev-parse', '--verify', '--quiet', `${base}^{commit}`);
} catch {
  fail(
    `base ${base} is not a commit of this clone (a shallow clone? fetch more history, or set MUTATE_BASE)`,
  );
}

const ranges = changedRanges(
  git(
    '-c',
    'core.quotePath=false',
    'diff',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--diff-filter=d',
    base,
    '--',
    'src',
  ),
);
const patterns = mutatePatterns(ranges);
if (patterns.length === 0) {
  process.stdout.write(`mutation: no change in src/**/*.ts since ${base}: nothing to mutate\n`);
  process.exit(0);
}
process.stdout.write(
  `mutation: ${patterns.length} changed range(s) since ${base}, bound ${limitMinutes} min:\n${patterns.map((p) => `  ${p}\n`).join('')}`,
);

// A report left by an earlier run must not be judged as this one's.
rmSync(report, { force: true });
const started = Date.now();
// Its own process group: on time-out the whole tree (Stryker, its jest workers) is ended.
const child = spawn(
  process.execPath,
  [
    join(repo, 'scripts/mutate.mjs'),
    '--incremental',
    '--mutate',
    patterns.join(','),
    ...process.argv.slice(2),
  ],
  {
    cwd: repo,
    stdio: 'inherit',
    detached: true,
  },
);
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
}, limitMinutes * 60_000);
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (timedOut)
    fail(
      `Stryker exceeded the ${limitMinutes}-minute bound on ${patterns.length} range(s) and was stopped: nothing is judged, the step fails. Split the change into smaller commits, or raise MUTATE_TIME_LIMIT_MINUTES within CI's own limit.`,
    );
  if (code !== 0)
    fail(`Stryker or the thresholds failed (exit ${code ?? signal}) after ${minutes} min`);
  if (!existsSync(report)) {
    process.stdout.write(`mutation: no mutant in the changed lines (${minutes} min)\n`);
    process.exit(0);
  }
  process.stdout.write(`mutation: changed lines meet the thresholds (${minutes} min)\n`);
});

function killGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
