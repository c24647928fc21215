/**
 * The valid name a misspelt one most likely meant ("did you mean `fsGroup`?"), or
 * undefined when none is close: a case-only difference always counts, otherwise at most
 * one edit per three characters (two at least), edits being insertions, deletions,
 * substitutions and swaps of adjacent characters.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === word) continue;
    const distance = editDistance(lower, name.toLowerCase());
    const allowed = Math.max(2, Math.floor(Math.max(word.length, name.length) / 3));
    if (distance > allowed) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      // A swap of the two characters before (i, j). At i or j = 1 an index is -1, which reads
      // undefined and equals no character: no bounds test needed.
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
