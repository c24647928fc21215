import { quoted } from '../errors';
import { appendPullSecret, namespaceFlag } from './command-line';
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import {
  formatImageReference,
  ImageReferenceError,
  parseImageReference,
  underPrefix,
} from '../image/reference';
import type { ImageReference } from '../image/reference';
import { classifyRegistry } from '../image/registry-hosts';
import type { RegistryHost } from '../image/registry-hosts';
import type { ContainerRef } from '../workload/pod-specs';
import { commandLine } from './command-line';
import type { PreflightContext } from './context';
import { checkCrossProject } from './cross-project';
import { EcrNodeAccess } from './ecr';
import { attachedSecretNames, keyMatches, knownPullSecrets, secretsNamed } from './pull-secrets';
import type { KnownPullSecret } from './pull-secrets';
import {
  DEFAULT_PUBLIC_REGISTRIES,
  describePlatform,
  hasAwsNodeCredentials,
  hasGoogleNodeCredentials,
} from './target';
import type { Workload } from './workloads';

/**
 * Pull coverage: every image must be pullable on the target, through a pull Secret
 * of the pod or its ServiceAccount whose registry matches, or through the nodes'
 * own credentials (GKE for Google registries, the instance profile for ECR).
 */
export function checkImages(ctx: PreflightContext, workloads: readonly Workload[]): void {
  const scope: Scope = {
    ctx,
    known: knownPullSecrets(ctx),
    ecr: new EcrNodeAccess(ctx),
  };
  for (const workload of workloads) {
    ctx.safely(workload.resource, () => {
      const attached = attachedSecretNames(workload, scope.known);
      for (const container of workload.containers) checkImage(scope, workload, container, attached);
    });
  }
  scope.ecr.finish();
}

/** What every image of one run is checked against. */
interface Scope {
  ctx: PreflightContext;
  known: KnownPullSecret[];
  ecr: EcrNodeAccess;
}

/** Whether the image is under one of the prefixes (an absent list holds none). */
function underAny(ref: ImageReference, prefixes: readonly string[] | undefined): boolean {
  return prefixes?.some((prefix) => underPrefix(ref, prefix)) === true;
}

function checkImage(
  scope: Scope,
  workload: Workload,
  container: ContainerRef,
  attached: readonly string[],
): void {
  const { ctx, known } = scope;
  const imageNode = container.node.get('image', true) as Node | undefined;
  const field = `${container.field}.image`;
  if (imageNode === undefined) {
    ctx.report(workload.resource, {
      check: 'image-reference',
      severity: 'error',
      message: `container ${container.name || '(unnamed)'} has no image`,
      fix: 'set image to REGISTRY/REPOSITORY:TAG',
      field,
      node: container.node,
    });
    return;
  }
  const value = isScalar(imageNode) ? imageNode.value : undefined;
  if (typeof value !== 'string') return; // the schema check reports the type
  let ref: ImageReference;
  try {
    ref = parseImageReference(value);
  } catch (error) {
    if (!(error instanceof ImageReferenceError)) throw error;
    ctx.report(workload.resource, {
      check: 'image-reference',
      severity: 'error',
      message: `image ${quoted(value)} is not a valid reference (${error.message}); the kubelet reports InvalidImageName`,
      fix: 'write it as REGISTRY/REPOSITORY[:TAG][@DIGEST] with a lower-case repository, or have the builder (skaffold, Cloud Build, kustomize images:) replace the placeholder',
      field,
      node: imageNode,
    });
    return;
  }
  if (ref.placeholder) {
    ctx.report(workload.resource, {
      check: 'image-placeholder',
      severity: 'warning',
      message: `image ${value} names no registry or tag: a placeholder for a builder to replace, or else docker.io/library/${value}:latest`,
      fix: 'replace it with the built image (skaffold, Cloud Build, `kustomize edit set image`) before applying, or name the registry and tag',
      field,
      node: imageNode,
    });
    return;
  }
  if (underAny(ref, DEFAULT_PUBLIC_REGISTRIES) || underAny(ref, ctx.config.publicRegistries)) {
    return;
  }
  const host = classifyRegistry(ref);
  if (host.kind === 'docker-hub' && host.official) return;
  const secrets = attached.flatMap((name) => secretsNamed(name, workload, known));
  if (secrets.some((s) => s.registries.some((key) => keyMatches(key, ref)))) return;
  const unknown = attached.filter((name) => !secretsNamed(name, workload, known).length);
  const platform = ctx.config.platform;
  const google = host.kind === 'gcr' || host.kind === 'artifact-registry';
  // Images the nodes pull with their own credentials need those to reach the registry,
  // unless the target says they already do (nodeReadableRegistries).
  const readable = () => underAny(ref, ctx.config.nodeReadableRegistries);
  if (google && hasGoogleNodeCredentials(platform)) {
    if (!readable()) checkCrossProject(ctx, workload, container, imageNode, ref, host, unknown);
  } else if (host.kind === 'ecr' && hasAwsNodeCredentials(platform)) {
    if (!readable()) scope.ecr.add(workload, container, imageNode, ref, host, unknown);
  } else {
    reportUncovered(ctx, { workload, container, imageNode, ref, host, unknown, known });
  }
}

interface Pull {
  workload: Workload;
  container: ContainerRef;
  imageNode: Node | undefined;
  ref: ImageReference;
  host: RegistryHost;
  unknown: readonly string[];
  known: readonly KnownPullSecret[];
}

function reportUncovered(ctx: PreflightContext, pull: Pull): void {
  const { workload, container, imageNode, ref, host, unknown } = pull;
  const image = formatImageReference(ref);
  const field = `${container.field}.image`;
  const registry = ref.registry;
  const namespace = workload.namespace ?? 'the target namespace';
  const ns = namespaceFlag(workload.namespace);
  if (unknown.length) {
    const names = unknown.join(', ');
    ctx.report(workload.resource, {
      check: 'pull-secret-unknown',
      severity: 'warning',
      message: `image ${image} can only be pulled with pull Secret ${names}, which the target does not declare and the package does not create: the pull works only if it exists in ${namespace} and holds credentials for ${registry}`,
      fix: `create it in the cluster and declare it in the target: pullSecrets: [{name: ${unknown[0]}, registries: [${registry}]}]`,
      field,
      node: imageNode,
      tags: { secrets: names, registry },
    });
    return;
  }
  // Declared Secrets for this registry that the pod does not use.
  const usable = pull.known
    .filter((s) => s.source === 'target' || s.namespace === workload.namespace)
    .filter((s) => s.registries.some((key) => keyMatches(key, ref)))
    .map((s) => s.name);
  const reference = usable.length
    ? `reference pull Secret ${usable[0]} from the pods (retarget set-image-pull-secrets, names: [${usable[0]}]) or from ServiceAccount ${workload.serviceAccountName}: ${appendPullSecret(workload.serviceAccountName, ns, usable[0])}`
    : undefined;
  const where = describePlatform(ctx.config.platform);
  if (host.kind === 'gcr' || host.kind === 'artifact-registry' || host.kind === 'ecr') {
    const google = host.kind !== 'ecr';
    const createSecret = google
      ? `create a pull Secret from a service-account JSON key that can read project ${host.project}: ${commandLine('kubectl', 'create', 'secret', 'docker-registry', 'gcr-json-key', ...ns, `--docker-server=${registry}`, '--docker-username=_json_key')} --docker-password="$(cat KEY.json)", reference it from the pods or the ServiceAccount, and declare it in the target's pullSecrets`
      : `keep a pull Secret refreshed from \`${commandLine('aws', 'ecr', 'get-login-password', '--region', host.region)}\` (ECR tokens expire after 12 hours), or run on EKS / GKE on AWS nodes whose instance profile has arn:${host.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`;
    ctx.report(workload.resource, {
      check: 'pull-not-covered',
      severity: 'error',
      message: `image ${image} is in a private ${google ? 'Google' : 'ECR'} registry, no pull Secret of the pods or of ServiceAccount ${workload.serviceAccountName} covers ${registry}, and ${where}'s nodes have no ${google ? 'Google' : 'AWS'} credentials: the pull fails with "pull access denied"`,
      fix: reference ?? createSecret,
      field,
      node: imageNode,
      tags: { registry },
    });
    return;
  }
  if (host.kind === 'docker-hub') {
    ctx.report(workload.resource, {
      check: 'pull-not-covered',
      severity: 'info',
      message: `image ${image} is pulled from Docker Hub without credentials: fine if the repository is public (anonymous pulls are rate-limited)`,
      fix:
        reference ??
        'for a private repository, add a docker-registry pull Secret for docker.io and declare it in the target',
      field,
      node: imageNode,
      tags: { registry },
    });
    return;
  }
  ctx.report(workload.resource, {
    check: 'pull-not-covered',
    severity: 'warning',
    message: `no pull Secret of the pods or of ServiceAccount ${workload.serviceAccountName} covers ${registry}: the pull of ${image} works only if the repository is public`,
    fix:
      reference ??
      `create a basic-auth pull Secret: ${commandLine('kubectl', 'create', 'secret', 'docker-registry', 'registry-credentials', ...namespaceFlag(workload.namespace), `--docker-server=${registry}`)} --docker-username=USER --docker-password=PASSWORD, reference it from the pods and declare it in the target's pullSecrets (or list ${registry} in publicRegistries)`,
    field,
    node: imageNode,
    tags: { registry },
  });
}
