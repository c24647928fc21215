import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import type { ToStringOptions } from 'yaml';

/**
 * Generators for fuzzing the I/O layer: KRM documents with hostile scalars and keys,
 * rendered in random YAML styles, with comments, blank lines, separators, CRLF and a BOM
 * at random places; and random valid configs for every function.
 */

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      '~',
      'true',
      'no',
      '0x1F',
      '1e3',
      '012',
      '- item',
      'a: b',
      'a #b',
      '#c',
      '"quoted"',
      "'single'",
      '&anchor',
      '*alias',
      '!tag',
      '%directive',
      '@at',
      '`tick`',
      '{a}',
      '[b]',
      'multi\nline\n',
      'trailing \n\n',
      'tab\there',
      '\u00a0nbsp',
      'zero\u200bwidth',
      '\u202eright-to-left',
      '日本語',
      '🐳',
      '$(id)',
      '--- ',
      '...',
      'C:\\path',
    ),
  },
);

const key = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'a.b/c',
      'with space',
      'colon:key',
      '<<x',
      '?',
      '-',
      'ключ',
      '',
    ),
  },
);

const scalar = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 5, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 4 }) },
  ),
}));

export const krmObject = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 'example.com/v1beta1', 'fn.retarget.dev/v1alpha1'),
  kind: fc.constantFrom('ConfigMap', 'Service', 'Widget', 'Secret', 'ServiceAccount', 'Namespace'),
  metadata: fc.record(
    {
      name: fc.stringMatching(/^fuzz-[a-z0-9]{1,8}$/),
      namespace: fc.constantFrom('default', 'shop'),
      labels: fc.dictionary(key, hostileString, { maxKeys: 3 }),
      annotations: fc.dictionary(key, hostileString, { maxKeys: 3 }),
    },
    { requiredKeys: ['name'] },
  ),
  data: fc.dictionary(key, value, { maxKeys: 5 }),
  spec: value,
});

const style = fc.record({
  indent: fc.constantFrom(2, 3, 4),
  indentSeq: fc.boolean(),
  collectionStyle: fc.constantFrom('any', 'block', 'flow'),
  defaultStringType: fc.constantFrom(
    'PLAIN',
    'QUOTE_DOUBLE',
    'QUOTE_SINGLE',
    'BLOCK_LITERAL',
    'BLOCK_FOLDED',
  ),
  defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
  lineWidth: fc.constantFrom(0, 20, 80),
  flowCollectionPadding: fc.boolean(),
});

const comment = fc.stringMatching(/^[ -~]{0,24}$/).map((s) => `#${s}`);

/** A document's text with comments inserted on their own lines and after values. */
const documentText = fc
  .record({
    object: krmObject,
    style,
    lineComments: fc.array(fc.tuple(fc.nat(), comment), { maxLength: 4 }),
    tailComments: fc.array(fc.tuple(fc.nat(), comment), { maxLength: 3 }),
    head: fc.array(comment, { maxLength: 2 }),
    // The same object twice: stringify writes an anchor and an alias.
    shared: fc.boolean(),
  })
  .map(({ object, style, lineComments, tailComments, head, shared }) => {
    const value = shared
      ? { ...object, spec: object.data, status: object.metadata.labels }
      : object;
    const lines = stringify(value, style as ToStringOptions).split('\n');
    for (const [at, c] of tailComments) {
      const i = at % lines.length;
      if (lines[i].trim()) lines[i] = `${lines[i]} ${c}`;
    }
    for (const [at, c] of lineComments) {
      const i = at % lines.length;
      const indent = /^ */.exec(lines[i])![0];
      lines.splice(i, 0, `${indent}${c}`);
    }
    return [...head, ...lines].join('\n');
  });

/** A whole file: documents joined the many ways YAML allows, maybe CRLF, maybe a BOM. */
export const yamlFile = fc
  .record({
    docs: fc.array(documentText, { minLength: 1, maxLength: 4 }),
    separators: fc.array(
      fc.constantFrom(
        '---\n',
        '\n---\n',
        '--- \n',
        '---\n\n',
        '--- # separator\n',
        '\n\n---\n# c\n',
      ),
      { minLength: 4, maxLength: 4 },
    ),
    start: fc.constantFrom('', '---\n', '%YAML 1.2\n---\n', '# head\n\n'),
    end: fc.constantFrom('', '\n', '---\n', '...\n', '\n---', '# tail\n'),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ docs, separators, start, end, crlf, bom }) => {
    let text: string = start;
    docs.forEach((doc, i) => {
      if (i > 0) text += (text.endsWith('\n') ? '' : '\n') + separators[i - 1];
      text += doc;
    });
    text += end && !text.endsWith('\n') && !end.startsWith('\n') ? `\n${end}` : end;
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return (bom ? '\uFEFF' : '') + text;
  })
  // Comments dropped at random can break a document (inside a flow collection, after a
  // block scalar header): only text that is valid YAML is a fair input.
  .filter((text) => parseAllDocuments(text).every((d) => d.errors.length === 0));

// ---- configs ----

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
const containerName = fc.constantFrom('web', 'app', 'sidecar', 'x');
const selector = fc.record(
  {
    kinds: fc.uniqueArray(
      fc.constantFrom('Deployment', 'StatefulSet', 'Pod', 'Job', 'CronJob', 'DaemonSet'),
      {
        maxLength: 3,
      },
    ),
    names: rarely(fc.uniqueArray(dnsLabel, { maxLength: 2 })),
    namespaces: fc.uniqueArray(fc.constantFrom('shop', 'billing', 'default'), { maxLength: 2 }),
    labels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('web', 'api'), {
      maxKeys: 1,
    }),
    containers: fc.uniqueArray(containerName, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const runtime = fc.constantFrom('auto', 'legacy', 'service-manager', 'plain');
const runtimeKind = fc.constantFrom('legacy', 'service-manager', 'plain');
/**
 * Mostly absent: a random selector selects nothing, and idempotence of nothing is cheap
 * (the idempotence property needs 90% of its runs to reach the code under test).
 */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}
const targeting = {
  // A random selector mostly selects nothing in a random package: seldom.
  selector: fc.oneof(
    { weight: 30, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: selector },
  ),
  podTemplatePaths: fc.option(
    fc.constant([
      { kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', path: 'spec.template.spec' },
    ]),
    { nil: undefined },
  ),
};
const runtimes = {
  // Mostly detected (or legacy): a forced service-manager or plain runtime leaves the link
  // step and the drop-ins nothing to do.
  runtime: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom('auto', 'legacy') },
    { weight: 1, arbitrary: runtime },
  ),
  containerRuntimes: fc.option(fc.dictionary(containerName, runtimeKind, { maxKeys: 2 }), {
    nil: undefined,
  }),
};

const imagePullSecretsBody = {
  names: fc.uniqueArray(fc.constantFrom('gcr-json-key', 'existing', 'ar-key'), {
    minLength: 1,
    maxLength: 3,
  }),
  registries: fc.option(
    fc.uniqueArray(fc.constantFrom('gcr.io/src-project', 'gcr.io', 'eu.gcr.io'), { maxLength: 2 }),
    {
      nil: undefined,
    },
  ),
  // pods: false with no service account does nothing (valid, but no test of the code).
  pods: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.boolean() },
  ),
  serviceAccounts: fc.option(
    fc.uniqueArray(fc.constantFrom('default', 'app-sa'), { maxLength: 2 }),
    { nil: undefined },
  ),
  externalSecret: fc.option(
    fc.record({
      secretStoreRef: fc.record({
        name: fc.constant('store'),
        kind: fc.constantFrom('SecretStore', 'ClusterSecretStore'),
      }),
      remoteKey: fc.constant('projects/p/secrets/key'),
      server: fc.constantFrom('gcr.io', 'europe-docker.pkg.dev'),
    }),
    { nil: undefined },
  ),
};
const fsGroupBody = {
  fsGroup: fc.integer({ min: 1, max: 2147483647 }),
  fsGroupChangePolicy: fc.option(fc.constantFrom('OnRootMismatch', 'Always'), { nil: undefined }),
  override: fc.option(fc.boolean(), { nil: undefined }),
};
const initSystem = fc.constantFrom('systemd', 'sysv-pam', 'sysv', 'upstart');
const linkBody = {
  source: fc.option(fc.constantFrom('/kubernetes-info/secrets', '/opt/k8s-info/secrets'), {
    nil: undefined,
  }),
  target: fc.option(fc.constantFrom('/var/run/secrets', '/run/secrets'), { nil: undefined }),
  initSystem: fc.option(initSystem, { nil: undefined }),
};
const awsBody = {
  roleArn: fc.constantFrom(
    'arn:aws:iam::123456789012:role/app',
    'arn:aws-us-gov:iam::210987654321:role/path/to/r',
  ),
  region: fc.option(fc.constantFrom('eu-west-1', 'us-gov-west-1', 'ap-southeast-2'), {
    nil: undefined,
  }),
  stsRegionalEndpoints: fc.option(fc.constantFrom('regional', 'legacy'), { nil: undefined }),
  serviceAccountName: fc.option(fc.constantFrom('app-sa', 'default', 'web'), { nil: undefined }),
  initSystem: fc.option(initSystem, { nil: undefined }),
  serviceUsers: fc.option(
    fc.uniqueArray(fc.constantFrom('app', 'tomcat', '_svc'), { maxLength: 2 }),
    { nil: undefined },
  ),
  services: fc.option(
    fc.uniqueArray(fc.constantFrom('myapp', 'tomcat@1', 'db.svc'), { maxLength: 2 }),
    { nil: undefined },
  ),
  tokenGroup: fc.option(fc.constantFrom('aws-token', 'tok'), { nil: undefined }),
  audience: fc.option(fc.constantFrom('sts.amazonaws.com', 'sts.cn-north-1.amazonaws.com.cn'), {
    nil: undefined,
  }),
  expirationSeconds: fc.option(fc.integer({ min: 600, max: 4294967295 }), { nil: undefined }),
  tokenVolumeName: fc.option(fc.constantFrom('aws-iam-token', 'tok'), { nil: undefined }),
  mechanism: fc.option(fc.constantFrom('irsa', 'pod-identity'), { nil: undefined }),
  clusterName: fc.option(fc.constantFrom('prod-eks', 'c_1'), { nil: undefined }),
};

/** Either principal, each with the fields it requires (the schema refuses the others). */
const gcpBody = fc.oneof(
  fc.record({
    projectId: fc.constantFrom('prod-cluster', 'example.com:prod-cluster'),
    gcpServiceAccount: fc.constantFrom(
      'workload@prod-cluster.iam.gserviceaccount.com',
      'orders-vm@orders-app.example.com.iam.gserviceaccount.com',
    ),
    principal: fc.option(fc.constant('service-account'), { nil: undefined }),
    override: fc.option(fc.boolean(), { nil: undefined }),
  }),
  fc.record({
    projectId: fc.constant('prod-cluster'),
    principal: fc.constant('direct'),
    projectNumber: fc.oneof(fc.constant('123456789012'), fc.constant(123456789012)),
    roles: fc.uniqueArray(
      fc.constantFrom('roles/storage.objectViewer', 'projects/prod-cluster/roles/reader'),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);
const gcpCommon = {
  platform: fc.option(fc.constantFrom('gke', 'gke-autopilot'), { nil: undefined }),
  serviceAccountName: fc.option(fc.constantFrom('app-sa', 'default', 'web'), { nil: undefined }),
  emitIamPolicyMember: fc.option(fc.boolean(), { nil: undefined }),
};

/** Drops undefined fields (an absent option), as a config file would not have them. */
function defined(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function config(kind: string, body: fc.Arbitrary<Record<string, unknown>>, nest: boolean) {
  return fc.tuple(body, fc.boolean()).map(([b, underSpec]) => {
    const fields = defined(b);
    const head = { apiVersion: 'fn.retarget.dev/v1alpha1', kind };
    return nest && underSpec ? { ...head, spec: fields } : { ...head, ...fields };
  });
}

/** [function name, config] pairs, each config valid for its function (checked by the test). */
export const functionConfig: fc.Arbitrary<[string, Record<string, unknown>]> = fc.oneof(
  config('SetImagePullSecrets', fc.record({ ...imagePullSecretsBody, ...targeting }), true).map(
    (c) => ['set-image-pull-secrets', c] as [string, Record<string, unknown>],
  ),
  config('SetFsGroup', fc.record({ ...fsGroupBody, ...targeting }), true).map(
    (c) => ['set-fs-group', c] as [string, Record<string, unknown>],
  ),
  config(
    'LinkKubernetesInfoSecrets',
    fc.record({ ...linkBody, ...runtimes, ...targeting }),
    true,
  ).map((c) => ['link-kubernetes-info-secrets', c] as [string, Record<string, unknown>]),
  config('SetAwsWorkloadIdentity', fc.record({ ...awsBody, ...runtimes, ...targeting }), true).map(
    (c) => ['set-aws-workload-identity', c] as [string, Record<string, unknown>],
  ),
  config(
    'SetGcpWorkloadIdentity',
    fc
      .tuple(gcpBody, fc.record({ ...gcpCommon, ...targeting }))
      .map(([body, rest]) => ({ ...body, ...rest })),
    true,
  ).map((c) => ['set-gcp-workload-identity', c] as [string, Record<string, unknown>]),
  config(
    'Retarget',
    fc.record({
      ...runtimes,
      ...targeting,
      imagePullSecrets: fc.option(
        fc.oneof(imagePullSecretsBody.names, fc.record(imagePullSecretsBody)),
        { nil: undefined },
      ),
      fsGroup: fc.option(fc.oneof(fsGroupBody.fsGroup, fc.record(fsGroupBody)), { nil: undefined }),
      linkKubernetesInfoSecrets: fc.option(fc.oneof(fc.boolean(), fc.record(linkBody)), {
        nil: undefined,
      }),
      awsWorkloadIdentity: fc.option(fc.record(awsBody), { nil: undefined }),
    }),
    true,
  ).map((c) => ['hydrate', c] as [string, Record<string, unknown>]),
);
