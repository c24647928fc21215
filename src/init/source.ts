import { asRecord } from '../runtime/evidence';
import { MIGRATE_GROUP } from '../runtime/artifacts';

/**
 * Where the migrated VM ran, as the processing cluster's objects say (the artifacts
 * `kubectl get -o yaml` or the examples leave beside the spec): the `Migration` names its
 * source provider and the VM (`sourceId`), the `SourceProvider` the cloud. Their shapes
 * (GoogleCloudPlatform/migrate-to-containers examples/crds/*.yaml):
 * - SourceProvider `spec.gce: {project, serviceAccount: {secretRef}}` (Compute Engine; the
 *   secret is the key Migrate to Containers reads the disks with, not the VM's own
 *   service account), `spec.localAws` (Anthos clusters on AWS), `spec.localVmware`, or
 *   `spec.migrateForCE.management.cloudDetails.platform: aws | azure | vmware`;
 * - Migration v1beta2 `spec.sourceSnapshot: {sourceProvider, sourceId}`, v1
 *   `spec.sourceSnapshotTemplate.spec: {sourceProviderRef: {name}, sourceId}`.
 * No generated artifact names the service account the VM ran as.
 */
export interface ScannedSource {
  cloud: 'gce' | 'aws' | 'azure' | 'vmware' | 'unknown';
  /** The SourceProvider's name. */
  provider?: string;
  /** The Compute Engine project of a gce source. */
  project?: string;
  /** The VM (the Migration's sourceId). */
  vm?: string;
  /** The files that say so, for the comment. */
  where: string[];
}

interface Found {
  value: unknown;
  path: string;
}

/** The source of the folder's migration, when its objects are there; undefined otherwise. */
export function scanSource(objects: readonly Found[]): ScannedSource | undefined {
  // The group's objects of a kind, as maps (what the readers below take).
  const ofKind = (kind: string) =>
    objects.flatMap((o) => {
      const doc = asRecord(o.value);
      return doc?.kind === kind &&
        typeof doc.apiVersion === 'string' &&
        doc.apiVersion.split('/')[0] === MIGRATE_GROUP
        ? [{ doc, path: o.path }]
        : [];
    });
  const migration = ofKind('Migration')
    .map((o) => ({ ...migrationSource(o.doc), path: o.path }))
    .find((m) => m.vm !== undefined || m.provider !== undefined);
  const providers = ofKind('SourceProvider');
  const provider =
    providers.find((p) => nameOf(p.doc) === migration?.provider) ??
    (providers.length === 1 && migration?.provider === undefined ? providers[0] : undefined);
  if (!migration && !provider) return undefined;
  const cloud = provider ? cloudOf(provider.doc) : { cloud: 'unknown' as const };
  const name = provider ? nameOf(provider.doc) : migration?.provider;
  return {
    ...cloud,
    provider: name,
    ...(migration?.vm !== undefined ? { vm: migration.vm } : {}),
    where: [...new Set([migration?.path, provider?.path].filter((p) => p !== undefined))],
  };
}

function nameOf(doc: Record<string, unknown>): string | undefined {
  const name = asRecord(doc.metadata)?.name;
  return typeof name === 'string' ? name : undefined;
}

function migrationSource(doc: Record<string, unknown>): { provider?: string; vm?: string } {
  const spec = asRecord(doc.spec);
  const v1beta2 = asRecord(spec?.sourceSnapshot);
  const v1 = asRecord(asRecord(spec?.sourceSnapshotTemplate)?.spec);
  const provider = v1beta2?.sourceProvider ?? asRecord(v1?.sourceProviderRef)?.name;
  const vm = v1beta2?.sourceId ?? v1?.sourceId;
  return {
    ...(typeof provider === 'string' ? { provider } : {}),
    ...(typeof vm === 'string' ? { vm } : {}),
  };
}

function cloudOf(doc: Record<string, unknown>): Pick<ScannedSource, 'cloud' | 'project'> {
  const spec = asRecord(doc.spec);
  const gce = asRecord(spec?.gce);
  if (gce) {
    return typeof gce.project === 'string'
      ? { cloud: 'gce', project: gce.project }
      : { cloud: 'gce' };
  }
  if (spec?.localAws !== undefined || spec?.aws !== undefined) return { cloud: 'aws' };
  if (spec?.localVmware !== undefined || spec?.vmware !== undefined) return { cloud: 'vmware' };
  const platform = asRecord(
    asRecord(asRecord(spec?.migrateForCE)?.management)?.cloudDetails,
  )?.platform;
  if (platform === 'aws' || platform === 'azure' || platform === 'vmware')
    return { cloud: platform };
  return { cloud: 'unknown' };
}
