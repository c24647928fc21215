import type { SetGcpWorkloadIdentityConfig } from '../config/types';
import {
  IAM_POLICY_MEMBER_API_VERSION,
  IAM_POLICY_MEMBER_KIND,
  iamPolicyMember,
  iamPolicyMemberName,
} from '../krm/iam-policy-member';
import type { IamGrant } from '../krm/iam-policy-member';
import { findResource } from '../krm/resource-set';
import { shQuote } from '../shell/quote';
import { plainValueAt, readMap } from '../yaml/edit';
import { guard } from './context';
import type { TransformContext } from './context';
import { serviceAccountRef } from './service-account';

/*
 * The IAM side of Workload Identity Federation for GKE, which retarget cannot do offline:
 * the grant that lets a Kubernetes ServiceAccount act, printed as the exact gcloud command
 * of Google's guide (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity)
 * and, on request, written as Config Connector IAMPolicyMember objects.
 *
 * - service-account principal: roles/iam.workloadIdentityUser on the Google service
 *   account, for the member serviceAccount:PROJECT_ID.svc.id.goog[NAMESPACE/KSA];
 * - direct principal: each role on the project, for the member
 *   principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/PROJECT_ID.svc.id.goog/subject/ns/NAMESPACE/sa/KSA.
 */

type Config = SetGcpWorkloadIdentityConfig;

export const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

/** One Kubernetes ServiceAccount to grant: its name and namespace (undefined: the one applied to). */
export interface KsaRef {
  name: string;
  namespace: string | undefined;
}

const UNKNOWN_NAMESPACE = '"${NAMESPACE:?the namespace the workload is applied to}"';

/** The cluster's workload identity pool. */
export function workloadPool(projectId: string): string {
  return `${projectId}.svc.id.goog`;
}

/** A member in two parts around the namespace, so the namespace can be a shell parameter. */
interface Member {
  before: string;
  after: string;
}

function serviceAccountMember(config: Config, ksa: KsaRef): Member {
  return { before: `serviceAccount:${workloadPool(config.projectId)}[`, after: `/${ksa.name}]` };
}

function principalMember(config: Config, ksa: KsaRef): Member {
  const number = String(config.projectNumber);
  return {
    before: `principal://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/${workloadPool(config.projectId)}/subject/ns/`,
    after: `/sa/${ksa.name}`,
  };
}

function memberOf(config: Config, ksa: KsaRef): Member {
  return config.principal === 'direct'
    ? principalMember(config, ksa)
    : serviceAccountMember(config, ksa);
}

/** The member as text, with NAMESPACE standing for a namespace the package does not give. */
export function memberText(config: Config, ksa: KsaRef): string {
  const member = memberOf(config, ksa);
  return `${member.before}${ksa.namespace ?? 'NAMESPACE'}${member.after}`;
}

/**
 * The member as one shell word: single-quoted, and where the namespace is unknown, a
 * parameter that stops the command when unset (`${NAMESPACE:?…}`), never a guess.
 */
function memberWord(config: Config, ksa: KsaRef): string {
  const member = memberOf(config, ksa);
  return ksa.namespace
    ? shQuote(`${member.before}${ksa.namespace}${member.after}`)
    : `${shQuote(member.before)}${UNKNOWN_NAMESPACE}${shQuote(member.after)}`;
}

/** The gcloud commands that make the grants for one ServiceAccount, joined by `&&`. */
export function grantCommand(config: Config, ksa: KsaRef): string {
  const member = memberWord(config, ksa);
  if (config.principal === 'direct') {
    return directRoles(config)
      .map((role) =>
        [
          'gcloud projects add-iam-policy-binding',
          shQuote(`projects/${config.projectId}`),
          `--role=${shQuote(role)}`,
          `--member=${member}`,
          '--condition=None',
        ].join(' '),
      )
      .join(' && ');
  }
  return [
    'gcloud iam service-accounts add-iam-policy-binding',
    shQuote(config.gcpServiceAccount!),
    `--role=${shQuote(WORKLOAD_IDENTITY_USER)}`,
    `--member=${member}`,
  ].join(' ');
}

/** The project of a service account email (a domain-scoped project's id.domain is domain:id). */
export function serviceAccountProject(email: string): string {
  const domain = email.slice(email.indexOf('@') + 1, -'.iam.gserviceaccount.com'.length);
  const [id, ...scope] = domain.split('.');
  return scope.length ? `${scope.join('.')}:${id}` : id;
}

/** The roles of the direct principal: the config schema requires them with it. */
export function directRoles(config: Config): string[] {
  return config.roles!;
}

/** The grants of one ServiceAccount, as Config Connector sees them. */
export function grantsOf(config: Config, ksa: KsaRef & { namespace: string }): IamGrant[] {
  const member = memberText(config, ksa);
  if (config.principal === 'direct') {
    return directRoles(config).map((role) => ({
      member,
      role,
      resourceRef: { kind: 'Project', external: `projects/${config.projectId}` },
    }));
  }
  const gsa = config.gcpServiceAccount!;
  return [
    {
      member,
      role: WORKLOAD_IDENTITY_USER,
      resourceRef: {
        apiVersion: IAM_POLICY_MEMBER_API_VERSION,
        kind: 'IAMServiceAccount',
        external: `projects/${serviceAccountProject(gsa)}/serviceAccounts/${gsa}`,
      },
    },
  ];
}

/** The object's name: the ServiceAccount's and the role's, and a hash of the whole grant. */
function grantName(ksa: KsaRef, grant: IamGrant): string {
  const role = grant.role
    .replace(/^roles\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-');
  return iamPolicyMemberName(`workload-identity-${ksa.name}-${role}`, [
    grant.member,
    grant.role,
    grant.resourceRef.external,
  ]);
}

/**
 * One info result per ServiceAccount with the command that makes its grants, and the
 * IAMPolicyMember objects when the config asks for them (one already in the package is
 * kept; a spec that differs from the grant is reported).
 */
export function reportGrants(
  ctx: TransformContext,
  accounts: readonly KsaRef[],
  config: Config,
): void {
  for (const ksa of accounts) {
    const where = ksa.namespace ? ` in namespace ${ksa.namespace}` : '';
    const what =
      config.principal === 'direct'
        ? `ServiceAccount ${ksa.name}${where} is granted ${directRoles(config).join(', ')} on project ${config.projectId} as principal ${memberText(config, ksa)}`
        : `ServiceAccount ${ksa.name}${where} acts as ${config.gcpServiceAccount} once it holds ${WORKLOAD_IDENTITY_USER} on it`;
    ctx.results.push({
      severity: 'info',
      message: `Workload Identity Federation for GKE: ${what}; grant it with: ${grantCommand(config, ksa)}`,
      resourceRef: serviceAccountRef(ksa.name, ksa.namespace),
    });
  }
  if (!config.emitIamPolicyMember) return;
  for (const ksa of accounts) {
    const namespace = ksa.namespace;
    if (!namespace) {
      ctx.results.push({
        severity: 'error',
        message: `no IAMPolicyMember for ServiceAccount ${ksa.name}: the workload has no metadata.namespace, and the grant's member must name the namespace`,
        resourceRef: serviceAccountRef(ksa.name, ksa.namespace),
      });
      continue;
    }
    for (const grant of grantsOf(config, { ...ksa, namespace })) {
      const name = grantName(ksa, grant);
      const existing = findResource(ctx.set, IAM_POLICY_MEMBER_KIND, name, namespace);
      if (!existing) {
        ctx.set.add(iamPolicyMember(name, namespace, grant));
        continue;
      }
      guard(ctx, existing, () => {
        const spec = readMap(existing.node, 'spec', 'spec');
        const ref = spec && readMap(spec, 'resourceRef', 'spec.resourceRef');
        const want: [string, unknown, string][] = [
          ['spec.member', spec && plainValueAt(spec, 'member'), grant.member],
          ['spec.role', spec && plainValueAt(spec, 'role'), grant.role],
          ['spec.resourceRef.kind', ref && plainValueAt(ref, 'kind'), grant.resourceRef.kind],
          [
            'spec.resourceRef.external',
            ref && plainValueAt(ref, 'external'),
            grant.resourceRef.external,
          ],
        ];
        const differs = want.filter(([, have, wanted]) => have !== wanted);
        if (!differs.length) return;
        ctx.results.push(
          existing.result(
            'warning',
            `IAMPolicyMember ${name} is kept as the package has it: its ${differs.map(([f]) => f).join(', ')} differ${differs.length === 1 ? 's' : ''} from the grant the config describes (${differs.map(([f, , w]) => `${f}: ${w}`).join(', ')})`,
            'spec',
          ),
        );
      });
    }
  }
}
