import fc from 'fast-check';

/** Random generated-style workloads with comments, as YAML text (block style, 2-space). */
const name = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const comment = fc.stringMatching(/^[A-Za-z0-9 .,:'"-]{0,30}$/).map((s) => `# ${s}`.trimEnd());

const container = fc.record({
  name,
  kind: fc.constantFrom('legacy', 'service-manager', 'plain'),
  env: fc.boolean(),
  hook: fc.constantFrom('none', 'exec'),
  comment: fc.option(comment, { nil: undefined }),
});

export const workload = fc.record({
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod', 'CronJob'),
  name,
  namespace: fc.option(fc.constantFrom('shop', 'billing'), { nil: undefined }),
  leading: fc.array(comment, { maxLength: 2 }),
  containers: fc.uniqueArray(container, { minLength: 1, maxLength: 3, selector: (c) => c.name }),
  pullSecret: fc.boolean(),
  fsGroup: fc.option(fc.constantFrom(1234, 2000), { nil: undefined }),
  localConfig: fc.boolean(),
});

export type Workload = typeof workload extends fc.Arbitrary<infer T> ? T : never;

function containerYaml(c: Workload['containers'][number], pad: string): string {
  const lines: string[] = [];
  lines.push(`${pad}- name: ${c.name}${c.comment ? ` ${c.comment}` : ''}`);
  lines.push(`${pad}  image: gcr.io/src-project/${c.name}:v1`);
  if (c.kind === 'legacy') {
    lines.push(
      `${pad}  readinessProbe:`,
      `${pad}    exec:`,
      `${pad}      command:`,
      `${pad}      - /code/ready.sh`,
    );
    lines.push(`${pad}  securityContext:`, `${pad}    privileged: true`);
  }
  const env: string[] = [];
  if (c.kind === 'service-manager')
    env.push(`${pad}  - name: HC_V2K_SERVICE_MANAGER`, `${pad}    value: "true"`);
  if (c.env) env.push(`${pad}  - name: LANG`, `${pad}    value: C.UTF-8`);
  if (env.length) lines.push(`${pad}  env:`, ...env);
  if (c.hook === 'exec') {
    lines.push(
      `${pad}  lifecycle:`,
      `${pad}    postStart:`,
      `${pad}      exec:`,
      `${pad}        command: ["/bin/true", "x"]`,
    );
  }
  lines.push(`${pad}  resources: {}`);
  return lines.join('\n');
}

export function workloadYaml(w: Workload): string {
  const podPath: Record<string, string[]> = {
    Pod: ['spec'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  };
  const path = podPath[w.kind] ?? ['spec', 'template', 'spec'];
  const apiVersion =
    w.kind === 'Pod' ? 'v1' : w.kind === 'Job' || w.kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  const lines = [...w.leading, `apiVersion: ${apiVersion}`, `kind: ${w.kind}`, 'metadata:'];
  lines.push('  creationTimestamp: null');
  if (w.localConfig) lines.push('  annotations:', '    config.kubernetes.io/local-config: "true"');
  lines.push(`  name: ${w.name}`);
  if (w.namespace) lines.push(`  namespace: ${w.namespace}`);
  path.forEach((key, i) => lines.push(`${'  '.repeat(i)}${key}:`));
  const pad = '  '.repeat(path.length);
  lines.push(`${pad}containers:`);
  for (const c of w.containers) lines.push(containerYaml(c, pad));
  if (w.pullSecret) lines.push(`${pad}imagePullSecrets:`, `${pad}- name: existing`);
  if (w.fsGroup) lines.push(`${pad}securityContext:`, `${pad}  fsGroup: ${w.fsGroup}`);
  lines.push('status: {}');
  return `${lines.join('\n')}\n`;
}

const service = fc
  .record({ name, leading: fc.array(comment, { maxLength: 2 }) })
  .map(
    (s) =>
      `${[...s.leading, 'apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${s.name}`, 'spec:', '  clusterIP: None', '  ports:', '    - port: 80 # indented style'].join('\n')}\n`,
  );

/** A stream of documents joined the ways generated files do it. */
export const packageText = fc
  .record({
    docs: fc.array(fc.oneof(workload.map(workloadYaml), service), { minLength: 1, maxLength: 5 }),
    separator: fc.constantFrom('---\n', '\n---\n', '---\n\n'),
    trailer: fc.constantFrom('', '---\n', '---', '\n---'),
  })
  .map(({ docs, separator, trailer }) => docs.join(separator) + trailer);

export const retargetConfig = fc
  .record({
    imagePullSecrets: fc.option(
      fc.uniqueArray(fc.constantFrom('gcr-json-key', 'existing', 'other'), { minLength: 1 }),
      { nil: undefined },
    ),
    fsGroup: fc.option(fc.constantFrom(1234, 2000), { nil: undefined }),
    link: fc.option(fc.boolean(), { nil: undefined }),
    aws: fc.option(
      fc.record({
        roleArn: fc.constantFrom(
          'arn:aws:iam::123456789012:role/a',
          'arn:aws-cn:iam::210987654321:role/path/b',
        ),
        initSystem: fc.option(fc.constantFrom('systemd', 'sysv-pam', 'sysv', 'upstart'), {
          nil: undefined,
        }),
        region: fc.option(fc.constantFrom('eu-west-1', 'us-gov-west-1'), { nil: undefined }),
        serviceAccountName: fc.option(name, { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  .map((c) => {
    const config: Record<string, unknown> = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
    };
    if (c.imagePullSecrets) config.imagePullSecrets = c.imagePullSecrets;
    if (c.fsGroup) config.fsGroup = { fsGroup: c.fsGroup, override: true };
    if (c.link !== undefined) config.linkKubernetesInfoSecrets = c.link;
    if (c.aws) config.awsWorkloadIdentity = JSON.parse(JSON.stringify(c.aws));
    return config;
  });
