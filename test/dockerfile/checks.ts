import { BEGIN_PATTERN, END_PATTERN } from '../../src/dockerfile/block';
import { parseDockerfile } from '../../src/dockerfile/parse';

export function physicalLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** True when `small` appears in `big` in the same order (other lines may sit between). */
export function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let j = 0;
  for (const line of big) if (j < small.length && line === small[j]) j++;
  return j === small.length;
}

/** Checks the block sits in the final stage, before its first ENTRYPOINT/CMD when there is one. */
export function expectPlacedInFinalStage(patched: string): void {
  const parsed = parseDockerfile(patched);
  const lines = parsed.lines.map((l) => l.text);
  const begin = lines.findIndex((l) => BEGIN_PATTERN.test(l));
  const end = lines.findIndex((l) => END_PATTERN.test(l));
  expect(begin).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(begin);
  expect(lines.filter((l) => BEGIN_PATTERN.test(l))).toHaveLength(1);
  const final = parsed.stages[parsed.stages.length - 1];
  expect(begin).toBeGreaterThan(final.from.endLine);
  const target = final.instructions.find((i) => ['ENTRYPOINT', 'CMD'].includes(i.keyword));
  if (target) {
    expect(end).toBeLessThan(target.startLine);
    // Nothing but comment lines between the block and the ENTRYPOINT/CMD.
    for (const line of lines.slice(end + 1, target.startLine)) expect(line).toMatch(/^\s*#/);
  } else {
    expect(parsed.instructions.filter((i) => i.startLine > end)).toHaveLength(0);
  }
}
