// Where a placeholder is reported when the key above it is not a plain name: a key that is
// itself a collection (YAML's complex key) still leads to the value, named by an empty key,
// and a key without a value holds nothing.
import { preflightResults } from '../preflight/harness';

const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };

function placeholders(podSpec: string): string[] {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
${podSpec}`;
  return preflightResults(config, text)
    .filter((r) => r.tags?.check === 'generator-placeholder')
    .map((r) => `${r.severity} ${r.field?.path} ${r.tags?.line} ${r.tags?.placeholder}`);
}

describe('generator placeholders under keys that are not plain names', () => {
  test('a value under a complex key is reported, at an empty key of its map', () => {
    expect(
      placeholders(`  containers:
  - name: app
    image: nginx:1.27
    workingDir: /srv
  nodeSelector:
    ? [zone]
    : "<zone>"
`),
    ).toEqual(['error spec.nodeSelector[""] 12 <zone>']);
  });

  test('a complex key under free text keeps the value a warning', () => {
    expect(
      placeholders(`  containers:
  - name: app
    image: nginx:1.27
    env:
    - ? {name: X}
      : "<value>"
`),
    ).toEqual(['warning spec.containers[0].env[0][""] 11 <value>']);
  });

  test('keys without values, numbers and booleans hold no placeholder', () => {
    expect(
      placeholders(`  containers:
  - name: app
    image: nginx:1.27
    workingDir:
    ports: [{containerPort: 8080}]
    tty: true
  nodeSelector: {"<key>":}
`),
    ).toEqual([]);
  });

  test('an explicit key without a value holds none, whatever the key', () => {
    expect(
      placeholders(`  containers:
  - name: app
    image: nginx:1.27
  nodeSelector:
    ? "<key>"
    ? [a]
`),
    ).toEqual([]);
  });
});
