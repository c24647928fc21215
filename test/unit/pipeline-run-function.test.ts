import { ConfigError } from '../../src/errors';
import type { ResourceSet } from '../../src/krm/resource-set';
import type { Result } from '../../src/krm/results';
import type { KrmFunction } from '../../src/pipeline/functions';
import { configErrorResults, runFunction } from '../../src/pipeline/run';

/**
 * runFunction (src/pipeline/run.ts): a function's results, and an invalid config as one
 * error result per problem, naming the config kind, the field and the config file.
 */
const EMPTY_SET: ResourceSet = {
  resources: [],
  add: () => {
    throw new Error('not used');
  },
  remove: () => {},
};

function fn(apply: KrmFunction['apply']): KrmFunction {
  return { name: 'set-fs-group', kind: 'SetFsGroup', description: 'test', apply };
}

describe('runFunction', () => {
  test('the function sees the set, the results to fill, the config and its location', () => {
    const seen: unknown[] = [];
    const results = runFunction(
      fn((ctx, config, location) => {
        seen.push(ctx.set, config, location);
        ctx.results.push({ severity: 'info', message: 'one' });
        ctx.results.push({ severity: 'warning', message: 'two' });
      }),
      EMPTY_SET,
      { fsGroup: 1 },
      { path: 'config.yaml' },
    );
    expect(results).toEqual([
      { severity: 'info', message: 'one' },
      { severity: 'warning', message: 'two' },
    ]);
    expect(seen).toEqual([EMPTY_SET, { fsGroup: 1 }, { path: 'config.yaml' }]);
    expect(seen[0]).toBe(EMPTY_SET);
  });

  test('no location given: an empty one', () => {
    let location: unknown;
    expect(
      runFunction(
        fn((_, __, l) => (location = l)),
        EMPTY_SET,
        {},
      ),
    ).toEqual([]);
    expect(location).toEqual({});
  });

  test('an invalid config: its problems as located error results, after what was reported', () => {
    const results = runFunction(
      fn((ctx) => {
        ctx.results.push({ severity: 'info', message: 'before' });
        throw new ConfigError(
          [
            { field: 'fsGroup', message: 'must be an integer' },
            { field: 'override', message: 'must be a boolean' },
          ],
          { path: 'pkg/config.yaml' },
        );
      }),
      EMPTY_SET,
      {},
    );
    expect(results).toEqual<Result[]>([
      { severity: 'info', message: 'before' },
      {
        severity: 'error',
        message: 'invalid SetFsGroup config: fsGroup: must be an integer',
        field: { path: 'fsGroup' },
        file: { path: 'pkg/config.yaml' },
      },
      {
        severity: 'error',
        message: 'invalid SetFsGroup config: override: must be a boolean',
        field: { path: 'override' },
        file: { path: 'pkg/config.yaml' },
      },
    ]);
  });

  test('any other error is not a result: it is thrown as it is', () => {
    const boom = new TypeError('boom');
    expect(() =>
      runFunction(
        fn(() => {
          throw boom;
        }),
        EMPTY_SET,
        {},
      ),
    ).toThrow(boom);
  });
});

describe('configErrorResults', () => {
  test('with no function and no config file: no kind, no file', () => {
    expect(configErrorResults(new ConfigError([{ field: 'a.b', message: 'is required' }]))).toEqual(
      [{ severity: 'error', message: 'invalid config: a.b: is required', field: { path: 'a.b' } }],
    );
  });

  test('no problems, no results', () => {
    expect(configErrorResults(new ConfigError([], { path: 'c.yaml' }))).toEqual([]);
  });
});
