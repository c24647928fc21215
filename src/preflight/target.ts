import type { PreflightConfig } from '../config/types';

export type Platform = NonNullable<PreflightConfig['platform']>;

/** GKE nodes pull from Container Registry / Artifact Registry with their own service account. */
export function hasGoogleNodeCredentials(platform: Platform | undefined): boolean {
  return platform === 'gke' || platform === 'gke-autopilot';
}

/** EKS and GKE-on-AWS nodes pull from ECR with their instance profile's role. */
export function hasAwsNodeCredentials(platform: Platform | undefined): boolean {
  return platform === 'anthos-aws' || platform === 'eks';
}

export function describePlatform(platform: Platform | undefined): string {
  switch (platform) {
    case 'gke':
      return 'GKE';
    case 'gke-autopilot':
      return 'GKE Autopilot';
    case 'anthos-aws':
      return 'GKE on AWS (Anthos clusters on AWS)';
    case 'eks':
      return 'EKS';
    default:
      return 'the target cluster';
  }
}

/**
 * The IAM member GKE nodes pull as: the configured node service account, else the
 * project's Compute Engine default service account (when the project number is known).
 */
export function nodeMember(config: PreflightConfig): string | undefined {
  if (config.nodeServiceAccount) return `serviceAccount:${config.nodeServiceAccount}`;
  if (config.gcpProjectNumber !== undefined) {
    return `serviceAccount:${String(config.gcpProjectNumber)}-compute@developer.gserviceaccount.com`;
  }
  return undefined;
}

/** Registries and path prefixes anyone can pull from, unless the target says otherwise. */
export const DEFAULT_PUBLIC_REGISTRIES: readonly string[] = [
  'registry.k8s.io',
  'k8s.gcr.io',
  'mirror.gcr.io',
  'public.ecr.aws',
  'mcr.microsoft.com',
  'gcr.io/distroless',
  'gcr.io/google-containers',
  'gcr.io/google-samples',
  'gcr.io/cloudsql-docker',
];
