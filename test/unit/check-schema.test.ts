// What the schema check tells a platform engineer, per kind of violation: the message, the
// fix, the field and the line (of the key for an unknown field, of the value otherwise),
// never a value that may be a credential.
import { runText } from '../support/run';

const CONFIG = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };

function schema(text: string, config: Record<string, unknown> = {}): string[] {
  const { results } = runText('preflight', { ...CONFIG, ...config }, text);
  return results
    .filter((r) => String(r.tags?.check).startsWith('schema'))
    .map(
      (r) =>
        `${r.severity} ${r.tags?.check} ${r.resourceRef?.name} ${r.field?.path} ${r.tags?.line}:${r.tags?.column} | ${r.message}`,
    );
}

const REJECTS = (kind: string) => `the API server rejects the ${kind}`;

describe('the schema check: API versions and kinds', () => {
  const deployment = (apiVersion: string, kind = 'Deployment') =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: d}\n`;

  test('a version the default target does not serve is a warning; a named target, an error', () => {
    expect(schema(deployment('apps/v9'))).toEqual([
      'warning schema-unknown-api-version d apiVersion 1:13 | apps/v9 is not served by Kubernetes 1.35 (the group apps serves apps/v1). Fix: use a served version (kubectl api-versions | grep apps)',
    ]);
    expect(
      schema(`${deployment('apps/v9')}---\napiVersion: v2\nkind: Pod\nmetadata: {name: p}\n`, {
        kubernetesVersion: '1.31',
      }),
    ).toEqual([
      'error schema-unknown-api-version d apiVersion 1:13 | apps/v9 is not served by Kubernetes 1.31 (the group apps serves apps/v1): kubectl reports "no matches for kind". Fix: use a served version (kubectl api-versions | grep apps)',
      'error schema-unknown-api-version p apiVersion 5:13 | v2 is not served by Kubernetes 1.31 (the group core serves v1): kubectl reports "no matches for kind". Fix: use a served version (kubectl api-versions | grep v1)',
    ]);
  });

  test('an unknown kind names the one it is near (case or one edit), else how to look', () => {
    expect(
      schema(
        [
          deployment('apps/v1', 'deployment'),
          deployment('apps/v1', 'Deploymnt'),
          deployment('apps/v1', 'Zebra'),
        ].join('---\n'),
      ),
    ).toEqual([
      'error schema d kind 2:7 | apps/v1 has no kind deployment in Kubernetes 1.35 (did you mean Deployment?): kubectl reports "no matches for kind". Fix: write kind: Deployment',
      'error schema d kind 6:7 | apps/v1 has no kind Deploymnt in Kubernetes 1.35 (did you mean Deployment?): kubectl reports "no matches for kind". Fix: write kind: Deployment',
      `error schema d kind 10:7 | apps/v1 has no kind Zebra in Kubernetes 1.35: kubectl reports "no matches for kind". Fix: check the kind's spelling and API version (kubectl api-resources)`,
    ]);
  });

  test('not checked: a List, a local-config resource, a custom resource without a published CRD', () => {
    expect(
      schema(
        [
          'apiVersion: v1\nkind: List\nitems: []\n',
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: local\n  annotations: {config.kubernetes.io/local-config: "true"}\nspec: {bogus: 1}\n',
          'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec: {x: 1}\n',
        ].join('---\n'),
      ),
    ).toEqual([]);
  });

  test('skipping schema leaves the API version check, and skipping both checks nothing', () => {
    const text = `${deployment('apps/v9')}---\n${deployment('apps/v1', 'Zebra')}`;
    expect(schema(text, { skip: ['schema'] }).map((l) => l.split(' |')[0])).toEqual([
      'warning schema-unknown-api-version d apiVersion 1:13',
    ]);
    expect(
      schema(text, { skip: ['schema-unknown-api-version'] }).map((l) => l.split(' |')[0]),
    ).toEqual(['error schema d kind 6:7']);
    expect(schema(text, { skip: ['schema', 'schema-unknown-api-version'] })).toEqual([]);
  });
});

describe('the schema check: fields', () => {
  test('wrong types: the type wanted, what was found, unquoted for an integer', () => {
    expect(
      schema(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx
    ports: [{containerPort: "80"}]
    securityContext: {runAsUser: 1.5, privileged: "yes"}
    args: {a: 1}
    env: x
    resources: {limits: {cpu: true}}
  hostAliases: [{ip: 1}]
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports: [{port: 80, targetPort: [x]}]
  selector: {a: b}
`),
    ).toEqual([
      `error schema p spec.containers[0].ports[0].containerPort 8:29 | spec.containers[0].ports[0].containerPort must be an integer (found "80"): ${REJECTS('Pod')}. Fix: write spec.containers[0].ports[0].containerPort as an integer (unquoted)`,
      `error schema p spec.containers[0].securityContext.runAsUser 9:34 | spec.containers[0].securityContext.runAsUser must be an integer (found 1.5): ${REJECTS('Pod')}. Fix: write spec.containers[0].securityContext.runAsUser as an integer (unquoted)`,
      `error schema p spec.containers[0].securityContext.privileged 9:51 | spec.containers[0].securityContext.privileged must be a boolean (found "yes"): ${REJECTS('Pod')}. Fix: write spec.containers[0].securityContext.privileged as a boolean`,
      `error schema p spec.containers[0].args 10:11 | spec.containers[0].args must be a list (found a map): ${REJECTS('Pod')}. Fix: write spec.containers[0].args as a list`,
      `error schema p spec.containers[0].env 11:10 | spec.containers[0].env must be a list (found a string): ${REJECTS('Pod')}. Fix: write spec.containers[0].env as a list`,
      `error schema p spec.containers[0].resources.limits.cpu 12:31 | spec.containers[0].resources.limits.cpu must be a string or a number (found true): ${REJECTS('Pod')}. Fix: write spec.containers[0].resources.limits.cpu as a string or a number`,
      `error schema p spec.hostAliases[0].ip 13:22 | spec.hostAliases[0].ip must be a string (found 1): ${REJECTS('Pod')}. Fix: write spec.hostAliases[0].ip as a string`,
      `error schema s spec.ports[0].targetPort 19:34 | spec.ports[0].targetPort must be an integer or a string (found a list): ${REJECTS('Service')}. Fix: write spec.ports[0].targetPort as an integer or a string (unquoted)`,
    ]);
  });

  test('malformed values, a missing required field (at its parent), a long value cut', () => {
    expect(
      schema(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx
    resources: {limits: {cpu: 1x}}
    ports: [{containerPort: 4294967296}]
    workingDir: [a]
  - image: b
    command: ${'x'.repeat(70)}
`),
    ).toEqual([
      `error schema p spec.containers[0].resources.limits.cpu 8:31 | spec.containers[0].resources.limits.cpu must be a quantity such as 500m, 2, 1.5Gi or 512Mi (found "1x"): ${REJECTS('Pod')}. Fix: correct spec.containers[0].resources.limits.cpu`,
      `error schema p spec.containers[0].ports[0].containerPort 9:29 | spec.containers[0].ports[0].containerPort must be a 32-bit integer (found 4294967296): ${REJECTS('Pod')}. Fix: correct spec.containers[0].ports[0].containerPort`,
      `error schema p spec.containers[0].workingDir 10:17 | spec.containers[0].workingDir must be a string (found a list): ${REJECTS('Pod')}. Fix: write spec.containers[0].workingDir as a string`,
      `error schema p spec.containers[1].name 11:5 | spec.containers[1].name is required: ${REJECTS('Pod')}. Fix: set spec.containers[1].name`,
      `error schema p spec.containers[1].command 12:14 | spec.containers[1].command must be a list (found "${'x'.repeat(59)}… (12 more characters)): ${REJECTS('Pod')}. Fix: write spec.containers[1].command as a list`,
    ]);
  });

  test('in a Secret, or a field named like a credential, only the type of what was found', () => {
    expect(
      schema(`apiVersion: v1
kind: Secret
metadata: {name: s, creationTimestamp: soon}
data:
  password: "not base64!"
  other: 5
stringData:
  x: [1]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: b}]
  volumes:
  - name: v
    secret: {secretName: s, items: [{key: k, path: p, mode: 99999999999}]}
`),
    ).toEqual([
      `error schema s metadata.creationTimestamp 3:40 | metadata.creationTimestamp must be an RFC 3339 time (2024-01-31T12:00:00Z) (found a string): ${REJECTS('Secret')}. Fix: correct metadata.creationTimestamp`,
      `error schema s data.password 5:13 | data.password must be base64 (padded, standard alphabet) (found a string): ${REJECTS('Secret')}. Fix: correct data.password`,
      `error schema s data.other 6:10 | data.other must be a string (found a number): ${REJECTS('Secret')}. Fix: write data.other as a string`,
      `error schema s stringData.x 8:6 | stringData.x must be a string (found a list): ${REJECTS('Secret')}. Fix: write stringData.x as a string`,
      `error schema p spec.volumes[0].secret.items[0].mode 17:61 | spec.volumes[0].secret.items[0].mode must be a 32-bit integer (found a number): ${REJECTS('Pod')}. Fix: correct spec.volumes[0].secret.items[0].mode`,
    ]);
  });

  test('unknown fields, at their key: renamed, moved (into a list: name[]), or removed', () => {
    expect(
      schema(`apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {a: b}}
  template:
    spec:
      image: x
      containers:
      - {name: a, image: b, fsGroup: 1, imagePullPolicyy: Always}
      zzz: 1
`),
    ).toEqual([
      'error schema d spec.template.spec.image 8:7 | unknown field "spec.template.spec.image" (it belongs at spec.template.spec.containers[].image): kubectl apply fails with a strict decoding error (Kubernetes 1.35). Fix: move it to spec.template.spec.containers[].image',
      'error schema d spec.template.spec.containers[0].fsGroup 10:29 | unknown field "spec.template.spec.containers[0].fsGroup" (it belongs at spec.template.spec.securityContext.fsGroup): kubectl apply fails with a strict decoding error (Kubernetes 1.35). Fix: move it to spec.template.spec.securityContext.fsGroup',
      'error schema d spec.template.spec.containers[0].imagePullPolicyy 10:41 | unknown field "spec.template.spec.containers[0].imagePullPolicyy" (did you mean imagePullPolicy?): kubectl apply fails with a strict decoding error (Kubernetes 1.35). Fix: rename it to spec.template.spec.containers[0].imagePullPolicy',
      'error schema d spec.template.spec.zzz 11:7 | unknown field "spec.template.spec.zzz": kubectl apply fails with a strict decoding error (Kubernetes 1.35). Fix: remove spec.template.spec.zzz (no such field in Kubernetes 1.35)',
    ]);
  });

  test('a custom resource: against its CRD; enums, patterns and variants', () => {
    const found = schema(`apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: e}
spec:
  secretStoreRef: {name: vault, kind: SecretStore}
  target: {creationPolicy: Sometimes, nmae: x}
---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata: {name: m}
spec:
  role: x
  resourceRef: {kind: StorageBucket, external: b}
`);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(
      /^error schema e spec\.target\.creationPolicy 6:28 \| spec\.target\.creationPolicy must be one of Owner, Orphan, Merge, None, CreateOrMerge \(found "Sometimes"\): the API server rejects the ExternalSecret\. Fix: use one of the allowed values for spec\.target\.creationPolicy$/,
    );
    expect(found[1]).toMatch(
      /^error schema e spec\.target\.nmae 6:39 \| unknown field "spec\.target\.nmae" \(did you mean name\?\): kubectl apply fails with a strict decoding error \(its CRD \(external-secrets\/external-secrets .+\)\)\. Fix: rename it to spec\.target\.name$/,
    );
    expect(found.slice(2)).toEqual([
      `error schema m spec 12:3 | spec must satisfy exactly one of {member} | {memberFrom} (found a map): ${REJECTS('IAMPolicyMember')}. Fix: correct spec`,
      `error schema m spec.role 12:9 | spec.role must match ^((projects|organizations)/[^/]+/)?roles/[\\w_\\.]+$ (found "x"): ${REJECTS('IAMPolicyMember')}. Fix: correct spec.role`,
    ]);
  });
});
