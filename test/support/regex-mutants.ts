/**
 * Mutants of a regular expression's source, in the manner of Stryker's regex mutator
 * (weapon-regex, https://github.com/stryker-mutator/weapon-regex, level 1 and 2 mutators).
 * Stryker leaves the config schemas alone (they are `as const` literals, which it never
 * mutates, and their patterns are strings, not regex literals), so
 * test/unit/schema-pattern-mutants.test.ts applies these to every schema pattern.
 * A small hand-written set: anchors dropped, a character class negated, one of its members
 * dropped, a range shrunk, upper case let in, a quantifier dropped or its bounds moved by
 * one, an alternative dropped, a negative lookahead made positive.
 */
export interface RegexMutant {
  name: string;
  pattern: string;
}

/** The span [start, end) of each character class `[...]` in a source. */
function classes(source: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      i++;
      continue;
    }
    if (source[i] !== '[') continue;
    let j = i + 1;
    if (source[j] === '^') j++;
    if (source[j] === ']') j++;
    while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
    out.push([i, j + 1]);
    i = j;
  }
  return out;
}

/** The members of a class body: `a-z`, `\\.`, `_`, ... */
function members(body: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < body.length;) {
    const one = body[i] === '\\' ? body.slice(i, i + 2) : body[i];
    const next = i + one.length;
    if (body[next] === '-' && next + 1 < body.length) {
      const to = body[next + 1] === '\\' ? body.slice(next + 1, next + 3) : body[next + 1];
      out.push(`${one}-${to}`);
      i = next + 1 + to.length;
    } else {
      out.push(one);
      i = next;
    }
  }
  return out;
}

const shift = (c: string, by: number) => String.fromCharCode(c.charCodeAt(0) + by);

export function regexMutants(source: string): RegexMutant[] {
  const out: RegexMutant[] = [];
  const add = (name: string, pattern: string) => out.push({ name, pattern });
  const replace = (start: number, end: number, text: string) =>
    source.slice(0, start) + text + source.slice(end);
  if (source.startsWith('^')) add('start anchor dropped', source.slice(1));
  if (source.endsWith('$') && !source.endsWith('\\$'))
    add('end anchor dropped', source.slice(0, -1));
  const spans = classes(source);
  const inClass = (i: number) => spans.some(([s, e]) => i >= s && i < e);
  for (const [start, end] of spans) {
    const negated = source[start + 1] === '^';
    const body = source.slice(start + (negated ? 2 : 1), end - 1);
    const cls = source.slice(start, end);
    add(`${cls} negated`, replace(start, end, negated ? `[${body}]` : `[^${body}]`));
    const list = members(body);
    if (list.length > 1)
      list.forEach((m, k) =>
        add(
          `${cls} without ${m}`,
          replace(start, end, `[${negated ? '^' : ''}${list.filter((_, n) => n !== k).join('')}]`),
        ),
      );
    list.forEach((m, k) => {
      const range = /^(.)-(.)$/.exec(m);
      if (!range || range[1] >= range[2]) return;
      const [, from, to] = range;
      for (const [label, r] of [
        ['from+1', `${shift(from, 1)}-${to}`],
        ['to-1', `${from}-${shift(to, -1)}`],
      ]) {
        const changed = list.map((x, n) => (n === k ? r : x)).join('');
        add(`${cls} range ${m} ${label}`, replace(start, end, `[${negated ? '^' : ''}${changed}]`));
      }
    });
    if (!negated && body.includes('a-z') && !body.includes('A-Z'))
      add(`${cls} lets in upper case`, replace(start, end, `[${body}A-Z]`));
  }
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      i++;
      continue;
    }
    if (inClass(i)) continue;
    const c = source[i];
    if ((c === '*' || c === '+' || c === '?') && source[i - 1] !== '(') {
      add(`quantifier ${c} at ${i} dropped`, replace(i, i + 1, ''));
      if (c === '*') add(`* at ${i} made +`, replace(i, i + 1, '+'));
      if (c === '+') add(`+ at ${i} made *`, replace(i, i + 1, '*'));
    }
    if (c === '{') {
      const q = /^\{([0-9]+)(?:,([0-9]*))?\}/.exec(source.slice(i));
      if (!q) continue;
      const end = i + q[0].length;
      add(`quantifier ${q[0]} dropped`, replace(i, end, ''));
      const min = Number(q[1]);
      const max = q[2] === undefined ? undefined : q[2] === '' ? '' : Number(q[2]);
      const text = (a: number, b: number | '' | undefined) =>
        b === undefined ? `{${a}}` : `{${a},${b}}`;
      if (min > 0)
        add(`${q[0]} min-1`, replace(i, end, text(min - 1, max === undefined ? min : max)));
      add(`${q[0]} min+1`, replace(i, end, text(min + 1, max === undefined ? min + 1 : max)));
      if (typeof max === 'number') {
        add(`${q[0]} max-1`, replace(i, end, text(min, max - 1)));
        add(`${q[0]} max+1`, replace(i, end, text(min, max + 1)));
      }
      if (max === undefined) add(`${q[0]} max+1`, replace(i, end, text(min, min + 1)));
    }
    if (c === '(' && source.startsWith('(?!', i))
      add(`lookahead at ${i} made positive`, replace(i, i + 3, '(?='));
    if (c === '|') {
      // The alternative on either side of this bar, within its group.
      let depth = 0;
      let left = i - 1;
      for (; left >= 0; left--) {
        if (inClass(left) || source[left - 1] === '\\') continue;
        if (source[left] === ')') depth++;
        else if (source[left] === '(') {
          if (depth === 0) break;
          depth--;
        } else if (source[left] === '|' && depth === 0) break;
      }
      depth = 0;
      let right = i + 1;
      for (; right < source.length; right++) {
        if (inClass(right) || source[right - 1] === '\\') continue;
        if (source[right] === '(') depth++;
        else if (source[right] === ')') {
          if (depth === 0) break;
          depth--;
        } else if (source[right] === '|' && depth === 0) break;
      }
      add(`alternative before | at ${i} dropped`, replace(left + 1, i + 1, ''));
      if (source[right] !== '|') add(`alternative after | at ${i} dropped`, replace(i, right, ''));
    }
  }
  const seen = new Set<string>([source]);
  return out.filter((m) => {
    if (seen.has(m.pattern)) return false;
    seen.add(m.pattern);
    try {
      new RegExp(m.pattern, 'u');
      return true;
    } catch {
      return false;
    }
  });
}
