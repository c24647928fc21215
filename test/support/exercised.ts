/**
 * Counts the runs of a property that reached the code under test, so a generator that
 * drifts into producing nothing the code acts on fails the test instead of passing it
 * vacuously. `assert()` after fc.assert: at least `min` of the runs (90% by default).
 */
export function exercised(label: string, min = 0.9) {
  let runs = 0;
  let reached = 0;
  return {
    /** Records one run; returns whether it reached the code (for use in a condition). */
    run(didReach: boolean): boolean {
      runs++;
      if (didReach) reached++;
      return didReach;
    },
    assert(): void {
      if (runs === 0) throw new Error(`${label}: the property never ran`);
      if (reached / runs < min) {
        throw new Error(
          `${label}: only ${reached} of ${runs} runs reached the code under test (minimum ${Math.round(min * 100)}%)`,
        );
      }
    },
  };
}
