import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LineCounter, parseAllDocuments, parseDocument, isMap, isSeq } from 'yaml';
import type { Result } from '../../src/krm/results';
import { FUNCTIONS } from '../../src/pipeline/functions';
import { lookup, shippedVersions } from '../../src/preflight/schema/kubernetes-schemas';
import type { KindSchema } from '../../src/preflight/schema/kubernetes-schemas';
import { oneEditAway, validateStrict } from '../../src/preflight/schema/strict-validate';
import type { Violation } from '../../src/preflight/schema/strict-validate';
import {
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_VERSIONS,
} from '../../src/preflight/schema/versions';
import {
  DIST,
  fixturesAvailable,
  missingRealFixtures,
  REPO,
  runText,
  SHAPES,
  specCases,
} from '../support/run';
import { runCli } from './harness';

const UPSTREAM = join(REPO, 'src/preflight/schema/upstream');

function schemaOf(apiVersion: string, kind: string, version: string = DEFAULT_KUBERNETES_VERSION) {
  const found = lookup(version, apiVersion, kind);
  if (found.found !== 'kind') throw new Error(`${apiVersion} ${kind}: ${found.found}`);
  return found;
}

function violations(object: Record<string, unknown>, version?: string): Violation[] {
  const found = schemaOf(String(object.apiVersion), String(object.kind), version);
  return validateStrict(object, found.schema, found.custom);
}

function deployment(podSpec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app' },
    spec: {
      selector: { matchLabels: { app: 'app' } },
      template: { metadata: { labels: { app: 'app' } }, spec: podSpec },
    },
    ...extra,
  };
}

const container = { name: 'app', image: 'nginx:1.25' };

describe('the Kubernetes schemas: published OpenAPI v3 documents, per version', () => {
  test('the shipped versions are the imported documents, the newest the default', () => {
    const imported = readdirSync(UPSTREAM)
      .map((f) => /^kubernetes-(1\.[0-9]+)\.json$/.exec(f)?.[1])
      .filter((v): v is string => v !== undefined)
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect([...KUBERNETES_VERSIONS]).toEqual(imported);
    expect(shippedVersions()).toEqual(imported);
    expect(DEFAULT_KUBERNETES_VERSION).toBe(imported[imported.length - 1]);
  });

  test('each imported document says where it comes from', () => {
    for (const file of readdirSync(UPSTREAM)) {
      const doc = JSON.parse(readFileSync(join(UPSTREAM, file), 'utf8')) as { source?: string };
      expect(doc.source).toMatch(
        /^[A-Za-z0-9-]+\/[A-Za-z0-9-]+ .*(release-1\.|[0-9a-f]{40}).*Apache-2\.0$/,
      );
    }
  });

  test('kinds resolve by version, apiVersion and kind; the rest says why not', () => {
    expect(lookup('1.35', 'apps/v1', 'Deployment').found).toBe('kind');
    expect(lookup('1.35', 'apps/v1', 'DeploymentSpec').found).toBe('unknown-kind');
    expect(lookup('1.35', 'apps/v1', 'toString').found).toBe('unknown-kind');
    expect(lookup('1.35', 'apps/v9', 'Deployment').found).toBe('unknown-version');
    expect(lookup('1.31', 'resource.k8s.io/v1', 'ResourceClaim').found).toBe('unknown-version');
    expect(lookup('1.35', 'resource.k8s.io/v1', 'ResourceClaim').found).toBe('kind');
    // Custom resources: the CRDs retarget emits, nothing else.
    expect(lookup('1.35', 'external-secrets.io/v1', 'ExternalSecret').found).toBe('kind');
    expect(lookup('1.35', 'external-secrets.io/v1', 'SecretStore').found).toBe('none');
    expect(lookup('1.35', 'argoproj.io/v1alpha1', 'Rollout').found).toBe('none');
  });

  test('a kind file holds exactly the definitions its schema reaches', () => {
    const { schema } = schemaOf('v1', 'ConfigMap');
    const names = Object.keys(schema.definitions);
    expect(names).toContain('io.k8s.api.core.v1.ConfigMap');
    expect(names).toContain('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(names).not.toContain('io.k8s.api.core.v1.PodSpec');
  });
});

describe('strict field validation', () => {
  test('a valid Deployment, with free keys in labels, annotations, nodeSelector and status, passes', () => {
    expect(
      violations(
        deployment(
          { containers: [container], nodeSelector: { 'any.example.com/key': 'x' } },
          {
            metadata: {
              name: 'app',
              creationTimestamp: null,
              labels: { 'a.b/c': 'd' },
              annotations: { 'any/thing': '{"json": true}' },
            },
            status: {},
          },
        ),
      ),
    ).toEqual([]);
  });

  test('an unknown field anywhere is reported with its path and a near name', () => {
    const found = violations(
      deployment({
        containers: [{ ...container, imagePullPolicyy: 'Always', ports: [{ containerport: 80 }] }],
      }),
    );
    expect(found).toEqual([
      {
        kind: 'unknown-field',
        segments: ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicyy'],
        suggestion: { kind: 'rename', to: 'imagePullPolicy' },
      },
      {
        kind: 'unknown-field',
        segments: ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerport'],
        suggestion: { kind: 'rename', to: 'containerPort' },
      },
      {
        kind: 'required',
        segments: ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'],
      },
    ]);
  });

  test('a field at the wrong level names where it belongs', () => {
    const [podLevel] = violations(deployment({ containers: [container], image: 'x' }));
    expect(podLevel.kind === 'unknown-field' && podLevel.suggestion).toEqual({
      kind: 'move',
      to: ['spec', 'template', 'spec', 'containers[]', 'image'],
    });
    const [containerLevel] = violations(
      deployment({ containers: [{ ...container, serviceAccountName: 'x' }] }),
    );
    expect(containerLevel.kind === 'unknown-field' && containerLevel.suggestion).toEqual({
      kind: 'move',
      to: ['spec', 'template', 'spec', 'serviceAccountName'],
    });
  });

  test('a name far from every field gets no suggestion', () => {
    const [found] = violations(deployment({ containers: [container], zzz: 1 }));
    expect(found).toEqual({
      kind: 'unknown-field',
      segments: ['spec', 'template', 'spec', 'zzz'],
      suggestion: undefined,
    });
  });

  test('status is decoded strictly but not validated (the API server resets it on create)', () => {
    const found = violations(
      deployment({ containers: [container] }, { status: { replicas: 'x', unknownField: 1 } }),
    );
    expect(found.map((v) => [v.kind, v.segments.join('.')])).toEqual([
      ['type', 'status.replicas'],
      ['unknown-field', 'status.unknownField'],
    ]);
    // Required fields of status conditions are not asked for.
    expect(
      violations(deployment({ containers: [container] }, { status: { conditions: [{}] } })),
    ).toEqual([]);
  });

  test('null is the zero value anywhere, and absent for required fields', () => {
    expect(violations(deployment({ containers: [container], volumes: null }))).toEqual([]);
    expect(violations(deployment({ containers: null }))).toEqual([
      { kind: 'required', segments: ['spec', 'template', 'spec', 'containers'] },
    ]);
  });

  test('decoding refuses wrong types and malformed values', () => {
    const kinds = (object: Record<string, unknown>) =>
      violations(object).map((v) => `${v.kind} ${v.segments.join('.')}`);
    expect(
      kinds(
        deployment({
          containers: [
            {
              ...container,
              env: [{ name: 'PORT', value: 8080 }],
              resources: { limits: { memory: '512MB', cpu: 0.5 }, requests: { memory: '1Gi' } },
              ports: [{ containerPort: 4294967296 }],
            },
          ],
        }),
      ),
    ).toEqual([
      'type spec.template.spec.containers.0.env.0.value',
      'format spec.template.spec.containers.0.resources.limits.memory',
      'format spec.template.spec.containers.0.ports.0.containerPort',
    ]);
    expect(
      kinds({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', creationTimestamp: 'yesterday' },
        data: { ok: 'c2VjcmV0', empty: '', bad: 'c2VjcmV0!' },
      }),
    ).toEqual(['format metadata.creationTimestamp', 'format data.bad']);
  });

  test('a field added in a later version is unknown to an earlier one', () => {
    const object = deployment({ containers: [container], hostnameOverride: 'h' });
    expect(violations(object, '1.35')).toEqual([]);
    expect(violations(object, '1.31').map((v) => v.kind)).toEqual(['unknown-field']);
  });

  test('one edit away: insertion, deletion, substitution, transposition', () => {
    expect(oneEditAway('imagePullSecrets', 'imagePullSecret')).toBe(true);
    expect(oneEditAway('protocol', 'protocl')).toBe(true);
    expect(oneEditAway('protocol', 'protocal')).toBe(true);
    expect(oneEditAway('protocol', 'protcool')).toBe(true);
    expect(oneEditAway('protocol', 'protocol')).toBe(false);
    expect(oneEditAway('protocol', 'prtcl')).toBe(false);
  });
});

/** Every KRM object in a YAML text that preflight has a schema for. */
function objectsOf(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .flatMap((doc) => {
      const value = doc.toJS() as unknown;
      return (value as { kind?: string })?.kind === 'List'
        ? ((value as { items: unknown[] }).items ?? [])
        : [value];
    })
    .filter((o): o is Record<string, unknown> => {
      const object = o as { apiVersion?: unknown; kind?: unknown } | null;
      return (
        typeof object?.apiVersion === 'string' &&
        typeof object.kind === 'string' &&
        lookup(DEFAULT_KUBERNETES_VERSION, object.apiVersion, object.kind).found === 'kind'
      );
    });
}

function expectValid(objects: Record<string, unknown>[], where: string): void {
  for (const object of objects) {
    const found = violations(object);
    const name = (object.metadata as { name?: string } | undefined)?.name;
    expect({ where, object: `${String(object.kind)}/${name}`, found }).toEqual({
      where,
      object: `${String(object.kind)}/${name}`,
      found: [],
    });
  }
}

describe('everything retarget ships or emits validates', () => {
  const kinds = new Set<string>();
  const record = (objects: Record<string, unknown>[]) => {
    for (const o of objects) kinds.add(`${String(o.apiVersion)} ${String(o.kind)}`);
    return objects;
  };

  test('the golden outputs of every function: no violation the input did not have', () => {
    const root = join(REPO, 'testdata/golden');
    const key = (o: Record<string, unknown>) => {
      const m = (o.metadata ?? {}) as { name?: string; namespace?: string };
      return `${String(o.kind)}/${m.namespace ?? ''}/${m.name ?? ''}`;
    };
    const described = (o: Record<string, unknown>) =>
      violations(o).map((v) => `${v.kind} ${v.segments.join('.')}`);
    for (const name of readdirSync(root)) {
      const output = join(root, name, '.expected/output.yaml');
      if (!existsSync(output)) continue;
      // A test input may lack what a real cluster needs (a selector): not retarget's doing.
      const before = new Map(
        objectsOf(readFileSync(join(root, name, 'resources.yaml'), 'utf8')).map((o) => [
          key(o),
          new Set(described(o)),
        ]),
      );
      for (const object of record(objectsOf(readFileSync(output, 'utf8')))) {
        const added = described(object).filter((v) => !before.get(key(object))?.has(v));
        expect({ output, object: key(object), added }).toEqual({
          output,
          object: key(object),
          added: [],
        });
      }
    }
  });

  test('the example packages, as given and as each function writes them', () => {
    const root = join(REPO, 'examples');
    for (const name of readdirSync(root)) {
      const spec = join(root, name, 'deployment_spec.yaml');
      if (!existsSync(spec)) continue;
      const text = readFileSync(spec, 'utf8');
      expectValid(record(objectsOf(text)), spec);
      for (const configName of ['fn-config.yaml', 'retarget.yaml']) {
        const configPath = join(root, name, configName);
        if (!existsSync(configPath)) continue;
        const config = parseDocument(readFileSync(configPath, 'utf8')).toJS() as { kind: string };
        const fn = FUNCTIONS.find((f) => f.kind === config.kind);
        if (!fn) continue;
        const run = runText(fn.name, config, text, 'deployment_spec.yaml');
        expectValid(record(objectsOf(run.output)), `${spec} after ${fn.name}`);
      }
    }
  });

  test('the sample and kustomize packages, as given and hydrated', () => {
    for (const dir of ['sample', 'kustomize/legacy-plugin', 'kustomize/krm-function']) {
      const text = readFileSync(join(REPO, dir, 'deployment_spec.yaml'), 'utf8');
      expectValid(record(objectsOf(text)), dir);
      const config = parseDocument(readFileSync(join(REPO, dir, 'retarget.yaml'), 'utf8')).toJS();
      const run = runText('hydrate', config, text, 'deployment_spec.yaml');
      expect(run.ok).toBe(true);
      expectValid(record(objectsOf(run.output)), `${dir} hydrated`);
    }
  });

  test('the ExternalSecret of either API version set-image-pull-secrets writes', () => {
    const dir = join(REPO, 'testdata/golden/set-image-pull-secrets-external-secret');
    const config = parseDocument(readFileSync(join(dir, 'config.yaml'), 'utf8')).toJS() as {
      externalSecret: Record<string, unknown>;
    };
    for (const apiVersion of ['external-secrets.io/v1', 'external-secrets.io/v1beta1']) {
      for (const kind of ['SecretStore', 'ClusterSecretStore']) {
        const run = runText(
          'set-image-pull-secrets',
          {
            ...config,
            externalSecret: {
              ...config.externalSecret,
              apiVersion,
              secretStoreRef: { name: 'vault', kind },
              refreshInterval: '1h',
            },
          },
          readFileSync(join(dir, 'resources.yaml'), 'utf8'),
        );
        const emitted = record(objectsOf(run.output)).filter((o) => o.kind === 'ExternalSecret');
        expect(emitted.map((o) => o.apiVersion)).toEqual([apiVersion]);
        expectValid(emitted, `${apiVersion} ${kind}`);
      }
    }
  });

  test('the IAMPolicyMember preflight emits', () => {
    // The golden case's config over the project's own service-manager shape (an image in
    // another project than the cluster's), so a clone without ../shared runs it too.
    const dir = join(REPO, 'testdata/preflight/gcr-cross-project-emit');
    const run = runCli([
      'preflight',
      '-c',
      join(dir, 'config.yaml'),
      join(SHAPES, 'm4a-v1.9-service-manager/deployment_spec.yaml'),
      '--format',
      'json',
    ]);
    const report = JSON.parse(run.stdout) as { resources?: Record<string, unknown>[] };
    const emitted = record(report.resources ?? []);
    expect(emitted.map((o) => o.kind)).toContain('IAMPolicyMember');
    expectValid(emitted, 'emitIamPolicyMember');
  });

  test('covered: workloads, services, and both custom resources', () => {
    for (const kind of [
      'apps/v1 Deployment',
      'apps/v1 StatefulSet',
      'v1 Service',
      'external-secrets.io/v1 ExternalSecret',
      'external-secrets.io/v1beta1 ExternalSecret',
      'iam.cnrm.cloud.google.com/v1beta1 IAMPolicyMember',
    ])
      expect([...kinds]).toContain(kind);
  });
});

describe('the published CRD schemas refuse what their API servers refuse', () => {
  const externalSecret = (spec: Record<string, unknown>) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'regcred' },
    spec: { secretStoreRef: { name: 'vault', kind: 'SecretStore' }, ...spec },
  });

  test('unknown fields are pruned, so strict validation reports them', () => {
    expect(
      violations(externalSecret({ target: { name: 'x', creationPolicy: 'Owner', nmae: 'y' } })),
    ).toEqual([
      {
        kind: 'unknown-field',
        segments: ['spec', 'target', 'nmae'],
        suggestion: { kind: 'rename', to: 'name' },
      },
    ]);
  });

  test('enums and oneOf of required fields are checked', () => {
    expect(
      violations(externalSecret({ target: { creationPolicy: 'Sometimes' } })).map((v) => v.kind),
    ).toEqual(['enum']);
    const member = (spec: Record<string, unknown>) => ({
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      metadata: { name: 'grant' },
      spec: {
        role: 'roles/storage.objectViewer',
        resourceRef: { kind: 'StorageBucket', external: 'artifacts.p.appspot.com' },
        ...spec,
      },
    });
    expect(violations(member({ member: 'serviceAccount:a@b.iam.gserviceaccount.com' }))).toEqual(
      [],
    );
    expect(violations(member({})).map((v) => `${v.kind} ${v.segments.join('.')}`)).toEqual([
      'constraint spec',
    ]);
    expect(
      violations(member({ member: 'user:a@b.c', role: 'storage.objectViewer' })).map(
        (v) => `${v.kind} ${v.segments.join('.')}`,
      ),
    ).toEqual(['constraint spec.role']);
  });
});

describe('generated specs (own generator shapes, and the real ones in ../shared)', () => {
  const cases = specCases();
  if (!fixturesAvailable()) missingRealFixtures('the real generated specs');
  const specs = cases.map((c) => c.spec);
  const dir = mkdtempSync(join(tmpdir(), 'retarget-schema-'));
  const config = join(dir, 'preflight.yaml');
  writeFileSync(
    config,
    'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nmetadata: {name: t}\n',
  );

  const schemaFindings = (path: string): Result[] => {
    const run = runCli(['preflight', '-c', config, path, '--format', 'json']);
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout) as { results: Result[] }).results.filter((r) =>
      String(r.tags?.check).startsWith('schema'),
    );
  };

  /** The spec with one line inserted in the first container, at its fields' column. */
  const inject = (text: string, line: (indent: string) => string) => {
    const counter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: counter });
    for (const doc of docs) {
      const containers = doc.getIn(['spec', 'template', 'spec', 'containers'], true);
      if (!isSeq(containers) || !isMap(containers.items[0])) continue;
      // Before the second field: the first one's value may run over several lines.
      const first = containers.items[0].items[1].key as { range: [number, number, number] };
      const pos = counter.linePos(first.range[0]);
      const lines = text.split('\n');
      lines.splice(pos.line, 0, line(' '.repeat(pos.col - 1)));
      return { text: lines.join('\n'), line: pos.line + 1 };
    }
    throw new Error('no container');
  };

  test.each(specs)('%s: no schema finding as it is', (name) => {
    expect(schemaFindings(name)).toEqual([]);
  });

  test.each(specs)(
    '%s: one misspelt or misplaced field, one error with its path and line',
    (name) => {
      const text = readFileSync(name, 'utf8');
      for (const [key, field, hint] of [
        ['imagePulPolicy: Always', 'imagePulPolicy', 'did you mean imagePullPolicy?'],
        [
          'serviceAccountName: app',
          'serviceAccountName',
          'belongs at spec.template.spec.serviceAccountName',
        ],
      ]) {
        const injected = inject(text, (indent) => `${indent}${key}`);
        const path = join(dir, basename(name));
        writeFileSync(path, injected.text);
        const found = schemaFindings(path);
        expect(found.map((r) => [r.field?.path, r.tags?.line])).toEqual([
          [`spec.template.spec.containers[0].${field}`, String(injected.line)],
        ]);
        expect(found[0].message).toContain(hint);
        expect(found[0].severity).toBe('error');
      }
    },
  );
});

describe('the bundle', () => {
  test('keeps the schemas in data files read per kind, out of every executable', () => {
    // npm test builds first; a bare jest run on an unbuilt tree fails here, never passes.
    if (!existsSync(join(DIST, 'kubernetes-schemas', 'versions.json')))
      throw new Error('dist/ is not built: run npm run build first');
    for (const file of readdirSync(DIST).filter((f) => f.endsWith('.js')))
      expect(readFileSync(join(DIST, file), 'utf8')).not.toContain('io.k8s.api.core.v1.PodSpec');
    const versions = JSON.parse(
      readFileSync(join(DIST, 'kubernetes-schemas', 'versions.json'), 'utf8'),
    ) as string[];
    expect(versions).toEqual([...KUBERNETES_VERSIONS]);
    for (const version of versions) {
      const index = JSON.parse(
        readFileSync(join(DIST, 'kubernetes-schemas', `v${version}.json`), 'utf8'),
      ) as { kinds: Record<string, Record<string, string>> };
      const file = index.kinds['apps/v1'].Deployment;
      const kind = JSON.parse(
        readFileSync(join(DIST, 'kubernetes-schemas', `${file}.json`), 'utf8'),
      ) as KindSchema;
      expect(kind.root).toEqual({ $ref: 'io.k8s.api.apps.v1.Deployment' });
    }
  });
});
