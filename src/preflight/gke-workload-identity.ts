import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { Resource } from '../krm/resource';
import {
  CONTAINER_CREDENTIALS_KEYS,
  POD_IDENTITY_AUDIENCE,
  POD_IDENTITY_VOLUME_NAME,
  WEB_IDENTITY_KEYS,
  WEBHOOK_VOLUME_NAME,
} from '../transforms/set-aws-workload-identity';
import type { ContainerRef } from '../workload/pod-specs';
import { commandLine } from './command-line';
import type { PreflightContext } from './context';
import { fieldPath } from './field-path';
import { accountProject, parseGoogleServiceAccount } from './google-service-account';
import type { GoogleServiceAccount } from './google-service-account';
import { tokenMount } from './pod-identity';
import { describePlatform } from './target';
import { envVar } from './workloads';
import type { Workload } from './workloads';

/**
 * Workload Identity Federation for GKE, as the cluster will apply it
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): the GKE
 * metadata server answers a pod's token requests as the IAM service account its
 * Kubernetes ServiceAccount names in this annotation, once that ServiceAccount's member
 * PROJECT_ID.svc.id.goog[NAMESPACE/KSA] holds roles/iam.workloadIdentityUser on it.
 */
export const GCP_SERVICE_ACCOUNT_ANNOTATION = 'iam.gke.io/gcp-service-account';
/** The node label of Standard node pools that run the GKE metadata server (GKE_METADATA). */
export const METADATA_SERVER_LABEL = 'iam.gke.io/gke-metadata-server-enabled';
export const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

const AWS_AUDIENCES = new Set(['sts.amazonaws.com', POD_IDENTITY_AUDIENCE]);
const AWS_TOKEN_VOLUMES = new Set([WEBHOOK_VOLUME_NAME, POD_IDENTITY_VOLUME_NAME]);
const GKE = new Set(['gke', 'gke-autopilot']);
const NOT_GKE = new Set(['eks', 'anthos-aws']);

export function checkGkeWorkloadIdentity(
  ctx: PreflightContext,
  workloads: readonly Workload[],
): void {
  for (const resource of ctx.set.resources) {
    if (resource.kind !== 'ServiceAccount' || resource.isLocalConfig()) continue;
    ctx.safely(resource, () => checkServiceAccount(ctx, resource));
  }
  for (const workload of workloads) ctx.safely(workload.resource, () => checkPods(ctx, workload));
}

interface Annotation {
  value: string;
  node: Node | undefined;
  field: string;
}

function annotationOf(sa: Resource | undefined): Annotation | undefined {
  const annotations = sa?.metadata?.get('annotations');
  if (!isMap(annotations)) return undefined;
  const node = annotations.get(GCP_SERVICE_ACCOUNT_ANNOTATION, true) as Node | undefined;
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return {
    value: String(node.value),
    node,
    field: fieldPath(['metadata', 'annotations', GCP_SERVICE_ACCOUNT_ANNOTATION]),
  };
}

function checkServiceAccount(ctx: PreflightContext, sa: Resource): void {
  const annotation = annotationOf(sa);
  if (!annotation) return;
  const gsa = parseGoogleServiceAccount(annotation.value);
  if ('problem' in gsa) {
    ctx.report(sa, {
      check: 'gcp-service-account-malformed',
      severity: 'error',
      message: `ServiceAccount ${sa.name}: ${GCP_SERVICE_ACCOUNT_ANNOTATION}: ${JSON.stringify(annotation.value)} is not a Google service account the pods can act as (${gsa.problem}): the GKE metadata server cannot issue its tokens, so every Google API call of the pods fails`,
      fix: `set it to the email of the service account the workload acts as, NAME@PROJECT_ID.iam.gserviceaccount.com (or remove it with principal: direct and grant roles to the ServiceAccount's principal)`,
      field: annotation.field,
      node: annotation.node,
    });
    return;
  }
  checkCrossProject(ctx, sa, gsa, annotation);
}

/**
 * An IAM service account in another project than the cluster's: the pool of the cluster's
 * project (PROJECT_ID.svc.id.goog) must be granted roles/iam.workloadIdentityUser on it,
 * a grant made in the service account's project, which the team owning the cluster often
 * does not make. It counts as visible when the package holds it (Config Connector).
 */
function checkCrossProject(
  ctx: PreflightContext,
  sa: Resource,
  gsa: GoogleServiceAccount,
  annotation: Annotation,
): void {
  const cluster = ctx.config.gcpProjectId;
  if (!cluster) return;
  const clusterNumber =
    ctx.config.gcpProjectNumber === undefined ? undefined : String(ctx.config.gcpProjectNumber);
  const other =
    gsa.project !== undefined
      ? gsa.project !== cluster
      : clusterNumber !== undefined && gsa.projectNumber !== clusterNumber;
  if (!other) return;
  const namespace = sa.namespace ?? 'NAMESPACE';
  const member = `serviceAccount:${cluster}.svc.id.goog[${namespace}/${sa.name}]`;
  if (grantInPackage(ctx, gsa, sa, cluster)) return;
  const command = commandLine(
    'gcloud',
    'iam',
    'service-accounts',
    'add-iam-policy-binding',
    gsa.email,
    `--role=${WORKLOAD_IDENTITY_USER}`,
    `--member=${member}`,
  );
  const placeholder = sa.namespace
    ? ''
    : ' (NAMESPACE: the namespace the ServiceAccount is applied in; the package names none)';
  ctx.report(sa, {
    check: 'gcp-service-account-cross-project',
    severity: 'warning',
    message: `ServiceAccount ${sa.name} acts as ${gsa.email}, of project ${accountProject(gsa)}, and the cluster is in project ${cluster}: the GKE metadata server issues its tokens only once ${member} holds ${WORKLOAD_IDENTITY_USER} on that service account, a grant made in project ${accountProject(gsa)} that the package does not hold`,
    fix: `${command}${placeholder}; or declare it as a Config Connector IAMPolicyMember on the IAMServiceAccount ${gsa.email}`,
    field: annotation.field,
    node: annotation.node,
    tags: { member, role: WORKLOAD_IDENTITY_USER, command, serviceAccount: gsa.email },
  });
}

/**
 * A non-local Config Connector grant of roles/iam.workloadIdentityUser on the service
 * account to this Kubernetes ServiceAccount (any namespace when the package leaves it to
 * the apply): an IAMPolicyMember, or a binding of an IAMPartialPolicy / IAMPolicy.
 */
function grantInPackage(
  ctx: PreflightContext,
  gsa: GoogleServiceAccount,
  sa: Resource,
  cluster: string,
): boolean {
  const members = (member: unknown): boolean => {
    if (typeof member !== 'string') return false;
    const m = /^serviceAccount:(.+)\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$/.exec(member);
    return !!m && m[1] === cluster && m[3] === sa.name && (!sa.namespace || m[2] === sa.namespace);
  };
  const onAccount = (ref: unknown): boolean => {
    if (!isMap(ref) || ref.get('kind') !== 'IAMServiceAccount') return false;
    const external = ref.get('external');
    if (typeof external === 'string') {
      return external === gsa.email || external.endsWith(`/serviceAccounts/${gsa.email}`);
    }
    // By name: an IAMServiceAccount object whose name is the account id.
    return ref.get('name') === gsa.email.slice(0, gsa.email.indexOf('@'));
  };
  for (const r of ctx.set.resources) {
    if (!r.apiVersion.startsWith('iam.cnrm.cloud.google.com/') || r.isLocalConfig()) continue;
    const spec = r.node.get('spec');
    if (!isMap(spec) || !onAccount(spec.get('resourceRef'))) continue;
    if (r.kind === 'IAMPolicyMember') {
      if (spec.get('role') === WORKLOAD_IDENTITY_USER && members(spec.get('member'))) return true;
      continue;
    }
    if (r.kind !== 'IAMPartialPolicy' && r.kind !== 'IAMPolicy') continue;
    const bindings = spec.get('bindings');
    if (!isSeq(bindings)) continue;
    for (const b of bindings.items) {
      if (!isMap(b) || b.get('role') !== WORKLOAD_IDENTITY_USER) continue;
      const list = b.get('members');
      if (!isSeq(list)) continue;
      const found = list.items.some((m) =>
        members(isMap(m) ? m.get('member') : isScalar(m) ? m.value : undefined),
      );
      if (found) return true;
    }
  }
  return false;
}

/** What the pods of a workload bound to a Google service account meet on the target. */
function checkPods(ctx: PreflightContext, workload: Workload): void {
  const platform = ctx.config.platform ?? 'generic';
  const selector = metadataServerSelector(workload);
  if (selector && platform === 'gke-autopilot') {
    ctx.report(workload.resource, {
      check: 'gke-metadata-server-node-selector',
      severity: 'error',
      message: `the pods select ${METADATA_SERVER_LABEL}: "true" (${selector.via}), which GKE Autopilot rejects: every Autopilot node runs the GKE metadata server`,
      fix: `remove the ${METADATA_SERVER_LABEL} ${selector.via === 'nodeSelector' ? 'nodeSelector' : 'node affinity term'}`,
      field: selector.field,
      node: selector.node,
    });
  } else if (selector && NOT_GKE.has(platform)) {
    ctx.report(workload.resource, {
      check: 'gke-metadata-server-node-selector',
      severity: 'error',
      message: `the pods select ${METADATA_SERVER_LABEL}: "true" (${selector.via}), a label only GKE node pools with Workload Identity Federation carry: on ${describePlatform(platform)} no node has it, so the pods stay Pending`,
      fix: `remove the ${METADATA_SERVER_LABEL} ${selector.via === 'nodeSelector' ? 'nodeSelector' : 'node affinity term'}`,
      field: selector.field,
      node: selector.node,
    });
  }
  const annotation = annotationOf(workload.serviceAccount);
  if (!annotation) return;
  const sa = workload.serviceAccountName;
  const bound = `ServiceAccount ${sa} carries ${GCP_SERVICE_ACCOUNT_ANNOTATION}: ${annotation.value}`;
  const saField = `${workload.pod.field}.serviceAccountName`;
  const saNode =
    (workload.pod.node.get('serviceAccountName', true) as Node | undefined) ?? workload.pod.node;
  if (NOT_GKE.has(platform)) {
    ctx.report(workload.resource, {
      check: 'gke-workload-identity-platform',
      severity: 'warning',
      message: `${bound}, but the target platform is ${platform}: only GKE runs the GKE metadata server that honours it, so the annotation has no effect and the Google client libraries in the pods find no credentials`,
      fix: `on ${describePlatform(platform)}, use Workload Identity Federation with a credential configuration file (gcloud iam workload-identity-pools create-cred-config) mounted in the pods and named by GOOGLE_APPLICATION_CREDENTIALS, and drop the annotation`,
      field: saField,
      node: saNode,
    });
    return;
  }
  if (!GKE.has(platform)) return;
  if (platform === 'gke' && !selector) {
    ctx.report(workload.resource, {
      check: 'gke-metadata-server-node-selector',
      severity: 'warning',
      message: `${bound}, and the pods do not select ${METADATA_SERVER_LABEL}: "true": on a Standard cluster, a node pool without Workload Identity Federation for GKE (workload metadata GCE_METADATA) serves them the Compute Engine metadata server, where they act as the node's service account instead`,
      fix: `add nodeSelector ${METADATA_SERVER_LABEL}: "true" to the pod template (unless every node pool runs with --workload-metadata=GKE_METADATA)`,
      field: `${workload.pod.field}.nodeSelector`,
      node: (workload.pod.node.get('nodeSelector', true) as Node | undefined) ?? workload.pod.node,
    });
  }
  const hostNetwork = workload.pod.node.get('hostNetwork', true);
  if (platform === 'gke' && isScalar(hostNetwork) && hostNetwork.value === true) {
    ctx.report(workload.resource, {
      check: 'gke-workload-identity-host-network',
      severity: 'error',
      message: `${bound}, but the pods run on the host network, where Workload Identity Federation for GKE does not apply: their metadata requests reach the Compute Engine metadata server, which answers as the node's service account`,
      fix: 'drop hostNetwork: true, or give the workload another identity',
      field: `${workload.pod.field}.hostNetwork`,
      node: hostNetwork,
    });
  }
  for (const container of workload.containers) checkMechanisms(ctx, workload, container, bound);
}

/**
 * A container whose pod acts as a Google service account but that also carries another
 * identity: AWS web identity or Pod Identity (variables or token), which the AWS SDKs use
 * whatever GKE does, or GOOGLE_APPLICATION_CREDENTIALS, which Application Default
 * Credentials read before the metadata server (so the Workload Identity is not used).
 */
function checkMechanisms(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  bound: string,
): void {
  const aws = [...WEB_IDENTITY_KEYS, ...CONTAINER_CREDENTIALS_KEYS]
    .map((name) => ({ name, env: envVar(container, name) }))
    .filter((v) => v.env !== undefined);
  const token = tokenMount(workload, container, AWS_TOKEN_VOLUMES, AWS_AUDIENCES);
  if (aws.length || token) {
    const what = [
      ...aws.map((v) => v.name),
      ...(token ? [`the AWS token volume ${String(token.get('name'))}`] : []),
    ].join(', ');
    const first = aws[0]?.env;
    ctx.report(workload.resource, {
      check: 'gcp-identity-mechanism-conflict',
      severity: 'warning',
      message: `${bound}, and container ${container.name} also carries AWS identity (${what}): on GKE no EKS webhook or Pod Identity agent serves it, and web identity works only where the IAM role trusts an OIDC provider for this cluster's issuer; the services may reach AWS with another identity than intended, or fail`,
      fix: 'keep one mechanism: drop the AWS variables and token volume once the services call Google APIs only, or keep IRSA with an IAM OIDC provider for the cluster (https://container.googleapis.com/v1/projects/PROJECT/locations/LOCATION/clusters/CLUSTER) trusted by the role',
      field: first ? first.field : `${container.field}.volumeMounts`,
      node: first ? first.node : (token ?? container.node),
    });
  }
  const key = envVar(container, 'GOOGLE_APPLICATION_CREDENTIALS');
  if (key) {
    ctx.report(workload.resource, {
      check: 'gcp-identity-mechanism-conflict',
      severity: 'warning',
      message: `${bound}, but container ${container.name} sets GOOGLE_APPLICATION_CREDENTIALS${key.value === undefined ? '' : `=${key.value}`}: Application Default Credentials read that file before the GKE metadata server, so the services act as whatever it holds (often the VM's service account key), not as the Workload Identity`,
      fix: 'remove GOOGLE_APPLICATION_CREDENTIALS (and the key file it names) so the services use the Workload Identity',
      field: key.field,
      node: key.node,
    });
  }
}

/**
 * How the pod template selects metadata-server nodes: nodeSelector, or a required node
 * affinity term with the label `In ["true"]` (the pods can only land on such nodes when
 * every term does).
 */
function metadataServerSelector(
  workload: Workload,
): { via: 'nodeSelector' | 'nodeAffinity'; field: string; node: Node } | undefined {
  const pod = workload.pod;
  const selector = pod.node.get('nodeSelector');
  if (isMap(selector)) {
    const node = selector.get(METADATA_SERVER_LABEL, true) as Node | undefined;
    if (isScalar(node) && String(node.value) === 'true') {
      return {
        via: 'nodeSelector',
        field: `${pod.field}.${fieldPath(['nodeSelector', METADATA_SERVER_LABEL])}`,
        node,
      };
    }
  }
  const path = ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'];
  const terms = pod.node.getIn([...path, 'nodeSelectorTerms']);
  if (!isSeq(terms) || !terms.items.length) return undefined;
  const all = terms.items.every((term) => {
    const expressions = isMap(term) ? term.get('matchExpressions') : undefined;
    return (
      isSeq(expressions) &&
      expressions.items.some((e) => {
        if (!isMap(e) || e.get('key') !== METADATA_SERVER_LABEL || e.get('operator') !== 'In') {
          return false;
        }
        const values = e.get('values');
        return isSeq(values) && values.items.every((v) => isScalar(v) && v.value === 'true');
      })
    );
  });
  return all
    ? {
        via: 'nodeAffinity',
        field: `${pod.field}.${path.join('.')}.nodeSelectorTerms`,
        node: terms,
      }
    : undefined;
}
