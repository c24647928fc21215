import { createHash } from 'node:crypto';

/*
 * Config Connector's IAMPolicyMember (iam.cnrm.cloud.google.com/v1beta1): one IAM grant
 * (member, role, resource) as a Kubernetes object, validated by preflight against the
 * vendored CRD (src/preflight/schema/upstream). Emitted for cross-project image pulls
 * (preflight) and for Workload Identity Federation for GKE (set-gcp-workload-identity).
 */

export const IAM_POLICY_MEMBER_API_VERSION = 'iam.cnrm.cloud.google.com/v1beta1';
export const IAM_POLICY_MEMBER_KIND = 'IAMPolicyMember';

export interface IamGrant {
  member: string;
  role: string;
  /** The resource the role is granted on, by its IAM external reference. */
  resourceRef: { apiVersion?: string; kind: string; external: string };
}

/**
 * A name for a grant's object: `base` (already of name characters) cut to fit, and a
 * short hash of what makes the grant distinct, so two grants never share a name and a
 * rerun finds the same one.
 */
export function iamPolicyMemberName(base: string, distinct: readonly string[]): string {
  const hash = createHash('sha256').update(distinct.join('\0')).digest('hex').slice(0, 8);
  return `${base.slice(0, 240).replace(/[.-]+$/, '')}-${hash}`;
}

export function iamPolicyMember(
  name: string,
  namespace: string | undefined,
  grant: IamGrant,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name };
  if (namespace) metadata.namespace = namespace;
  return {
    apiVersion: IAM_POLICY_MEMBER_API_VERSION,
    kind: IAM_POLICY_MEMBER_KIND,
    metadata,
    spec: { member: grant.member, role: grant.role, resourceRef: grant.resourceRef },
  };
}
