import { parseAllDocuments } from 'yaml';
import { runText } from '../support/run';

/*
 * Regional STS with a package ServiceAccount that carries no sts-regional-endpoints
 * annotation: the config's value is what the container gets (the webhook's flag), for
 * `legacy` too, and for Pod Identity, which leaves the account's annotations alone.
 */
const INPUT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  serviceAccountName: app
  containers:
  - name: app
    image: gcr.io/p/app:v1
`;

test.each([
  ['irsa', 'legacy'],
  ['pod-identity', 'regional'],
])('%s, stsRegionalEndpoints %s: the container gets it, nothing is said', (mechanism, sts) => {
  const { ok, output, results } = runText(
    'set-aws-workload-identity',
    {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'SetAwsWorkloadIdentity',
      roleArn: 'arn:aws:iam::123456789012:role/app',
      mechanism,
      stsRegionalEndpoints: sts,
    },
    INPUT,
  );
  expect(ok).toBe(true);
  const pod = parseAllDocuments(output)[1].toJS() as {
    spec: { containers: { env: { name: string; value: string }[] }[] };
  };
  expect(pod.spec.containers[0].env[0]).toEqual({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: sts });
  expect(results.filter((r) => r.message.includes('sts-regional-endpoints'))).toEqual([]);
});
