import type { SetAwsWorkloadIdentityConfig } from '../config/types';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import { systemdQuote } from '../shell/quote';
import { ensureMap, readString, setScalar } from '../yaml/edit';
import { containerKind } from '../workload/container-kind';
import { ensureConfigMap, ensureEnv, ensureVolume, ensureVolumeMount } from '../workload/pod-edit';
import { containersOf } from '../workload/pod-specs';
import type { ContainerRef, PodSpecRef } from '../workload/pod-specs';
import { selectsContainer } from '../workload/selector';
import { guard, selectedPodSpecs } from './context';
import type { TransformContext } from './context';

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Where the EKS pod-identity webhook mounts the token; the legacy runtime shows it under /kubernetes-info. */
export const TOKEN_MOUNT_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
export const LEGACY_TOKEN_MOUNT_DIR = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount';
export const SYSTEMD_DROP_IN = '/etc/systemd/system.conf.d/10-default-env.conf';

type Config = SetAwsWorkloadIdentityConfig;

export function tokenFile(legacy: boolean): string {
  return `${legacy ? LEGACY_TOKEN_MOUNT_DIR : TOKEN_MOUNT_DIR}/token`;
}

/** The variables every selected container (and, through init, every service) needs. */
export function awsEnvironment(config: Config, legacy: boolean): [string, string][] {
  const env: [string, string][] = [
    ['AWS_ROLE_ARN', config.roleArn],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', tokenFile(legacy)],
  ];
  if (config.region) env.push(['AWS_REGION', config.region], ['AWS_DEFAULT_REGION', config.region]);
  if (config.stsRegionalEndpoints)
    env.push(['AWS_STS_REGIONAL_ENDPOINTS', config.stsRegionalEndpoints]);
  return env;
}

/** The systemd manager drop-in: every service started by systemd inherits these. */
export function systemdDropIn(config: Config, legacy: boolean): string {
  const assignments = awsEnvironment(config, legacy).map(([k, v]) => systemdQuote(`${k}=${v}`));
  return [
    '# Written by retarget: AWS workload identity for every systemd service.',
    '[Manager]',
    `DefaultEnvironment=${assignments.join(' ')}`,
    '',
  ].join('\n');
}

/**
 * AWS workload identity for migrated workloads: env, the projected token the EKS
 * pod-identity webhook would add (it skips pods that already carry the env, so it
 * must be explicit), the ServiceAccount role annotation, and for systemd images a
 * manager drop-in so services started by init get the variables too.
 */
export function setAwsWorkloadIdentity(ctx: TransformContext, config: Config): void {
  const bindings = new Map<string, { name: string; namespace?: string; near: Resource }>();
  let needsBuildSteps = false;
  let vmWithoutInitSystem = false;
  for (const pod of selectedPodSpecs(ctx, config)) {
    guard(ctx, pod.resource, () => {
      const containers = containersOf(pod, ['containers', 'initContainers']).filter((c) =>
        selectsContainer(config.selector, c.name),
      );
      if (!containers.length) return;
      const saName = bindServiceAccount(ctx, pod, config);
      const key = `${pod.resource.namespace ?? ''}/${saName}`;
      if (!bindings.has(key)) {
        bindings.set(key, { name: saName, namespace: pod.resource.namespace, near: pod.resource });
      }
      ensureVolume(pod, {
        name: config.tokenVolumeName,
        projected: {
          sources: [
            {
              serviceAccountToken: {
                audience: config.audience,
                expirationSeconds: config.expirationSeconds,
                path: 'token',
              },
            },
          ],
        },
      });
      const systemd: ContainerRef[] = [];
      for (const container of containers) {
        const kind = containerKind(container, config.runtime, config.containerRuntimes);
        const legacy = kind === 'legacy';
        for (const [name, value] of awsEnvironment(config, legacy))
          ensureEnv(container, name, value);
        ensureVolumeMount(container, {
          name: config.tokenVolumeName,
          mountPath: TOKEN_MOUNT_DIR,
          readOnly: true,
        });
        // The service-manager runtime starts services itself with the container's env.
        if (kind !== 'legacy' || container.list !== 'containers') continue;
        if (config.initSystem === 'systemd') systemd.push(container);
        else if (config.initSystem) needsBuildSteps = true;
        else vmWithoutInitSystem = true;
      }
      if (systemd.length) mountSystemdDropIn(ctx, pod, systemd, config);
    });
  }
  for (const binding of bindings.values()) annotateServiceAccount(ctx, binding, config);
  if (needsBuildSteps || config.serviceUsers?.length) {
    ctx.results.push({
      severity: 'info',
      message: buildStepsMessage(config),
    });
  }
  if (vmWithoutInitSystem) {
    ctx.results.push({
      severity: 'warning',
      message:
        'migrated-VM containers found but awsWorkloadIdentity.initSystem is not set: services started by the init system do not inherit container env; set initSystem (systemd, sysv-pam, sysv or upstart)',
    });
  }
}

function bindServiceAccount(ctx: TransformContext, pod: PodSpecRef, config: Config): string {
  const field = `${pod.field}.serviceAccountName`;
  const current =
    readString(pod.node, 'serviceAccountName', field) ??
    readString(pod.node, 'serviceAccount', `${pod.field}.serviceAccount`);
  if (!config.serviceAccountName) return current ?? 'default';
  if (current && current !== config.serviceAccountName) {
    ctx.results.push(
      pod.resource.result(
        'info',
        `serviceAccountName changed from ${current} to ${config.serviceAccountName} for workload identity`,
        field,
      ),
    );
  }
  setScalar(pod.resource, pod.node, 'serviceAccountName', config.serviceAccountName, field);
  return config.serviceAccountName;
}

function annotateServiceAccount(
  ctx: TransformContext,
  binding: { name: string; namespace?: string; near: Resource },
  config: Config,
): void {
  const annotations: Record<string, string> = { [ROLE_ARN_ANNOTATION]: config.roleArn };
  if (config.stsRegionalEndpoints === 'regional') {
    annotations['eks.amazonaws.com/sts-regional-endpoints'] = 'true';
  }
  const existing = findResource(ctx.set, 'ServiceAccount', binding.name, binding.namespace);
  if (!existing) {
    const metadata: Record<string, unknown> = { name: binding.name };
    if (binding.namespace) metadata.namespace = binding.namespace;
    metadata.annotations = annotations;
    ctx.set.add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata }, binding.near);
    return;
  }
  guard(ctx, existing, () => {
    const metadata = ensureMap(existing, existing.node, 'metadata', 'metadata');
    const map = ensureMap(existing, metadata, 'annotations', 'metadata.annotations');
    const before = existing.annotations()[ROLE_ARN_ANNOTATION];
    if (before !== undefined && before !== config.roleArn) {
      ctx.results.push(
        existing.result(
          'info',
          `role ARN changed from ${before} to ${config.roleArn}`,
          `metadata.annotations.${ROLE_ARN_ANNOTATION}`,
        ),
      );
    }
    for (const [key, value] of Object.entries(annotations)) {
      setScalar(existing, map, key, value, `metadata.annotations.${key}`);
    }
  });
}

/** Legacy-runtime containers boot the VM's systemd, which gives services none of the container's env. */
function mountSystemdDropIn(
  ctx: TransformContext,
  pod: PodSpecRef,
  containers: readonly ContainerRef[],
  config: Config,
): void {
  const name = `${pod.resource.name}-aws-workload-identity`.slice(0, 253);
  const key = '10-default-env.conf';
  ensureConfigMap(
    ctx.set,
    name,
    pod.resource.namespace,
    { [key]: systemdDropIn(config, true) },
    pod.resource,
  );
  ensureVolume(pod, { name: 'retarget-systemd-env', configMap: { name } });
  for (const container of containers) {
    ensureVolumeMount(container, {
      name: 'retarget-systemd-env',
      mountPath: SYSTEMD_DROP_IN,
      subPath: key,
      readOnly: true,
    });
  }
}

function buildStepsMessage(config: Config): string {
  const steps: string[] = [];
  switch (config.initSystem) {
    case 'sysv-pam':
      steps.push(
        '`session required pam_env.so` in /etc/pam.d/su and both variables in /etc/environment',
      );
      break;
    case 'sysv':
      steps.push(`export lines in the init scripts of ${listOr(config.services, 'the services')}`);
      break;
    case 'upstart':
      steps.push(`env stanzas in the Upstart jobs of ${listOr(config.services, 'the services')}`);
      break;
    default:
      break;
  }
  if (config.serviceUsers?.length) {
    steps.push(
      `the ${config.tokenGroup} group (gid = fsGroup) with ${config.serviceUsers.join(', ')} in it`,
    );
  }
  return `build-time steps needed in the image: ${steps.join('; ')}. These cannot be done safely in manifests; run \`retarget dockerfile -c CONFIG Dockerfile\` (CONFIG: the Retarget config with this awsWorkloadIdentity and the fsGroup) to add them to the image's Dockerfile`;
}

function listOr(values: readonly string[] | undefined, fallback: string): string {
  return values?.length ? values.join(', ') : fallback;
}
