import { LineCounter, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { Resource } from '../../src/krm/resource';
import type { Result } from '../../src/krm/results';
import { guard, selectedPodSpecs } from '../../src/transforms/context';
import type { TransformContext } from '../../src/transforms/context';
import { readMap } from '../../src/yaml/edit';

// guard is what turns a mistyped field, anywhere in any transform, into one located error
// result instead of a crash or a silent skip; selectedPodSpecs is the one way every
// function finds the pods it may change.

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: web
        image: web:1
      securityContext: root
`;

function resourceOf(text: string, path = 'deploy.yaml', index = 0): Resource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return new Resource(doc.contents as YAMLMap, doc, { path, index, lineCounter });
}

function contextOf(resources: Resource[], results: Result[] = []): TransformContext {
  return {
    set: {
      resources,
      add: () => {
        throw new Error('nothing is added here');
      },
      remove: () => {
        throw new Error('nothing is removed here');
      },
    },
    results,
  };
}

/** Reads the pod's securityContext as a map: this Deployment's is a string. */
function readSecurityContext(resource: Resource): void {
  const spec = readMap(resource.node, 'spec', 'spec')!;
  const template = readMap(spec, 'template', 'spec.template')!;
  const pod = readMap(template, 'spec', 'spec.template.spec')!;
  readMap(pod, 'securityContext', 'spec.template.spec.securityContext');
}

const MISTYPED: Result = {
  severity: 'error',
  message: 'expected a map, found string',
  resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' },
  field: { path: 'spec.template.spec.securityContext' },
  file: { path: 'deploy.yaml', index: 0 },
  tags: { line: '12', column: '24' },
};

describe('guard', () => {
  test('runs the step and says it went through', () => {
    const ctx = contextOf([]);
    let ran = 0;
    expect(guard(ctx, resourceOf(DEPLOYMENT), () => void ran++)).toBe(true);
    expect(ran).toBe(1);
    expect(ctx.results).toEqual([]);
  });

  test('a mistyped field is one error result naming resource, field, file and line', () => {
    const resource = resourceOf(DEPLOYMENT);
    const ctx = contextOf([resource]);
    expect(guard(ctx, resource, () => readSecurityContext(resource))).toBe(false);
    expect(ctx.results).toEqual([MISTYPED]);
  });

  test('a value nested beyond the stack is an error on the resource, not a crash', () => {
    const resource = resourceOf(DEPLOYMENT);
    const ctx = contextOf([resource]);
    const ok = guard(ctx, resource, () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(ok).toBe(false);
    expect(ctx.results).toEqual([
      {
        severity: 'error',
        message: 'nested too deeply to process',
        resourceRef: MISTYPED.resourceRef,
        file: { path: 'deploy.yaml', index: 0 },
        tags: { line: '1', column: '1' },
      },
    ]);
  });

  test('any other exception is a bug, and is thrown on', () => {
    const resource = resourceOf(DEPLOYMENT);
    const ctx = contextOf([resource]);
    expect(() =>
      guard(ctx, resource, () => {
        throw new TypeError('not a field problem');
      }),
    ).toThrow(new TypeError('not a field problem'));
    expect(ctx.results).toEqual([]);
  });

  test('the same problem met by two stages is reported once', () => {
    const resource = resourceOf(DEPLOYMENT);
    const ctx = contextOf([resource]);
    guard(ctx, resource, () => readSecurityContext(resource));
    expect(guard(ctx, resource, () => readSecurityContext(resource))).toBe(false);
    expect(ctx.results).toEqual([MISTYPED]);
  });

  // A result that differs from the new one in a single respect is another problem: both stay.
  test.each<[string, Result]>([
    ['severity', { ...MISTYPED, severity: 'warning' }],
    ['message', { ...MISTYPED, message: 'expected a map, found number' }],
    ['field', { ...MISTYPED, field: { path: 'spec.template.spec' } }],
    ['field (none)', { ...MISTYPED, field: undefined }],
    ['file path', { ...MISTYPED, file: { path: 'other.yaml', index: 0 } }],
    ['file index', { ...MISTYPED, file: { path: 'deploy.yaml', index: 1 } }],
    ['file (none)', { ...MISTYPED, file: undefined }],
    ['line', { ...MISTYPED, tags: { line: '13', column: '24' } }],
    ['column', { ...MISTYPED, tags: { line: '12', column: '7' } }],
    ['line (none)', { ...MISTYPED, tags: undefined }],
    ['kind', { ...MISTYPED, resourceRef: { ...MISTYPED.resourceRef!, kind: 'StatefulSet' } }],
    ['name', { ...MISTYPED, resourceRef: { ...MISTYPED.resourceRef!, name: 'api' } }],
    ['namespace', { ...MISTYPED, resourceRef: { ...MISTYPED.resourceRef!, namespace: 'dev' } }],
    ['resource (none)', { ...MISTYPED, resourceRef: undefined }],
  ])('an earlier result differing only in %s does not hide it', (_, earlier) => {
    const resource = resourceOf(DEPLOYMENT);
    const ctx = contextOf([resource], [earlier]);
    expect(guard(ctx, resource, () => readSecurityContext(resource))).toBe(false);
    expect(ctx.results).toEqual([earlier, MISTYPED]);
  });

  test('an earlier result with nothing but a message (a config warning) does not hide it', () => {
    const resource = resourceOf(DEPLOYMENT);
    const earlier: Result = { severity: 'warning', message: 'expected a map, found string' };
    const ctx = contextOf([resource], [earlier]);
    guard(ctx, resource, () => readSecurityContext(resource));
    expect(ctx.results).toEqual([earlier, MISTYPED]);
  });
});

describe('selectedPodSpecs', () => {
  const pod = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${extra}spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
`;

  test('each workload with a pod spec, in order; other kinds and local-config left out', () => {
    const resources = [
      resourceOf(pod('a')),
      resourceOf('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n'),
      resourceOf(pod('local', '  annotations:\n    config.kubernetes.io/local-config: "true"\n')),
      resourceOf(pod('b')),
    ];
    const ctx = contextOf(resources);
    const pods = selectedPodSpecs(ctx, {});
    expect(pods.map((p) => [p.resource.name, p.field])).toEqual([
      ['a', 'spec.template.spec'],
      ['b', 'spec.template.spec'],
    ]);
    expect(ctx.results).toEqual([]);
  });

  test('the selector and custom pod template paths apply', () => {
    const rollout = resourceOf(`apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r
spec:
  template:
    spec:
      containers: []
`);
    const ctx = contextOf([resourceOf(pod('a')), rollout, resourceOf(pod('b'))]);
    const pods = selectedPodSpecs(ctx, {
      selector: { names: ['r', 'b'] },
      podTemplatePaths: [{ kind: 'Rollout', path: 'spec.template.spec' }],
    });
    expect(pods.map((p) => p.resource.name)).toEqual(['r', 'b']);
  });

  test.each([
    ['metadata', 'metadata: web\n', 'metadata', 'a map'],
    ['metadata.name', 'metadata:\n  name: [web]\n', 'metadata.name', 'a string'],
    [
      'metadata.namespace',
      'metadata:\n  name: web\n  namespace: 7\n',
      'metadata.namespace',
      'a string',
    ],
    ['metadata.labels', 'metadata:\n  name: web\n  labels: [a]\n', 'metadata.labels', 'a map'],
    [
      'metadata.annotations',
      'metadata:\n  name: web\n  annotations: a\n',
      'metadata.annotations',
      'a map',
    ],
    [
      'spec.template',
      'metadata:\n  name: web\n',
      'spec.template',
      'a map',
      'spec:\n  template: [x]\n',
    ],
  ])(
    'a mistyped %s is an error on that workload, which is left out',
    (_, head, path, expected, body = '') => {
      const bad = resourceOf(
        `apiVersion: apps/v1\nkind: Deployment\n${head}${body || 'spec:\n  template:\n    spec:\n      containers: []\n'}`,
      );
      const ctx = contextOf([bad, resourceOf(pod('good'))]);
      // Asked twice (two stages of hydrate): still one result.
      selectedPodSpecs(ctx, {});
      const pods = selectedPodSpecs(ctx, {});
      expect(pods.map((p) => p.resource.name)).toEqual(['good']);
      expect(ctx.results).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(new RegExp(`^expected ${expected}, found `)),
          field: { path },
        }),
      ]);
    },
  );
});
