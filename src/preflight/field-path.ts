/**
 * A field path as results show it: `spec.template.spec.containers[0].image`; a key
 * that is not a plain name (an annotation, a data key) goes in brackets, quoted:
 * `data[".dockerconfigjson"]`.
 */
export function fieldPath(segments: readonly (string | number)[]): string {
  return segments
    .map((s, i) =>
      typeof s === 'number' || /^[0-9]+$/.test(s)
        ? `[${s}]`
        : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)
          ? i
            ? `.${s}`
            : s
          : // String(s) quotes whatever reaches here: every number (-1 included) is an index.
            `[${JSON.stringify(String(s))}]`,
    )
    .join('');
}
