import { cut, MESSAGE_MAX, printable } from '../errors';

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

export function hasErrors(results: readonly Result[]): boolean {
  return results.some((r) => r.severity === 'error');
}

/**
 * One line per result for humans: `severity: file:line:column resource field: message`,
 * control characters escaped (a name cannot start a line of its own) and cut when long.
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
  const line = `${result.severity}: ${where.length ? `${where.join(' ')}: ` : ''}${result.message}`;
  return printable(cut(line, MESSAGE_MAX));
}
