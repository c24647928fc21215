// The schema check's messages at the edges the per-kind tests leave: a group serving
// several versions, a kind differing only in case, a List kubectl unpacks (and one it does
// not), a map expected, a list item of the wrong type, a malformed time.
import { runText } from '../support/run';

const CONFIG = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };
const REJECTS = (kind: string) => `the API server rejects the ${kind}`;

function schema(text: string): string[] {
  const { results } = runText('preflight', CONFIG, text);
  return results
    .filter((r) => String(r.tags?.check).startsWith('schema'))
    .map(
      (r) =>
        `${r.severity} ${r.tags?.check} ${r.resourceRef?.name} ${r.field?.path} ${r.tags?.line}:${r.tags?.column} | ${r.message}`,
    );
}

describe('the schema check: versions and kinds', () => {
  test('the versions a group serves, all of them, comma-separated', () => {
    expect(
      schema(
        'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n',
      ),
    ).toEqual([
      'warning schema-unknown-api-version h apiVersion 1:13 | autoscaling/v2beta2 is not served by Kubernetes 1.35 (the group autoscaling serves autoscaling/v1, autoscaling/v2). Fix: use a served version (kubectl api-versions | grep autoscaling)',
    ]);
  });

  test('a kind differing only in case, in more than one letter, is named', () => {
    expect(schema('apiVersion: apps/v1\nkind: DEPLOYMENT\nmetadata: {name: d}\n')).toEqual([
      'error schema d kind 2:7 | apps/v1 has no kind DEPLOYMENT in Kubernetes 1.35 (did you mean Deployment?): kubectl reports "no matches for kind". Fix: write kind: Deployment',
    ]);
  });

  test('a v1 List without items is not checked; a List of another API version is', () => {
    expect(schema('apiVersion: v1\nkind: List\nmetadata: {name: l}\n')).toEqual([]);
    expect(schema('apiVersion: apps/v1\nkind: List\nmetadata: {name: l}\n')).toEqual([
      `error schema l kind 2:7 | apps/v1 has no kind List in Kubernetes 1.35: kubectl reports "no matches for kind". Fix: check the kind's spelling and API version (kubectl api-resources)`,
    ]);
  });
});

describe('the schema check: values', () => {
  test('a map expected, and a list item of the wrong type, each with what was found', () => {
    expect(
      schema(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx
    command: [sh, 1]
  nodeSelector: [a]
`),
    ).toEqual([
      `error schema p spec.containers[0].command[1] 8:19 | spec.containers[0].command[1] must be a string (found 1): ${REJECTS('Pod')}. Fix: write spec.containers[0].command[1] as a string`,
      `error schema p spec.nodeSelector 9:17 | spec.nodeSelector must be a map (found a list): ${REJECTS('Pod')}. Fix: write spec.nodeSelector as a map`,
    ]);
  });

  test('a malformed time says what a time looks like, and shows the value outside a Secret', () => {
    expect(
      schema(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, creationTimestamp: soon}\nspec:\n  containers: [{name: a, image: b}]\n',
      ),
    ).toEqual([
      `error schema p metadata.creationTimestamp 3:40 | metadata.creationTimestamp must be an RFC 3339 time (2024-01-31T12:00:00Z) (found "soon"): ${REJECTS('Pod')}. Fix: correct metadata.creationTimestamp`,
    ]);
  });

  test('an int64 beyond what a JSON number holds exactly is named a 64-bit integer', () => {
    expect(
      schema(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, generation: 9007199254740993}\nspec:\n  containers: [{name: a, image: b}]\n',
      ),
    ).toEqual([
      `error schema p metadata.generation 3:33 | metadata.generation must be a 64-bit integer (found 9007199254740992): ${REJECTS('Pod')}. Fix: correct metadata.generation`,
    ]);
  });
});
