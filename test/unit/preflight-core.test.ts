// The parts every preflight check goes through: a finding made a KRM result, the skip list,
// a wrong-typed field turned into one schema finding, the workloads and their service
// accounts, and the order results come out in.
import { LineCounter, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { loadConfig } from '../../src/config/load';
import type { PreflightConfig } from '../../src/config/types';
import { Resource } from '../../src/krm/resource';
import type { ResourceSet } from '../../src/krm/resource-set';
import { transformFiles } from '../../src/pipeline/file-mode';
import { findFunction } from '../../src/pipeline/functions';
import { PreflightContext } from '../../src/preflight/context';
import { findingResult } from '../../src/preflight/finding';
import type { Finding } from '../../src/preflight/finding';
import { envVar, workloadsOf } from '../../src/preflight/workloads';
import { FieldTypeError } from '../../src/yaml/edit';
import { preflightResults } from '../preflight/harness';

const CONFIG = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };

/** The resources of one YAML text, located as the file `path`. */
function resourcesOf(text: string, path = 'in.yaml'): Resource[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return [new Resource(doc.contents as YAMLMap, doc, { path, index: 3, lineCounter })];
}

function setOf(resources: Resource[]): ResourceSet {
  return {
    resources,
    add: () => {
      throw new Error('preflight adds nothing here');
    },
    remove: () => {
      throw new Error('preflight removes nothing');
    },
  };
}

const SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ns\ndata:\n  a: b\n';

const finding = (extra: Partial<Finding> = {}): Finding => ({
  check: 'schema',
  severity: 'warning',
  message: 'something is off',
  fix: 'do this',
  ...extra,
});

describe('a finding as a KRM result', () => {
  test('about a resource: its ref, file, line of the node, the fix in the message and tags', () => {
    const [secret] = resourcesOf(SECRET);
    const node = secret.node.get('data', true) as Node;
    expect(findingResult(secret, finding({ field: 'data', node, tags: { extra: 'x' } }))).toEqual({
      severity: 'warning',
      message: 'something is off. Fix: do this',
      resourceRef: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'ns' },
      field: { path: 'data' },
      file: { path: 'in.yaml', index: 3 },
      tags: { line: '7', column: '3', check: 'schema', fix: 'do this', extra: 'x' },
    });
    // Without a node: the resource's own line.
    expect(findingResult(secret, finding()).tags).toEqual({
      line: '1',
      column: '1',
      check: 'schema',
      fix: 'do this',
    });
  });
});

describe('the preflight context', () => {
  const context = (skip?: string[]) =>
    new PreflightContext(
      setOf(resourcesOf(SECRET)),
      loadConfig<PreflightConfig>('Preflight', skip ? { ...CONFIG, skip } : CONFIG),
    );

  test('a skipped check reports nothing; the others report, in order', () => {
    const ctx = context(['schema']);
    const [secret] = ctx.set.resources;
    expect(ctx.enabled('schema')).toBe(false);
    expect(ctx.enabled('generator-placeholder')).toBe(true);
    ctx.report(secret, finding());
    expect(ctx.results).toEqual([]);
    ctx.report(secret, finding({ check: 'generator-placeholder', message: 'one' }));
    ctx.report(secret, finding({ check: 'generator-placeholder', message: 'two' }));
    expect(ctx.results.map((r) => [r.message, r.resourceRef?.name])).toEqual([
      ['one. Fix: do this', 's'],
      ['two. Fix: do this', 's'],
    ]);
    expect(context().enabled('schema')).toBe(true);
  });

  test('safely: a field of the wrong type becomes one schema error with its line', () => {
    const ctx = context();
    const [secret] = ctx.set.resources;
    const node = secret.node.get('data', true) as Node;
    let after = false;
    ctx.safely(secret, () => {
      throw new FieldTypeError('data', 'a list', node);
      after = true;
    });
    expect(after).toBe(false);
    expect(ctx.results).toEqual([
      {
        severity: 'error',
        message: 'data must be a list. Fix: correct the type of data',
        resourceRef: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'ns' },
        field: { path: 'data' },
        file: { path: 'in.yaml', index: 3 },
        tags: { line: '7', column: '3', check: 'schema', fix: 'correct the type of data' },
      },
    ]);
    // Skipped schema check: nothing, and nothing thrown.
    const skipping = context(['schema']);
    skipping.safely(secret, () => {
      throw new FieldTypeError('data', 'a list', node);
    });
    expect(skipping.results).toEqual([]);
  });

  test('safely: any other error is not a finding, it propagates', () => {
    const ctx = context();
    const [secret] = ctx.set.resources;
    expect(() =>
      ctx.safely(secret, () => {
        throw new TypeError('a bug');
      }),
    ).toThrow('a bug');
    expect(ctx.results).toEqual([]);
    const ran: string[] = [];
    ctx.safely(secret, () => void ran.push('ran'));
    expect(ran).toEqual(['ran']);
  });
});

describe('workloads', () => {
  const workloads = (text: string, config: Record<string, unknown> = {}) => {
    const lineCounter = new LineCounter();
    const resources = text.split('---\n').map((part) => {
      const doc = parseDocument(part, { lineCounter });
      return new Resource(doc.contents as YAMLMap, doc, { path: 'in.yaml' });
    });
    const ctx = new PreflightContext(
      setOf(resources),
      loadConfig<PreflightConfig>('Preflight', { ...CONFIG, ...config }),
    );
    return { found: workloadsOf(ctx), ctx };
  };
  const pod = (name: string, spec: string, metadata = '') =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\n${metadata}spec:\n${spec}`;
  const containers =
    '  containers:\n  - {name: app, image: a}\n  - {name: side, image: b}\n  initContainers:\n  - {name: init, image: c}\n';

  test('each deployable pod template, its containers and init containers, its ServiceAccount', () => {
    const sa =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: shop\n';
    const { found } = workloads(
      [
        pod('named', `  serviceAccountName: runner\n${containers}`),
        pod('legacy', `  serviceAccount: old\n${containers}`),
        pod('both', `  serviceAccountName: runner\n  serviceAccount: old\n${containers}`),
        pod('unnamed', containers),
        pod('local', containers, '  annotations: {config.kubernetes.io/local-config: "true"}\n'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
        sa,
      ].join('---\n'),
    );
    expect(
      found.map((w) => ({
        name: w.resource.name,
        namespace: w.namespace,
        sa: w.serviceAccountName,
        held: w.serviceAccount?.name,
        containers: w.containers.map((c) => c.name),
        field: w.pod.field,
      })),
    ).toEqual([
      {
        name: 'named',
        namespace: 'shop',
        sa: 'runner',
        held: 'runner',
        containers: ['app', 'side', 'init'],
        field: 'spec',
      },
      {
        name: 'legacy',
        namespace: 'shop',
        sa: 'old',
        held: undefined,
        containers: ['app', 'side', 'init'],
        field: 'spec',
      },
      {
        name: 'both',
        namespace: 'shop',
        sa: 'runner',
        held: 'runner',
        containers: ['app', 'side', 'init'],
        field: 'spec',
      },
      {
        name: 'unnamed',
        namespace: 'shop',
        sa: 'default',
        held: undefined,
        containers: ['app', 'side', 'init'],
        field: 'spec',
      },
    ]);
  });

  test('the selector picks resources and containers', () => {
    const text = [pod('a', containers), pod('b', containers, '  labels: {tier: web}\n')].join(
      '---\n',
    );
    expect(
      workloads(text, {
        selector: { labels: { tier: 'web' }, containers: ['side', 'init'] },
      }).found.map((w) => [w.resource.name, w.containers.map((c) => c.name)]),
    ).toEqual([['b', ['side', 'init']]]);
  });

  test('a ServiceAccount name of the wrong type: that workload is left out, with a schema error', () => {
    const { found, ctx } = workloads(
      [
        pod('bad', `  serviceAccountName: [x]\n${containers}`),
        pod('legacy', `  serviceAccount: {name: x}\n${containers}`),
        pod('good', containers),
      ].join('---\n'),
    );
    expect(found.map((w) => w.resource.name)).toEqual(['good']);
    expect(ctx.results.map((r) => [r.tags?.check, r.field?.path, r.resourceRef?.name])).toEqual([
      ['schema', 'spec.serviceAccountName', 'bad'],
      ['schema', 'spec.serviceAccount', 'legacy'],
    ]);
  });

  test('envVar: the first item of that name, its literal value, its field', () => {
    const { found } = workloads(
      pod(
        'p',
        '  containers:\n  - name: app\n    image: a\n    env:\n    - x\n    - {name: A, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n    - {name: B, value: "1"}\n    - {name: B, value: "2"}\n    - {name: C, value: 3}\n  - {name: bare, image: b}\n  - {name: odd, image: b, env: {A: x}}\n',
      ),
    );
    const [app, bare, odd] = found[0].containers;
    const a = envVar(app, 'A');
    expect(a && { value: a.value, field: a.field, name: a.node.get('name') }).toEqual({
      value: undefined,
      field: 'spec.containers[0].env[1]',
      name: 'A',
    });
    const b = envVar(app, 'B');
    expect(b && { value: b.value, field: b.field }).toEqual({
      value: '1',
      field: 'spec.containers[0].env[2]',
    });
    expect(envVar(app, 'C')?.value).toBeUndefined();
    expect(envVar(app, 'C')?.field).toBe('spec.containers[0].env[4]');
    expect(envVar(app, 'D')).toBeUndefined();
    expect(envVar(bare, 'A')).toBeUndefined();
    expect(envVar(odd, 'A')).toBeUndefined();
  });
});

describe('the results preflight returns', () => {
  test('a wrong-typed field found by the schema and by a check is reported once', () => {
    const results = preflightResults(
      CONFIG,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: [x]\n  containers:\n  - {name: app, image: nginx:1.27}\n',
    );
    expect(results.map((r) => [r.tags?.check, r.field?.path])).toEqual([
      ['schema', 'spec.serviceAccountName'],
    ]);
  });

  test('the same field of two resources, or two fields of one, are two results', () => {
    const bad = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  serviceAccountName: [x]\n  hostname: [y]\n  containers:\n  - {name: app, image: nginx:1.27}\n`;
    const results = preflightResults(CONFIG, [bad('a'), bad('b')].join('---\n'));
    expect(results.map((r) => [r.resourceRef?.name, r.field?.path])).toEqual([
      ['a', 'spec.serviceAccountName'],
      ['a', 'spec.hostname'],
      ['b', 'spec.serviceAccountName'],
      ['b', 'spec.hostname'],
    ]);
  });

  test('in package order: by file as first seen, then document, then line, whichever check', () => {
    const fn = findFunction('preflight');
    if (!fn) throw new Error('no preflight function');
    // The schema check runs first: its findings (hostname: a list) come out of the checks
    // before the placeholders' that are above them.
    const pod = (name: string, lines = '') =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${lines}  containers:\n  - name: app\n    image: nginx:1.27\n    workingDir: "<dir>"\n    command: ["<cmd>"]\n  hostname: [y]\n`;
    const outcome = transformFiles(fn, CONFIG, 'config.yaml', [
      {
        path: 'z.yaml',
        outputName: 'z.yaml',
        text: [pod('z0'), pod('z1', '  subdomain: "<sub>"\n')].join('---\n'),
      },
      { path: 'a.yaml', outputName: 'a.yaml', text: pod('a0') },
    ]);
    expect(
      outcome.results.map(
        (r) =>
          `${r.file?.path}#${r.file?.index ?? 0}:${r.tags?.line} ${r.resourceRef?.name} ${r.field?.path}`,
      ),
    ).toEqual([
      'z.yaml#0:9 z0 spec.containers[0].workingDir',
      'z.yaml#0:10 z0 spec.containers[0].command[0]',
      'z.yaml#0:11 z0 spec.hostname',
      'z.yaml#1:18 z1 spec.subdomain',
      'z.yaml#1:22 z1 spec.containers[0].workingDir',
      'z.yaml#1:23 z1 spec.containers[0].command[0]',
      'z.yaml#1:24 z1 spec.hostname',
      'a.yaml#0:9 a0 spec.containers[0].workingDir',
      'a.yaml#0:10 a0 spec.containers[0].command[0]',
      'a.yaml#0:11 a0 spec.hostname',
    ]);
  });
});
