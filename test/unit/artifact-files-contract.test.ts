import { Resource } from '../../src/krm/resource';
import { attachFolderEvidence, classifyStream } from '../../src/pipeline/artifact-files';
import { artifactEvidenceOf } from '../../src/runtime/evidence';
import type { RuntimeEvidence } from '../../src/runtime/evidence';
import { parseDocumentStream } from '../../src/yaml/document-stream';

/**
 * How file mode sorts a file's documents (src/pipeline/artifact-files.ts): objects,
 * migration artifacts (left out, said), empty documents, the rest (an error at its line);
 * and which resources get the runtime evidence of their folder's plans and Dockerfile.
 */
const NEVER_READ = (kind: string) => kind !== 'Deployment';
const stream = (text: string, path = 'dir/f.yaml', fast = true) =>
  parseDocumentStream(text, path, fast ? NEVER_READ : undefined);

const PLAN = 'v2kServiceManager: true\nglobal:\n  image: {}\n';
const PLAN_OBJECT =
  'apiVersion: anthos-migrate.cloud.google.com/v1\nkind: AppXGenerateArtifactsFlow\nspec:\n  v2kServiceManager: false\n';
const MIGRATION =
  'apiVersion: anthos-migrate.cloud.google.com/v1beta2\nkind: Migration\nmetadata:\n  name: m\n';
const SKAFFOLD = 'apiVersion: skaffold/v4beta6\nkind: Config\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n';
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n';
const LEFT_OUT = (what: string) =>
  `left out: ${what}, a migration artifact, not for the target cluster`;
const NEITHER =
  'is neither a Kubernetes object (apiVersion and kind) nor a known migration artifact; fix it, move it out of the input, or pass --keep-unknown to copy it through';

describe('classifyStream', () => {
  test.each([
    ['a plan', PLAN, 'a migration plan'],
    ['a plan object', PLAN_OBJECT, 'a migration plan'],
    ['a Migration object', MIGRATION, 'a Migrate to Containers processing-cluster object'],
    ['a skaffold config', SKAFFOLD, 'a skaffold config'],
    ['quoted apiVersions', 'apiVersion: "skaffold/v2"\nkind: Config\n', 'a skaffold config'],
    ['spaces after the colon', 'apiVersion:   skaffold/v2\nkind: Config\n', 'a skaffold config'],
    [
      'single-quoted, after a tab',
      "apiVersion:\t'skaffold/v2'\nkind: Config\n",
      'a skaffold config',
    ],
    [
      'several kinds, each named once',
      `${SKAFFOLD}---\n${MIGRATION}---\n${SKAFFOLD}---\n# empty\n`,
      'a skaffold config, a Migrate to Containers processing-cluster object',
    ],
  ])('%s: left out with an info', (_, text, what) => {
    for (const fast of [true, false]) {
      expect(classifyStream(stream(text, 'dir/f.yaml', fast), false)).toEqual({
        artifact: true,
        plans: what === 'a migration plan' ? [expect.anything()] : [],
        results: [{ severity: 'info', message: LEFT_OUT(what), file: { path: 'dir/f.yaml' } }],
      });
    }
  });

  test('the plans of an artifact file are its plain values, for evidence', () => {
    const c = classifyStream(stream(`${PLAN}---\n${PLAN_OBJECT}---\n${SKAFFOLD}`), false);
    expect(c.artifact).toBe(true);
    expect(c.plans).toEqual([
      { v2kServiceManager: true, global: { image: {} } },
      {
        apiVersion: 'anthos-migrate.cloud.google.com/v1',
        kind: 'AppXGenerateArtifactsFlow',
        spec: { v2kServiceManager: false },
      },
    ]);
  });

  test.each([
    ['objects only', `${SERVICE}---\n${DEPLOY}`],
    ['empty documents', `---\n# nothing\n---\n${SERVICE}---\n`],
    ['null documents', `--- ~\n---\nnull\n---\n${SERVICE}`],
    ['nothing', ''],
    [
      'a skaffold-looking apiVersion further down a Service',
      `${SERVICE}spec:\n  x: |\n    apiVersion: skaffold/v1\n`,
    ],
    ['an apiVersion of another group', 'apiVersion: migrate.example.com/v1\nkind: Thing\n'],
  ])('%s: kept, nothing said', (_, text) => {
    for (const fast of [true, false]) {
      expect(classifyStream(stream(text, 'f.yaml', fast), false)).toEqual({
        artifact: false,
        plans: [],
        results: [],
      });
    }
  });

  test('artifacts with objects: an error naming the artifacts, the file kept (not left out)', () => {
    for (const fast of [true, false]) {
      expect(
        classifyStream(stream(`${SERVICE}---\n${SKAFFOLD}---\n${PLAN}`, 'dir/f.yaml', fast), false),
      ).toEqual({
        artifact: false,
        plans: [{ v2kServiceManager: true, global: { image: {} } }],
        results: [
          {
            severity: 'error',
            message:
              'mixes migration artifacts (a skaffold config, a migration plan) with other documents; keep the artifacts in their own files',
            file: { path: 'dir/f.yaml' },
          },
        ],
      });
    }
  });

  test('artifacts with a document that is neither: one error, for the mix', () => {
    const c = classifyStream(stream(`${SKAFFOLD}---\njust: text\n`), false);
    expect(c.results.map((r) => r.message)).toEqual([
      'mixes migration artifacts (a skaffold config) with other documents; keep the artifacts in their own files',
    ]);
  });

  test('documents that are neither: an error at the line of each, unless kept', () => {
    const text = `${SERVICE}---\njust: text\n---\n- a\n- b\n---\nplain scalar\n`;
    const c = classifyStream(stream(text), false);
    expect(c).toEqual({
      artifact: false,
      plans: [],
      results: [6, 8, 11].map((line) => ({
        severity: 'error',
        message: NEITHER,
        file: { path: 'dir/f.yaml' },
        tags: { line: String(line) },
      })),
    });
    expect(classifyStream(stream(text), true)).toEqual({ artifact: false, plans: [], results: [] });
  });

  test.each([
    'blocklist.yaml',
    'logs.yaml',
    'tempfiles.yaml',
    'services-config.yaml',
    'skaffold.yaml',
    'migration.yaml',
  ])('%s holding no object: a generator file, left out by its name', (name) => {
    const c = classifyStream(stream('files:\n- /tmp/x\n---\n- raw\n', `dir/${name}`), false);
    expect(c).toEqual({
      artifact: true,
      plans: [],
      results: [
        {
          severity: 'info',
          message: LEFT_OUT('a file the migration generator writes for the image build'),
          file: { path: `dir/${name}` },
        },
      ],
    });
  });

  test('a generator file name holding an object too: its unknown documents are errors', () => {
    const c = classifyStream(stream(`${SERVICE}---\nfiles: [a]\n`, 'dir/tempfiles.yaml'), false);
    expect(c.artifact).toBe(false);
    expect(c.results).toEqual([
      {
        severity: 'error',
        message: NEITHER,
        file: { path: 'dir/tempfiles.yaml' },
        tags: { line: '6' },
      },
    ]);
  });

  test('another name holding only unknown documents: errors', () => {
    const c = classifyStream(stream('files: [a]\n', 'dir/other.yaml'), false);
    expect(c.artifact).toBe(false);
    expect(c.results).toHaveLength(1);
  });

  test('a generator file name with nothing unknown in it: an ordinary file', () => {
    expect(classifyStream(stream(SERVICE, 'dir/logs.yaml'), false)).toEqual({
      artifact: false,
      plans: [],
      results: [],
    });
    expect(classifyStream(stream('', 'dir/logs.yaml'), false)).toEqual({
      artifact: false,
      plans: [],
      results: [],
    });
  });
});

describe('attachFolderEvidence', () => {
  const resourceIn = (path: string | undefined) => {
    const s = parseDocumentStream(DEPLOY, path ?? 'x');
    return new Resource(
      s.documents[0].doc.contents as never,
      s.documents[0].doc,
      path === undefined ? {} : { path },
    );
  };
  const dockerfile = (kind: RuntimeEvidence['kind'], where: string): RuntimeEvidence =>
    ({
      source: 'dockerfile',
      kind,
      allows: [kind],
      reason: 'test',
      where,
    }) as RuntimeEvidence;

  test('plans and Dockerfiles go to the resources of their folder only', () => {
    const a = resourceIn('app/a.yaml');
    const b = resourceIn('app/sub/b.yaml');
    const c = resourceIn('other/c.yaml');
    const none = resourceIn(undefined);
    const fromFolder = dockerfile('legacy', 'app/Dockerfile');
    attachFolderEvidence(
      [a, b, c, none],
      [
        { path: 'app/plan.yaml', value: { v2kServiceManager: true } },
        { path: 'app/skaffold.yaml', value: { nothing: 'here' } },
        { path: 'other/plan.yaml', value: { v2kServiceManager: false } },
      ],
      [
        { dir: 'app', evidence: [fromFolder] },
        { dir: 'app/sub', evidence: [] },
      ],
    );
    expect(artifactEvidenceOf(a).map((e) => [e.source, e.kind])).toEqual([
      ['plan', 'service-manager'],
      ['dockerfile', 'legacy'],
    ]);
    expect(artifactEvidenceOf(a)[0].where).toBe('app/plan.yaml');
    expect(artifactEvidenceOf(b)).toEqual([]);
    expect(artifactEvidenceOf(c).map((e) => [e.source, e.kind])).toEqual([['plan', 'legacy']]);
    expect(artifactEvidenceOf(none)).toEqual([]);
  });

  test('folders alone, with no plan', () => {
    const a = resourceIn('app/a.yaml');
    attachFolderEvidence(
      [a],
      [],
      [{ dir: 'app', evidence: [dockerfile('service-manager', 'app/Dockerfile')] }],
    );
    expect(artifactEvidenceOf(a).map((e) => e.kind)).toEqual(['service-manager']);
  });

  test('plans alone, with no folder', () => {
    const a = resourceIn('app/a.yaml');
    attachFolderEvidence([a], [{ path: 'app/m.yaml', value: { v2kServiceManager: false } }], []);
    expect(artifactEvidenceOf(a).map((e) => e.kind)).toEqual(['legacy']);
  });

  test('neither: nothing attached', () => {
    const a = resourceIn('app/a.yaml');
    attachFolderEvidence([a], [], []);
    expect(artifactEvidenceOf(a)).toEqual([]);
  });
});
