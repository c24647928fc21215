// Per-directory mutation score thresholds over Stryker's JSON report (Stryker's own
// `thresholds.break` is one global number). Run by `npm run mutate` after Stryker; alone:
// `node scripts/mutation-thresholds.js [reports/mutation/mutation.json]`.
// Exit 1 when a directory (or the whole report) with mutants is below its threshold.
const { readFileSync } = require('node:fs');

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

/** One row per threshold that has mutants in the report: { scope, score, min, ok }. */
function evaluate(report) {
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
  const path = process.argv[2] ?? 'reports/mutation/mutation.json';
  const rows = evaluate(JSON.parse(readFileSync(path, 'utf8')));
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

if (require.main === module) main();
module.exports = { evaluate, THRESHOLDS, OVERALL };
