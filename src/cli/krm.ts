import { SourceError } from '../errors';
import { ResourceList } from '../io/resource-list';
import type { PassThroughFor } from '../io/resource-list';
import { hasErrors } from '../krm/results';
import type { Result } from '../krm/results';
import type { KrmFunction } from '../pipeline/functions';
import { runFunction } from '../pipeline/run';

export interface KrmOutcome {
  stdout: string;
  exitCode: number;
  results: Result[];
  /** Items copied to the output as their input text, without being parsed. */
  copiedItems: number;
}

export interface KrmOptions {
  /**
   * false: parse every item, never copying one through unparsed (the reference the
   * copying path is tested against). Both give the same output, byte for byte.
   */
  copyUnread?: boolean;
}

/**
 * One KRM function call: a ResourceList in, a ResourceList out. On any error
 * result every item is still emitted, unchanged, with the results, and the exit code is 1.
 * `config` (from -c) replaces the list's functionConfig.
 *
 * Items of kinds the function never reads are copied through as their text when the
 * list has the layout kpt writes (ResourceList.parseCopying); otherwise, or when an edit
 * would reach such an item, the whole list is parsed and the function runs on that.
 */
export function runKrm(
  fn: KrmFunction,
  input: string,
  config?: unknown,
  options: KrmOptions = {},
): KrmOutcome {
  if (options.copyUnread !== false) {
    try {
      const copying = run(fn, input, config, (fnConfig) => fn.passThrough?.(config ?? fnConfig));
      if (copying) return copying;
    } catch (error) {
      // Refusals are the whole list's to make, located as they always were.
      if (!(error instanceof SourceError)) throw error;
    }
  }
  return run(fn, input, config)!;
}

/** Every sound item copied: a list written back unchanged, with results. */
const COPY_ALL: PassThroughFor = () => () => true;

/** One attempt; undefined when the copying path does not apply to this list or run. */
function run(
  fn: KrmFunction,
  input: string,
  config: unknown,
  passThroughFor?: PassThroughFor,
): KrmOutcome | undefined {
  const list = passThroughFor
    ? ResourceList.parseCopying(input, passThroughFor)
    : ResourceList.parse(input);
  if (!list) return undefined;
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
    // The input as it came, with the results: nothing of it needs parsing but the list's keys.
    const unchanged = passThroughFor && ResourceList.parseCopying(input, COPY_ALL);
    const rendered = unchanged?.render(results) ?? ResourceList.parse(input).render(results)!;
    return {
      stdout: sameLayout(input, rendered),
      exitCode: 1,
      results,
      copiedItems: unchanged?.copiedItems ?? 0,
    };
  }
  const rendered = list.render(results);
  if (rendered === undefined) return undefined;
  return {
    stdout: sameLayout(input, rendered),
    exitCode: 0,
    results,
    copiedItems: list.copiedItems,
  };
}

/** The output keeps the input's UTF-8 BOM and CRLF line breaks (`yaml` writes neither). */
function sameLayout(input: string, output: string): string {
  let out = input.includes('\r\n') ? output.replace(/\r?\n/g, '\r\n') : output;
  if (input.startsWith('\uFEFF') && !out.startsWith('\uFEFF')) out = `\uFEFF${out}`;
  return out;
}

/** Where the config came from: `config` is never null or undefined here (checked above). */
function configLocation(config: unknown): { path?: string } {
  const annotations = (config as { metadata?: { annotations?: Record<string, unknown> } }).metadata
    ?.annotations;
  const path =
    annotations?.['internal.config.kubernetes.io/path'] ??
    annotations?.['config.kubernetes.io/path'];
  return typeof path === 'string' ? { path } : {};
}
