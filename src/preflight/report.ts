import { stringify } from 'yaml';
import { cut, MESSAGE_MAX, printable } from '../errors';
import type { Result } from '../krm/results';

export const REPORT_FORMATS = ['table', 'json', 'yaml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface PreflightReport {
  summary: { errors: number; warnings: number; infos: number };
  results: Result[];
  /** Resources preflight would add (the IAMPolicyMember grants of emitIamPolicyMember). */
  resources?: Record<string, unknown>[];
}

export function buildReport(
  results: readonly Result[],
  resources: readonly Record<string, unknown>[] = [],
): PreflightReport {
  const count = (severity: Result['severity']) =>
    results.filter((r) => r.severity === severity).length;
  const report: PreflightReport = {
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info') },
    results: [...results],
  };
  if (resources.length) report.resources = [...resources];
  return report;
}

export function renderReport(report: PreflightReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'yaml':
      return stringify(report, { lineWidth: 0 });
    default:
      return renderTable(report);
  }
}

const WIDTH = 100;
const CELL_MAX = 200;
const INDENT = '    ';

/**
 * For people: a header row per finding (severity, check, resource, where), then the
 * problem and the fix, wrapped and indented; a summary line at the end.
 */
function renderTable(report: PreflightReport): string {
  // Every cell and line is printable(): a name with a newline or an escape sequence
  // cannot plant a row or a `fix:` line of its own, nor drive the terminal.
  const rows = report.results.map((r) =>
    [
      r.severity.toUpperCase(),
      r.tags?.check ?? '-',
      r.resourceRef
        ? `${r.resourceRef.kind}/${r.resourceRef.namespace ? `${r.resourceRef.namespace}/` : ''}${r.resourceRef.name}`
        : '-',
      where(r),
    ].map((cell) => printable(cut(cell, CELL_MAX))),
  );
  const header = ['SEVERITY', 'CHECK', 'RESOURCE', 'WHERE'];
  // A loop, not Math.max(...rows): 100,000 arguments would overflow the call stack.
  const widths = header.map((h, i) =>
    rows.reduce((w, row) => Math.max(w, row[i].length), h.length),
  );
  // The last column's padding is trimmed with the line's end.
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  let out = '';
  if (rows.length) {
    out += `${line(header)}\n`;
    report.results.forEach((r, i) => {
      out += `${line(rows[i])}\n`;
      const fix = r.tags?.fix === undefined ? undefined : printable(cut(r.tags.fix, MESSAGE_MAX));
      const message = printable(cut(r.message, MESSAGE_MAX));
      const suffix = `. Fix: ${fix}`;
      const problem = fix && message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
      out += wrap(problem, INDENT);
      // Not wrapped: a command in it stays one line, ready to paste.
      if (fix) out += `${INDENT}fix: ${fix}\n`;
    });
    out += '\n';
  }
  const { errors, warnings, infos } = report.summary;
  out += rows.length
    ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}\n`
    : 'preflight: no problems found\n';
  if (report.resources?.length) {
    out += `\npreflight would add ${plural(report.resources.length, 'resource')} (emitIamPolicyMember):\n---\n`;
    out += report.resources.map((r) => stringify(r, { lineWidth: 0 })).join('---\n');
  }
  return out;
}

function where(r: Result): string {
  const parts: string[] = [];
  if (r.file) parts.push(r.tags?.line ? `${r.file.path}:${r.tags.line}` : r.file.path);
  if (r.field) parts.push(r.field.path);
  return parts.join(' ') || '-';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Word-wraps at WIDTH; a word longer than a line (a command, a URL) stays whole. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/ +/)) {
    if (current && indent.length + current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => `${indent}${l}\n`).join('');
}
