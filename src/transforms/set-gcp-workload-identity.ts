import type { SetGcpWorkloadIdentityConfig } from '../config/types';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import { ensureMap, plainValueAt, readMap, setScalar } from '../yaml/edit';
import { containersOf } from '../workload/pod-specs';
import type { PodSpecRef } from '../workload/pod-specs';
import { selectsContainer } from '../workload/selector';
import { guard, selectedPodSpecs } from './context';
import type { TransformContext } from './context';
import { directRoles, reportGrants, serviceAccountProject } from './gcp-iam-grants';
import type { KsaRef } from './gcp-iam-grants';
import {
  annotationNode,
  bindAnnotation,
  bindServiceAccount,
  defaultNamespacesText,
  newServiceAccount,
} from './service-account';
import type { BoundAccount } from './service-account';

/*
 * Workload Identity Federation for GKE, as Google's guide sets it up
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): a
 * Kubernetes ServiceAccount per workload, annotated iam.gke.io/gcp-service-account when
 * it impersonates a Google service account; on Standard clusters the nodeSelector that
 * keeps the pods on nodes running the GKE metadata server; the IAM grant printed (and
 * optionally emitted). Nothing goes into the containers: the GKE metadata server answers
 * the same endpoint (169.254.169.254, metadata.google.internal) that a Compute Engine VM's
 * software already asks for its credentials, from whatever process in the pod asks.
 */

type Config = SetGcpWorkloadIdentityConfig;

export const GCP_SERVICE_ACCOUNT_ANNOTATION = 'iam.gke.io/gcp-service-account';
export const METADATA_SERVER_NODE_LABEL = 'iam.gke.io/gke-metadata-server-enabled';

interface GcpBinding extends KsaRef {
  create?: { value: Record<string, unknown>; near: Resource };
}

export function setGcpWorkloadIdentity(ctx: TransformContext, config: Config): void {
  const bindings = new Map<string, GcpBinding | null>();
  const boundDefault = new Set<string>();
  for (const pod of selectedPodSpecs(ctx, config)) {
    guard(ctx, pod.resource, () => {
      const selected = containersOf(pod, ['containers', 'initContainers']).filter((c) =>
        selectsContainer(config.selector, c.name),
      );
      if (!selected.length) return;
      const account = bindServiceAccount(ctx, pod, config.serviceAccountName);
      if (!account) return;
      const namespace = pod.resource.namespace;
      const key = `${namespace ?? ''}/${account.name}`;
      if (!bindings.has(key)) bindings.set(key, bind(ctx, pod, account, config));
      if (!bindings.get(key)) return;
      if (account.name === 'default') boundDefault.add(namespace ?? '');
      placeOnMetadataServerNodes(ctx, pod, config);
      warnHostNetwork(ctx, pod);
    });
  }
  if (boundDefault.size) {
    const who =
      config.principal === 'direct'
        ? `the roles ${directRoles(config).join(', ')}`
        : `the identity of ${config.gcpServiceAccount}`;
    ctx.results.push({
      severity: 'warning',
      message: `serviceAccountName: default gives ${who} to the ServiceAccount default${defaultNamespacesText(boundDefault)}: every pod there that names no ServiceAccount gets it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own`,
    });
  }
  const accounts = [...bindings.values()].filter((b): b is GcpBinding => !!b);
  // New ServiceAccounts go in after the workloads' own objects.
  for (const binding of accounts) {
    if (binding.create) ctx.set.add(binding.create.value, binding.create.near);
  }
  reportGrants(ctx, accounts, config);
  const gsa = impersonated(config);
  if (accounts.length && gsa && serviceAccountProject(gsa) !== config.projectId) {
    ctx.results.push({
      severity: 'info',
      message: `the GKE metadata server tells the pods they are in project ${config.projectId} (the cluster's), where ${gsa} is in ${serviceAccountProject(gsa)}: software that takes its default project from the metadata server, as on the source Compute Engine VM, now uses ${config.projectId}; set GOOGLE_CLOUD_PROJECT (or the software's own setting) where that matters`,
    });
  }
}

/** The Google service account the pods impersonate: none with the direct principal. */
function impersonated(config: Config): string | undefined {
  return config.principal === 'direct' ? undefined : config.gcpServiceAccount;
}

/**
 * The ServiceAccount: created in the workload's namespace, or the package's own. With the
 * service-account principal it carries iam.gke.io/gcp-service-account; a different
 * value already there is an error unless override. With the direct principal it carries
 * none: an annotation left there is reported, since GKE then uses that Google service
 * account instead of the principal the roles are granted to.
 */
function bind(
  ctx: TransformContext,
  pod: PodSpecRef,
  account: BoundAccount,
  config: Config,
): GcpBinding | null {
  const namespace = pod.resource.namespace;
  const gsa = impersonated(config);
  const existing = findResource(ctx.set, 'ServiceAccount', account.name, namespace);
  if (!existing) {
    const annotations: Record<string, string> = gsa
      ? { [GCP_SERVICE_ACCOUNT_ANNOTATION]: gsa }
      : {};
    return {
      name: account.name,
      namespace,
      create: { value: newServiceAccount(ctx, pod, account, annotations), near: pod.resource },
    };
  }
  let binding: GcpBinding | null = null;
  guard(ctx, existing, () => {
    const field = `metadata.annotations.${GCP_SERVICE_ACCOUNT_ANNOTATION}`;
    const annotated = existing.annotations()[GCP_SERVICE_ACCOUNT_ANNOTATION];
    const node = annotationNode(existing, GCP_SERVICE_ACCOUNT_ANNOTATION);
    if (!gsa) {
      if (annotated !== undefined) {
        ctx.results.push(
          existing.result(
            'warning',
            `ServiceAccount ${account.name} carries ${GCP_SERVICE_ACCOUNT_ANNOTATION}: ${annotated}: GKE then gives its pods that Google service account's identity, not the principal the config's roles are granted to (principal: direct); remove the annotation`,
            field,
            node,
          ),
        );
      }
      binding = { name: account.name, namespace };
      return;
    }
    const changed = 'Google service account';
    if (
      !bindAnnotation(ctx, existing, GCP_SERVICE_ACCOUNT_ANNOTATION, gsa, config.override, changed)
    )
      return;
    binding = { name: account.name, namespace };
  });
  return binding;
}

/**
 * On Standard clusters Google's guide gives the pods the nodeSelector
 * iam.gke.io/gke-metadata-server-enabled: "true": a node pool without the GKE metadata
 * server would hand the pods the node's own service account. Autopilot rejects that
 * nodeSelector (every node runs the metadata server), so there it is an error to carry it.
 */
function placeOnMetadataServerNodes(ctx: TransformContext, pod: PodSpecRef, config: Config): void {
  const field = `${pod.field}.nodeSelector`;
  const selector = readMap(pod.node, 'nodeSelector', field);
  const present = selector ? plainValueAt(selector, METADATA_SERVER_NODE_LABEL) : undefined;
  const keyField = `${field}.${METADATA_SERVER_NODE_LABEL}`;
  const node = selector?.get(METADATA_SERVER_NODE_LABEL, true);
  if (config.platform === 'gke-autopilot') {
    if (present === undefined) return;
    ctx.results.push(
      pod.resource.result(
        'error',
        `GKE Autopilot rejects the nodeSelector ${METADATA_SERVER_NODE_LABEL}: every Autopilot node runs the GKE metadata server; remove it`,
        keyField,
        node,
      ),
    );
    return;
  }
  if (present === 'true') return;
  if (present !== undefined) {
    ctx.results.push(
      pod.resource.result(
        'error',
        `nodeSelector ${METADATA_SERVER_NODE_LABEL}: ${String(present)} keeps the pods off the nodes that run the GKE metadata server, where Workload Identity Federation for GKE works; it must be "true"`,
        keyField,
        node,
      ),
    );
    return;
  }
  const map = ensureMap(pod.resource, pod.node, 'nodeSelector', field);
  setScalar(pod.resource, map, METADATA_SERVER_NODE_LABEL, 'true', keyField);
}

/** Pods on the host network reach the node's metadata, not the GKE metadata server. */
function warnHostNetwork(ctx: TransformContext, pod: PodSpecRef): void {
  if (plainValueAt(pod.node, 'hostNetwork') !== true) return;
  ctx.results.push(
    pod.resource.result(
      'warning',
      'hostNetwork: true: Workload Identity Federation for GKE cannot be used by pods on the host network; they get the node service account, not the workload identity',
      `${pod.field}.hostNetwork`,
      pod.node.get('hostNetwork', true),
    ),
  );
}
