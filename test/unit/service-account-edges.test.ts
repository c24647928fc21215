import { StreamResourceSet } from '../../src/io/stream-set';
import type { Result } from '../../src/krm/results';
import { newServiceAccount } from '../../src/transforms/service-account';
import { podSpecOf } from '../../src/workload/pod-specs';
import { parseDocumentStream } from '../../src/yaml/document-stream';
import { runText } from '../support/run';

/**
 * The edges of the shared ServiceAccount binding that the outputs of the mechanisms do not
 * show on their own: the object a new account is made of, a package account whose
 * imagePullSecrets is no list, and a deprecated alias that already names the account.
 */

const GSA = 'orders-vm@prod-cluster.iam.gserviceaccount.com';
const gke = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetGcpWorkloadIdentity',
  projectId: 'prod-cluster',
  gcpServiceAccount: GSA,
};

/** newServiceAccount for the first pod of `text`, moved off `previous`. */
function created(text: string, previous: string, annotations: Record<string, string> = {}) {
  const set = new StreamResourceSet([parseDocumentStream(text, 'in.yaml')]);
  const results: Result[] = [];
  const pod = podSpecOf(set.resources[0])!;
  const value = newServiceAccount({ set, results }, pod, { name: 'batch', previous }, annotations);
  return { value, results };
}

const POD = (namespace: string) => `apiVersion: v1
kind: Pod
metadata:
  name: batch
${namespace}spec:
  containers:
  - name: batch
    image: batch:1
`;

describe('the object of a new ServiceAccount', () => {
  test('a workload without a namespace: metadata holds the name alone, no namespace key', () => {
    const { value, results } = created(POD(''), 'default');
    expect(value).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'batch' },
    });
    expect(results).toEqual([]);
  });

  test('in a namespace, with annotations and the pull Secrets of the account the pods left', () => {
    const text = `${POD('  namespace: jobs\n')}---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: old
  namespace: jobs
imagePullSecrets:
- name: registry-a
- {}
- name: 7
`;
    expect(created(text, 'old', { a: 'b' }).value).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'batch', namespace: 'jobs', annotations: { a: 'b' } },
      imagePullSecrets: [{ name: 'registry-a' }],
    });
  });
});

describe('a package ServiceAccount whose imagePullSecrets is mistyped', () => {
  test.each([
    [
      'no list',
      'imagePullSecrets: registry-a\n',
      'imagePullSecrets',
      'expected a list, found string',
    ],
    [
      'an entry that is no map',
      'imagePullSecrets:\n- name: registry-a\n- registry-b\n',
      'imagePullSecrets[1]',
      'expected a map, found string',
    ],
  ])(
    '%s: the pods moved off it get one located error on it, and a new account without Secrets',
    (_, body, path, message) => {
      const text = `${POD('  namespace: jobs\n')}---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: jobs
${body}`;
      const { results, output } = runText('set-gcp-workload-identity', gke, text);
      expect(
        results
          .filter((r) => r.severity === 'error')
          .map((r) => ({ ref: r.resourceRef, field: r.field?.path, message: r.message })),
      ).toEqual([
        {
          ref: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'default', namespace: 'jobs' },
          field: path,
          message,
        },
      ]);
      expect(
        output.endsWith(`  name: batch
  namespace: jobs
  annotations:
    iam.gke.io/gcp-service-account: ${GSA}
`),
      ).toBe(true);
    },
  );
});

describe('the deprecated serviceAccount alias', () => {
  test('already naming the account, tagged: left as written, the pod spec byte for byte', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: batch
  namespace: jobs
spec:
  serviceAccountName: reader
  serviceAccount: !!str reader
  containers:
  - name: batch
    image: batch:1
`;
    const { ok, output } = runText('set-gcp-workload-identity', gke, text);
    expect(ok).toBe(true);
    expect(output.startsWith(text)).toBe(true);
  });
});
