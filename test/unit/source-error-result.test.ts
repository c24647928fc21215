import { SourceError } from '../../src/errors';
import { sourceErrorResult } from '../../src/krm/results';

/**
 * Unreadable input as a result (src/krm/results.ts sourceErrorResult): the reason as the
 * message, and exactly the parts of the location that are known; never a path, line or
 * column of `undefined`.
 */
describe('sourceErrorResult', () => {
  test.each([
    [
      'file, line and column',
      { path: 'app/spec.yaml', line: 3, column: 7 },
      { file: { path: 'app/spec.yaml' }, tags: { line: '3', column: '7' } },
    ],
    [
      'file and line',
      { path: 'Dockerfile', line: 12 },
      { file: { path: 'Dockerfile' }, tags: { line: '12' } },
    ],
    ['a file only', { path: 'big.yaml', code: 'INPUT_TOO_LARGE' }, { file: { path: 'big.yaml' } }],
    [
      'line 0 is a line',
      { path: 'a.yaml', line: 0, column: 0 },
      { file: { path: 'a.yaml' }, tags: { line: '0', column: '0' } },
    ],
    ['no location', {}, {}],
    ['an empty path is no file', { path: '', line: 1 }, { tags: { line: '1' } }],
  ])('%s', (_, location, expected) => {
    expect(sourceErrorResult(new SourceError('cannot be read', location))).toEqual({
      severity: 'error',
      message: 'cannot be read',
      ...expected,
    });
  });
});
