// `npm run mutate [-- STRYKER OPTIONS]`: StrykerJS over src/ (stryker.config.json), then the
// per-directory thresholds (scripts/mutation-thresholds.js) over the JSON report it wrote.
//
// MUTATE_TESTS=a.test.ts,test/unit/b*.test.ts (paths or globs from the repository root): the
// mutants run against those test files only (jest's testMatch in a copy of the config), for a
// module nearly every suite imports, whose whole-suite run takes hours. A mutant such a run
// kills, the whole suite kills too, so its score is a lower bound; its survivors may be killed
// by a suite left out. docs/testing.md says which runs were made so.
//
// Stryker runs the tests in a sandbox, .stryker-tmp/sandbox-*/, so the tests' `../shared`
// (the real Migrate to Containers artifacts next to the repository) would resolve to
// .stryker-tmp/shared: a link there keeps the same fixtures within reach of the mutants.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repo, '../shared');
const tmp = join(repo, '.stryker-tmp');
const link = join(tmp, 'shared');
if (existsSync(shared)) {
  mkdirSync(tmp, { recursive: true });
  if (existsSync(link) || isLink(link)) rmSync(link, { force: true });
  symlinkSync(shared, link, 'dir');
}

// Each mutant reruns the property tests that cover it: fewer fast-check runs per property
// (still seeded, still at least 90% of them reaching the code) keep a run within hours.
// The command-line suites run their command lines in this process (test/support/run-bin.ts), not
// through dist/ in a child process where no mutant is visible.
const env = {
  ...process.env,
  FC_RUNS: process.env.FC_RUNS ?? '20',
  RETARGET_TEST_CLI: 'in-process',
};
const testFiles = (process.env.MUTATE_TESTS ?? '')
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean);
const config = testFiles.length ? restrictedConfig(testFiles) : [];
const stryker = spawnSync(
  process.execPath,
  [
    join(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js'),
    'run',
    ...config,
    ...process.argv.slice(2),
  ],
  { cwd: repo, stdio: 'inherit', env },
);
if (stryker.status !== 0) process.exit(stryker.status ?? 1);
// Judged on the mutants this run selected: in incremental mode the report also holds the
// earlier results of other files.
const mutate = mutateOption(process.argv.slice(2));
const check = spawnSync(
  process.execPath,
  [join(repo, 'scripts/mutation-thresholds.js'), ...(mutate ? ['--mutate', mutate] : [])],
  { cwd: repo, stdio: 'inherit' },
);
process.exit(check.status ?? 1);

/** A copy of stryker.config.json whose jest runs only `testFiles`; its path, as Stryker's argument. */
function restrictedConfig(testFiles) {
  const config = JSON.parse(readFileSync(join(repo, 'stryker.config.json'), 'utf8'));
  delete config.$schema; // relative to the repository, not to the copy
  config.jest.config.testMatch = testFiles.map((p) => `<rootDir>/${p.replace(/^\.\//, '')}`);
  mkdirSync(tmp, { recursive: true });
  const path = join(tmp, 'stryker.restricted.json');
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  process.stdout.write(
    `mutate: the mutants run against ${testFiles.join(', ')} only (MUTATE_TESTS): the score is a lower bound of the whole suite's\n`,
  );
  return [path];
}

/** The value of Stryker's `--mutate`/`-m` option in argv (the last one given), if any. */
function mutateOption(argv) {
  let value;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mutate' || arg === '-m') value = argv[++i];
    else if (arg.startsWith('--mutate=')) value = arg.slice('--mutate='.length);
  }
  return value;
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
