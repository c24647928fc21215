import { closest } from '../../src/closest';

describe('closest: the valid name a misspelt one meant', () => {
  test.each([
    ['fsgroup', ['fsGroup', 'selector'], 'fsGroup'],
    ['imagePullSecret', ['imagePullSecrets', 'fsGroup'], 'imagePullSecrets'],
    ['hydrat', ['hydrate', 'preflight', 'dockerfile'], 'hydrate'],
    ['prelfight', ['hydrate', 'preflight'], 'preflight'],
    ['--in-plac', ['--in-place', '--output'], '--in-place'],
    ['set-fsgroup', ['set-fs-group', 'set-image-pull-secrets'], 'set-fs-group'],
  ])('%s -> %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  test.each([
    ['banana', ['fsGroup', 'selector']],
    ['__proto__', ['runtime', 'selector', 'fsGroup']],
    ['x', ['hydrate']],
  ])('%s: nothing close, no guess', (word, candidates) => {
    expect(closest(word, candidates)).toBeUndefined();
  });

  test('the nearest wins', () => {
    expect(closest('fsGrop', ['fsGroupChangePolicy', 'fsGroup'])).toBe('fsGroup');
    expect(closest('yml', ['yaml', 'table'])).toBe('yaml');
  });
});
