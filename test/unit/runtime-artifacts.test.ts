import { classifyStream } from '../../src/pipeline/artifact-files';
import {
  artifactKind,
  describeArtifact,
  documentValues,
  MIGRATE_GROUP,
  planFileEvidence,
  specFileEvidence,
} from '../../src/runtime/artifacts';
import type { ArtifactKind } from '../../src/runtime/artifacts';
import { parseDocumentStream } from '../../src/yaml/document-stream';

/**
 * Migration artifacts told apart by content, per shape the generators write (and the
 * shapes next to them that are not artifacts), their names in messages, and the runtime
 * evidence read from a plan file and a deployment spec.
 */
describe('artifactKind', () => {
  test.each([
    ['each plan key alone: v2kServiceManager', { v2kServiceManager: true }, 'migration-plan'],
    ['tomcatServers', { tomcatServers: [] }, 'migration-plan'],
    ['apacheServer', { apacheServer: {} }, 'migration-plan'],
    ['appBinariesMigrationToolkit', { appBinariesMigrationToolkit: {} }, 'migration-plan'],
    ['includeSensitiveData', { includeSensitiveData: false }, 'migration-plan'],
    ['global and image', { global: {}, image: {} }, 'migration-plan'],
    ['global and deployment', { global: {}, deployment: {} }, 'migration-plan'],
    ['global alone', { global: {} }, undefined],
    ['image and deployment without global', { image: {}, deployment: {} }, undefined],
    ['applications and version', { applications: [], version: 'v1beta1' }, 'services-config'],
    ['applications and env', { applications: [], env: [] }, 'services-config'],
    ['applications alone', { applications: [] }, undefined],
    ['version and env without applications', { version: 'v1', env: [] }, undefined],
    ['logs alone', { logs: [] }, 'logs'],
    ['logs with another key', { logs: [], other: 1 }, undefined],
    ['logs that is not a list', { logs: 'x' }, undefined],
    ['service_list', { service_list: [], other: 1 }, 'blocklist'],
    ['service_list that is not a list', { service_list: {} }, undefined],
    ['one other key', { foo: 1 }, undefined],
    ['skaffold Config', { apiVersion: 'skaffold/v4beta6', kind: 'Config' }, 'skaffold'],
    ['skaffold, another kind', { apiVersion: 'skaffold/v4beta6', kind: 'Other' }, undefined],
    ['a Config of another group', { apiVersion: 'x-skaffold/v1', kind: 'Config' }, undefined],
    ['a Config of apps/v1', { apiVersion: 'apps/v1', kind: 'Config' }, undefined],
    [
      'AppXGenerateArtifactsFlow',
      { apiVersion: `${MIGRATE_GROUP}/v1beta2`, kind: 'AppXGenerateArtifactsFlow' },
      'migration-plan',
    ],
    [
      'a flow status is no plan',
      { apiVersion: `${MIGRATE_GROUP}/v1beta2`, kind: 'GenerateArtifactsFlowStatus' },
      'migration-object',
    ],
    ['a group object with no kind', { apiVersion: `${MIGRATE_GROUP}/v1` }, 'migration-object'],
    ['a kind that is not text', { apiVersion: `${MIGRATE_GROUP}/v1`, kind: 7 }, 'migration-object'],
    ['a group of the same prefix', { apiVersion: `${MIGRATE_GROUP}.x/v1`, kind: 'X' }, undefined],
    ['apiVersion that is not text', { apiVersion: 1, tomcatServers: [] }, 'migration-plan'],
    ['a kind without apiVersion', { kind: 'Migration', v2kServiceManager: true }, undefined],
    [
      'a kind that is not text, without apiVersion',
      { kind: 7, tomcatServers: [] },
      'migration-plan',
    ],
    ['a list', [{ v2kServiceManager: true }], undefined],
    ['a scalar', 'v2kServiceManager', undefined],
    ['null', null, undefined],
  ])('%s', (_name, value, kind) => {
    expect(artifactKind(value)).toBe(kind);
  });

  test('the group is the Migrate to Containers one', () => {
    expect(MIGRATE_GROUP).toBe('anthos-migrate.cloud.google.com');
  });
});

describe('describeArtifact: the words a message uses', () => {
  test.each([
    ['generator-file', 'a file the migration generator writes for the image build'],
    ['migration-plan', 'a migration plan'],
    ['migration-object', 'a Migrate to Containers processing-cluster object'],
    ['services-config', "the service manager's services-config.yaml"],
    ['skaffold', 'a skaffold config'],
    ['blocklist', 'the service blocklist'],
    ['logs', 'the log files to forward to Cloud Logging'],
  ])('%s', (kind, words) => {
    expect(describeArtifact(kind as ArtifactKind)).toBe(words);
  });
});

describe("a generator's own file, by its name", () => {
  const classify = (path: string) =>
    classifyStream(parseDocumentStream('unknown: format\n', path), false).results.map(
      (r) => `${r.severity}: ${r.message}`,
    );

  test.each([
    ['blocklist.yaml'],
    ['logs.yaml'],
    ['tempfiles.yaml'],
    ['services-config.yaml'],
    ['skaffold.yaml'],
    ['migration.yaml'],
  ])('%s holding no Kubernetes object is left out', (name) => {
    expect(classify(`out/${name}`)).toEqual([
      'info: left out: a file the migration generator writes for the image build, a migration artifact, not for the target cluster',
    ]);
  });

  test('another name is an unknown document', () => {
    expect(classify('out/notes.yaml')).toEqual([
      'error: is neither a Kubernetes object (apiVersion and kind) nor a known migration artifact; fix it, move it out of the input, or pass --keep-unknown to copy it through',
    ]);
  });
});

describe('documentValues', () => {
  test('the plain value of each sound document (null when empty); a later duplicate key wins', () => {
    expect(documentValues('a: 1\na: 2\n---\n---\nb: [1\n---\n- c\n')).toEqual([
      { a: 2 },
      null,
      ['c'],
    ]);
  });

  test('aliases are expanded', () => {
    expect(documentValues('x: &a {k: v}\ny: *a\n')).toEqual([{ x: { k: 'v' }, y: { k: 'v' } }]);
  });
});

describe('planFileEvidence', () => {
  test('each plan document gives its evidence, at the path', () => {
    expect(
      planFileEvidence('v2kServiceManager: true\n---\nv2kServiceManager: false\n', 'm.yaml'),
    ).toEqual([
      {
        source: 'plan',
        kind: 'service-manager',
        allows: ['service-manager'],
        reason: 'v2kServiceManager: true',
        where: 'm.yaml',
      },
      {
        source: 'plan',
        kind: 'legacy',
        allows: ['legacy'],
        reason: 'v2kServiceManager: false',
        where: 'm.yaml',
      },
    ]);
  });

  test('a plan that says nothing, and a document that is no plan, give none', () => {
    expect(planFileEvidence('tomcatServers: []\n', 'm.yaml')).toStrictEqual([]);
    expect(
      planFileEvidence('apiVersion: v1\nkind: ConfigMap\nv2kServiceManager: true\n', 'm.yaml'),
    ).toStrictEqual([]);
  });
});

describe('specFileEvidence', () => {
  test("each app container's signature; a Service, a plain container and init containers add nothing", () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: app
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: gcr.io/p/init:1
        readinessProbe:
          exec:
            command: [/code/ready.sh]
      containers:
      - name: plain
        image: gcr.io/p/plain:1
      - name: legacy
        image: gcr.io/p/app:1
        readinessProbe:
          exec:
            command: [/code/ready.sh]
`;
    const found = specFileEvidence(text, 'deployment_spec.yaml');
    expect(found.map((e) => [e.source, e.kind, e.where])).toEqual([
      ['spec', 'legacy', 'deployment_spec.yaml:22'],
    ]);
  });
});
