import type { YAMLError } from 'yaml';
import { SourceError } from '../errors';

/** The yaml library's error as a located SourceError: the reason without its code excerpt. */
export function sourceErrorOf(error: YAMLError, path: string): SourceError {
  const pos = error.linePos?.[0];
  const at = error.message.indexOf(' at line ');
  const reason = at > 0 ? error.message.slice(0, at) : error.message.split('\n')[0];
  return new SourceError(reason, { path, line: pos?.line, column: pos?.col, code: error.code });
}
