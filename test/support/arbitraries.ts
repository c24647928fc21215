import fc from 'fast-check';

/**
 * Random generated-style workloads with comments, as YAML text (2-space), with the input
 * quirks the I/O fuzzers know: flow-style containers, quoted keys, anchors and aliases,
 * CRLF line ends (packageText), every registry kind, init containers, an existing fsGroup
 * (0 included) that may conflict with the config's, and all three container kinds.
 */
const name = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const comment = fc.stringMatching(/^[A-Za-z0-9 .,:'"-]{0,30}$/).map((s) => `# ${s}`.trimEnd());

/** Image repositories of every registry kind the pull-secret selection tells apart. */
export const REGISTRIES = [
  'gcr.io/src-project',
  'eu.gcr.io/src-project',
  'europe-docker.pkg.dev/src-project/repo',
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  'docker.io/library',
  'quay.io/org',
  'localhost:5000',
  '', // no host: Docker Hub by default
] as const;

const container = fc.record({
  name,
  kind: fc.constantFrom('legacy', 'service-manager', 'plain'),

  env: fc.boolean(),
  hook: fc.constantFrom('none', 'exec'),
  comment: fc.option(comment, { nil: undefined }),
  // Mostly the source project's registry (what a registries filter usually names), every kind.
  registry: fc.oneof(
    { weight: REGISTRIES.length, arbitrary: fc.constant(REGISTRIES[0]) },
    { weight: REGISTRIES.length - 1, arbitrary: fc.constantFrom(...REGISTRIES.slice(1)) },
  ),
  /** Written as one flow map `- {name: x, image: y}` (when it has no nested blocks). */
  flow: fc.boolean(),
  /** Keys written quoted: `"name": x`. */
  quotedKeys: fc.boolean(),
});

const initContainer = fc.record({
  name: name.map((n) => `init-${n}`),
  registry: fc.constantFrom(...REGISTRIES),
  flow: fc.boolean(),
});

export const workload = fc.record({
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod', 'CronJob'),
  name,
  namespace: fc.option(fc.constantFrom('shop', 'billing'), { nil: undefined }),
  leading: fc.array(comment, { maxLength: 2 }),
  containers: fc.uniqueArray(container, { minLength: 1, maxLength: 3, selector: (c) => c.name }),
  initContainers: fc.uniqueArray(initContainer, { maxLength: 2, selector: (c) => c.name }),
  pullSecret: fc.boolean(),
  fsGroup: fc.option(fc.constantFrom(0, 1234, 2000), { nil: undefined }),
  // Mostly workloads the functions edit; a local-config one now and then.
  localConfig: fc.oneof(
    { weight: 5, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  /** metadata.labels as an anchor, aliased by the selector (kinds with a selector). */
  anchors: fc.boolean(),
});

export type Workload = typeof workload extends fc.Arbitrary<infer T> ? T : never;

function image(registry: string, name: string): string {
  return registry ? `${registry}/${name}:v1` : `${name}:v1`;
}

function containerYaml(c: Workload['containers'][number], pad: string): string {
  const lines: string[] = [];
  const k = (key: string) => (c.quotedKeys ? `"${key}"` : key);
  if (c.flow && c.kind === 'plain' && !c.env && c.hook === 'none') {
    const flow = `{${k('name')}: ${c.name}, ${k('image')}: ${image(c.registry, c.name)}, ${k('resources')}: {}}`;
    return `${pad}- ${flow}${c.comment ? ` ${c.comment}` : ''}`;
  }
  lines.push(`${pad}- ${k('name')}: ${c.name}${c.comment ? ` ${c.comment}` : ''}`);
  lines.push(`${pad}  ${k('image')}: ${image(c.registry, c.name)}`);
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
  if (env.length) lines.push(`${pad}  ${k('env')}:`, ...env);
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
  const selectorKind = ['Deployment', 'StatefulSet', 'DaemonSet'].includes(w.kind);
  if (w.anchors && selectorKind) lines.push('  labels: &labels', `    app: ${w.name}`);
  lines.push(`  name: ${w.name}`);
  if (w.namespace) lines.push(`  namespace: ${w.namespace}`);
  path.forEach((key, i) => {
    lines.push(`${'  '.repeat(i)}${key}:`);
    if (i === 0 && w.anchors && selectorKind) lines.push('  selector:', '    matchLabels: *labels');
  });
  const pad = '  '.repeat(path.length);
  lines.push(`${pad}containers:`);
  for (const c of w.containers) lines.push(containerYaml(c, pad));
  if (w.initContainers.length) {
    lines.push(`${pad}initContainers:`);
    for (const c of w.initContainers) {
      if (c.flow) lines.push(`${pad}- {name: ${c.name}, image: ${image(c.registry, c.name)}}`);
      else lines.push(`${pad}- name: ${c.name}`, `${pad}  image: ${image(c.registry, c.name)}`);
    }
  }
  if (w.pullSecret) lines.push(`${pad}imagePullSecrets:`, `${pad}- name: existing`);
  if (w.fsGroup !== undefined)
    lines.push(`${pad}securityContext:`, `${pad}  fsGroup: ${w.fsGroup}`);
  lines.push('status: {}');
  return `${lines.join('\n')}\n`;
}

const service = fc
  .record({ name, leading: fc.array(comment, { maxLength: 2 }) })
  .map(
    (s) =>
      `${[...s.leading, 'apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${s.name}`, 'spec:', '  clusterIP: None', '  ports:', '    - port: 80 # indented style'].join('\n')}\n`,
  );

/** A stream of documents joined the ways generated files do it; a workload first, LF or CRLF. */
export const packageText = fc
  .record({
    // The first workload is edited by every function: not local-config, and its first
    // container a legacy one (the kind the link step and the drop-ins act on).
    first: workload.map((w) =>
      workloadYaml({
        ...w,
        localConfig: false,
        containers: [{ ...w.containers[0], kind: 'legacy' }, ...w.containers.slice(1)],
      }),
    ),
    docs: fc.array(fc.oneof(workload.map(workloadYaml), service), { maxLength: 4 }),
    separator: fc.constantFrom('---\n', '\n---\n', '---\n\n'),
    trailer: fc.constantFrom('', '---\n', '---', '\n---'),
    crlf: fc.oneof(
      { weight: 3, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
  })
  .map(({ first, docs, separator, trailer, crlf }) => {
    const text = [first, ...docs].join(separator) + trailer;
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** Appends a local-config workload (which no function may change) to a package. */
export const withLocalConfig = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, workload).map(([t, w]) => {
    const doc = workloadYaml({ ...w, localConfig: true });
    const eol = t.includes('\r\n') ? '\r\n' : '\n';
    // The trailers packageText may end with: '', '---\n', '---', '\n---'.
    const sep = t.endsWith('---') ? eol : /\n---\r?\n$/.test(t) ? '' : `---${eol}`;
    return `${t}${sep}${doc.replace(/\n/g, eol)}`;
  });

export const retargetConfig = fc
  .record({
    imagePullSecrets: fc.option(
      fc.uniqueArray(fc.constantFrom('gcr-json-key', 'existing', 'other'), { minLength: 1 }),
      { nil: undefined },
    ),
    fsGroup: fc.option(fc.constantFrom(1234, 2000), { nil: undefined }),
    override: fc.boolean(),
    /** Pull secrets only for images from these registries (the object form). */
    registries: fc.option(
      fc.uniqueArray(fc.constantFrom(...REGISTRIES.filter(Boolean)), {
        minLength: 1,
        maxLength: 3,
      }),
      { nil: undefined },
    ),
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
  // A config that asks for something: an empty one is the no-op property's business.
  .filter((c) => c.imagePullSecrets !== undefined || c.fsGroup !== undefined || c.aws !== undefined)
  .map((c) => {
    const config: Record<string, unknown> = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
    };
    if (c.imagePullSecrets)
      config.imagePullSecrets = c.registries
        ? { names: c.imagePullSecrets, registries: c.registries }
        : c.imagePullSecrets;
    if (c.fsGroup) config.fsGroup = { fsGroup: c.fsGroup, override: c.override };
    if (c.link !== undefined) config.linkKubernetesInfoSecrets = c.link;
    if (c.aws) config.awsWorkloadIdentity = JSON.parse(JSON.stringify(c.aws));
    return config;
  });

/** The same configs, with override: true, so an existing fsGroup is no conflict. */
export const retargetConfigNoConflict = retargetConfig.map((c) =>
  c.fsGroup ? { ...c, fsGroup: { ...(c.fsGroup as object), override: true } } : c,
);
