import type { SetAwsWorkloadIdentityConfig } from '../config/types';
import { findResource } from '../krm/resource-set';
import { shQuote } from '../shell/quote';
import { plainValueAt, readMap } from '../yaml/edit';
import { guard } from './context';
import type { TransformContext } from './context';
import { serviceAccountRef } from './service-account';

/*
 * EKS Pod Identity has no ServiceAccount annotation: the role is bound to a namespace and
 * ServiceAccount by an association made with the EKS API (CreatePodIdentityAssociation).
 * retarget cannot make it offline, so it prints the exact command and, on request, writes
 * the ACK EKS controller's PodIdentityAssociation, whose spec is clusterName, namespace,
 * serviceAccount and roleARN (aws-controllers-k8s/eks-controller,
 * config/crd/bases/eks.services.k8s.aws_podidentityassociations.yaml, v1alpha1).
 */

export const ACK_EKS_API_VERSION = 'eks.services.k8s.aws/v1alpha1';
export const POD_IDENTITY_ASSOCIATION_KIND = 'PodIdentityAssociation';

export interface Association {
  roleArn: string;
  /** The ServiceAccount's name and namespace (undefined: the one the package is applied to). */
  name: string;
  namespace: string | undefined;
}

/**
 * The `aws eks create-pod-identity-association` command, every value single-quoted. A
 * value the config or package does not give is a shell parameter that stops the command
 * with a message when unset (`${VAR:?…}`), never an empty or guessed argument.
 */
export function associationCommand(
  association: Association,
  clusterName: string | undefined,
): string {
  const cluster = clusterName
    ? shQuote(clusterName)
    : '"${EKS_CLUSTER_NAME:?the EKS cluster name}"';
  const namespace = association.namespace
    ? shQuote(association.namespace)
    : '"${NAMESPACE:?the namespace the workload is applied to}"';
  return [
    'aws eks create-pod-identity-association',
    `--cluster-name ${cluster}`,
    `--namespace ${namespace}`,
    `--service-account ${shQuote(association.name)}`,
    `--role-arn ${shQuote(association.roleArn)}`,
  ].join(' ');
}

/** The ACK object for one association, in the ServiceAccount's namespace and named after it. */
export function associationObject(
  association: Association & { namespace: string },
  clusterName: string,
): Record<string, unknown> {
  return {
    apiVersion: ACK_EKS_API_VERSION,
    kind: POD_IDENTITY_ASSOCIATION_KIND,
    metadata: { name: association.name, namespace: association.namespace },
    spec: {
      clusterName,
      namespace: association.namespace,
      serviceAccount: association.name,
      roleARN: association.roleArn,
    },
  };
}

/**
 * One info result per ServiceAccount with the command that makes its association, and
 * the PodIdentityAssociation objects when the config asks for them.
 */
export function reportAssociations(
  ctx: TransformContext,
  associations: readonly Association[],
  config: SetAwsWorkloadIdentityConfig,
): void {
  const clusterName = config.clusterName;
  for (const association of associations) {
    ctx.results.push({
      severity: 'info',
      message: `EKS Pod Identity needs an association of role ${association.roleArn} with ServiceAccount ${association.name}${association.namespace ? ` in namespace ${association.namespace}` : ''}; make it with: ${associationCommand(association, clusterName)}`,
      resourceRef: serviceAccountRef(association.name, association.namespace),
    });
  }
  if (!config.emitPodIdentityAssociation) return;
  if (!clusterName) {
    ctx.results.push({
      severity: 'error',
      message:
        'emitPodIdentityAssociation needs clusterName: the PodIdentityAssociation names the EKS cluster it is made in',
      field: { path: 'clusterName' },
    });
    return;
  }
  for (const association of associations) {
    const namespace = association.namespace;
    if (!namespace) {
      ctx.results.push({
        severity: 'error',
        message: `no PodIdentityAssociation for ServiceAccount ${association.name}: the workload has no metadata.namespace, and the association must name the namespace`,
        resourceRef: serviceAccountRef(association.name, association.namespace),
      });
      continue;
    }
    const wanted = associationObject({ ...association, namespace }, clusterName);
    const existing = findResource(
      ctx.set,
      POD_IDENTITY_ASSOCIATION_KIND,
      association.name,
      namespace,
    );
    if (!existing) {
      ctx.set.add(wanted);
      continue;
    }
    guard(ctx, existing, () => {
      const spec = readMap(existing.node, 'spec', 'spec');
      const want = wanted.spec as Record<string, string>;
      const differs = Object.keys(want).filter(
        (key) => (spec ? plainValueAt(spec, key) : undefined) !== want[key],
      );
      if (!differs.length) return;
      ctx.results.push(
        existing.result(
          'warning',
          `PodIdentityAssociation ${association.name} is kept as the package has it: its ${differs.map((k) => `spec.${k}`).join(', ')} differ${differs.length === 1 ? 's' : ''} from the association the config describes (${differs.map((k) => `${k}: ${want[k]}`).join(', ')})`,
          'spec',
        ),
      );
    });
  }
}
