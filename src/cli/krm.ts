import { SourceError } from '../errors';
import { ResourceList } from '../io/resource-list';
import { hasErrors } from '../krm/results';
import type { Result } from '../krm/results';
import type { KrmFunction } from '../pipeline/functions';
import { runFunction } from '../pipeline/run';

export interface KrmOutcome {
  stdout: string;
  exitCode: number;
  results: Result[];
}

/**
 * One KRM function call: a ResourceList in, a ResourceList out. On any error
 * result every item is still emitted, unchanged, with the results, and the exit code is 1.
 * `config` (from -c) replaces the list's functionConfig.
 */
export function runKrm(fn: KrmFunction, input: string, config?: unknown): KrmOutcome {
  const list = ResourceList.parse(input);
  const functionConfig = config ?? list.functionConfig;
  const results: Result[] = list.invalidItems.map((index) => ({
    severity: 'error',
    message: `items[${index}] is not a KRM object: it needs a string apiVersion and kind`,
    field: { path: `items[${index}]` },
  }));
  if (functionConfig === undefined) {
    results.push({
      severity: 'error',
      message: `no functionConfig: ${fn.name} needs a ${fn.kind} (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap`,
    });
  } else {
    try {
      for (const r of runFunction(fn, list, functionConfig, configLocation(functionConfig)))
        results.push(r);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      results.push({ severity: 'error', message: `internal error: ${(error as Error).message}` });
    }
  }
  if (hasErrors(results)) {
    const unchanged = ResourceList.parse(input).render(results);
    return { stdout: sameLayout(input, unchanged), exitCode: 1, results };
  }
  return { stdout: sameLayout(input, list.render(results)), exitCode: 0, results };
}

/** The output keeps the input's UTF-8 BOM and CRLF line breaks (`yaml` writes neither). */
function sameLayout(input: string, output: string): string {
  let out = input.includes('\r\n') ? output.replace(/\r?\n/g, '\r\n') : output;
  if (input.startsWith('\uFEFF') && !out.startsWith('\uFEFF')) out = `\uFEFF${out}`;
  return out;
}

function configLocation(config: unknown): { path?: string } {
  const annotations = (config as { metadata?: { annotations?: Record<string, unknown> } })?.metadata
    ?.annotations;
  const path =
    annotations?.['internal.config.kubernetes.io/path'] ??
    annotations?.['config.kubernetes.io/path'];
  return typeof path === 'string' ? { path } : {};
}
