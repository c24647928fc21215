// The line ranges of src/**/*.ts that a change touched, as Stryker's `--mutate` patterns
// (`src/io/commit.ts:12-30`), read from `git diff -U0 BASE -- src`. Used by
// scripts/mutate-changed.js (the CI step); pure, so test/unit/changed-ranges.test.ts
// checks it on a fixture diff.

const { Buffer } = require('node:buffer');

/** A file Stryker mutates (stryker.config.json's `mutate`: src/**\/*.ts but not .d.ts). */
function isMutated(path) {
  return /^src\/.+\.ts$/.test(path) && !path.endsWith('.d.ts');
}

/**
 * Parses a unified diff with no context lines (-U0) into { path: [[start, end], ...] }
 * of the new file's lines, merged and sorted. An added or changed hunk is its new lines;
 * a hunk that only deletes lines (`+N,0`) is the lines on either side of the cut, N and
 * N + 1, since the code around a deletion is what now behaves differently. Deleted files
 * and files Stryker does not mutate are left out.
 */
function changedRanges(diff) {
  const ranges = {};
  let path = null;
  // Lines of the current hunk still to come: a content line may itself begin with
  // "+++ " or "diff --git " (an added "++ x"), so headers are read only between hunks.
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split(/\r?\n/)) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('-')) oldLeft--;
      else if (line.startsWith('+')) newLeft--;
      else if (!line.startsWith('\\')) {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    if (line.startsWith('diff --git ')) {
      path = null;
      continue;
    }
    if (line.startsWith('+++ ')) {
      const name = unquote(line.slice(4));
      path = name.startsWith('b/') && isMutated(name.slice(2)) ? name.slice(2) : null;
      continue;
    }
    const hunk = /^@@ -[0-9]+(?:,([0-9]+))? \+([0-9]+)(?:,([0-9]+))? @@/.exec(line);
    if (!hunk) continue;
    oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
    newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    if (path === null) continue;
    const start = Number(hunk[2]);
    const range = newLeft > 0 ? [start, start + newLeft - 1] : [Math.max(1, start), start + 1];
    (ranges[path] ??= []).push(range);
  }
  for (const path of Object.keys(ranges)) ranges[path] = merge(ranges[path]);
  return ranges;
}

/** Overlapping or adjacent ranges become one (fewer patterns, the same lines). */
function merge(list) {
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** git quotes a path with unusual bytes ("b/caf\303\251.ts", C escapes, octal UTF-8): read it back. */
const ESCAPES = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
function unquote(name) {
  if (!name.startsWith('"') || !name.endsWith('"')) return name;
  const body = name.slice(1, -1);
  const bytes = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      bytes.push(...Buffer.from(body[i], 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[body[i + 1]] ?? body.charCodeAt(i + 1));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Stryker's --mutate patterns for the ranges: `path:start-end`, one per range. */
function mutatePatterns(ranges) {
  return Object.keys(ranges)
    .sort()
    .flatMap((path) => ranges[path].map(([start, end]) => `${path}:${start}-${end}`));
}

module.exports = { changedRanges, mutatePatterns, isMutated };
