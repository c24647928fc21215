import { isMap, isSeq } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import {
  LEGACY_POD_IDENTITY_MOUNT_DIR,
  POD_IDENTITY_AUDIENCE,
  POD_IDENTITY_MOUNT_DIR,
  POD_IDENTITY_TOKEN_PATH,
  POD_IDENTITY_VOLUME_NAME,
  SKIP_CONTAINERS_ANNOTATION,
} from '../transforms/set-aws-workload-identity';
import type { ContainerRef } from '../workload/pod-specs';
import type { PreflightContext } from './context';
import { goCsvFirstRecord } from '../workload/go-csv';
import { checkTokenPath, podTemplateAnnotations, tokenMountProblem } from './workload-identity';
import type { TokenVariable } from './workload-identity';
import { envVar } from './workloads';
import type { Workload } from './workloads';

const FULL_URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const TOKEN_FILE = 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
const POD_IDENTITY_TOKEN: TokenVariable = {
  variable: TOKEN_FILE,
  standardFile: `${POD_IDENTITY_MOUNT_DIR}/${POD_IDENTITY_TOKEN_PATH}`,
  legacyFile: `${LEGACY_POD_IDENTITY_MOUNT_DIR}/${POD_IDENTITY_TOKEN_PATH}`,
};
const FIX =
  'run retarget set-aws-workload-identity with mechanism: pod-identity (or hydrate with it), which sets both variables and the eks-pod-identity-token volume and mount';

/**
 * EKS Pod Identity as a container will see it (aws/amazon-eks-pod-identity-webhook,
 * pkg/handler/handler.go in container-credentials mode): both container-credentials
 * variables together, the token file where a projected token is mounted (and where the
 * container's runtime shows it), a Pod Identity token volume only with the variables that
 * use it, and never IRSA's variables beside them. Returns whether the container reads a
 * Pod Identity token (the fsGroup check applies to it as to IRSA's).
 */
export function checkPodIdentity(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  hasIrsaEnv: boolean,
): boolean {
  const uri = envVar(container, FULL_URI);
  const file = envVar(container, TOKEN_FILE);
  if (!uri && !file) {
    checkVolumeWithoutEnv(ctx, workload, container);
    return false;
  }
  checkPlatform(ctx, workload, container, (uri ?? file)!);
  if (hasIrsaEnv) {
    const present = (uri ?? file)!;
    ctx.report(workload.resource, {
      check: 'aws-identity-mechanism-conflict',
      severity: 'warning',
      message: `container ${container.name} sets both IRSA (AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE) and EKS Pod Identity (${FULL_URI} / ${TOKEN_FILE}) variables: the AWS SDKs try web identity first, so the Pod Identity association is not used (or the IRSA role, if its variables are incomplete)`,
      fix: "keep one mechanism: drop the IRSA variables and the ServiceAccount's eks.amazonaws.com/role-arn once the Pod Identity association exists, or drop the Pod Identity variables",
      field: present.field,
      node: present.node,
    });
  }
  if (!uri || !file) {
    const present = (uri ?? file)!;
    ctx.report(workload.resource, {
      check: 'aws-pod-identity-env-incomplete',
      severity: 'error',
      message: `container ${container.name} sets ${uri ? FULL_URI : TOKEN_FILE} without ${uri ? TOKEN_FILE : FULL_URI}: the AWS SDKs use the Pod Identity agent only with both, and the EKS pod identity webhook adds neither when one is set`,
      fix: FIX,
      field: present.field,
      node: present.node,
    });
  }
  if (file?.value === undefined) return !!file;
  const mounted = checkTokenPath(
    ctx,
    workload,
    container,
    file.value,
    file.field,
    file.node,
    POD_IDENTITY_TOKEN,
  );
  if (mounted === undefined) return true;
  const problem = tokenMountProblem(workload, container, mounted);
  if (problem) {
    const webhook = webhookMount(ctx, workload, container, mounted);
    ctx.report(workload.resource, {
      check: 'aws-pod-identity-token-volume-missing',
      severity: webhook.severity,
      message: `container ${container.name}: ${TOKEN_FILE}=${file.value}, but ${problem}; ${webhook.why}`,
      fix: FIX,
      field: `${container.field}.volumeMounts`,
      node: container.node.get('volumeMounts', true) as Node | undefined,
    });
  }
  return true;
}

/**
 * Whether the webhook mounts the token at admission: it adds volume eks-pod-identity-token
 * at its path unless the container is in skip-containers, mounts a volume of that name,
 * or already sets a credential variable, a region and AWS_STS_REGIONAL_ENDPOINTS; and
 * only for a ServiceAccount with an association, which the manifest cannot show (a
 * warning then).
 */
function webhookMount(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  mounted: string,
): { severity: 'warning' | 'error'; why: string } {
  const platform = ctx.config.platform ?? 'generic';
  if (platform !== 'eks') {
    return {
      severity: 'error',
      why: `no EKS Pod Identity webhook runs on platform ${platform} to add it`,
    };
  }
  const skip = podTemplateAnnotations(workload)[SKIP_CONTAINERS_ANNOTATION];
  if (skip !== undefined && (goCsvFirstRecord(skip) ?? []).includes(container.name)) {
    return {
      severity: 'error',
      why: `the pod's ${SKIP_CONTAINERS_ANNOTATION} names it, so the EKS pod identity webhook leaves it alone`,
    };
  }
  const region = envVar(container, 'AWS_REGION') ?? envVar(container, 'AWS_DEFAULT_REGION');
  if (region && envVar(container, 'AWS_STS_REGIONAL_ENDPOINTS')) {
    return {
      severity: 'error',
      why: 'it sets a container-credentials variable, a region and AWS_STS_REGIONAL_ENDPOINTS, and the EKS pod identity webhook leaves such a container alone',
    };
  }
  if (mountsVolume(container, POD_IDENTITY_VOLUME_NAME)) {
    return {
      severity: 'error',
      why: `the container already mounts a volume named ${POD_IDENTITY_VOLUME_NAME}, so the EKS pod identity webhook adds no mount`,
    };
  }
  if (mounted !== POD_IDENTITY_TOKEN.standardFile) {
    return {
      severity: 'error',
      why: `the EKS pod identity webhook mounts its token at ${POD_IDENTITY_TOKEN.standardFile}, not there`,
    };
  }
  return {
    severity: 'warning',
    why: `the EKS pod identity webhook adds volume ${POD_IDENTITY_VOLUME_NAME} there at admission only if ServiceAccount ${workload.serviceAccountName} has a Pod Identity association; the manifest alone does not work elsewhere`,
  };
}

/** Platforms with no EKS Pod Identity agent: it is an EKS add-on (built into EKS Auto Mode). */
const NO_AGENT: ReadonlySet<string | undefined> = new Set(['gke', 'gke-autopilot', 'anthos-aws']);

function checkPlatform(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  present: { field: string; node: Node },
): void {
  const platform = ctx.config.platform;
  if (!NO_AGENT.has(platform)) return;
  ctx.report(workload.resource, {
    check: 'aws-pod-identity-platform',
    severity: 'error',
    message: `container ${container.name} uses EKS Pod Identity, but the target platform is ${platform}: the EKS Pod Identity agent that answers at 169.254.170.23 runs only on EKS clusters, so the AWS SDKs get no credentials`,
    fix:
      platform === 'anthos-aws'
        ? 'use IRSA (awsWorkloadIdentity.mechanism: irsa), which GKE on AWS supports'
        : "use the platform's own workload identity instead of AWS credentials from the pod",
    field: present.field,
    node: present.node,
  });
}

function mountsVolume(container: ContainerRef, name: string): boolean {
  const mounts = container.node.get('volumeMounts');
  return isSeq(mounts) && mounts.items.some((m) => isMap(m) && m.get('name') === name);
}

/** A mount of a Pod Identity token (its volume name, or audience pods.eks.amazonaws.com). */
function podIdentityMount(workload: Workload, container: ContainerRef): YAMLMap | undefined {
  return tokenMount(
    workload,
    container,
    new Set([POD_IDENTITY_VOLUME_NAME]),
    new Set([POD_IDENTITY_AUDIENCE]),
  );
}

/**
 * The container's mount of a service-account token for a mechanism: a volume of one of
 * `names` (those the webhooks add), or a projected token of one of `audiences`.
 */
export function tokenMount(
  workload: Workload,
  container: ContainerRef,
  names: ReadonlySet<string>,
  audiences: ReadonlySet<string>,
): YAMLMap | undefined {
  const mounts = container.node.get('volumeMounts');
  if (!isSeq(mounts)) return undefined;
  const volumes = workload.pod.node.get('volumes');
  return mounts.items.find((m): m is YAMLMap => {
    if (!isMap(m)) return false;
    const name = m.get('name');
    if (typeof name === 'string' && names.has(name)) return true;
    const volume = isSeq(volumes)
      ? volumes.items.find((v): v is YAMLMap => isMap(v) && v.get('name') === name)
      : undefined;
    const sources = volume?.getIn(['projected', 'sources']);
    return (
      isSeq(sources) &&
      sources.items.some((s) => {
        const audience = isMap(s) ? s.getIn(['serviceAccountToken', 'audience']) : undefined;
        return typeof audience === 'string' && audiences.has(audience);
      })
    );
  });
}

function checkVolumeWithoutEnv(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
): void {
  const mount = podIdentityMount(workload, container);
  if (!mount) return;
  const eks = ctx.config.platform === 'eks';
  ctx.report(workload.resource, {
    check: 'aws-pod-identity-env-incomplete',
    severity: eks ? 'info' : 'warning',
    message: `container ${container.name} mounts the EKS Pod Identity token (volume ${String(mount.get('name'))}) but sets neither ${FULL_URI} nor ${TOKEN_FILE}: the AWS SDKs do not find it${eks ? `; the EKS pod identity webhook adds both at admission only if ServiceAccount ${workload.serviceAccountName} has a Pod Identity association` : ''}`,
    fix: FIX,
    field: `${container.field}.env`,
    node: container.node,
  });
}
