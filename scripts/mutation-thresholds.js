// Per-directory mutation score thresholds over Stryker's JSON report (Stryker's own
// `thresholds.break` is one global number). Run by `npm run mutate` after Stryker; alone:
// `node scripts/mutation-thresholds.js [REPORT] [--mutate PATTERNS]` (REPORT defaults to
// reports/mutation/mutation.json). Exit 1 when a directory (or the whole report) with
// mutants is below its threshold.
//
// --mutate: the run's `--mutate` patterns (comma-separated, as Stryker takes them: globs,
// `!` exclusions, `file:line-line` ranges). In incremental mode Stryker's report also
// carries the earlier results of files this run did not mutate; only the mutants the
// patterns select are judged, so a run on a few files is judged on those files.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { minimatch } = require('minimatch');

/** Minimum mutation score (%) per directory of src/; OVERALL applies to every mutated file. */
const THRESHOLDS = {
  'src/transforms/': 90,
  'src/config/': 90,
  'src/io/': 90,
  'src/preflight/': 90,
};
const OVERALL = 85;

// Stryker's definition: detected / (detected + undetected); compile and runtime errors
// and ignored mutants are not valid mutants and count in neither.
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function tally(files, prefix) {
  let detected = 0;
  let undetected = 0;
  for (const [path, file] of Object.entries(files)) {
    if (!normalize(path).startsWith(prefix)) continue;
    for (const m of file.mutants) {
      if (DETECTED.has(m.status)) detected++;
      else if (UNDETECTED.has(m.status)) undetected++;
    }
  }
  const valid = detected + undetected;
  return { detected, valid, score: valid ? (100 * detected) / valid : undefined };
}

function normalize(path) {
  const p = path.replace(/\\/g, '/');
  const at = p.lastIndexOf('/src/');
  return at >= 0 ? p.slice(at + 1) : p;
}

// Stryker's own syntax for a range (core/dist/src/fs/project-reader.js MUTATION_RANGE_REGEX).
const RANGE = /(.*?):((\d+)(?::(\d+))?-(\d+)(?::(\d+))?)$/;

/**
 * A predicate over (file, mutant) for Stryker's `--mutate` patterns, matched as Stryker
 * matches them: minimatch on absolute paths; a mutant is in a range when it starts within
 * it (a range's lines are 1-based and its columns 0-based, as Stryker reads them).
 */
function selector(patterns, cwd = process.cwd()) {
  const parse = (pattern) => {
    const m = RANGE.exec(pattern);
    const glob = resolve(cwd, m ? m[1] : pattern);
    if (!m) return { glob };
    const start = { line: Number(m[3]), column: Number(m[4] ?? 0) };
    const end = { line: Number(m[5]), column: m[6] === undefined ? Infinity : Number(m[6]) };
    return { glob, start, end };
  };
  const include = patterns.filter((p) => !p.startsWith('!')).map(parse);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => parse(p.slice(1)));
  const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  const within = (rule, start) =>
    !rule.start || (before(rule.start, start) && before(start, rule.end));
  return (path, mutant) => {
    const file = resolve(cwd, path);
    // The report's locations are 1-based in both; a range's columns are 0-based.
    const at = mutant.location?.start ?? { line: 0, column: 1 };
    const start = { line: at.line, column: at.column - 1 };
    const matches = (rule) => minimatch(file, rule.glob) && within(rule, start);
    return include.some(matches) && !exclude.some((rule) => minimatch(file, rule.glob));
  };
}

/**
 * One row per threshold that has mutants in the report: { scope, score, min, ok }.
 * `patterns`: the run's --mutate patterns; only the mutants they select count (all if absent).
 */
function evaluate(report, patterns) {
  if (patterns && patterns.length) {
    const selected = selector(patterns);
    const files = {};
    for (const [path, file] of Object.entries(report.files)) {
      const mutants = file.mutants.filter((m) => selected(path, m));
      if (mutants.length) files[path] = { ...file, mutants };
    }
    report = { ...report, files };
  }
  const rows = [];
  const add = (scope, prefix, min) => {
    const t = tally(report.files, prefix);
    if (t.score === undefined) return;
    rows.push({ scope, min, ...t, ok: t.score >= min });
  };
  add('overall', '', OVERALL);
  for (const [dir, min] of Object.entries(THRESHOLDS)) add(dir, dir, min);
  return rows;
}

function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--mutate');
  const patterns = at >= 0 ? splitPatterns(args.splice(at, 2)[1] ?? '') : undefined;
  const path = args[0] ?? 'reports/mutation/mutation.json';
  const rows = evaluate(JSON.parse(readFileSync(path, 'utf8')), patterns);
  if (patterns && rows.length === 0) {
    // A change of comments or types only: Stryker made no mutant there.
    process.stdout.write(`no mutant in ${patterns.join(',')}: nothing to judge\n`);
    return;
  }
  for (const r of rows) {
    process.stdout.write(
      `${r.ok ? 'ok  ' : 'FAIL'} ${r.scope}: ${r.score.toFixed(2)}% (${r.detected}/${r.valid} mutants detected, minimum ${r.min}%)\n`,
    );
  }
  if (rows.some((r) => !r.ok)) {
    process.stderr.write('mutation score below threshold\n');
    process.exit(1);
  }
}

/** Stryker's list syntax for --mutate: comma-separated. */
function splitPatterns(list) {
  return list
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

if (require.main === module) main();
module.exports = { evaluate, selector, splitPatterns, THRESHOLDS, OVERALL };
