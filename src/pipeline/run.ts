import { ConfigError } from '../errors';
import type { SourceLocation } from '../errors';
import type { ResourceSet } from '../krm/resource-set';
import type { Result } from '../krm/results';
import type { KrmFunction } from './functions';

/** Runs one function over a resource set; an invalid config becomes error results naming each field. */
export function runFunction(
  fn: KrmFunction,
  set: ResourceSet,
  config: unknown,
  location: SourceLocation = {},
): Result[] {
  const results: Result[] = [];
  try {
    fn.apply({ set, results }, config, location);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const r of configErrorResults(error, fn)) results.push(r);
  }
  return results;
}

export function configErrorResults(error: ConfigError, fn?: KrmFunction): Result[] {
  return error.problems.map((problem) => {
    const result: Result = {
      severity: 'error',
      message: `invalid ${fn ? `${fn.kind} ` : ''}config: ${problem.field}: ${problem.message}`,
      field: { path: problem.field },
    };
    if (error.location.path) result.file = { path: error.location.path };
    return result;
  });
}
