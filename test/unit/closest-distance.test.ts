import { closest } from '../../src/closest';

/**
 * closest's contract, edit by edit: a candidate is proposed when its optimal string
 * alignment distance to the word (case ignored) is at most max(2, floor(longer length / 3)),
 * the nearest wins and the first of equals stays. The oracle below is the textbook
 * recursive definition, written independently of the dynamic programme in src/closest.ts.
 */
function osa(a: string, b: string): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let best: number;
    if (i === 0) best = j;
    else if (j === 0) best = i;
    else {
      best = Math.min(
        go(i - 1, j) + 1,
        go(i, j - 1) + 1,
        go(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i >= 2 && j >= 2 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, go(i - 2, j - 2) + 1);
    }
    memo.set(key, best);
    return best;
  };
  return go(a.length, b.length);
}

function expected(word: string, name: string): string | undefined {
  if (word === name) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(word.length, name.length) / 3));
  return osa(word.toLowerCase(), name.toLowerCase()) <= allowed ? name : undefined;
}

/** Every string of length 0..max over the alphabet. */
function words(alphabet: string, max: number): string[] {
  let level = [''];
  const out = [''];
  for (let n = 1; n <= max; n++) {
    level = level.flatMap((w) => [...alphabet].map((c) => w + c));
    out.push(...level);
  }
  return out;
}

describe('closest: the distance and the allowance, edit by edit', () => {
  test('every pair of short words over a small alphabet: proposed exactly when the oracle says so', () => {
    const all = words('abc', 4);
    let proposed = 0;
    let refused = 0;
    for (const word of all) {
      for (const name of all) {
        const want = expected(word, name);
        expect([word, name, closest(word, [name])]).toEqual([word, name, want]);
        if (want === undefined) refused++;
        else proposed++;
      }
    }
    // Both outcomes are exercised in numbers.
    expect(proposed).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  test.each([
    // The oracle itself, on distances known by hand.
    ['prelfight', 'preflight', 1], // one swap of adjacent characters
    ['abcdef', 'badcfe', 3], // three swaps
    ['kitten', 'sitting', 3], // two substitutions, one insertion
    ['ca', 'abc', 3], // OSA, not unrestricted Damerau: no edit of a swapped pair
    ['', 'abc', 3],
  ])('the oracle: %s / %s is %d', (a, b, distance) => {
    expect(osa(a, b)).toBe(distance);
  });

  test.each([
    // Long words: the allowance grows with the longer one (floor(length / 3)).
    ['prefli', 'preflight', 'preflight'], // 3 insertions; 9 characters allow 3
    ['prefl', 'preflight', undefined], // 4 insertions; 9 allow 3
    ['imagepullsecrets', 'IMAGEPULLSECRETS', 'IMAGEPULLSECRETS'], // case only: distance 0
    ['abcdefghi', 'bacdfeghi', 'bacdfeghi'], // two swaps
    ['abcdefghijkl', 'xbxdxfxhijkl', 'xbxdxfxhijkl'], // 4 substitutions; 12 characters allow 4
    ['abcdefghijkl', 'xbxdxfxhxjkl', undefined], // 5 substitutions
    ['ab', 'ba', 'ba'], // one swap at the very start
    ['ab', 'abcde', undefined], // 3 insertions; 5 characters allow 2
    ['abc', 'abcde', 'abcde'], // 2 insertions: the allowance is 2 at least
    ['abcdef', 'abcdefghi', 'abcdefghi'], // 3 insertions: the longer word (9) sets the allowance
    ['abcdefghi', 'abcdef', 'abcdef'], // 3 deletions, the other way round
  ])('%s -> %s', (word, name, want) => {
    expect(closest(word, [name])).toBe(want);
    expect(expected(word, name)).toBe(want);
  });

  test('the word itself is never proposed; the nearest wins; of equals the first', () => {
    expect(closest('fsGroup', ['fsGroup'])).toBeUndefined();
    expect(closest('fsGroup', ['fsGroup', 'fsGroups'])).toBe('fsGroups');
    // Exact case differs: the same name in another case is proposed (distance 0).
    expect(closest('FSGROUP', ['fsGroup'])).toBe('fsGroup');
    expect(closest('abcd', ['abxy', 'abcx'])).toBe('abcx');
    expect(closest('abcd', ['abcx', 'abxy'])).toBe('abcx');
    expect(closest('abcd', ['abcx', 'abcy'])).toBe('abcx');
    expect(closest('abcd', ['abcy', 'abcx'])).toBe('abcy');
    expect(closest('abcd', [])).toBeUndefined();
    expect(closest('abcd', ['zzzzzzzz'])).toBeUndefined();
  });
});
