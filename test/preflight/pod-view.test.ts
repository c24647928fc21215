import { isMap, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { evaluatePodSecurity } from '../../src/preflight/pod-security';
import { bool, integer, PodView, strings, who } from '../../src/preflight/pod-view';
import { FieldTypeError } from '../../src/yaml/edit';

/**
 * The pod as the Pod Security checks read it, and the field a wrong type is reported at:
 * the API server decodes the pod before admission, so a field of the wrong type is a
 * schema error at that exact field, never a verdict.
 */

/** The map at `key` of `parent` (a test input error otherwise). */
function mapAt(parent: unknown, key: string): YAMLMap {
  const node: unknown = isMap(parent) ? parent.get(key, true) : undefined;
  if (!isMap(node)) throw new Error(`no map at ${key}`);
  return node;
}

/** The document's root map. */
function rootOf(text: string): YAMLMap {
  const root = parseDocument(text).contents;
  if (!isMap(root)) throw new Error('the document is not a map');
  return root;
}

function view(text: string, metadataPath = ['metadata']): PodView {
  const root = rootOf(text);
  const metadata = root.has('metadata') ? mapAt(root, 'metadata') : undefined;
  return new PodView(mapAt(root, 'spec'), 'spec', metadata, metadataPath);
}

function typeError(fn: () => unknown): { field: string; expected: string } | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof FieldTypeError) return { field: error.field, expected: error.expected };
    throw error;
  }
  return undefined;
}

const HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

/** A pod whose container `app` has `container` lines and whose spec has `spec` lines. */
const podText = (spec: string, container = '') =>
  `${HEAD}spec:\n${spec}  containers:\n  - name: app\n    image: i\n${container}`;

describe('PodView', () => {
  test('containers in the plugin order (init, regular, ephemeral), each with its field and context', () => {
    const v = view(`${HEAD}spec:
  ephemeralContainers:
  - name: debug
  containers:
  - name: app
    securityContext: {privileged: true}
  - image: unnamed
  initContainers:
  - name: init
`);
    expect(v.containers.map((c) => ({ name: c.name, field: c.field, sc: c.sc?.toJSON() }))).toEqual(
      [
        { name: 'init', field: 'spec.initContainers[0]', sc: undefined },
        { name: 'app', field: 'spec.containers[0]', sc: { privileged: true } },
        { name: '', field: 'spec.containers[1]', sc: undefined },
        { name: 'debug', field: 'spec.ephemeralContainers[0]', sc: undefined },
      ],
    );
    expect(v.containers.map((c) => who(c))).toEqual([
      'container "init"',
      'container "app"',
      'container ""',
      'container "debug"',
    ]);
    expect(v.podSc).toBeUndefined();
    expect(v.podScField).toBe('spec.securityContext');
    expect(v.contexts().map((c) => [c.field, c.who])).toEqual([
      ['spec.containers[0].securityContext', 'container "app"'],
    ]);
  });

  test("contexts: the pod's first, then each container's that is set", () => {
    const v = view(
      podText('  securityContext: {runAsNonRoot: true}\n', '    securityContext: {runAsUser: 1}\n'),
    );
    expect(v.contexts().map((c) => [c.field, c.who, c.sc.toJSON()])).toEqual([
      ['spec.securityContext', 'the pod', { runAsNonRoot: true }],
      ['spec.containers[0].securityContext', 'container "app"', { runAsUser: 1 }],
    ]);
  });

  test('windows: only spec.os.name windows', () => {
    expect(view(podText('  os:\n    name: windows\n')).windows).toBe(true);
    expect(view(podText('  os:\n    name: linux\n')).windows).toBe(false);
    expect(view(podText('  os: {}\n')).windows).toBe(false);
    expect(view(podText('')).windows).toBe(false);
  });

  test('userNamespace: only hostUsers false', () => {
    expect(view(podText('  hostUsers: false\n')).userNamespace).toBe(true);
    expect(view(podText('  hostUsers: true\n')).userNamespace).toBe(false);
    expect(view(podText('')).userNamespace).toBe(false);
  });

  test('annotations: each key with its value (null as ""), node and field', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    metadata:
      annotations:
        a.example.com/x: one
        "b": 2
        c.example.com/empty:
    spec:
      containers:
      - name: app
`;
    const template = mapAt(mapAt(rootOf(text), 'spec'), 'template');
    const v = new PodView(
      mapAt(template, 'spec'),
      'spec.template.spec',
      mapAt(template, 'metadata'),
      ['spec', 'template', 'metadata'],
    );
    expect(v.metadataField).toBe('spec.template.metadata');
    expect(
      v.annotations().map((a) => ({
        key: a.key,
        value: a.value,
        field: a.field,
        node: a.node.toJSON() as unknown,
      })),
    ).toEqual([
      {
        key: 'a.example.com/x',
        value: 'one',
        field: 'spec.template.metadata.annotations["a.example.com/x"]',
        node: 'one',
      },
      { key: 'b', value: '2', field: 'spec.template.metadata.annotations.b', node: 2 },
      {
        key: 'c.example.com/empty',
        value: '',
        field: 'spec.template.metadata.annotations["c.example.com/empty"]',
        node: null,
      },
    ]);
  });

  test('annotations: none without metadata or without annotations', () => {
    expect(view(podText('')).annotations()).toEqual([]);
    const spec = mapAt(rootOf(podText('')), 'spec');
    expect(new PodView(spec, 'spec', undefined, ['metadata']).annotations()).toEqual([]);
  });
});

describe('bool, integer, strings: a field of the wrong type is an error at that field', () => {
  const map = rootOf;

  test('bool', () => {
    const m = map('t: true\nf: false\nn: null\ns: "true"\ni: 1\nl: [true]\n');
    expect(bool(m, 't', 'x.t')).toBe(true);
    expect(bool(m, 'f', 'x.f')).toBe(false);
    expect(bool(m, 'n', 'x.n')).toBeUndefined();
    expect(bool(m, 'absent', 'x.absent')).toBeUndefined();
    for (const key of ['s', 'i', 'l']) {
      expect(typeError(() => bool(m, key, `x.${key}`))).toEqual({
        field: `x.${key}`,
        expected: 'a boolean',
      });
    }
  });

  test('integer', () => {
    const m = map('z: 0\np: 8080\nn: null\nf: 1.5\ns: "80"\nl: [1]\n');
    expect(integer(m, 'z', 'x.z')).toBe(0);
    expect(integer(m, 'p', 'x.p')).toBe(8080);
    expect(integer(m, 'n', 'x.n')).toBeUndefined();
    expect(integer(m, 'absent', 'x.absent')).toBeUndefined();
    for (const key of ['f', 's', 'l']) {
      expect(typeError(() => integer(m, key, `x.${key}`))).toEqual({
        field: `x.${key}`,
        expected: 'an integer',
      });
    }
  });

  test('strings', () => {
    const m = map('add: [A, "B"]\nnone: null\nbad: [A, 1]\nmap: {a: b}\nnested: [[A]]\n');
    expect(strings(m, 'add', 'c.add').map((s) => [s.value, s.field, s.node.toJSON()])).toEqual([
      ['A', 'c.add[0]', 'A'],
      ['B', 'c.add[1]', 'B'],
    ]);
    expect(strings(m, 'none', 'c.none')).toEqual([]);
    expect(strings(m, 'absent', 'c.absent')).toEqual([]);
    expect(typeError(() => strings(m, 'bad', 'c.bad'))).toEqual({
      field: 'c.bad[1]',
      expected: 'a string',
    });
    expect(typeError(() => strings(m, 'nested', 'c.nested'))).toEqual({
      field: 'c.nested[0]',
      expected: 'a string',
    });
    expect(typeError(() => strings(m, 'map', 'c.map'))).toEqual({
      field: 'c.map',
      expected: 'a list',
    });
  });
});

/**
 * Every field a Pod Security control reads, written with the wrong type: the error names
 * that field. Each row: the spec lines, the container lines, the level and version whose
 * controls read the field first, and the error.
 */
const WRONG_TYPES: [string, string, string, 'baseline' | 'restricted', number, string, string][] = [
  [
    'pod securityContext',
    '  securityContext: 5\n',
    '',
    'baseline',
    37,
    'spec.securityContext',
    'a map',
  ],
  ['containers', '', '', 'baseline', 37, 'spec.containers', 'a list'],
  ['container name', '', '', 'baseline', 37, 'spec.containers[0].name', 'a string'],
  [
    'container securityContext',
    '',
    '    securityContext: 5\n',
    'baseline',
    37,
    'spec.containers[0].securityContext',
    'a map',
  ],
  ['hostNetwork', '  hostNetwork: "yes"\n', '', 'baseline', 37, 'spec.hostNetwork', 'a boolean'],
  ['hostIPC', '  hostIPC: 1\n', '', 'baseline', 37, 'spec.hostIPC', 'a boolean'],
  [
    'privileged',
    '',
    '    securityContext:\n      privileged: "true"\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.privileged',
    'a boolean',
  ],
  [
    'capabilities',
    '',
    '    securityContext:\n      capabilities: [ALL]\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.capabilities',
    'a map',
  ],
  [
    'capabilities.add',
    '',
    '    securityContext:\n      capabilities:\n        add: CHOWN\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.capabilities.add',
    'a list',
  ],
  [
    'capabilities.add item',
    '',
    '    securityContext:\n      capabilities:\n        add: [1]\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.capabilities.add[0]',
    'a string',
  ],
  [
    'capabilities (restricted)',
    '',
    '    securityContext:\n      capabilities: [ALL]\n',
    'restricted',
    37,
    'spec.containers[0].securityContext.capabilities',
    'a map',
  ],
  [
    'capabilities.drop',
    '',
    '    securityContext:\n      capabilities:\n        drop: ALL\n',
    'restricted',
    37,
    'spec.containers[0].securityContext.capabilities.drop',
    'a list',
  ],
  ['volumes', '  volumes: {}\n', '', 'baseline', 37, 'spec.volumes', 'a list'],
  ['a volume', '  volumes: [v]\n', '', 'baseline', 37, 'spec.volumes[0]', 'a map'],
  [
    'volume name',
    '  volumes:\n  - name: 1\n    emptyDir: {}\n',
    '',
    'baseline',
    37,
    'spec.volumes[0].name',
    'a string',
  ],
  [
    'hostPath',
    '  volumes:\n  - name: h\n    hostPath: /x\n',
    '',
    'baseline',
    37,
    'spec.volumes[0].hostPath',
    'a map',
  ],
  [
    'hostPath.path',
    '  volumes:\n  - name: h\n    hostPath:\n      path: 1\n',
    '',
    'baseline',
    37,
    'spec.volumes[0].hostPath.path',
    'a string',
  ],
  [
    'hostPath.path (restricted)',
    '  volumes:\n  - name: h\n    hostPath:\n      path: 1\n',
    '',
    'restricted',
    37,
    'spec.volumes[0].hostPath.path',
    'a string',
  ],
  ['ports', '', '    ports: 80\n', 'baseline', 37, 'spec.containers[0].ports', 'a list'],
  ['a port', '', '    ports: [80]\n', 'baseline', 37, 'spec.containers[0].ports[0]', 'a map'],
  [
    'hostPort',
    '',
    '    ports:\n    - hostPort: "80"\n',
    'baseline',
    37,
    'spec.containers[0].ports[0].hostPort',
    'an integer',
  ],
  [
    'livenessProbe',
    '',
    '    livenessProbe: 5\n',
    'baseline',
    37,
    'spec.containers[0].livenessProbe',
    'a map',
  ],
  ['lifecycle', '', '    lifecycle: 5\n', 'baseline', 37, 'spec.containers[0].lifecycle', 'a map'],
  [
    'lifecycle.preStop',
    '',
    '    lifecycle:\n      preStop: 5\n',
    'baseline',
    37,
    'spec.containers[0].lifecycle.preStop',
    'a map',
  ],
  [
    'probe httpGet',
    '',
    '    readinessProbe:\n      httpGet: 5\n',
    'baseline',
    37,
    'spec.containers[0].readinessProbe.httpGet',
    'a map',
  ],
  [
    'probe tcpSocket host',
    '',
    '    startupProbe:\n      tcpSocket:\n        host: 1\n',
    'baseline',
    37,
    'spec.containers[0].startupProbe.tcpSocket.host',
    'a string',
  ],
  ['probes before v1.34 are not read', '', '    livenessProbe: 5\n', 'baseline', 33, '', ''],
  [
    'appArmorProfile',
    '',
    '    securityContext:\n      appArmorProfile: RuntimeDefault\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.appArmorProfile',
    'a map',
  ],
  [
    'appArmorProfile.type',
    '',
    '    securityContext:\n      appArmorProfile:\n        type: 1\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.appArmorProfile.type',
    'a string',
  ],
  [
    'seLinuxOptions',
    '  securityContext:\n    seLinuxOptions: 5\n',
    '',
    'baseline',
    37,
    'spec.securityContext.seLinuxOptions',
    'a map',
  ],
  [
    'seLinuxOptions.type',
    '  securityContext:\n    seLinuxOptions:\n      type: 1\n',
    '',
    'baseline',
    37,
    'spec.securityContext.seLinuxOptions.type',
    'a string',
  ],
  [
    'seLinuxOptions.user',
    '  securityContext:\n    seLinuxOptions:\n      user: 1\n',
    '',
    'baseline',
    37,
    'spec.securityContext.seLinuxOptions.user',
    'a string',
  ],
  [
    'seLinuxOptions.role',
    '  securityContext:\n    seLinuxOptions:\n      role: 1\n',
    '',
    'baseline',
    37,
    'spec.securityContext.seLinuxOptions.role',
    'a string',
  ],
  [
    'procMount',
    '',
    '    securityContext:\n      procMount: 1\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.procMount',
    'a string',
  ],
  [
    'procMount (restricted, v1.35)',
    '',
    '    securityContext:\n      procMount: 1\n',
    'restricted',
    37,
    'spec.containers[0].securityContext.procMount',
    'a string',
  ],
  [
    'seccompProfile',
    '',
    '    securityContext:\n      seccompProfile: RuntimeDefault\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.seccompProfile',
    'a map',
  ],
  [
    'seccompProfile.type',
    '  securityContext:\n    seccompProfile:\n      type: 1\n',
    '',
    'baseline',
    37,
    'spec.securityContext.seccompProfile.type',
    'a string',
  ],
  [
    'seccompProfile before v1.19 is not read',
    '',
    '    securityContext:\n      seccompProfile: 5\n',
    'baseline',
    18,
    '',
    '',
  ],
  [
    'sysctls',
    '  securityContext:\n    sysctls: {}\n',
    '',
    'baseline',
    37,
    'spec.securityContext.sysctls',
    'a list',
  ],
  [
    'a sysctl',
    '  securityContext:\n    sysctls: [x]\n',
    '',
    'baseline',
    37,
    'spec.securityContext.sysctls[0]',
    'a map',
  ],
  [
    'sysctl name',
    '  securityContext:\n    sysctls:\n    - name: 1\n',
    '',
    'baseline',
    37,
    'spec.securityContext.sysctls[0].name',
    'a string',
  ],
  [
    'windowsOptions',
    '',
    '    securityContext:\n      windowsOptions: 5\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.windowsOptions',
    'a map',
  ],
  [
    'hostProcess',
    '',
    '    securityContext:\n      windowsOptions:\n        hostProcess: "true"\n',
    'baseline',
    37,
    'spec.containers[0].securityContext.windowsOptions.hostProcess',
    'a boolean',
  ],
  [
    'allowPrivilegeEscalation',
    '',
    '    securityContext:\n      allowPrivilegeEscalation: "false"\n',
    'restricted',
    37,
    'spec.containers[0].securityContext.allowPrivilegeEscalation',
    'a boolean',
  ],
  [
    'pod runAsNonRoot',
    '  securityContext:\n    runAsNonRoot: "true"\n',
    '',
    'restricted',
    37,
    'spec.securityContext.runAsNonRoot',
    'a boolean',
  ],
  [
    'container runAsNonRoot',
    '',
    '    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n      runAsNonRoot: 1\n',
    'restricted',
    37,
    'spec.containers[0].securityContext.runAsNonRoot',
    'a boolean',
  ],
  [
    'runAsUser',
    '  securityContext:\n    runAsUser: "0"\n',
    '',
    'restricted',
    37,
    'spec.securityContext.runAsUser',
    'an integer',
  ],
  ['os', '  os: windows\n', '', 'restricted', 37, 'spec.os', 'a map'],
  ['os.name', '  os:\n    name: 1\n', '', 'restricted', 37, 'spec.os.name', 'a string'],
  ['hostUsers', '  hostUsers: "false"\n', '', 'restricted', 37, 'spec.hostUsers', 'a boolean'],
  [
    'hostUsers (baseline, procMount)',
    '  hostUsers: "false"\n',
    '    securityContext:\n      procMount: Unmasked\n',
    'baseline',
    37,
    'spec.hostUsers',
    'a boolean',
  ],
];

describe('a field of the wrong type is reported at that field', () => {
  test.each(WRONG_TYPES)('%s', (_name, spec, container, level, minor, field, expected) => {
    let text = podText(spec, container);
    if (_name === 'containers') text = `${HEAD}spec:\n  containers: app\n`;
    if (_name === 'container name') text = text.replace('- name: app', '- name: 1');
    const error = typeError(() => evaluatePodSecurity(view(text), level, minor));
    expect(error).toEqual(field ? { field, expected } : undefined);
  });

  test('the annotations map', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: [a]\nspec:\n  containers:\n  - name: app\n`;
    expect(typeError(() => evaluatePodSecurity(view(text), 'baseline', 37))).toEqual({
      field: 'metadata.annotations',
      expected: 'a map',
    });
  });
});
