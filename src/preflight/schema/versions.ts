/**
 * The Kubernetes minor versions whose published OpenAPI documents are imported under
 * upstream/ (test/preflight/schema.test.ts keeps the two in step). The newest is the
 * default target: schemas only grow, so an older cluster's manifests rarely fail it.
 */
export const KUBERNETES_VERSIONS = ['1.31', '1.32', '1.33', '1.34', '1.35'] as const;

export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion =
  KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1];
