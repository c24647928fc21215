import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { LINK_SCRIPT_MARKER } from '../shell/link-script';
import {
  LEGACY_TOKEN_MOUNT_DIR,
  ROLE_ARN_ANNOTATION,
  SKIP_CONTAINERS_ANNOTATION,
  TOKEN_MOUNT_DIR,
  WEBHOOK_VOLUME_NAME,
} from '../transforms/set-aws-workload-identity';
import { containerKind } from '../workload/container-kind';
import { goCsvFirstRecord } from '../workload/go-csv';
import { containersOf } from '../workload/pod-specs';
import type { ContainerRef } from '../workload/pod-specs';
import { commandLine, namespaceFlag } from './command-line';
import { checkPodIdentity } from './pod-identity';
import type { PreflightContext } from './context';
import { envVar } from './workloads';
import type { Workload } from './workloads';

const KUBERNETES_INFO_SECRETS = '/kubernetes-info/secrets';
const STANDARD_SECRETS = '/var/run/secrets';
const HYDRATE_FIX =
  'run retarget set-aws-workload-identity (or hydrate with awsWorkloadIdentity), which sets both variables, the projected token volume and the ServiceAccount annotation';

/**
 * AWS workload identity, as the pods will see it: both variables together, a
 * projected token mounted where the token file says, the token path the container's
 * runtime really shows (and the link step a legacy container needs), an fsGroup
 * that lets non-root users read the token, and the ServiceAccount's role annotation.
 */
export function checkWorkloadIdentity(ctx: PreflightContext, workloads: readonly Workload[]): void {
  for (const workload of workloads) {
    ctx.safely(workload.resource, () => checkWorkload(ctx, workload));
  }
}

function checkWorkload(ctx: PreflightContext, workload: Workload): void {
  let roleArn: string | undefined;
  let usesToken = false;
  for (const container of workload.containers) {
    const role = envVar(container, 'AWS_ROLE_ARN');
    const token = envVar(container, 'AWS_WEB_IDENTITY_TOKEN_FILE');
    if (checkPodIdentity(ctx, workload, container, !!(role || token))) usesToken = true;
    if (!role && !token) continue;
    usesToken = true;
    roleArn ??= role?.value;
    if (!role || !token) {
      const present = (role ?? token)!;
      ctx.report(workload.resource, {
        check: 'aws-env-incomplete',
        severity: 'error',
        message: `container ${container.name} sets ${role ? 'AWS_ROLE_ARN' : 'AWS_WEB_IDENTITY_TOKEN_FILE'} without ${role ? 'AWS_WEB_IDENTITY_TOKEN_FILE' : 'AWS_ROLE_ARN'}: the AWS SDKs use web identity only with both`,
        fix: HYDRATE_FIX,
        field: present.field,
        node: present.node,
      });
    }
    if (token?.value !== undefined)
      checkTokenPath(ctx, workload, container, token.value, token.field, token.node, IRSA_TOKEN);
  }
  if (!usesToken) return;
  checkFsGroup(ctx, workload);
  if (roleArn !== undefined) checkServiceAccount(ctx, workload, roleArn);
}

/** The variable naming a mechanism's token file, and where that file is in each runtime. */
export interface TokenVariable {
  variable: string;
  standardFile: string;
  legacyFile: string;
}

const IRSA_TOKEN: TokenVariable = {
  variable: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  standardFile: `${TOKEN_MOUNT_DIR}/token`,
  legacyFile: `${LEGACY_TOKEN_MOUNT_DIR}/token`,
};

/**
 * The token path against the container's runtime (and the link step a legacy one needs);
 * returns the path the kubelet must mount the token at (the legacy runtime shows
 * /var/run/secrets under /kubernetes-info/secrets). For IRSA it also checks the mount.
 */
export function checkTokenPath(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  path: string,
  field: string,
  node: Node,
  token: TokenVariable,
): string | undefined {
  const { variable } = token;
  const legacy =
    containerKind(container, ctx.config.runtime, ctx.config.containerRuntimes) === 'legacy';
  const underInfo = path.startsWith(`${KUBERNETES_INFO_SECRETS}/`);
  const linked = legacy && hasLinkStep(container);
  if (underInfo && !legacy) {
    ctx.report(workload.resource, {
      check: 'aws-token-path',
      severity: 'error',
      message: `container ${container.name} is not a legacy-runtime container, so ${KUBERNETES_INFO_SECRETS} does not exist in it: ${variable}=${path} names no file`,
      fix: `use ${token.standardFile} (${HYDRATE_FIX})`,
      field: `${field}.value`,
      node,
    });
    return undefined;
  }
  if (legacy && path.startsWith(`${STANDARD_SECRETS}/`) && !linked) {
    ctx.report(workload.resource, {
      check: 'aws-token-path',
      severity: 'error',
      message: `container ${container.name} runs the legacy Migrate for Anthos runtime, which shows pod secrets under ${KUBERNETES_INFO_SECRETS}, and nothing links ${STANDARD_SECRETS} there: ${variable}=${path} names no file for the services`,
      fix: `use ${token.legacyFile}, or add the link step (retarget link-kubernetes-info-secrets)`,
      field: `${field}.value`,
      node,
    });
  }
  if (underInfo && legacy && !linked) {
    ctx.report(workload.resource, {
      check: 'kubernetes-info-link-missing',
      severity: 'warning',
      message: `container ${container.name} (legacy runtime) reads its token under ${KUBERNETES_INFO_SECRETS} but has no step linking ${STANDARD_SECRETS} there: tools that expect the standard path (the AWS CLI in kubectl exec, SDK defaults) find no token`,
      fix: `run retarget link-kubernetes-info-secrets (a postStart step: ln -s ${KUBERNETES_INFO_SECRETS} ${STANDARD_SECRETS}, redone when /var/run is remounted)`,
      field: `${container.field}.lifecycle.postStart`,
      node: container.node,
    });
  }
  // Where the kubelet must mount the token: the legacy runtime maps /var/run/secrets to /kubernetes-info/secrets.
  const mounted = underInfo
    ? `${STANDARD_SECRETS}${path.slice(KUBERNETES_INFO_SECRETS.length)}`
    : path;
  if (token !== IRSA_TOKEN) return mounted;
  const problem = tokenMountProblem(workload, container, mounted);
  if (problem) {
    const webhook = webhookMount(ctx, workload, container, mounted);
    ctx.report(workload.resource, {
      check: 'aws-token-volume-missing',
      severity: webhook.mounts ? 'warning' : 'error',
      message: `container ${container.name}: AWS_WEB_IDENTITY_TOKEN_FILE=${path}, but ${problem}; ${webhook.why}`,
      fix: HYDRATE_FIX,
      field: `${container.field}.volumeMounts`,
      node: container.node.get('volumeMounts', true) as Node | undefined,
    });
  }
  return mounted;
}

/**
 * What the EKS pod identity webhook does for this container at admission
 * (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go): it does not skip a
 * container because its env is set. It mutates pods whose ServiceAccount carries
 * eks.amazonaws.com/role-arn, keeps the variables a container sets, and mounts volume
 * aws-iam-token at /var/run/secrets/eks.amazonaws.com/serviceaccount unless the
 * container is in skip-containers, already mounts a volume of that name, or already
 * sets a web identity variable, a region and AWS_STS_REGIONAL_ENDPOINTS.
 */
function webhookMount(
  ctx: PreflightContext,
  workload: Workload,
  container: ContainerRef,
  mounted: string,
): { mounts: boolean; why: string } {
  const platform = ctx.config.platform ?? 'generic';
  if (platform !== 'eks' && platform !== 'anthos-aws') {
    return {
      mounts: false,
      why: `no EKS pod identity webhook runs on platform ${platform} to add it`,
    };
  }
  const name = workload.serviceAccountName;
  const role = workload.serviceAccount?.annotations()[ROLE_ARN_ANNOTATION];
  if (workload.serviceAccount && role === undefined) {
    return {
      mounts: false,
      why: `the EKS pod identity webhook mutates only pods whose ServiceAccount carries ${ROLE_ARN_ANNOTATION}, and ServiceAccount ${name} does not`,
    };
  }
  const annotations = podTemplateAnnotations(workload);
  const skip = annotations[SKIP_CONTAINERS_ANNOTATION];
  if (skip !== undefined && (goCsvFirstRecord(skip) ?? []).includes(container.name)) {
    return {
      mounts: false,
      why: `the pod's ${SKIP_CONTAINERS_ANNOTATION} names it, so the EKS pod identity webhook leaves it alone`,
    };
  }
  const region = envVar(container, 'AWS_REGION') ?? envVar(container, 'AWS_DEFAULT_REGION');
  if (region && envVar(container, 'AWS_STS_REGIONAL_ENDPOINTS')) {
    return {
      mounts: false,
      why: 'it sets a web identity variable, a region and AWS_STS_REGIONAL_ENDPOINTS, and the EKS pod identity webhook leaves such a container alone',
    };
  }
  const mounts = container.node.get('volumeMounts');
  const byName =
    isSeq(mounts) && mounts.items.some((m) => isMap(m) && m.get('name') === WEBHOOK_VOLUME_NAME);
  if (byName) {
    return {
      mounts: false,
      why: `the container already mounts a volume named ${WEBHOOK_VOLUME_NAME}, so the EKS pod identity webhook adds no mount`,
    };
  }
  if (mounted !== `${TOKEN_MOUNT_DIR}/token`) {
    return {
      mounts: false,
      why: `the EKS pod identity webhook mounts its token at ${TOKEN_MOUNT_DIR}/token, not there`,
    };
  }
  const who = workload.serviceAccount
    ? `ServiceAccount ${name} carries ${ROLE_ARN_ANNOTATION}`
    : `ServiceAccount ${name} (not in the package) carries ${ROLE_ARN_ANNOTATION} in the cluster`;
  return {
    mounts: true,
    why: `at admission the EKS pod identity webhook keeps the variables and adds volume ${WEBHOOK_VOLUME_NAME} there${workload.serviceAccount ? ', since' : ' if'} ${who}; the manifest alone does not work elsewhere`,
  };
}

export function podTemplateAnnotations(workload: Workload): Record<string, string> {
  const keys = workload.pod.field.split('.').slice(0, -1);
  const template = keys.length ? workload.resource.node.getIn(keys) : workload.resource.node;
  const annotations = isMap(template) ? template.getIn(['metadata', 'annotations']) : undefined;
  const out: Record<string, string> = {};
  if (!isMap(annotations)) return out;
  for (const pair of annotations.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof key === 'string' && value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}

/** Why no projected service-account token is at `file`, or undefined when one is. */
export function tokenMountProblem(
  workload: Workload,
  container: ContainerRef,
  file: string,
): string | undefined {
  const mounts = container.node.get('volumeMounts');
  const mount = isSeq(mounts)
    ? mounts.items
        .filter((m): m is YAMLMap => isMap(m) && typeof m.get('mountPath') === 'string')
        .map((m) => ({
          name: String(m.get('name')),
          path: String(m.get('mountPath')).replace(/\/+$/, ''),
        }))
        .filter((m) => file.startsWith(`${m.path}/`))
        .sort((a, b) => b.path.length - a.path.length)[0]
    : undefined;
  if (!mount) return `no volume is mounted at ${file.slice(0, file.lastIndexOf('/'))}`;
  const volumes = workload.pod.node.get('volumes');
  const volume = isSeq(volumes)
    ? volumes.items.find((v): v is YAMLMap => isMap(v) && v.get('name') === mount.name)
    : undefined;
  if (!volume) return `volume ${mount.name} mounted at ${mount.path} is not in the pod's volumes`;
  const projected = volume.get('projected');
  if (!isMap(projected)) return undefined; // a Secret or other volume holding a token file: trust it
  const relative = file.slice(mount.path.length + 1);
  const sources = projected.get('sources');
  const hasToken =
    isSeq(sources) &&
    sources.items.some((s) => {
      const sat = isMap(s) ? s.get('serviceAccountToken') : undefined;
      return isMap(sat) && sat.get('path') === relative;
    });
  return hasToken
    ? undefined
    : `projected volume ${mount.name} has no serviceAccountToken at path ${relative}`;
}

/** The link step: retarget's postStart script, or a hand-written `ln -s /kubernetes-info/secrets ...`. */
function hasLinkStep(container: ContainerRef): boolean {
  const postStart = container.node.getIn(['lifecycle', 'postStart', 'exec', 'command']);
  const words = [postStart, container.node.get('command'), container.node.get('args')]
    .flatMap((seq) => (isSeq(seq) ? seq.items : []))
    .map((item) => (isScalar(item) ? String(item.value) : ''));
  return words.some(
    (w) =>
      w.startsWith(LINK_SCRIPT_MARKER) ||
      /\bln\s+-[a-zA-Z]*s[a-zA-Z]*\s+\/kubernetes-info\/secrets\/?\s+\/var\/run\/secrets\b/.test(w),
  );
}

/**
 * Who can read the projected token, as the kubelet writes it since Kubernetes 1.19
 * (kubernetes/kubernetes pkg/volume/projected/projected.go, with FsUserFrom in
 * pkg/volume/util/util.go): with fsGroup, mode 0640 and group fsGroup; without it, when
 * every container and init container runs as one explicit runAsUser, mode 0600 owned by
 * that user; otherwise mode 0644, readable by every user of the container. The legacy
 * runtime shows the same file under /kubernetes-info/secrets. The container's own
 * process can always read it; what can fail is a migrated VM's services that its init
 * starts as other users, when every container shares one runAsUser and no fsGroup.
 */
export function checkFsGroup(ctx: PreflightContext, workload: Workload): void {
  const podSc = workload.pod.node.get('securityContext');
  // get() gives undefined for a null value too (`fsGroup: null` is no fsGroup); 0 is a value.
  if (isMap(podSc) && podSc.get('fsGroup') !== undefined) return;
  const owner = tokenOwner(workload);
  if (owner === undefined) return;
  const vm = workload.containers.find(
    (c) =>
      c.list === 'containers' &&
      containerKind(c, ctx.config.runtime, ctx.config.containerRuntimes) !== 'plain',
  );
  if (!vm) return;
  ctx.report(workload.resource, {
    check: 'fs-group-missing',
    severity: 'warning',
    message: `every container runs as runAsUser ${owner} and the pod sets no securityContext.fsGroup: the kubelet makes the AWS token readable by uid ${owner} only (mode 0600), so services that ${vm.name}'s init starts as other users cannot read it`,
    fix: 'set the pod securityContext.fsGroup to the gid of a group the service users belong to (retarget set-fs-group; the aws-token group: groupadd aws-token --gid GID && usermod -a -G aws-token USER), or drop the shared runAsUser',
    field: `${workload.pod.field}.securityContext.fsGroup`,
    node: isMap(podSc) ? podSc : workload.pod.node,
  });
}

/** The kubelet's FsUserFrom: the one explicit runAsUser every container shares, if any. */
function tokenOwner(workload: Workload): number | undefined {
  const podSc = workload.pod.node.get('securityContext');
  const podUser = isMap(podSc) ? podSc.get('runAsUser') : undefined;
  let owner: number | undefined;
  for (const container of containersOf(workload.pod, ['initContainers', 'containers'])) {
    const sc = container.node.get('securityContext');
    const user = (isMap(sc) ? sc.get('runAsUser') : undefined) ?? podUser;
    if (typeof user !== 'number') return undefined;
    if (owner !== undefined && owner !== user) return undefined;
    owner = user;
  }
  return owner;
}

function checkServiceAccount(ctx: PreflightContext, workload: Workload, roleArn: string): void {
  const sa = workload.serviceAccount;
  const name = workload.serviceAccountName;
  if (!sa) {
    ctx.report(workload.resource, {
      check: 'service-account-role-missing',
      severity: 'info',
      message: `ServiceAccount ${name} is not in the package: make sure the cluster's carries ${ROLE_ARN_ANNOTATION}: ${roleArn}`,
      fix: `${commandLine('kubectl', 'annotate', 'serviceaccount', name, ...namespaceFlag(workload.namespace), `${ROLE_ARN_ANNOTATION}=${roleArn}`)}, or let set-aws-workload-identity create it (serviceAccountName)`,
      field: `${workload.pod.field}.serviceAccountName`,
      node:
        (workload.pod.node.get('serviceAccountName', true) as Node | undefined) ??
        workload.pod.node,
    });
    return;
  }
  const annotation = sa.annotations()[ROLE_ARN_ANNOTATION];
  if (annotation === roleArn) return;
  ctx.report(sa, {
    check: 'service-account-role-missing',
    severity: 'warning',
    message:
      annotation === undefined
        ? `ServiceAccount ${name}, used by ${workload.resource.kind} ${workload.resource.name} with AWS_ROLE_ARN=${roleArn}, has no ${ROLE_ARN_ANNOTATION} annotation: the pod identity webhook and the role's trust policy tooling do not know the binding`
        : `ServiceAccount ${name} has ${ROLE_ARN_ANNOTATION}: ${annotation}, but ${workload.resource.kind} ${workload.resource.name} sets AWS_ROLE_ARN=${roleArn}`,
    fix: `set metadata.annotations.${ROLE_ARN_ANNOTATION} to ${roleArn} (retarget set-aws-workload-identity does)`,
    field: `metadata.annotations`,
  });
}
