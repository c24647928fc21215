/* eslint-disable @typescript-eslint/no-require-imports -- each group-version loads on first use */
/**
 * The Kubernetes API schemas, from the kubernetes-models package (ajv validators
 * compiled from the upstream OpenAPI definitions, one module per kind). This module
 * is bundled on its own (dist/kubernetes-models.js) and required only when preflight
 * validates, so no other executable parses its ~3 MB at start; within it each
 * group-version is evaluated the first time a resource of that group-version shows up.
 * test/preflight/schema.test.ts checks this table against the package's own list.
 */

/** A kubernetes-models class: validate() throws with ajv `errors` for an invalid object. */
export interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: object): { validate(): void };
}

type GroupVersionModule = Record<string, unknown>;

const GROUP_VERSIONS: Record<string, () => GroupVersionModule> = {
  'admissionregistration.k8s.io/v1': () =>
    require('kubernetes-models/admissionregistration.k8s.io/v1'),
  'admissionregistration.k8s.io/v1beta1': () =>
    require('kubernetes-models/admissionregistration.k8s.io/v1beta1'),
  'apiextensions.k8s.io/v1': () => require('kubernetes-models/apiextensions.k8s.io/v1'),
  'apiextensions.k8s.io/v1beta1': () => require('kubernetes-models/apiextensions.k8s.io/v1beta1'),
  'apiregistration.k8s.io/v1': () => require('kubernetes-models/apiregistration.k8s.io/v1'),
  'apiregistration.k8s.io/v1beta1': () =>
    require('kubernetes-models/apiregistration.k8s.io/v1beta1'),
  'apps/v1': () => require('kubernetes-models/apps/v1'),
  'apps/v1beta1': () => require('kubernetes-models/apps/v1beta1'),
  'apps/v1beta2': () => require('kubernetes-models/apps/v1beta2'),
  'authentication.k8s.io/v1': () => require('kubernetes-models/authentication.k8s.io/v1'),
  'authentication.k8s.io/v1beta1': () => require('kubernetes-models/authentication.k8s.io/v1beta1'),
  'authorization.k8s.io/v1': () => require('kubernetes-models/authorization.k8s.io/v1'),
  'authorization.k8s.io/v1beta1': () => require('kubernetes-models/authorization.k8s.io/v1beta1'),
  'autoscaling/v1': () => require('kubernetes-models/autoscaling/v1'),
  'autoscaling/v2': () => require('kubernetes-models/autoscaling/v2'),
  'autoscaling/v2beta1': () => require('kubernetes-models/autoscaling/v2beta1'),
  'autoscaling/v2beta2': () => require('kubernetes-models/autoscaling/v2beta2'),
  'batch/v1': () => require('kubernetes-models/batch/v1'),
  'batch/v1beta1': () => require('kubernetes-models/batch/v1beta1'),
  'certificates.k8s.io/v1': () => require('kubernetes-models/certificates.k8s.io/v1'),
  'certificates.k8s.io/v1beta1': () => require('kubernetes-models/certificates.k8s.io/v1beta1'),
  'coordination.k8s.io/v1': () => require('kubernetes-models/coordination.k8s.io/v1'),
  'coordination.k8s.io/v1beta1': () => require('kubernetes-models/coordination.k8s.io/v1beta1'),
  'discovery.k8s.io/v1': () => require('kubernetes-models/discovery.k8s.io/v1'),
  'discovery.k8s.io/v1beta1': () => require('kubernetes-models/discovery.k8s.io/v1beta1'),
  'events.k8s.io/v1': () => require('kubernetes-models/events.k8s.io/v1'),
  'events.k8s.io/v1beta1': () => require('kubernetes-models/events.k8s.io/v1beta1'),
  'extensions/v1beta1': () => require('kubernetes-models/extensions/v1beta1'),
  'flowcontrol.apiserver.k8s.io/v1': () =>
    require('kubernetes-models/flowcontrol.apiserver.k8s.io/v1'),
  'flowcontrol.apiserver.k8s.io/v1beta1': () =>
    require('kubernetes-models/flowcontrol.apiserver.k8s.io/v1beta1'),
  'flowcontrol.apiserver.k8s.io/v1beta2': () =>
    require('kubernetes-models/flowcontrol.apiserver.k8s.io/v1beta2'),
  'flowcontrol.apiserver.k8s.io/v1beta3': () =>
    require('kubernetes-models/flowcontrol.apiserver.k8s.io/v1beta3'),
  'networking.k8s.io/v1': () => require('kubernetes-models/networking.k8s.io/v1'),
  'networking.k8s.io/v1beta1': () => require('kubernetes-models/networking.k8s.io/v1beta1'),
  'node.k8s.io/v1': () => require('kubernetes-models/node.k8s.io/v1'),
  'node.k8s.io/v1beta1': () => require('kubernetes-models/node.k8s.io/v1beta1'),
  'policy/v1': () => require('kubernetes-models/policy/v1'),
  'policy/v1beta1': () => require('kubernetes-models/policy/v1beta1'),
  'rbac.authorization.k8s.io/v1': () => require('kubernetes-models/rbac.authorization.k8s.io/v1'),
  'rbac.authorization.k8s.io/v1beta1': () =>
    require('kubernetes-models/rbac.authorization.k8s.io/v1beta1'),
  'scheduling.k8s.io/v1': () => require('kubernetes-models/scheduling.k8s.io/v1'),
  'scheduling.k8s.io/v1beta1': () => require('kubernetes-models/scheduling.k8s.io/v1beta1'),
  'storage.k8s.io/v1': () => require('kubernetes-models/storage.k8s.io/v1'),
  'storage.k8s.io/v1beta1': () => require('kubernetes-models/storage.k8s.io/v1beta1'),
  v1: () => require('kubernetes-models/v1'),
};

const loaded = new Map<string, GroupVersionModule>();

/** The group-versions the package knows. */
export function knownGroupVersions(): string[] {
  return Object.keys(GROUP_VERSIONS);
}

/** The groups the package knows ('' is the core group). */
export function knownGroups(): Set<string> {
  return new Set(knownGroupVersions().map(groupOf));
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The model of a top-level kind, or why there is none: `unknown-version` for a
 * group-version the package does not ship, `unknown-kind` for a kind its
 * group-version does not serve.
 */
export function modelFor(
  apiVersion: string,
  kind: string,
): KubernetesModel | 'unknown-version' | 'unknown-kind' {
  const load = GROUP_VERSIONS[apiVersion];
  if (!load) return 'unknown-version';
  let module = loaded.get(apiVersion);
  if (!module) {
    module = load();
    loaded.set(apiVersion, module);
  }
  const candidate = Object.prototype.hasOwnProperty.call(module, kind) ? module[kind] : undefined;
  if (
    typeof candidate === 'function' &&
    (candidate as Partial<KubernetesModel>).apiVersion === apiVersion &&
    (candidate as Partial<KubernetesModel>).kind === kind
  ) {
    return candidate as KubernetesModel;
  }
  return 'unknown-kind';
}
