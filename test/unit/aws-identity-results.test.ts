import { parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import { dedicatedName } from '../../src/transforms/service-account';
import { systemdDropIn } from '../../src/transforms/set-aws-workload-identity';
import { LEGACY_DEPLOYMENT, PLAIN_DEPLOYMENT, stream } from '../support/workloads';
import { runText } from '../support/run';

/*
 * set-aws-workload-identity: every result it gives (severity, exact message, field) and
 * the objects it writes around the pods (ServiceAccounts, the drop-in ConfigMap), each
 * stated from the function's README and the EKS pod identity webhook's behaviour.
 */

const ROLE = 'arn:aws:iam::123456789012:role/app-reader';
const OTHER = 'arn:aws:iam::123456789012:role/other';
const FN = 'set-aws-workload-identity';
const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetAwsWorkloadIdentity',
  roleArn: ROLE,
  ...body,
});
const noRole = (body: Record<string, unknown> = {}) => {
  const c: Record<string, unknown> = config(body);
  delete c.roleArn;
  return c;
};

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML
function all(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
}
/** Severity, message and field path of each result, in order. */
function said(results: readonly Result[]): [string, string, string | undefined][] {
  return results.map((r) => [r.severity, r.message, r.field?.path]);
}

/** A plain Deployment (one container, tomcat) with `name`, `namespace` and pod-spec lines. */
function deployment(
  name: string,
  opts: { namespace?: string; pod?: string; container?: string } = {},
) {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'spec:',
    '  template:',
    '    spec:',
    ...(opts.pod ? [opts.pod] : []),
    '      containers:',
    '      - image: docker.io/library/tomcat:9',
    '        name: tomcat',
    ...(opts.container ? [opts.container] : []),
    '',
  ].join('\n');
}
function serviceAccount(name: string, annotations: Record<string, string> = {}, extra = '') {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`);
  return [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    `  name: ${name}`,
    ...(lines.length ? ['  annotations:', ...lines] : []),
    ...(extra ? [extra] : []),
    '',
  ].join('\n');
}
const podOf = (d: Obj) => d.spec.template.spec;
const envOf = (d: Obj, i = 0) =>
  (podOf(d).containers[i].env ?? []).map((e: Obj) => [e.name, e.value]);

const DEFAULT_WARNING = (where: string) =>
  `serviceAccountName: default binds role ${ROLE} to the ServiceAccount default${where}: every pod there that names no ServiceAccount can assume it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own`;

describe('set-aws-workload-identity: the default ServiceAccount', () => {
  test('bound on request, with one warning naming every namespace it reaches', () => {
    const input = stream(
      deployment('b1', { namespace: 'b' }),
      deployment('a1', { namespace: 'a' }),
      deployment('a2', { namespace: 'a' }),
      deployment('top'),
    );
    const { ok, output, results } = runText(FN, config({ serviceAccountName: 'default' }), input);
    expect(ok).toBe(true);
    expect(said(results.filter((r) => r.severity !== 'info'))).toEqual([
      [
        'warning',
        DEFAULT_WARNING(
          ' of namespaces a, b and of the namespace the unnamespaced workloads are applied to',
        ),
        undefined,
      ],
    ]);
    expect(results.find((r) => r.severity === 'warning')?.file).toBeUndefined();
    const sas = all(output).filter((d) => d.kind === 'ServiceAccount');
    expect(sas.map((s) => [s.metadata.namespace, s.metadata.name])).toEqual([
      ['b', 'default'],
      ['a', 'default'],
      [undefined, 'default'],
    ]);
  });

  test('one namespace: singular; only unnamespaced workloads: no namespace named', () => {
    const one = runText(
      FN,
      config({ serviceAccountName: 'default' }),
      deployment('a1', { namespace: 'a' }),
    );
    expect(one.results.filter((r) => r.severity === 'warning').map((r) => r.message)).toEqual([
      DEFAULT_WARNING(' of namespace a'),
    ]);
    const none = runText(FN, config({ serviceAccountName: 'default' }), deployment('top'));
    expect(none.results.filter((r) => r.severity === 'warning').map((r) => r.message)).toEqual([
      DEFAULT_WARNING(''),
    ]);
  });

  test('a pod naming default is moved to its own ServiceAccount, silently', () => {
    const { ok, output, results } = runText(
      FN,
      config(),
      deployment('shop', { pod: '      serviceAccountName: default' }),
    );
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    const docs = all(output);
    // The deprecated alias is rewritten only where the pods have it.
    expect(Object.keys(podOf(docs[0]))).toEqual(['serviceAccountName', 'containers', 'volumes']);
    expect(podOf(docs[0]).serviceAccountName).toBe('shop');
    expect(docs[1].metadata).toEqual({
      name: 'shop',
      annotations: { 'eks.amazonaws.com/role-arn': ROLE },
    });
  });
});

describe('set-aws-workload-identity: which ServiceAccount', () => {
  test('the config names another account: the change is said, and the deprecated alias follows', () => {
    const input = deployment('shop', {
      pod: '      serviceAccount: old\n      serviceAccountName: old',
    });
    const { ok, output, results } = runText(FN, config({ serviceAccountName: 'app' }), input);
    expect(ok).toBe(true);
    expect(said(results)).toEqual([
      [
        'info',
        'serviceAccountName changed from old to app for workload identity',
        'spec.template.spec.serviceAccountName',
      ],
    ]);
    expect(podOf(all(output)[0])).toMatchObject({
      serviceAccount: 'app',
      serviceAccountName: 'app',
    });
  });

  test('only the deprecated alias: it is read as the account and rewritten beside the new field', () => {
    const input = deployment('shop', { pod: '      serviceAccount: legacy-sa' });
    const { output, results } = runText(FN, config(), input);
    expect(results).toEqual([]);
    const docs = all(output);
    expect(podOf(docs[0])).toMatchObject({
      serviceAccount: 'legacy-sa',
      serviceAccountName: 'legacy-sa',
    });
    expect(docs.filter((d) => d.kind === 'ServiceAccount').map((d) => d.metadata.name)).toEqual([
      'legacy-sa',
    ]);
  });

  test('a workload called default gets default-<kind>, never the namespace account', () => {
    const { output } = runText(FN, config(), deployment('default'));
    expect(podOf(all(output)[0]).serviceAccountName).toBe('default-deployment');
    expect(all(output)[1].metadata.name).toBe('default-deployment');
  });

  test('a workload without metadata.name: an error that says what to set, nothing written', () => {
    const input = deployment('x').replace('  name: x\n', '  labels: {app: x}\n');
    const { ok, output, results } = runText(FN, config(), input);
    expect(ok).toBe(false);
    expect(output).toBe(input);
    expect(said(results)).toEqual([
      [
        'error',
        'the workload has no metadata.name to name its own ServiceAccount after: set serviceAccountName in the config or on the pods',
        'spec.template.spec.serviceAccountName',
      ],
    ]);
  });

  test('pods moved off a package account keep the pull Secrets it gave them', () => {
    const input = stream(
      deployment('shop', { namespace: 'n', pod: '      serviceAccountName: old' }),
      serviceAccount('old', {}, '  namespace: n\nimagePullSecrets:\n- name: regcred\n- {}'),
    );
    const { ok, output } = runText(FN, config({ serviceAccountName: 'app' }), input);
    expect(ok).toBe(true);
    expect(all(output)[2]).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'app',
        namespace: 'n',
        annotations: { 'eks.amazonaws.com/role-arn': ROLE },
      },
      imagePullSecrets: [{ name: 'regcred' }],
    });
  });

  test('the account of another namespace is not the one found', () => {
    const input = stream(
      deployment('shop', { namespace: 'n', pod: '      serviceAccountName: app' }),
      serviceAccount('app', { 'eks.amazonaws.com/role-arn': OTHER }).replace(
        '  name: app\n',
        '  name: app\n  namespace: elsewhere\n',
      ),
    );
    const { ok, output } = runText(FN, config(), input);
    expect(ok).toBe(true);
    const docs = all(output);
    expect(docs.map((d) => [d.kind, d.metadata.namespace, d.metadata.annotations])).toEqual([
      ['Deployment', 'n', undefined],
      ['ServiceAccount', 'elsewhere', { 'eks.amazonaws.com/role-arn': OTHER }],
      ['ServiceAccount', 'n', { 'eks.amazonaws.com/role-arn': ROLE }],
    ]);
  });
});

describe('set-aws-workload-identity: the role', () => {
  test('no role anywhere: the error names the account and the two ways to give one', () => {
    const { ok, results } = runText(FN, noRole(), deployment('shop'));
    expect(ok).toBe(false);
    expect(said(results)).toEqual([
      [
        'error',
        'no role for ServiceAccount shop: set roleArn in the config, or put the ServiceAccount in the package with eks.amazonaws.com/role-arn',
        'spec.template.spec.serviceAccountName',
      ],
    ]);
  });

  test('a package account without the annotation and no config role: an error on the account', () => {
    const input = stream(deployment('shop'), serviceAccount('shop', { team: 'x' }));
    // (file mode writes nothing when a result is an error: the rendering is not checked)
    const { ok, results } = runText(FN, noRole(), input);
    expect(ok).toBe(false);
    expect(said(results)).toEqual([
      [
        'error',
        'ServiceAccount shop has no eks.amazonaws.com/role-arn and the config no roleArn: set one of them',
        'metadata.annotations',
      ],
    ]);
    expect(results[0].resourceRef).toMatchObject({ kind: 'ServiceAccount', name: 'shop' });
  });

  test('override replaces a package role and says so on the annotation', () => {
    const input = stream(
      deployment('shop'),
      serviceAccount('shop', { 'eks.amazonaws.com/role-arn': OTHER }),
    );
    const { ok, output, results } = runText(FN, config({ override: true }), input);
    expect(ok).toBe(true);
    expect(said(results)).toEqual([
      [
        'info',
        `role ARN changed from ${OTHER} to ${ROLE}`,
        'metadata.annotations.eks.amazonaws.com/role-arn',
      ],
    ]);
    expect(results[0].tags?.line).toBe('17');
    expect(all(output)[1].metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
  });

  test('the same role on the package account: nothing said, nothing changed', () => {
    const input = stream(
      deployment('shop', { container: '        env: []' }),
      serviceAccount('shop', { 'eks.amazonaws.com/role-arn': ROLE }),
    );
    const { ok, output, results } = runText(FN, config(), input);
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    expect(all(output)[1].metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
  });

  test('a conflicting role is an error carrying both values', () => {
    const input = stream(
      deployment('shop'),
      serviceAccount('shop', { 'eks.amazonaws.com/role-arn': OTHER }),
    );
    const { ok, results } = runText(FN, config(), input);
    expect(ok).toBe(false);
    expect(results).toHaveLength(1);
    expect(results[0].field).toEqual({
      path: 'metadata.annotations.eks.amazonaws.com/role-arn',
      currentValue: OTHER,
      proposedValue: ROLE,
    });
  });
});

describe('set-aws-workload-identity: regional STS', () => {
  test('regional: the new account carries the annotation, the container the variable', () => {
    const { output } = runText(FN, config({ stsRegionalEndpoints: 'regional' }), deployment('s'));
    const docs = all(output);
    expect(docs[1].metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': ROLE,
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
    });
    expect(envOf(docs[0])[0]).toEqual(['AWS_STS_REGIONAL_ENDPOINTS', 'regional']);
  });

  test('legacy: no annotation on the new account; the variable says legacy', () => {
    const { output } = runText(FN, config({ stsRegionalEndpoints: 'legacy' }), deployment('s'));
    const docs = all(output);
    expect(docs[1].metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
    expect(envOf(docs[0])[0]).toEqual(['AWS_STS_REGIONAL_ENDPOINTS', 'legacy']);
  });

  test('regional: a package account gets the annotation when it has none', () => {
    const input = stream(deployment('s'), serviceAccount('s'));
    const { output, results } = runText(FN, config({ stsRegionalEndpoints: 'regional' }), input);
    expect(results).toEqual([]);
    expect(all(output)[1].metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': ROLE,
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
    });
  });

  test("the account's annotation wins over the config, with a warning that says what the pod gets", () => {
    const off = stream(
      deployment('s'),
      serviceAccount('s', { 'eks.amazonaws.com/sts-regional-endpoints': 'false' }),
    );
    const a = runText(FN, config({ stsRegionalEndpoints: 'regional' }), off);
    expect(said(a.results)).toEqual([
      [
        'warning',
        "eks.amazonaws.com/sts-regional-endpoints: false on ServiceAccount s wins over the config's stsRegionalEndpoints: regional, as at admission: no AWS_STS_REGIONAL_ENDPOINTS",
        'metadata.annotations.eks.amazonaws.com/sts-regional-endpoints',
      ],
    ]);
    expect(envOf(all(a.output)[0]).map((e: string[]) => e[0])).toEqual([
      'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ]);
    const on = stream(
      deployment('s'),
      serviceAccount('s', { 'eks.amazonaws.com/sts-regional-endpoints': 'T' }),
    );
    const b = runText(FN, config({ stsRegionalEndpoints: 'legacy' }), on);
    expect(said(b.results)).toEqual([
      [
        'warning',
        "eks.amazonaws.com/sts-regional-endpoints: T on ServiceAccount s wins over the config's stsRegionalEndpoints: legacy, as at admission: AWS_STS_REGIONAL_ENDPOINTS=regional",
        'metadata.annotations.eks.amazonaws.com/sts-regional-endpoints',
      ],
    ]);
    expect(envOf(all(b.output)[0])[0]).toEqual(['AWS_STS_REGIONAL_ENDPOINTS', 'regional']);
    // Agreeing, or no config value: nothing to say; the annotation alone turns it on.
    expect(runText(FN, config({ stsRegionalEndpoints: 'regional' }), on).results).toEqual([]);
    expect(runText(FN, config({ stsRegionalEndpoints: 'legacy' }), off).results).toEqual([]);
    const bare = runText(FN, config(), on);
    expect(bare.results).toEqual([]);
    expect(envOf(all(bare.output)[0])[0]).toEqual(['AWS_STS_REGIONAL_ENDPOINTS', 'regional']);
  });
});

describe('set-aws-workload-identity: the token', () => {
  const tokenOf = (d: Obj) =>
    podOf(d).volumes.find((v: Obj) => v.name === 'aws-iam-token').projected.sources[0]
      .serviceAccountToken;

  test('audience and expiration from the ServiceAccount; a pod annotation (even unquoted) wins', () => {
    const input = stream(
      deployment('s'),
      serviceAccount('s', {
        'eks.amazonaws.com/audience': 'custom.example',
        'eks.amazonaws.com/token-expiration': '7200',
      }),
    );
    expect(tokenOf(all(runText(FN, config(), input).output)[0])).toEqual({
      audience: 'custom.example',
      expirationSeconds: 7200,
      path: 'token',
    });
    const podAnnotated = input.replace(
      '  template:\n',
      '  template:\n    metadata:\n      annotations:\n        eks.amazonaws.com/token-expiration: 1200\n        other: {a: b}\n',
    );
    expect(tokenOf(all(runText(FN, config(), podAnnotated).output)[0]).expirationSeconds).toBe(
      1200,
    );
  });

  test('the config expiration applies when no annotation gives one, and a bad annotation is passed over', () => {
    const input = stream(
      deployment('s'),
      serviceAccount('s', { 'eks.amazonaws.com/token-expiration': 'soon' }),
    );
    expect(tokenOf(all(runText(FN, config({ expirationSeconds: 3600 }), input).output)[0])).toEqual(
      { audience: 'sts.amazonaws.com', expirationSeconds: 3600, path: 'token' },
    );
  });

  test('a different token volume of that name is kept with a located warning; override replaces it', () => {
    const input = deployment('s', {
      pod: '      volumes:\n      - name: keep\n        emptyDir: {}\n      - name: aws-iam-token\n        emptyDir: {}',
    });
    const kept = runText(FN, config(), input);
    expect(said(kept.results)).toEqual([
      [
        'warning',
        'volume aws-iam-token is kept as the manifest has it, as the webhook keeps it: it differs from the token volume the config describes (audience sts.amazonaws.com, expirationSeconds 86400); set override: true to replace it',
        'spec.template.spec.volumes[1]',
      ],
    ]);
    expect(kept.results[0].tags?.line).toBe('11');
    expect(podOf(all(kept.output)[0]).volumes[1]).toEqual({ name: 'aws-iam-token', emptyDir: {} });
    const replaced = runText(FN, config({ override: true }), input);
    expect(replaced.results).toEqual([]);
    expect(podOf(all(replaced.output)[0]).volumes[1].projected).toBeDefined();
    // The same volume as the config's: nothing to say.
    expect(runText(FN, config(), replaced.output).results).toEqual([]);
  });

  test('a mount of another volume at the token directory is an error on that mount', () => {
    const input = deployment('s', {
      container:
        '        volumeMounts:\n        - name: mine\n          mountPath: /var/run/secrets/eks.amazonaws.com/serviceaccount',
    });
    const { ok, results } = runText(FN, config(), input);
    expect(ok).toBe(false);
    expect(said(results)).toEqual([
      [
        'error',
        'container tomcat already mounts volume mine at /var/run/secrets/eks.amazonaws.com/serviceaccount, where the token goes: the API server refuses two mounts at one path',
        'spec.template.spec.containers[0].volumeMounts[0].mountPath',
      ],
    ]);
  });

  test('a mount of the token volume elsewhere is kept; override adds the webhook one', () => {
    const input = deployment('s', {
      container:
        '        volumeMounts:\n        - name: aws-iam-token\n          mountPath: /token',
    });
    const kept = all(runText(FN, config(), input).output)[0];
    expect(podOf(kept).containers[0].volumeMounts).toEqual([
      { name: 'aws-iam-token', mountPath: '/token' },
    ]);
    const over = all(runText(FN, config({ override: true }), input).output)[0];
    expect(podOf(over).containers[0].volumeMounts).toContainEqual({
      name: 'aws-iam-token',
      mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
      readOnly: true,
    });
  });
});

describe('set-aws-workload-identity: env a container already sets', () => {
  const withEnv = (lines: string[]) =>
    deployment('s', {
      container: [
        '        env:',
        ...lines.map((l) => {
          const [name, value] = l.split('=');
          return `        - name: ${name}\n          value: "${value}"`;
        }),
      ].join('\n'),
    });

  test('all of credential, region and STS set: left alone, and warned that it gets no mount', () => {
    const input = withEnv([
      `AWS_ROLE_ARN=${ROLE}`,
      'AWS_REGION=eu-west-1',
      'AWS_STS_REGIONAL_ENDPOINTS=regional',
    ]);
    const { output, results } = runText(
      FN,
      config({ region: 'eu-west-1', stsRegionalEndpoints: 'regional' }),
      input,
    );
    expect(said(results)).toEqual([
      [
        'warning',
        'container tomcat already sets AWS web identity, region and AWS_STS_REGIONAL_ENDPOINTS variables: the EKS pod identity webhook leaves such a container alone, and so does retarget, so it gets no token mount (aws-iam-token); set override: true to have it mounted',
        'spec.template.spec.containers[0].env',
      ],
    ]);
    const pod = podOf(all(output)[0]);
    expect(pod.containers[0].env).toHaveLength(3);
    expect(pod.containers[0].volumeMounts).toBeUndefined();
  });

  test('one variable of the pair: neither is added, with a warning naming both', () => {
    const input = withEnv([`AWS_WEB_IDENTITY_TOKEN_FILE=/t/token`]);
    const { output, results } = runText(FN, config({ region: 'eu-west-1' }), input);
    expect(said(results)).toEqual([
      [
        'warning',
        'container tomcat sets AWS_WEB_IDENTITY_TOKEN_FILE=/t/token: kept, where the config gives /var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        'spec.template.spec.containers[0].env',
      ],
      [
        'warning',
        'container tomcat sets AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN: the EKS pod identity webhook then adds neither, and neither does retarget; the AWS SDKs use web identity only with both (set override: true to add it)',
        'spec.template.spec.containers[0].env',
      ],
    ]);
    expect(envOf(all(output)[0])).toEqual([
      ['AWS_WEB_IDENTITY_TOKEN_FILE', '/t/token'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
      ['AWS_REGION', 'eu-west-1'],
    ]);
  });

  test('override sets each variable to the config value, in the webhook order, saying what changed', () => {
    const input = withEnv([
      'AWS_REGION=us-east-1',
      `AWS_ROLE_ARN=${OTHER}`,
      'AWS_STS_REGIONAL_ENDPOINTS=regional',
    ]);
    const { output, results } = runText(
      FN,
      config({ region: 'eu-west-1', stsRegionalEndpoints: 'regional', override: true }),
      input,
    );
    expect(said(results)).toEqual([
      [
        'info',
        'container tomcat: AWS_REGION changed from us-east-1 to eu-west-1 (override)',
        'spec.template.spec.containers[0].env',
      ],
      [
        'info',
        `container tomcat: AWS_ROLE_ARN changed from ${OTHER} to ${ROLE} (override)`,
        'spec.template.spec.containers[0].env',
      ],
    ]);
    expect(envOf(all(output)[0])).toEqual([
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_ROLE_ARN', ROLE],
      ['AWS_STS_REGIONAL_ENDPOINTS', 'regional'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
      ['AWS_WEB_IDENTITY_TOKEN_FILE', '/var/run/secrets/eks.amazonaws.com/serviceaccount/token'],
    ]);
  });

  test('a repeated variable: the first one is what the container gets', () => {
    const input = withEnv(['AWS_REGION=eu-west-1', 'AWS_REGION=us-east-1']);
    const { results } = runText(FN, config({ region: 'eu-west-1' }), input);
    expect(results).toEqual([]);
  });
});

describe('set-aws-workload-identity: build-time steps and the init system', () => {
  const legacy = LEGACY_DEPLOYMENT;
  const TAIL =
    ". These cannot be done safely in manifests; run `retarget dockerfile -c CONFIG Dockerfile` (CONFIG: the Retarget config with this awsWorkloadIdentity and the fsGroup) to add them to the image's Dockerfile";
  const infoOf = (body: Record<string, unknown>, input = legacy) =>
    runText(FN, config(body), input).results.filter((r) => r.message.startsWith('build-time'));

  test.each([
    [{ initSystem: 'sysv' }, 'export lines in the init scripts of the services'],
    [
      { initSystem: 'sysv', services: ['nginx', 'cron'] },
      'export lines in the init scripts of nginx, cron',
    ],
    [{ initSystem: 'upstart' }, 'env stanzas in the Upstart jobs of the services'],
    [{ initSystem: 'upstart', services: ['app'] }, 'env stanzas in the Upstart jobs of app'],
    [
      { initSystem: 'sysv-pam', serviceUsers: ['app', 'web'], tokenGroup: 'tok' },
      '`session required pam_env.so` in /etc/pam.d/su and both variables in /etc/environment; the tok group (gid = fsGroup) with app, web in it',
    ],
    [
      { initSystem: 'systemd', serviceUsers: ['app'] },
      'the aws-token group (gid = fsGroup) with app in it',
    ],
  ])('%j', (body, steps) => {
    expect(said(infoOf(body))).toEqual([
      ['info', `build-time steps needed in the image: ${steps}${TAIL}`, undefined],
    ]);
  });

  test('no step is asked where none is needed', () => {
    expect(infoOf({ initSystem: 'systemd' })).toEqual([]);
    expect(infoOf({ initSystem: 'sysv' }, PLAIN_DEPLOYMENT)).toEqual([]);
  });

  test('a migrated VM with no initSystem: one warning; a plain container: none', () => {
    const warned = runText(
      FN,
      config(),
      stream(legacy, legacy.replace('name: web\n', 'name: web2\n')),
    );
    expect(said(warned.results)).toEqual([
      [
        'warning',
        'migrated-VM containers found but awsWorkloadIdentity.initSystem is not set: services started by the init system do not inherit container env; set initSystem (systemd, sysv-pam, sysv or upstart)',
        undefined,
      ],
    ]);
    expect(runText(FN, config(), PLAIN_DEPLOYMENT).results).toEqual([]);
  });
});

describe('set-aws-workload-identity: the systemd drop-in', () => {
  test('its whole text: header, section, one quoted assignment per variable', () => {
    expect(
      systemdDropIn({ roleArn: ROLE, region: 'eu-west-1', stsRegionalEndpoints: 'regional' }, true),
    ).toBe(
      [
        '# Written by retarget: AWS workload identity for every systemd service.',
        '[Manager]',
        `DefaultEnvironment="AWS_ROLE_ARN=${ROLE}" "AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token" "AWS_REGION=eu-west-1" "AWS_DEFAULT_REGION=eu-west-1" "AWS_STS_REGIONAL_ENDPOINTS=regional"`,
        '',
      ].join('\n'),
    );
  });

  test('a value the container keeps is what services see, unless it is not one safe word', () => {
    const input = LEGACY_DEPLOYMENT.replace(
      '        name: web\n',
      '        name: web\n        env:\n        - name: AWS_REGION\n          value: us-east-1\n        - name: AWS_DEFAULT_REGION\n          value: "us east"\n',
    );
    const { output } = runText(FN, config({ initSystem: 'systemd', region: 'eu-west-1' }), input);
    const cm = all(output).find((d) => d.kind === 'ConfigMap')!;
    expect(cm.metadata).toEqual({ name: 'web-aws-workload-identity' });
    expect(cm.data['10-default-env.conf']).toContain(
      '"AWS_REGION=us-east-1" "AWS_DEFAULT_REGION=eu-west-1"',
    );
  });

  test('the ConfigMap goes in the workload namespace and its name is cut at 253 characters', () => {
    const long = 'a'.repeat(250);
    const input = LEGACY_DEPLOYMENT.replace('  name: web\n', `  name: ${long}\n  namespace: ns\n`);
    const { ok, output } = runText(FN, config({ initSystem: 'systemd' }), input);
    expect(ok).toBe(true);
    const cm = all(output).find((d) => d.kind === 'ConfigMap')!;
    expect(cm.metadata).toEqual({ name: `${long}-aw`, namespace: 'ns' });
    expect(podOf(all(output)[0]).volumes).toContainEqual({
      name: 'retarget-systemd-env',
      configMap: { name: `${long}-aw` },
    });
  });

  test('dedicatedName: the workload name, default-<kind> for default, none without a name', () => {
    const named = (name: string | undefined, kind: string) =>
      ({ name, kind }) as unknown as Parameters<typeof dedicatedName>[0];
    expect(dedicatedName(named('web', 'StatefulSet'))).toBe('web');
    expect(dedicatedName(named('default', 'StatefulSet'))).toBe('default-statefulset');
    expect(dedicatedName(named(undefined, 'Pod'))).toBeUndefined();
    expect(dedicatedName(named('', 'Pod'))).toBeUndefined();
  });
});

describe('set-aws-workload-identity: legacy-runtime init containers', () => {
  // An init container runs before the VM's systemd boots in the main container: it gets
  // the variables and the token, never the systemd drop-in, and asks for no build step.
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: vm',
    'spec:',
    '  initContainers:',
    '  - name: prep',
    '    image: gcr.io/p/vm:v1',
    '    command: [/.v2k.go]',
    '  containers:',
    '  - name: vm',
    '    image: gcr.io/p/vm:v1',
    '    command: [/.v2k.go]',
    '',
  ].join('\n');
  const mountsOf = (c: Obj) => (c.volumeMounts ?? []).map((m: Obj) => m.mountPath);

  test('systemd: the drop-in is mounted into the main container only', () => {
    const { ok, output } = runText(FN, config({ initSystem: 'systemd' }), pod);
    expect(ok).toBe(true);
    const spec = all(output)[0].spec;
    expect(mountsOf(spec.initContainers[0])).toEqual([
      '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    ]);
    expect(mountsOf(spec.containers[0])).toEqual([
      '/var/run/secrets/eks.amazonaws.com/serviceaccount',
      '/etc/systemd/system.conf.d/10-default-env.conf',
    ]);
    expect(spec.initContainers[0].env).toContainEqual({
      name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      value: '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token',
    });
  });

  test('only an init container of the legacy runtime: no drop-in, no build step, no warning', () => {
    const withInit = pod.replace(
      '  - name: vm\n    image: gcr.io/p/vm:v1\n    command: [/.v2k.go]\n',
      '  - name: vm\n    image: gcr.io/p/vm:v1\n',
    );
    expect(withInit).not.toBe(pod);
    for (const initSystem of ['systemd', 'sysv', undefined]) {
      const { ok, output, results } = runText(
        FN,
        config(initSystem ? { initSystem } : {}),
        withInit,
      );
      expect(ok).toBe(true);
      expect(results).toEqual([]);
      expect(all(output).map((d) => d.kind)).toEqual(['Pod', 'ServiceAccount']);
    }
  });
});

describe('set-aws-workload-identity: what is selected, and bound once', () => {
  const twoContainers = deployment('s').replace(
    '        name: tomcat\n',
    '        name: tomcat\n      - image: docker.io/library/nginx:1\n        name: side\n',
  );

  test('selector.containers: only the named container is given the identity', () => {
    const { ok, output } = runText(
      FN,
      config({ selector: { containers: ['side'] } }),
      twoContainers,
    );
    expect(ok).toBe(true);
    const pod = podOf(all(output)[0]);
    expect(pod.containers.map((c: Obj) => [c.name, (c.env ?? []).length])).toEqual([
      ['tomcat', 0],
      ['side', 2],
    ]);
  });

  test('a selector that names no container of the pod leaves the workload alone', () => {
    const { ok, output, results } = runText(
      FN,
      config({ selector: { containers: ['other'] } }),
      twoContainers,
    );
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    expect(output).toBe(twoContainers);
  });

  test('one ServiceAccount shared by two workloads is bound once: one result, one account', () => {
    const input = stream(
      deployment('a', { pod: '      serviceAccountName: shared' }),
      deployment('b', { pod: '      serviceAccountName: shared' }),
      serviceAccount('shared', { 'eks.amazonaws.com/role-arn': OTHER }),
    );
    const { ok, output, results } = runText(FN, config({ override: true }), input);
    expect(ok).toBe(true);
    expect(said(results)).toEqual([
      [
        'info',
        `role ARN changed from ${OTHER} to ${ROLE}`,
        'metadata.annotations.eks.amazonaws.com/role-arn',
      ],
    ]);
    expect(all(output).filter((d) => d.kind === 'ServiceAccount')).toHaveLength(1);
    const missing = runText(
      FN,
      noRole(),
      stream(
        deployment('a', { pod: '      serviceAccountName: shared' }),
        deployment('b', { pod: '      serviceAccountName: shared' }),
      ),
    );
    expect(missing.results.map((r) => r.message)).toEqual([
      'no role for ServiceAccount shared: set roleArn in the config, or put the ServiceAccount in the package with eks.amazonaws.com/role-arn',
    ]);
  });

  test('the default-account warning lists every role bound to it, sorted', () => {
    const ns = (name: string, role: string) =>
      serviceAccount('default', { 'eks.amazonaws.com/role-arn': role }).replace(
        '  name: default\n',
        `  name: default\n  namespace: ${name}\n`,
      );
    const input = stream(
      deployment('b1', { namespace: 'b' }),
      deployment('a1', { namespace: 'a' }),
      ns('b', OTHER),
      ns('a', ROLE),
    );
    const { ok, results } = runText(FN, noRole({ serviceAccountName: 'default' }), input);
    expect(ok).toBe(true);
    expect(results.map((r) => r.message)).toEqual([
      `serviceAccountName: default binds role ${ROLE}, ${OTHER} to the ServiceAccount default of namespaces a, b: every pod there that names no ServiceAccount can assume it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own`,
    ]);
  });
});

describe('set-aws-workload-identity: which variables are added beside those a container sets', () => {
  const TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
  const set = (vars: [string, string][], extra = '') =>
    deployment('s', {
      container: [
        '        env:',
        ...vars.map(([n, v]) => `        - name: ${n}\n          value: "${v}"`),
        ...(extra ? [extra] : []),
      ].join('\n'),
    });
  const full = { region: 'eu-west-1', stsRegionalEndpoints: 'regional' };
  const CRED: [string, string][] = [
    ['AWS_ROLE_ARN', ROLE],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', TOKEN],
  ];
  const REGION: [string, string][] = [['AWS_REGION', 'eu-west-1']];
  const STS: [string, string][] = [['AWS_STS_REGIONAL_ENDPOINTS', 'regional']];

  test.each([
    ['region and STS set: the credential pair', [...REGION, ...STS], [...REGION, ...STS, ...CRED]],
    [
      'credential and STS set: the region pair',
      [...CRED, ...STS],
      [...CRED, ...STS, ['AWS_DEFAULT_REGION', 'eu-west-1'], ...REGION],
    ],
    ['credential and region set: STS', [...CRED, ...REGION], [...CRED, ...REGION, ...STS]],
  ] as [string, [string, string][], [string, string][]][])('%s', (_what, given, env) => {
    const { ok, output, results } = runText(FN, config(full), set(given));
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    const container = podOf(all(output)[0]).containers[0];
    expect(container.env.map((e: Obj) => [e.name, e.value])).toEqual(env);
    expect(container.volumeMounts).toHaveLength(1);
  });

  test('everything set and the token mounted: nothing to add, nothing to say', () => {
    const input = set(
      [...CRED, ...REGION, ...STS],
      '        volumeMounts:\n        - name: aws-iam-token\n          mountPath: /var/run/secrets/eks.amazonaws.com/serviceaccount\n          readOnly: true',
    );
    const { ok, output, results } = runText(FN, config(full), input);
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    expect(podOf(all(output)[0]).containers[0].env).toHaveLength(4);
  });

  test('both credential variables set, no region or STS asked: env kept as it is, the mount added', () => {
    const { ok, output, results } = runText(FN, config(), set(CRED));
    expect(ok).toBe(true);
    expect(results).toEqual([]);
    const container = podOf(all(output)[0]).containers[0];
    expect(container.env.map((e: Obj) => [e.name, e.value])).toEqual(CRED);
    expect(container.volumeMounts).toEqual([
      {
        name: 'aws-iam-token',
        mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
        readOnly: true,
      },
    ]);
  });

  test('override over a valueFrom: replaced without a "changed from" (there is no value to quote)', () => {
    const input = deployment('s', {
      container:
        '        env:\n        - name: AWS_ROLE_ARN\n          valueFrom:\n            secretKeyRef: {name: x, key: y}',
    });
    expect(runText(FN, config({ override: true }), input).results).toEqual([]);
  });
});

describe('set-aws-workload-identity: fields of the wrong type, and what the default account gave', () => {
  test('serviceAccountName, serviceAccount and the template annotations must have their types', () => {
    for (const [pod, field] of [
      ['      serviceAccountName: [a]', 'spec.template.spec.serviceAccountName'],
      ['      serviceAccount: {a: b}', 'spec.template.spec.serviceAccount'],
    ]) {
      const { ok, results } = runText(FN, config(), deployment('s', { pod }));
      expect(ok).toBe(false);
      expect(results.map((r) => [r.severity, r.field?.path])).toEqual([['error', field]]);
    }
    for (const [template, field] of [
      ['    metadata: [x]', 'spec.template.metadata'],
      ['    metadata:\n      annotations: [x]', 'spec.template.metadata.annotations'],
    ]) {
      const input = deployment('s').replace('  template:\n', `  template:\n${template}\n`);
      const { ok, results } = runText(FN, config(), input);
      expect(ok).toBe(false);
      expect(results.map((r) => [r.severity, r.field?.path])).toEqual([['error', field]]);
    }
  });

  test("pods that ran as the package's default account keep its pull Secrets on their own account", () => {
    const input = stream(
      deployment('shop'),
      serviceAccount('default', {}, 'imagePullSecrets:\n- name: regcred'),
    );
    const { ok, output } = runText(FN, config(), input);
    expect(ok).toBe(true);
    const created = all(output).filter(
      (d) => d.kind === 'ServiceAccount' && d.metadata.name === 'shop',
    );
    expect(created.map((d) => d.imagePullSecrets)).toEqual([[{ name: 'regcred' }]]);
  });

  test('pod-identity: the new account carries no role annotation, only regional STS when asked', () => {
    const pi = (body: Record<string, unknown> = {}) =>
      config({ mechanism: 'pod-identity', ...body });
    const bare = all(runText(FN, pi(), deployment('s')).output)[1];
    expect(bare).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's' } });
    const regional = all(
      runText(FN, pi({ stsRegionalEndpoints: 'regional' }), deployment('s')).output,
    )[1];
    expect(regional.metadata.annotations).toEqual({
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
    });
  });
});

describe('set-aws-workload-identity: an annotation of the package account that is no string', () => {
  // Kubernetes annotations are strings: a map there is reported on its field, not replaced.
  test.each([
    ['eks.amazonaws.com/sts-regional-endpoints', { stsRegionalEndpoints: 'regional' }],
    ['eks.amazonaws.com/role-arn', {}],
  ])('%s', (key, body) => {
    const input = stream(
      deployment('s'),
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s\n  annotations:\n    ${key}: {a: b}\n`,
    );
    const { ok, results } = runText(FN, config(body), input);
    expect(ok).toBe(false);
    expect(results.map((r) => [r.severity, r.field?.path, r.resourceRef?.kind])).toEqual([
      ['error', `metadata.annotations.${key}`, 'ServiceAccount'],
    ]);
  });
});

describe('set-aws-workload-identity: pod-identity over a package account, and its pull Secrets', () => {
  const pi = config({ mechanism: 'pod-identity' });

  test('an IRSA annotation left on the account is warned about on that annotation; none, nothing said', () => {
    const annotated = stream(
      deployment('s'),
      serviceAccount('s', { 'eks.amazonaws.com/role-arn': OTHER }),
    );
    const warned = runText(FN, pi, annotated);
    expect(warned.ok).toBe(true);
    const [first] = warned.results;
    expect([first.severity, first.field?.path, first.resourceRef?.kind]).toEqual([
      'warning',
      'metadata.annotations.eks.amazonaws.com/role-arn',
      'ServiceAccount',
    ]);
    expect(first.message).toMatch(
      /^ServiceAccount s still carries eks.amazonaws.com\/role-arn \(IRSA\)/,
    );
    const bare = runText(FN, pi, stream(deployment('s'), serviceAccount('s', { team: 'x' })));
    expect(bare.results.filter((r) => r.message.includes('still carries'))).toEqual([]);
  });

  test('a previous account whose imagePullSecrets is no list: an error on it, no ref invented', () => {
    const input = stream(
      deployment('shop', { pod: '      serviceAccountName: old' }),
      serviceAccount('old', {}, 'imagePullSecrets: regcred'),
    );
    const { ok, output, results } = runText(FN, config({ serviceAccountName: 'app' }), input);
    expect(ok).toBe(false);
    expect(
      results
        .filter((r) => r.severity === 'error')
        .map((r) => [r.field?.path, r.resourceRef?.name]),
    ).toEqual([['imagePullSecrets', 'old']]);
    expect(all(output).find((d) => d.metadata.name === 'app')?.imagePullSecrets).toBeUndefined();
  });
});
