import type { PreflightConfig } from '../config/types';
import type { TransformContext } from './context';

/**
 * Preflight, required on first use rather than at start: the executables that never run
 * it (every function, and hydrate without a `target`) start without loading its code.
 */
export function runPreflight(ctx: TransformContext, config: PreflightConfig): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('../preflight/preflight') as typeof import('../preflight/preflight');
  loaded.preflight(ctx, config);
}
