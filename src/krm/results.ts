import { cut, MESSAGE_MAX, printable } from '../errors';
import type { SourceError } from '../errors';

/** Results as the KRM Functions Specification defines them (ResourceList.results). */
export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string; currentValue?: unknown; proposedValue?: unknown };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

/**
 * Input that could not be read (a SourceError) as the one result a function reports for
 * it: the reason, and the file, line and column where they are known.
 */
export function sourceErrorResult(error: SourceError): Result {
  const result: Result = { severity: 'error', message: error.reason };
  const { path, line, column } = error.location;
  if (path) result.file = { path };
  if (line !== undefined) {
    result.tags = { line: String(line) };
    if (column !== undefined) result.tags.column = String(column);
  }
  return result;
}

export function hasErrors(results: readonly Result[]): boolean {
  return results.some((r) => r.severity === 'error');
}

/**
 * One line per result for humans: `severity: file:line:column resource field: message`,
 * control characters escaped (a name cannot start a line of its own, nor drive the
 * terminal) and the message cut when long.
 */
export function formatResult(result: Result): string {
  const where: string[] = [];
  if (result.file) {
    const { line, column } = result.tags ?? {};
    const at = line ? `:${line}${column ? `:${column}` : ''}` : '';
    where.push(`${result.file.path}${at}`);
  }
  if (result.resourceRef) {
    const ref = result.resourceRef;
    where.push(`${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
  }
  if (result.field) where.push(result.field.path);
  // The location (names, paths from the package) is one line, escaped whole; a message may
  // hold lines by design (the commands of a fix), every other control character escaped.
  const at = where.length ? `${printable(where.join(' '))}: ` : '';
  let message = cut(result.message, MESSAGE_MAX);
  // The resource's own name or namespace quoted in the message is escaped whole there too.
  for (const name of [result.resourceRef?.name, result.resourceRef?.namespace]) {
    // Printable or not (a printable name is replaced by itself: one split, no test).
    if (name) message = message.split(name).join(printable(name));
  }
  return `${result.severity}: ${at}${printable(message, true)}`;
}
