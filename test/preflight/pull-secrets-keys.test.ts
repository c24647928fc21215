import { parseImageReference } from '../../src/image/reference';
import { keyMatches } from '../../src/preflight/pull-secrets';

/**
 * Docker config keys at the edges of the kubelet's matching (pkg/credentialprovider
 * keyring.go): `/v1/` only as the API suffix, a leading label that is no wildcard, and a
 * `*.` label that must end at a dot.
 */
describe('keyMatches: keys at the edges', () => {
  test.each([
    ['gcr.io/v1/app', 'gcr.io/v1/app:1', true],
    ['gcr.io/v2/team', 'gcr.io/v2/team/app:1', true],
    ['a.example.com', 'b.example.com/x:1', false],
    ['agcr.io', 'bgcr.io/x:1', false],
    ['*.example.com', 'abcexample.com/x:1', false],
  ])('%s for %s: %s', (key, image, expected) => {
    expect(keyMatches(key, parseImageReference(image))).toBe(expected);
  });
});
