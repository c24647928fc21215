import type { V1EnvVar } from '@kubernetes/client-node';
import type { YAMLMap } from 'yaml';
import { ROLE_ARN_PATTERN } from '../config/schemas';
import type { SetAwsWorkloadIdentityConfig } from '../config/types';
import { stringMap } from '../krm/resource';
import type { Resource } from '../krm/resource';
import { findResource } from '../krm/resource-set';
import { systemdQuote } from '../shell/quote';
import { appendValue, ensureSeq, mapItems, plainValueAt, readMap, readSeq } from '../yaml/edit';
import { containerKind } from '../workload/container-kind';
import { goCsvFirstRecord } from '../workload/go-csv';
import {
  ensureConfigMap,
  ensureEnv,
  ensureVolume,
  ensureVolumeMount,
  sameJson,
} from '../workload/pod-edit';
import { containersOf } from '../workload/pod-specs';
import type { ContainerRef, PodSpecRef } from '../workload/pod-specs';
import { selectsContainer } from '../workload/selector';
import { guard, selectedPodSpecs } from './context';
import {
  annotationNode,
  bindAnnotation,
  bindServiceAccount,
  defaultNamespacesText,
  newServiceAccount,
  setAnnotation,
} from './service-account';
import type { BoundAccount } from './service-account';
import { reportAssociations } from './pod-identity-association';
import type { TransformContext } from './context';

/*
 * What the EKS pod identity webhook does at admission is the specification here
 * (aws/amazon-eks-pod-identity-webhook, pkg/handler/handler.go and pkg/cache/cache.go):
 * which annotations it reads, in what order it appends env, when it keeps what a
 * container already sets, and the volume and mount it adds. Writing the same thing
 * offline makes the output a fixed point of the webhook: at admission it finds
 * everything in place and adds nothing.
 */

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
export const STS_REGIONAL_ANNOTATION = 'eks.amazonaws.com/sts-regional-endpoints';
export const TOKEN_EXPIRATION_ANNOTATION = 'eks.amazonaws.com/token-expiration';
export const SKIP_CONTAINERS_ANNOTATION = 'eks.amazonaws.com/skip-containers';
/** The webhook's fixed volume name and token file name. */
export const WEBHOOK_VOLUME_NAME = 'aws-iam-token';
/** The API server's minimum expirationSeconds; the webhook raises smaller annotation values to it. */
export const MIN_TOKEN_EXPIRATION = 600;
/** Where the EKS pod-identity webhook mounts the token; the legacy runtime shows it under /kubernetes-info. */
export const TOKEN_MOUNT_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
export const LEGACY_TOKEN_MOUNT_DIR = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount';
export const SYSTEMD_DROP_IN = '/etc/systemd/system.conf.d/10-default-env.conf';

/*
 * EKS Pod Identity: the same webhook's container-credentials mode (pkg/handler/handler.go
 * buildPodPatchConfig and addEnvToContainer, pkg/containercredentials/config.go), with the
 * values its flags default to in main.go (--container-credentials-*), which EKS uses.
 */
export const POD_IDENTITY_VOLUME_NAME = 'eks-pod-identity-token';
export const POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com';
export const POD_IDENTITY_MOUNT_DIR = '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount';
export const LEGACY_POD_IDENTITY_MOUNT_DIR =
  '/kubernetes-info/secrets/pods.eks.amazonaws.com/serviceaccount';
export const POD_IDENTITY_TOKEN_PATH = 'eks-pod-identity-token';
export const POD_IDENTITY_FULL_URI = 'http://169.254.170.23/v1/credentials';
export const CONTAINER_CREDENTIALS_KEYS = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

export const WEB_IDENTITY_KEYS = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'];

const REGION_KEYS = ['AWS_REGION', 'AWS_DEFAULT_REGION'];
const STS_KEY = 'AWS_STS_REGIONAL_ENDPOINTS';
const roleArnPattern = new RegExp(ROLE_ARN_PATTERN);

type Config = SetAwsWorkloadIdentityConfig;
type Sts = NonNullable<Config['stsRegionalEndpoints']>;
export type Mechanism = NonNullable<Config['mechanism']>;

/** The values the variables are made from. */
export interface Identity {
  roleArn: string;
  region?: string;
  stsRegionalEndpoints?: Sts;
  /** irsa when absent. */
  mechanism?: Mechanism;
}

/** The token file a container reads; irsa when no mechanism is given. */
export function tokenFile(legacy: boolean, mechanism?: Mechanism): string {
  if (mechanism === 'pod-identity') {
    return `${legacy ? LEGACY_POD_IDENTITY_MOUNT_DIR : POD_IDENTITY_MOUNT_DIR}/${POD_IDENTITY_TOKEN_PATH}`;
  }
  return `${legacy ? LEGACY_TOKEN_MOUNT_DIR : TOKEN_MOUNT_DIR}/token`;
}

/** The two credential variables of a mechanism, in the webhook's order. */
function credentialEnv(identity: Identity, legacy: boolean): [string, string][] {
  const file = tokenFile(legacy, identity.mechanism);
  return identity.mechanism === 'pod-identity'
    ? [
        ['AWS_CONTAINER_CREDENTIALS_FULL_URI', POD_IDENTITY_FULL_URI],
        ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', file],
      ]
    : [
        ['AWS_ROLE_ARN', identity.roleArn],
        ['AWS_WEB_IDENTITY_TOKEN_FILE', file],
      ];
}

/** The variables every service needs (the drop-in and the Dockerfile lines, in this order). */
export function awsEnvironment(identity: Identity, legacy: boolean): [string, string][] {
  const env = credentialEnv(identity, legacy);
  if (identity.region) {
    env.push(['AWS_REGION', identity.region], ['AWS_DEFAULT_REGION', identity.region]);
  }
  if (identity.stsRegionalEndpoints) env.push([STS_KEY, identity.stsRegionalEndpoints]);
  return env;
}

/** The systemd manager drop-in: every service started by systemd inherits these. */
export function systemdDropIn(identity: Identity, legacy: boolean): string {
  return dropInText(awsEnvironment(identity, legacy));
}

function dropInText(env: readonly [string, string][]): string {
  const assignments = env.map(([k, v]) => systemdQuote(`${k}=${v}`));
  return [
    '# Written by retarget: AWS workload identity for every systemd service.',
    '[Manager]',
    `DefaultEnvironment=${assignments.join(' ')}`,
    '',
  ].join('\n');
}

const GO_BOOLS = new Map<string | undefined, boolean>([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v): [string, boolean] => [v, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v): [string, boolean] => [v, false]),
]);

/** Go's strconv.ParseBool, which the webhook reads sts-regional-endpoints with. */
export function goParseBool(value: string | undefined): boolean | undefined {
  return GO_BOOLS.get(value);
}

/** Go's strconv.ParseInt(v, 10, 64) then the webhook's ValidateMinTokenExpiration. */
export function tokenExpirationOf(value: string | undefined): number | undefined {
  // String(undefined) is 'undefined', which the pattern refuses like any other non-number.
  if (!/^[+-]?[0-9]+$/.test(String(value))) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) return undefined;
  return Math.max(n, MIN_TOKEN_EXPIRATION);
}

/** What one pod gets: the webhook's podPatchConfig, resolved from config, ServiceAccount and pod. */
interface PodIdentity extends Identity {
  audience: string;
  expirationSeconds: number;
  containersToSkip: ReadonlySet<string>;
}

/** The token a mechanism projects: the volume, where it is mounted, the file in it. */
interface TokenSpec {
  /** EKS Pod Identity (container credentials), else IRSA (web identity). */
  podIdentity: boolean;
  volumeName: string;
  mountDir: string;
  path: string;
  /** The two variables that make the credential: the webhook adds neither when one is set. */
  keys: readonly string[];
}

function tokenSpecOf(config: Config): TokenSpec {
  if (config.mechanism === 'pod-identity') {
    return {
      podIdentity: true,
      volumeName: POD_IDENTITY_VOLUME_NAME,
      mountDir: POD_IDENTITY_MOUNT_DIR,
      path: POD_IDENTITY_TOKEN_PATH,
      keys: CONTAINER_CREDENTIALS_KEYS,
    };
  }
  return {
    podIdentity: false,
    volumeName: config.tokenVolumeName,
    mountDir: TOKEN_MOUNT_DIR,
    path: 'token',
    keys: WEB_IDENTITY_KEYS,
  };
}

interface Binding {
  roleArn: string;
  name: string;
  namespace: string | undefined;
  /** The package's ServiceAccount; undefined until a new one is added after every pod is done. */
  sa: Resource | undefined;
  create?: { value: Record<string, unknown>; near: Resource };
}

/**
 * AWS workload identity for migrated workloads: env, the projected token the EKS
 * pod-identity webhook would add, a ServiceAccount of the workload's own carrying the
 * role, and for systemd images a manager drop-in so services started by init get the
 * variables too.
 */
export function setAwsWorkloadIdentity(ctx: TransformContext, config: Config): void {
  const bindings = new Map<string, Binding | null>();
  const boundDefault = { namespaces: new Set<string>(), roles: new Set<string>() };
  let needsBuildSteps = false;
  let vmWithoutInitSystem = false;
  const spec = tokenSpecOf(config);
  for (const pod of selectedPodSpecs(ctx, config)) {
    guard(ctx, pod.resource, () => {
      const selected = containersOf(pod, ['containers', 'initContainers']).filter((c) =>
        selectsContainer(config.selector, c.name),
      );
      if (!selected.length) return;
      const account = bindServiceAccount(ctx, pod, config.serviceAccountName);
      if (!account) return;
      const saName = account.name;
      const namespace = pod.resource.namespace;
      const key = JSON.stringify([namespace, saName]);
      if (!bindings.has(key)) {
        bindings.set(
          key,
          spec.podIdentity
            ? bindPodIdentity(ctx, pod, account, config)
            : bind(ctx, pod, account, config),
        );
      }
      const binding = bindings.get(key);
      if (!binding) return;
      if (saName === 'default') {
        boundDefault.namespaces.add(namespace ?? '');
        boundDefault.roles.add(binding.roleArn);
      }
      const identity = podIdentity(ctx, pod, binding, config);
      // The webhook adds the volume even when skip-containers names every container.
      ensureTokenVolume(ctx, pod, identity, spec, config);
      const containers = selected.filter((c) => !identity.containersToSkip.has(c.name));
      const systemd: ContainerRef[] = [];
      for (const container of containers) {
        const kind = containerKind(container, config.runtime, config.containerRuntimes);
        const legacy = kind === 'legacy';
        addEnvToContainer(ctx, container, identity, legacy, spec, config);
        // The service-manager runtime starts services itself with the container's env.
        if (!legacy || container.list !== 'containers') continue;
        if (config.initSystem === 'systemd') systemd.push(container);
        else if (config.initSystem) needsBuildSteps = true;
        else vmWithoutInitSystem = true;
      }
      if (systemd.length) mountSystemdDropIn(ctx, pod, systemd, identity);
    });
  }
  if (boundDefault.namespaces.size) {
    // One result for the run, with no position: it reads the same on every rerun.
    const where = defaultNamespacesText(boundDefault.namespaces);
    ctx.results.push({
      severity: 'warning',
      message: `serviceAccountName: default binds role ${[...boundDefault.roles].sort().join(', ')} to the ServiceAccount default${where}: every pod there that names no ServiceAccount can assume it, and an applier that prunes (Argo CD, kpt live) takes ownership of that ServiceAccount; leave serviceAccountName unset to give each workload its own`,
    });
  }
  // New ServiceAccounts go in after the pods' own objects (the drop-in ConfigMaps).
  for (const binding of bindings.values()) {
    if (binding?.create) ctx.set.add(binding.create.value, binding.create.near);
  }
  if (spec.podIdentity) {
    reportAssociations(
      ctx,
      [...bindings.values()].filter((b): b is Binding => !!b),
      config,
    );
  }
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

/** The workload's own ServiceAccount, added after every pod is done. */
function createdAccount(
  ctx: TransformContext,
  pod: PodSpecRef,
  account: BoundAccount,
  roleArn: string,
  annotations: Record<string, string>,
): Binding {
  return {
    roleArn,
    name: account.name,
    namespace: pod.resource.namespace,
    sa: undefined,
    create: { value: newServiceAccount(ctx, pod, account, annotations), near: pod.resource },
  };
}

/**
 * The role of a ServiceAccount: the config's, or the `eks.amazonaws.com/role-arn` the
 * package's ServiceAccount already carries. The ServiceAccount is created (in the
 * workload's namespace) or annotated in place.
 */
function bind(
  ctx: TransformContext,
  pod: PodSpecRef,
  account: BoundAccount,
  config: Config,
): Binding | null {
  const saName = account.name;
  const namespace = pod.resource.namespace;
  const existing = findResource(ctx.set, 'ServiceAccount', saName, namespace);
  const annotationField = `metadata.annotations.${ROLE_ARN_ANNOTATION}`;
  if (!existing) {
    if (!config.roleArn) {
      ctx.results.push(
        pod.resource.result(
          'error',
          `no role for ServiceAccount ${saName}: set roleArn in the config, or put the ServiceAccount in the package with ${ROLE_ARN_ANNOTATION}`,
          `${pod.field}.serviceAccountName`,
        ),
      );
      return null;
    }
    const annotations: Record<string, string> = { [ROLE_ARN_ANNOTATION]: config.roleArn };
    if (config.stsRegionalEndpoints === 'regional') annotations[STS_REGIONAL_ANNOTATION] = 'true';
    return createdAccount(ctx, pod, account, config.roleArn, annotations);
  }
  let binding: Binding | null = null;
  guard(ctx, existing, () => {
    const annotated = existing.annotations()[ROLE_ARN_ANNOTATION];
    const node = annotationNode(existing, ROLE_ARN_ANNOTATION);
    if (annotated !== undefined && !roleArnPattern.test(annotated)) {
      ctx.results.push(
        existing.result(
          'error',
          `${ROLE_ARN_ANNOTATION} is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)`,
          annotationField,
          node,
        ),
      );
      return;
    }
    const roleArn = config.roleArn ?? annotated;
    if (!roleArn) {
      ctx.results.push(
        existing.result(
          'error',
          `ServiceAccount ${saName} has no ${ROLE_ARN_ANNOTATION} and the config no roleArn: set one of them`,
          'metadata.annotations',
        ),
      );
      return;
    }
    if (!bindAnnotation(ctx, existing, ROLE_ARN_ANNOTATION, roleArn, config.override, 'role ARN')) {
      return;
    }
    // An annotation already there wins over the config (stsOf says so): only an absent one is added.
    if (
      config.stsRegionalEndpoints === 'regional' &&
      existing.annotations()[STS_REGIONAL_ANNOTATION] === undefined
    ) {
      setAnnotation(existing, STS_REGIONAL_ANNOTATION, 'true');
    }
    binding = { roleArn, name: saName, namespace, sa: existing };
  });
  return binding;
}

/**
 * Pod Identity binds the role with an association, not an annotation: the role comes from
 * the config, the ServiceAccount is created bare (in the workload's namespace) or left as
 * the package has it. An IRSA role annotation left on it is reported: wherever the
 * association is missing, the webhook falls back to IRSA and adds AWS_ROLE_ARN beside the
 * Pod Identity variables, and the AWS SDKs try web identity before container credentials.
 */
function bindPodIdentity(
  ctx: TransformContext,
  pod: PodSpecRef,
  account: BoundAccount,
  config: Config,
): Binding | null {
  const saName = account.name;
  const namespace = pod.resource.namespace;
  if (!config.roleArn) {
    ctx.results.push(
      pod.resource.result(
        'error',
        'mechanism pod-identity needs roleArn in the config: the role is bound by an EKS Pod Identity association, which retarget prints (and can emit) from it',
        `${pod.field}.serviceAccountName`,
      ),
    );
    return null;
  }
  const roleArn = config.roleArn;
  const existing = findResource(ctx.set, 'ServiceAccount', saName, namespace);
  if (!existing) {
    // The webhook reads regional STS from the ServiceAccount in this mode too.
    const annotations: Record<string, string> =
      config.stsRegionalEndpoints === 'regional' ? { [STS_REGIONAL_ANNOTATION]: 'true' } : {};
    return createdAccount(ctx, pod, account, roleArn, annotations);
  }
  let binding: Binding | null = null;
  guard(ctx, existing, () => {
    const annotated = existing.annotations()[ROLE_ARN_ANNOTATION];
    if (annotated !== undefined) {
      ctx.results.push(
        existing.result(
          'warning',
          `ServiceAccount ${saName} still carries ${ROLE_ARN_ANNOTATION} (IRSA): until its Pod Identity association exists, the EKS pod identity webhook injects AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE beside the Pod Identity variables, and the AWS SDKs take web identity first; remove the annotation once the association is made`,
          `metadata.annotations.${ROLE_ARN_ANNOTATION}`,
          annotationNode(existing, ROLE_ARN_ANNOTATION),
        ),
      );
    }
    binding = { roleArn, name: saName, namespace, sa: existing };
  });
  return binding;
}

/** The pod template's own annotations (a Pod's metadata, a template's metadata). */
function podAnnotations(pod: PodSpecRef): Record<string, string> {
  const keys = pod.field.split('.').slice(0, -1);
  // A Pod's template is the resource itself, whose metadata checkMetadata has read.
  if (!keys.length) return pod.resource.annotations();
  // podSpecOf has read every step of this path as a map.
  const template = pod.resource.node.getIn(keys, true) as YAMLMap;
  const prefix = `${keys.join('.')}.`;
  const metadata = readMap(template, 'metadata', `${prefix}metadata`);
  // Read as the resource's own annotations are: a scalar value as its string.
  return stringMap(metadata && readMap(metadata, 'annotations', `${prefix}metadata.annotations`));
}

/**
 * The webhook's buildPodPatchConfig: audience and regional STS from the ServiceAccount
 * annotation over the config (its flags); token expiration from the pod annotation, then
 * the ServiceAccount's, then the config, raised to 600.
 */
function podIdentity(
  ctx: TransformContext,
  pod: PodSpecRef,
  binding: Binding,
  config: Config,
): PodIdentity {
  const account = binding.sa;
  const sa = account?.annotations() ?? {};
  const annotations = podAnnotations(pod);
  const skip = annotations[SKIP_CONTAINERS_ANNOTATION];
  // new Set(undefined) is empty: no annotation, or one Go's csv reader refuses, skips nothing.
  const containersToSkip = new Set(skip === undefined ? undefined : goCsvFirstRecord(skip));
  // Absent values stay undefined: every reader of an Identity tests them for truthiness.
  return {
    roleArn: binding.roleArn,
    // In container-credentials mode the webhook's audience is fixed (no annotation reads it).
    audience:
      config.mechanism === 'pod-identity'
        ? POD_IDENTITY_AUDIENCE
        : (sa[AUDIENCE_ANNOTATION] ?? config.audience),
    expirationSeconds:
      tokenExpirationOf(annotations[TOKEN_EXPIRATION_ANNOTATION]) ??
      tokenExpirationOf(sa[TOKEN_EXPIRATION_ANNOTATION]) ??
      config.expirationSeconds,
    containersToSkip,
    mechanism: config.mechanism,
    region: config.region,
    stsRegionalEndpoints: stsOf(ctx, account, config),
  };
}

/** Regional STS: the ServiceAccount's annotation (Go's ParseBool) wins over the config, as at admission. */
function stsOf(
  ctx: TransformContext,
  account: Resource | undefined,
  config: Config,
): Sts | undefined {
  // A ServiceAccount still to be created carries only what the config gives.
  if (!account) return config.stsRegionalEndpoints;
  const annotated = account.annotations()[STS_REGIONAL_ANNOTATION];
  const saSts = goParseBool(annotated);
  if (saSts === undefined) return config.stsRegionalEndpoints;
  const sts: Sts | undefined = saSts ? 'regional' : undefined;
  if (config.stsRegionalEndpoints && config.stsRegionalEndpoints !== (sts ?? 'legacy')) {
    ctx.results.push(
      account.result(
        'warning',
        `${STS_REGIONAL_ANNOTATION}: ${annotated} on ServiceAccount ${account.name} wins over the config's stsRegionalEndpoints: ${config.stsRegionalEndpoints}, as at admission: ${saSts ? 'AWS_STS_REGIONAL_ENDPOINTS=regional' : 'no AWS_STS_REGIONAL_ENDPOINTS'}`,
        `metadata.annotations.${STS_REGIONAL_ANNOTATION}`,
      ),
    );
  }
  return sts;
}

/** The projected token volume; one of that name already in the pod is kept unless override. */
function ensureTokenVolume(
  ctx: TransformContext,
  pod: PodSpecRef,
  identity: PodIdentity,
  spec: TokenSpec,
  config: Config,
): void {
  const volume = {
    name: spec.volumeName,
    projected: {
      sources: [
        {
          serviceAccountToken: {
            audience: identity.audience,
            expirationSeconds: identity.expirationSeconds,
            path: spec.path,
          },
        },
      ],
    },
  };
  const field = `${pod.field}.volumes`;
  const items = mapItems(readSeq(pod.node, 'volumes', field), field);
  const index = items.findIndex((v) => plainValueAt(v, 'name') === volume.name);
  if (index < 0 || config.override) {
    ensureVolume(pod, volume);
    return;
  }
  // yaml's toJS bounds alias expansion by default (maxAliasCount 100).
  const present = items[index].toJS(pod.resource.doc) as unknown;
  if (sameJson(present, volume)) return;
  ctx.results.push(
    pod.resource.result(
      'warning',
      `volume ${volume.name} is kept as the manifest has it, as the webhook keeps it: it differs from the token volume the config describes (audience ${identity.audience}, expirationSeconds ${identity.expirationSeconds}); set override: true to replace it`,
      `${field}[${index}]`,
      items[index],
    ),
  );
}

interface EnvEntry {
  node: YAMLMap;
  /** The literal value, undefined for valueFrom. */
  value: string | undefined;
}

function envOf(container: ContainerRef): Map<string, EnvEntry> {
  const field = `${container.field}.env`;
  const out = new Map<string, EnvEntry>();
  for (const node of mapItems(readSeq(container.node, 'env', field), field)) {
    const name = plainValueAt(node, 'name');
    if (typeof name !== 'string' || out.has(name)) continue;
    const value = plainValueAt(node, 'value');
    // No literal value: valueFrom, or `value:` left empty (null, which typeof calls an object).
    out.set(name, {
      node,
      value: value === undefined || typeof value === 'object' ? undefined : String(value),
    });
  }
  return out;
}

/**
 * The webhook's addEnvToContainer: AWS_STS_REGIONAL_ENDPOINTS, then AWS_DEFAULT_REGION
 * and AWS_REGION (neither when one is set), then AWS_ROLE_ARN and
 * AWS_WEB_IDENTITY_TOKEN_FILE (neither when one is set), appended; the token mount unless
 * one of the volume's name is there. A container that sets a web identity variable, a
 * region and AWS_STS_REGIONAL_ENDPOINTS is left as it is. Kept values that differ from
 * the config are warned about; `override` sets every variable to the config's.
 */
function addEnvToContainer(
  ctx: TransformContext,
  container: ContainerRef,
  identity: PodIdentity,
  legacy: boolean,
  spec: TokenSpec,
  config: Config,
): void {
  const env = envOf(container);
  // Every result about env, and the list itself, sit at the one field envOf has read.
  const envField = `${container.field}.env`;
  const owner = container.pod.resource;
  const credential = credentialEnv(identity, legacy);
  const wanted = new Map<string, string>(credential);
  if (identity.region) {
    wanted.set('AWS_REGION', identity.region).set('AWS_DEFAULT_REGION', identity.region);
  }
  if (identity.stsRegionalEndpoints) wanted.set(STS_KEY, identity.stsRegionalEndpoints);

  const keys = spec.keys;
  const credentialDefined = keys.some((k) => env.has(k));
  const regionDefined = REGION_KEYS.some((k) => env.has(k));
  const stsDefined = env.has(STS_KEY);
  const mountDefined = hasMountOf(container, spec.volumeName);
  const what = spec.podIdentity ? 'container credentials' : 'web identity';
  const irsaLeft = spec.podIdentity && WEB_IDENTITY_KEYS.find((k) => env.has(k));
  if (irsaLeft) {
    // Kept, as the webhook keeps it; removing a variable the package sets is not retarget's call.
    ctx.results.push(
      owner.result(
        'warning',
        `container ${container.name} sets ${irsaLeft} (IRSA): kept, but the AWS SDKs try web identity before container credentials, so the Pod Identity credentials are not used while it is set; remove the IRSA variables`,
        envField,
        env.get(irsaLeft)!.node,
      ),
    );
  }

  if (config.override) {
    for (const [name, value] of webhookOrder(wanted, keys)) {
      const entry = env.get(name);
      if (entry && entry.value !== undefined && entry.value !== value) {
        ctx.results.push(
          owner.result(
            'info',
            `container ${container.name}: ${name} changed from ${entry.value} to ${value} (override)`,
            envField,
            entry.node,
          ),
        );
      }
      ensureEnv(container, name, value);
    }
    ensureTokenMount(ctx, container, spec, config);
    return;
  }

  for (const [name, entry] of env) {
    const value = wanted.get(name);
    if (value === undefined || entry.value === value) continue;
    ctx.results.push(
      owner.result(
        'warning',
        entry.value === undefined
          ? `container ${container.name} sets ${name} from valueFrom: kept, where the config gives ${value}`
          : `container ${container.name} sets ${name}=${entry.value}: kept, where the config gives ${value}`,
        envField,
        entry.node,
      ),
    );
  }
  if (credentialDefined && regionDefined && stsDefined) {
    if (!mountDefined) {
      ctx.results.push(
        owner.result(
          'warning',
          `container ${container.name} already sets AWS ${what}, region and AWS_STS_REGIONAL_ENDPOINTS variables: the EKS pod identity webhook leaves such a container alone, and so does retarget, so it gets no token mount (${spec.volumeName}); set override: true to have it mounted`,
          envField,
        ),
      );
    }
    return;
  }
  const add: V1EnvVar[] = [];
  if (!stsDefined && identity.stsRegionalEndpoints) {
    add.push({ name: STS_KEY, value: identity.stsRegionalEndpoints });
  }
  if (!regionDefined && identity.region) {
    add.push(
      { name: 'AWS_DEFAULT_REGION', value: identity.region },
      { name: 'AWS_REGION', value: identity.region },
    );
  }
  if (!credentialDefined) {
    add.push(...credential.map(([name, value]) => ({ name, value })));
  } else {
    const missing = keys.find((k) => !env.has(k));
    if (missing) {
      ctx.results.push(
        owner.result(
          'warning',
          `container ${container.name} sets ${keys.find((k) => env.has(k))} without ${missing}: the EKS pod identity webhook then adds neither, and neither does retarget; the AWS SDKs use ${what} only with both (set override: true to add it)`,
          envField,
        ),
      );
    }
  }
  // Nothing to add happens only beside variables already set: env is there, unchanged.
  const seq = ensureSeq(owner, container.node, 'env', envField);
  for (const item of add) appendValue(owner, seq, item);
  ensureTokenMount(ctx, container, spec, config);
}

/** The variables in the order the webhook appends them. */
function webhookOrder(
  wanted: ReadonlyMap<string, string>,
  keys: readonly string[],
): [string, string][] {
  const order = [STS_KEY, 'AWS_DEFAULT_REGION', 'AWS_REGION', ...keys];
  return order.filter((k) => wanted.has(k)).map((k) => [k, wanted.get(k)!]);
}

function hasMountOf(container: ContainerRef, volumeName: string): boolean {
  const field = `${container.field}.volumeMounts`;
  return mapItems(readSeq(container.node, 'volumeMounts', field), field).some(
    (m) => plainValueAt(m, 'name') === volumeName,
  );
}

/** The webhook adds its mount unless the container mounts a volume of that name. */
function ensureTokenMount(
  ctx: TransformContext,
  container: ContainerRef,
  spec: TokenSpec,
  config: Config,
): void {
  const field = `${container.field}.volumeMounts`;
  const mounts = mapItems(readSeq(container.node, 'volumeMounts', field), field);
  const mountDir = spec.mountDir;
  const mount = { name: spec.volumeName, mountPath: mountDir, readOnly: true };
  const byName = mounts.findIndex((m) => plainValueAt(m, 'name') === mount.name);
  if (byName >= 0 && !config.override) return;
  const byPath = mounts.findIndex((m) => plainValueAt(m, 'mountPath') === mountDir);
  if (byPath >= 0 && plainValueAt(mounts[byPath], 'name') !== mount.name) {
    ctx.results.push(
      container.pod.resource.result(
        'error',
        `container ${container.name} already mounts volume ${String(plainValueAt(mounts[byPath], 'name'))} at ${mountDir}, where the token goes: the API server refuses two mounts at one path`,
        `${field}[${byPath}].mountPath`,
        mounts[byPath],
      ),
    );
    return;
  }
  ensureVolumeMount(container, mount);
}

/** Legacy-runtime containers boot the VM's systemd, which gives services none of the container's env. */
function mountSystemdDropIn(
  ctx: TransformContext,
  pod: PodSpecRef,
  containers: readonly ContainerRef[],
  identity: Identity,
): void {
  const name = `${pod.resource.name}-aws-workload-identity`.slice(0, 253);
  const key = '10-default-env.conf';
  // Services see what the container sees: a value the container keeps wins over the config's.
  const kept = envOf(containers[0]);
  const env = awsEnvironment(identity, true).map(([k, v]): [string, string] => {
    const value = kept.get(k)?.value;
    return [k, value !== undefined && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : v];
  });
  ensureConfigMap(ctx.set, name, pod.resource.namespace, { [key]: dropInText(env) }, pod.resource);
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
