import { SourceError } from '../../src/errors';

/** What a located refusal says: the SourceError's reason, path and code (anything else fails). */
export function located(fn: () => unknown): { reason: string; path?: string; code?: string } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { reason: error.reason, path: error.location.path, code: error.location.code };
  }
  throw new Error('expected a SourceError');
}
