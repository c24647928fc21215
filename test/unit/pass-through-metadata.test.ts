import { soundKind } from '../../src/yaml/pass-through';

/**
 * The pass-through fast path lets a document through unparsed only when its metadata has
 * the shape KRM wants; name and namespace must be strings (Kubernetes ObjectMeta), so a
 * number, a boolean, null, a list or a map sends the document to the full parser.
 */
const doc = (metadataLines: string[]) =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    ...metadataLines,
    'spec:',
    '  clusterIP: None',
    '',
  ].join('\n');

describe('pass-through: name and namespace must be strings', () => {
  test.each([
    ['  namespace: shop', 'Service'],
    ['  namespace: "shop"', 'Service'],
    ["  namespace: 'shop'", 'Service'],
    ['  namespace: 12', undefined],
    ['  namespace: 1.5', undefined],
    ['  namespace: true', undefined],
    ['  namespace: null', undefined],
    ['  namespace: ~', undefined],
    ['  namespace: []', undefined],
    ['  namespace: {}', undefined],
    ['  name: 12', undefined],
    ['  name: false', undefined],
  ])('%j -> %s', (line, kind) => {
    const lines = line.startsWith('  name:') ? [line] : ['  name: web', line];
    expect(soundKind(doc(lines))).toBe(kind);
  });
});
