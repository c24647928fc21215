import { isMap } from 'yaml';
import type { Node } from 'yaml';
import { formatImageReference } from '../image/reference';
import type { ImageReference } from '../image/reference';
import type { ArtifactRegistryHost, GcrHost } from '../image/registry-hosts';
import {
  IAM_POLICY_MEMBER_KIND,
  iamPolicyMember,
  iamPolicyMemberName,
} from '../krm/iam-policy-member';
import { findResource } from '../krm/resource-set';
import type { ContainerRef } from '../workload/pod-specs';
import { commandLine } from './command-line';
import type { PreflightContext } from './context';
import { nodeMember } from './target';
import type { Workload } from './workloads';

const UNKNOWN_MEMBER = 'serviceAccount:PROJECT_NUMBER-compute@developer.gserviceaccount.com';

/** The IAM grant that lets a member read an image's storage. */
interface Grant {
  role: string;
  /** What the role is granted on, for people: `bucket artifacts.a.appspot.com`. */
  on: string;
  command: (member: string) => string;
  resourceRef: { apiVersion: string; kind: string; external: string };
  tags: Record<string, string>;
}

/**
 * The grant that lets a member pull from a Google registry: `roles/artifactregistry.reader`
 * on the Artifact Registry repository. Container Registry was shut down on 18 March 2025;
 * gcr.io, us.gcr.io, eu.gcr.io and asia.gcr.io are served by the Artifact Registry
 * repositories named after the host in the us, europe and asia multi-regions
 * (https://cloud.google.com/artifact-registry/docs/transition/gcr-repositories).
 */
function grantFor(host: GcrHost | ArtifactRegistryHost): Grant {
  const location = host.kind === 'gcr' ? host.arLocation : host.location;
  const repositoryId = host.kind === 'gcr' ? host.host : host.repository;
  const repository = `projects/${host.project}/locations/${location}/repositories/${repositoryId}`;
  return {
    role: 'roles/artifactregistry.reader',
    on:
      host.kind === 'gcr'
        ? `Artifact Registry repository ${repository} (which serves ${host.host} since the Container Registry shutdown)`
        : `Artifact Registry repository ${repository}`,
    command: (member) =>
      commandLine(
        'gcloud',
        'artifacts',
        'repositories',
        'add-iam-policy-binding',
        repositoryId,
        `--location=${location}`,
        `--project=${host.project}`,
        `--member=${member}`,
        '--role=roles/artifactregistry.reader',
      ),
    resourceRef: {
      apiVersion: 'artifactregistry.cnrm.cloud.google.com/v1beta1',
      kind: 'ArtifactRegistryRepository',
      external: repository,
    },
    tags: host.kind === 'gcr' ? { repository, bucket: host.bucket } : { repository },
  };
}

/**
 * A project still on its legacy Container Registry bucket serves gcr.io from Cloud
 * Storage: there `roles/storage.objectViewer` on the bucket is what reads the images.
 */
function legacyBucketGrant(host: GcrHost): Grant {
  return {
    role: 'roles/storage.objectViewer',
    on: `bucket ${host.bucket}`,
    command: (member) =>
      commandLine(
        'gcloud',
        'storage',
        'buckets',
        'add-iam-policy-binding',
        `gs://${host.bucket}`,
        `--member=${member}`,
        '--role=roles/storage.objectViewer',
      ),
    resourceRef: {
      apiVersion: 'storage.cnrm.cloud.google.com/v1beta1',
      kind: 'StorageBucket',
      external: host.bucket,
    },
    tags: { bucket: host.bucket },
  };
}

/**
 * Cross-project pulls on GKE: nodes pull as their service account, which reads its
 * own project's registries only. An image in another project needs an IAM grant on
 * that project's bucket (Container Registry) or repository (Artifact Registry);
 * with `emitIamPolicyMember` the grant is added as a Config Connector IAMPolicyMember.
 */
export function checkCrossProject(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  imageNode: Node | undefined,
  ref: ImageReference,
  host: GcrHost | ArtifactRegistryHost,
  unknownSecrets: readonly string[],
): void {
  const check = host.kind === 'gcr' ? 'gcr-cross-project' : 'artifact-registry-cross-project';
  const image = formatImageReference(ref);
  const field = `${container.field}.image`;
  const cluster = ctx.config.gcpProjectId;
  if (!cluster) {
    ctx.report(workload.resource, {
      check,
      severity: 'warning',
      message: `image ${image} is in project ${host.project}; GKE nodes read only their own project's registries, and the target does not name the cluster's project`,
      fix: 'set gcpProjectId (and gcpProjectNumber) in the target so preflight can tell',
      field,
      node: imageNode,
      tags: { project: host.project },
    });
    return;
  }
  if (host.project === cluster) return;
  const grant = grantFor(host);
  const legacy = host.kind === 'gcr' ? legacyBucketGrant(host) : undefined;
  const member = nodeMember(ctx.config);
  if (member && grantInPackage(ctx, member, grant)) return;
  const who = member ?? UNKNOWN_MEMBER;
  if (member && legacy && grantInPackage(ctx, member, legacy)) {
    // Only the legacy bucket is granted: enough while the project is still on it.
    ctx.report(workload.resource, {
      check,
      severity: 'warning',
      message: `image ${image} is in project ${host.project}: the package grants ${member} ${legacy.role} on its legacy Container Registry ${legacy.on}, which reads the image only while that project is still on the bucket; ${host.host} is served by Artifact Registry, which needs ${grant.role} on ${grant.on}`,
      fix: grant.command(member),
      field,
      node: imageNode,
      tags: { ...grant.tags, member, role: grant.role, command: grant.command(member) },
    });
    return;
  }
  if (member && ctx.config.emitIamPolicyMember) {
    const name = emitGrant(ctx, workload, member, grant);
    ctx.report(workload.resource, {
      check,
      severity: 'info',
      message: `image ${image} is in project ${host.project}, the cluster in project ${cluster}: IAMPolicyMember ${name} grants ${member} ${grant.role} on ${grant.on}`,
      fix: 'apply the IAMPolicyMember with Config Connector before the workload',
      field,
      node: imageNode,
      tags: { ...grant.tags, member, role: grant.role, iamPolicyMember: name },
    });
    return;
  }
  const commands = [grant.command(who)];
  if (legacy) {
    commands.push(
      `only if project ${host.project} still stores ${host.host} images in its legacy Container Registry bucket: ${legacy.command(who)}`,
    );
  }
  if (!member) {
    commands.push(
      `PROJECT_NUMBER is ${cluster}'s: ${commandLine('gcloud', 'projects', 'describe', cluster, '--format=value(projectNumber)')} (or set gcpProjectNumber)`,
    );
  } else {
    commands.push(
      'or set emitIamPolicyMember: true to add the grant as a Config Connector IAMPolicyMember',
    );
  }
  const projectPath = `${host.host}/${host.project.replace(':', '/')}`;
  const prefix = host.kind === 'gcr' ? projectPath : `${projectPath}/${host.repository}`;
  commands.push(`already granted: list ${prefix} in nodeReadableRegistries`);
  const unknown = unknownSecrets.length
    ? ` unless pull Secret ${unknownSecrets.join(', ')} (not declared in the target) holds a key that can read it`
    : '';
  ctx.report(workload.resource, {
    check,
    severity: unknownSecrets.length ? 'warning' : 'error',
    message: `image ${image} is in project ${host.project}, the cluster in project ${cluster}: its nodes pull as ${who}, which needs ${grant.role} on ${grant.on}, or the pods fail with "pull access denied"${unknown}`,
    fix: commands.join('; '),
    field,
    node: imageNode,
    tags: { ...grant.tags, member: who, role: grant.role, command: commands[0] },
  });
}

/** Grants already in the package (member, role, resource), read once per run. */
const packageGrants = new WeakMap<PreflightContext, Set<string>>();

function grantKey(member: unknown, role: unknown, kind: unknown, external: unknown): string {
  return JSON.stringify([member, role, kind, external]);
}

function grantInPackage(ctx: PreflightContext, member: string, grant: Grant): boolean {
  let grants = packageGrants.get(ctx);
  if (!grants) {
    grants = new Set();
    for (const r of ctx.set.resources) {
      if (r.kind !== 'IAMPolicyMember' || r.isLocalConfig()) continue;
      const spec = r.node.get('spec', true);
      const ref = isMap(spec) ? spec.get('resourceRef', true) : undefined;
      if (!isMap(spec) || !isMap(ref)) continue;
      grants.add(
        grantKey(spec.get('member'), spec.get('role'), ref.get('kind'), ref.get('external')),
      );
    }
    packageGrants.set(ctx, grants);
  }
  return grants.has(
    grantKey(member, grant.role, grant.resourceRef.kind, grant.resourceRef.external),
  );
}

/**
 * The emitted IAMPolicyMember's name: `image-pull-` and the resource it grants on, as a
 * DNS-1123 subdomain of at most 249 characters (the repository id comes from the image
 * reference, so it may be long or hold `_`), then a hash of member and role so two
 * members' grants on one repository do not collide. The resource is a full resource
 * name (`projects/...`), so the name never starts with a separator.
 */
export function grantName(member: string, role: string, external: string): string {
  const target = external.replace(/[^a-z0-9.-]+/g, '-');
  return iamPolicyMemberName(`image-pull-${target}`, [member, role]);
}

/** Adds the IAMPolicyMember next to the workload (once); returns its name. */
function emitGrant(
  ctx: PreflightContext,
  workload: Workload,
  member: string,
  grant: Grant,
): string {
  const name = grantName(member, grant.role, grant.resourceRef.external);
  const namespace = workload.namespace;
  if (!findResource(ctx.set, IAM_POLICY_MEMBER_KIND, name, namespace)) {
    packageGrants
      .get(ctx)
      ?.add(grantKey(member, grant.role, grant.resourceRef.kind, grant.resourceRef.external));
    ctx.set.add(
      iamPolicyMember(name, namespace, {
        member,
        role: grant.role,
        resourceRef: grant.resourceRef,
      }),
      workload.resource,
    );
  }
  return name;
}
