import { parseAllDocuments } from 'yaml';
import { StreamResourceSet } from '../io/stream-set';
import { parseDocumentStream } from '../yaml/document-stream';
import { specEvidence } from '../workload/container-kind';
import { containersOf, podSpecOf } from '../workload/pod-specs';
import { asRecord, planEvidence } from './evidence';
import type { RuntimeEvidence } from './evidence';

/**
 * The files a migration leaves beside deployment_spec.yaml, told apart by content (a
 * name can be changed; `migctl migration get NAME` writes NAME.yaml):
 * - `migration-plan`: the plan. v1.9+ and the m2c CLI write it with no apiVersion
 *   (`v2kServiceManager`, `global`, `image`, `deployment`; Tomcat/Apache/WebSphere plans
 *   have their own top keys); v1.x migctl dumps the `GenerateArtifactsFlow` object and
 *   v1.9+ CRD users the `AppXGenerateArtifactsFlow` (`anthos-migrate.cloud.google.com`).
 * - `migration-object`: any other object of the `anthos-migrate.cloud.google.com` group
 *   (the `Migration` custom resource, SourceProvider, tasks): it lives on the processing
 *   cluster, and the target has no CRD for it.
 * - `services-config`: the service manager's service list (`version` + `applications`),
 *   built into the image.
 * - `skaffold`: `apiVersion: skaffold/*` Config (the m2c CLI's build-and-deploy file).
 * - `blocklist`, `logs`: the service blocklist and the log paths, built into the image.
 * Sources: cloud.google.com/migrate/containers/docs/review-deployment-files,
 * GoogleCloudPlatform/migrate-to-containers examples/migration-plans/*.yaml and
 * examples/crds/*.yaml, the services-config.yaml reference (see functions/hydrate/README.md).
 */
export type ArtifactKind =
  | 'generator-file'
  | 'migration-plan'
  | 'migration-object'
  | 'services-config'
  | 'skaffold'
  | 'blocklist'
  | 'logs';

export const MIGRATE_GROUP = 'anthos-migrate.cloud.google.com';

const ARTIFACT_LABEL: Record<ArtifactKind, string> = {
  'generator-file': 'a file the migration generator writes for the image build',
  'migration-plan': 'a migration plan',
  'migration-object': 'a Migrate to Containers processing-cluster object',
  'services-config': "the service manager's services-config.yaml",
  skaffold: 'a skaffold config',
  blocklist: 'the service blocklist',
  logs: 'the log files to forward to Cloud Logging',
};

export function describeArtifact(kind: ArtifactKind): string {
  return ARTIFACT_LABEL[kind];
}

/**
 * Files the generators write for the image build, whose format is theirs to change
 * (the m2c CLI's Dockerfile ADDs tempfiles.yaml next to blocklist.yaml and logs.yaml): a
 * file of that name holding no Kubernetes object is an artifact by its name alone.
 */
export const GENERATOR_FILES: readonly string[] = [
  'blocklist.yaml',
  'logs.yaml',
  'tempfiles.yaml',
  'services-config.yaml',
  'skaffold.yaml',
  'migration.yaml',
];

/** Top-level keys of the plans the generators write without apiVersion. */
const PLAN_KEYS = [
  'v2kServiceManager',
  'tomcatServers',
  'apacheServer',
  'appBinariesMigrationToolkit',
  'includeSensitiveData',
];

/** What a document (its plain value) is, when it is a migration artifact; undefined otherwise. */
export function artifactKind(value: unknown): ArtifactKind | undefined {
  const doc = asRecord(value);
  if (!doc) return undefined;
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined;
  const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
  if (apiVersion !== undefined) {
    if (/^skaffold\/v/.test(apiVersion) && kind === 'Config') return 'skaffold';
    if (apiVersion.split('/')[0] === MIGRATE_GROUP) {
      return kind && /GenerateArtifactsFlow$/.test(kind) ? 'migration-plan' : 'migration-object';
    }
    return undefined;
  }
  if (kind !== undefined) return undefined;
  if (PLAN_KEYS.some((k) => k in doc)) return 'migration-plan';
  if ('global' in doc && ('image' in doc || 'deployment' in doc)) return 'migration-plan';
  if ('applications' in doc && ('version' in doc || 'env' in doc)) return 'services-config';
  // logs.yaml: `logs: [{path, ...}]`; blocklist.yaml: `service_list: [{name, services}]`.
  if (Array.isArray(doc.logs) && Object.keys(doc).length === 1) return 'logs';
  if (Array.isArray(doc.service_list)) return 'blocklist';
  return undefined;
}

/**
 * The plain values of a YAML text's documents (errors are for the caller's own parse);
 * an empty document is null, which is no artifact.
 */
export function documentValues(text: string): unknown[] {
  return parseAllDocuments(text, { uniqueKeys: false })
    .filter((d) => !d.errors.length)
    .map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
}

/** Runtime evidence in a plan file: each plan document's own. */
export function planFileEvidence(text: string, path: string): RuntimeEvidence[] {
  return documentValues(text)
    .filter((v) => artifactKind(v) === 'migration-plan')
    .map((v) => planEvidence(v, path))
    .filter((e): e is RuntimeEvidence => e !== undefined);
}

/**
 * Runtime evidence in a deployment spec: each app container's signature (init
 * containers are not what the image runs). Parse errors are the caller's: this reads
 * what parses.
 */
export function specFileEvidence(text: string, path: string): RuntimeEvidence[] {
  const set = new StreamResourceSet([parseDocumentStream(text, path)]);
  const out: RuntimeEvidence[] = [];
  for (const resource of set.resources) {
    const pod = podSpecOf(resource);
    if (!pod) continue;
    for (const container of containersOf(pod)) {
      const found = specEvidence(container);
      if (found) out.push(found);
    }
  }
  return out;
}
