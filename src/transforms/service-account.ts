import type { Node, YAMLMap } from 'yaml';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import type { Result } from '../krm/results';
import {
  child,
  ensureMap,
  mapItems,
  plainValueAt,
  readSeq,
  readString,
  setScalar,
} from '../yaml/edit';
import type { PodSpecRef } from '../workload/pod-specs';
import { guard } from './context';
import type { TransformContext } from './context';

/*
 * The Kubernetes ServiceAccount a workload identity is bound to, shared by every identity
 * mechanism (IRSA, EKS Pod Identity, Workload Identity Federation for GKE). Least
 * privilege: an identity is never given to a namespace's default ServiceAccount unless
 * the config names it; each workload gets one of its own.
 */

/** The ServiceAccount the pods run as after binding, and the one they named before. */
export interface BoundAccount {
  name: string;
  previous: string;
}

/**
 * The ServiceAccount the pods run as: the config's, else the one they name (other than
 * default), else one of the workload's own named after it. Sets it on the pods (and the
 * deprecated `serviceAccount` alias when present); undefined with an error result when
 * the workload has no name to give its own.
 */
export function bindServiceAccount(
  ctx: TransformContext,
  pod: PodSpecRef,
  configured: string | undefined,
): BoundAccount | undefined {
  const field = `${pod.field}.serviceAccountName`;
  const named = readString(pod.node, 'serviceAccountName', field);
  const aliasField = `${pod.field}.serviceAccount`;
  const legacyField = readString(pod.node, 'serviceAccount', aliasField);
  const current = named ?? legacyField;
  let name: string | undefined = configured;
  if (!name) name = current && current !== 'default' ? current : dedicatedName(pod.resource);
  if (!name) {
    ctx.results.push(
      pod.resource.result(
        'error',
        'the workload has no metadata.name to name its own ServiceAccount after: set serviceAccountName in the config or on the pods',
        field,
      ),
    );
    return undefined;
  }
  // Moving pods off default is the documented default, not news on every run.
  if (current && current !== 'default' && current !== name) {
    ctx.results.push(
      pod.resource.result(
        'info',
        `serviceAccountName changed from ${current} to ${name} for workload identity`,
        field,
      ),
    );
  }
  setScalar(pod.resource, pod.node, 'serviceAccountName', name, field);
  // The deprecated alias must not name another account.
  if (legacyField !== undefined && legacyField !== name) {
    setScalar(pod.resource, pod.node, 'serviceAccount', name, aliasField);
  }
  return { name, previous: current ?? 'default' };
}

/**
 * A workload's own ServiceAccount is named after the workload (`metadata.name`); a
 * workload called `default` gets `default-<kind>` so it never lands on the namespace's.
 */
export function dedicatedName(resource: Resource): string | undefined {
  const name = resource.name;
  if (!name) return undefined;
  return name === 'default' ? `default-${resource.kind.toLowerCase()}` : name;
}

/**
 * A new ServiceAccount for the pods, in the workload's namespace. Pods moved off an
 * account of the package keep the pull Secrets it gave them.
 */
export function newServiceAccount(
  ctx: TransformContext,
  pod: PodSpecRef,
  account: BoundAccount,
  annotations: Record<string, string>,
): Record<string, unknown> {
  const namespace = pod.resource.namespace;
  const metadata: Record<string, unknown> = { name: account.name };
  if (namespace) metadata.namespace = namespace;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const value: Record<string, unknown> = { apiVersion: 'v1', kind: 'ServiceAccount', metadata };
  const pullSecrets = pullSecretsOf(ctx, account.previous, namespace);
  // (a new account's own name is in no package ServiceAccount: it brings none)
  if (pullSecrets.length) value.imagePullSecrets = pullSecrets;
  return value;
}

function pullSecretsOf(
  ctx: TransformContext,
  name: string,
  namespace: string | undefined,
): { name: string }[] {
  const sa = findResource(ctx.set, 'ServiceAccount', name, namespace);
  if (!sa) return [];
  let names: { name: string }[] = [];
  guard(ctx, sa, () => {
    names = mapItems(readSeq(sa.node, 'imagePullSecrets', 'imagePullSecrets'), 'imagePullSecrets')
      .map((ref) => plainValueAt(ref, 'name'))
      .filter((n): n is string => typeof n === 'string')
      .map((n) => ({ name: n }));
  });
  return names;
}

/** The node of one annotation of a resource, for a result's line. */
export function annotationNode(resource: Resource, key: string): Node | undefined {
  const annotations = resource.metadata && child(resource.metadata, 'annotations');
  return annotations && 'items' in annotations ? child(annotations as YAMLMap, key) : undefined;
}

/**
 * Where a binding to `default` applies, for its warning: the namespaces named, and the
 * one unnamespaced workloads are applied to.
 */
export function defaultNamespacesText(namespaces: ReadonlySet<string>): string {
  const named = [...namespaces].filter(Boolean).sort();
  return named.length
    ? ` of namespace${named.length > 1 ? 's' : ''} ${named.join(', ')}${namespaces.has('') ? ' and of the namespace the unnamespaced workloads are applied to' : ''}`
    : '';
}

/**
 * Sets the annotation that binds an identity on a ServiceAccount of the package. A
 * different value already there is an error naming both (nothing is bound) unless
 * `override`, which replaces it with an info (`changed` says what changed). Returns
 * whether the annotation now holds `value`.
 */
export function bindAnnotation(
  ctx: TransformContext,
  account: Resource,
  key: string,
  value: string,
  override: boolean,
  changed: string,
): boolean {
  const field = `metadata.annotations.${key}`;
  const annotated = account.annotations()[key];
  const node = annotationNode(account, key);
  if (annotated !== undefined && annotated !== value) {
    if (!override) {
      const result = account.result(
        'error',
        `ServiceAccount ${account.name} has ${key}: ${annotated}, the config asks for ${value}; set override: true to replace it`,
        field,
        node,
      );
      result.field = { ...result.field!, currentValue: annotated, proposedValue: value };
      ctx.results.push(result);
      return false;
    }
    ctx.results.push(
      account.result('info', `${changed} changed from ${annotated} to ${value}`, field, node),
    );
  }
  setAnnotation(account, key, value);
  return true;
}

/** Sets one annotation of a ServiceAccount, adding metadata.annotations when absent. */
export function setAnnotation(account: Resource, key: string, value: string): void {
  // Only ServiceAccounts of the package found by their name get here: metadata is a map.
  const map = ensureMap(account, account.metadata!, 'annotations', 'metadata.annotations');
  setScalar(account, map, key, value, `metadata.annotations.${key}`);
}

/** A result's reference to a ServiceAccount (one the run may still have to create). */
export function serviceAccountRef(
  name: string,
  namespace: string | undefined,
): Result['resourceRef'] {
  const ref: Result['resourceRef'] = { apiVersion: 'v1', kind: 'ServiceAccount', name };
  if (namespace) ref.namespace = namespace;
  return ref;
}
