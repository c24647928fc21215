import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { REPO, runText } from '../support/run';

/**
 * The EKS pod identity webhook's own handler fixtures (Linux, IRSA), written out in
 * testdata/webhook/irsa-handler-fixtures.yaml with the patch each expects: retarget's
 * offline result must hold the same env (values and order), mounts and token volume.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

interface Case {
  source: string;
  settings: Record<string, string>;
  pod: Obj;
  expected: {
    volume: Obj;
    volumeNames: string[];
    keptDifferent?: string[];
    containers: Obj[];
    initContainers?: Obj[];
  };
}

const cases = parseAllDocuments(
  readFileSync(join(REPO, 'testdata/webhook/irsa-handler-fixtures.yaml'), 'utf8'),
).map((d) => d.toJS() as Case);

const SA_ANNOTATIONS: Record<string, string> = {
  'serviceAccount/roleArn': 'eks.amazonaws.com/role-arn',
  'serviceAccount/audience': 'eks.amazonaws.com/audience',
  'serviceAccount/sts-regional-endpoints': 'eks.amazonaws.com/sts-regional-endpoints',
  'serviceAccount/token-expiration': 'eks.amazonaws.com/token-expiration',
  // The webhook's test puts this on the ServiceAccount too (buildFakeCacheFromPod).
  'handler/expiration': 'eks.amazonaws.com/token-expiration',
};

function podDoc(c: Case): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...c.pod.metadata, namespace: 'default' },
    spec: c.pod.spec,
  };
}

/**
 * As the webhook's test sets it up: the settings on ServiceAccount default, the region
 * and regional STS the webhook's flags (the config), which an annotation overrides.
 */
function asServiceAccount(c: Case): { config: Obj; input: string } {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(c.settings)) {
    const annotation = SA_ANNOTATIONS[key];
    if (annotation) annotations[annotation] = value;
  }
  const sa = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: 'default', annotations },
  };
  const config: Obj = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetAwsWorkloadIdentity',
    serviceAccountName: 'default',
    runtime: 'plain',
  };
  if (c.settings['handler/region']) config.region = c.settings['handler/region'];
  if (c.settings['handler/injectSTS'] === 'true') config.stsRegionalEndpoints = 'regional';
  return { config, input: `${stringify(podDoc(c))}---\n${stringify(sa)}` };
}

/** The same settings as retarget config fields, the pod on a ServiceAccount of its own. */
function asConfig(c: Case): { config: Obj; input: string } {
  const s = c.settings;
  const config: Obj = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetAwsWorkloadIdentity',
    roleArn: s['serviceAccount/roleArn'],
    audience: s['serviceAccount/audience'],
    runtime: 'plain',
  };
  if (s['handler/region']) config.region = s['handler/region'];
  if (s['handler/injectSTS'] === 'true') config.stsRegionalEndpoints = 'regional';
  if (s['handler/expiration']) config.expirationSeconds = Number(s['handler/expiration']);
  return { config, input: stringify(podDoc(c)) };
}

function checkPod(c: Case, pod: Obj): void {
  for (const list of ['containers', 'initContainers'] as const) {
    const expected = c.expected[list];
    if (!expected) {
      expect(pod.spec[list]).toBeUndefined();
      continue;
    }
    expect(pod.spec[list].map((x: Obj) => x.name)).toEqual(expected.map((x) => x.name));
    pod.spec[list].forEach((container: Obj, i: number) => {
      expect({ name: container.name, env: container.env, mounts: container.volumeMounts }).toEqual({
        name: expected[i].name,
        env: expected[i].env,
        mounts: expected[i].volumeMounts,
      });
    });
  }
  // Volumes are a list keyed by name: the webhook inserts at 0, retarget appends.
  expect(pod.spec.volumes.map((v: Obj) => v.name).sort()).toEqual(
    [...c.expected.volumeNames].sort(),
  );
  expect(pod.spec.volumes.find((v: Obj) => v.name === 'aws-iam-token')).toEqual(c.expected.volume);
}

describe.each(cases.map((c) => [c.source, c] as const))('webhook fixture %s', (_source, c) => {
  const variants = [['settings on the ServiceAccount, role from the package', asServiceAccount]];
  // An sts-regional-endpoints annotation on the account has no config equivalent.
  if (!c.settings['serviceAccount/sts-regional-endpoints']) {
    variants.push(['settings as config, the pod on its own ServiceAccount', asConfig]);
  }
  test.each(variants as [string, (c: Case) => { config: Obj; input: string }][])(
    '%s',
    (_name, make) => {
      const { config, input } = make(c);
      const { output, ok, results } = runText('set-aws-workload-identity', config, input);
      expect(results.filter((r) => r.severity === 'error')).toEqual([]);
      expect(ok).toBe(true);
      const docs = parseAllDocuments(output).map((d) => d.toJS() as Obj);
      const pod = docs.find((d) => d.kind === 'Pod')!;
      checkPod(c, pod);
      const sa = docs.find(
        (d) => d.kind === 'ServiceAccount' && d.metadata.name === pod.spec.serviceAccountName,
      );
      expect(sa?.metadata.namespace).toBe('default');
      expect(sa?.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(
        c.settings['serviceAccount/roleArn'],
      );
      if (make === asConfig) expect(pod.spec.serviceAccountName).toBe('balajilovesoreos');
      else {
        // Binding default is done only when asked, and said out loud.
        expect(results).toContainEqual(
          expect.objectContaining({
            severity: 'warning',
            message: expect.stringContaining('binds role'),
          }),
        );
        if (c.settings['serviceAccount/sts-regional-endpoints'] === 'false') {
          expect(results).toContainEqual(
            expect.objectContaining({
              severity: 'warning',
              message: expect.stringMatching(/sts-regional-endpoints: false .* wins over/),
            }),
          );
        }
      }
      // A kept value that differs from the config is named with both values.
      for (const name of c.expected.keptDifferent ?? []) {
        const kept = c.pod.spec.containers
          .flatMap((x: Obj) => x.env ?? [])
          .find((e: Obj) => e.name === name).value as string;
        expect(results).toContainEqual(
          expect.objectContaining({
            severity: 'warning',
            message: expect.stringMatching(new RegExp(`${name}=${kept}: kept, where the config`)),
          }),
        );
      }
      // Twice == once.
      expect(runText('set-aws-workload-identity', config, output).output).toBe(output);
    },
  );
});
