/** POSIX sh single-quoting: the result is one word whatever `value` holds. */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** systemd's double-quoted word (DefaultEnvironment=, Environment=): escapes `\` and `"`. */
export function systemdQuote(value: string): string {
  if (/[\0\n\r]/.test(value)) throw new Error('systemd values cannot hold NUL or newlines');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
