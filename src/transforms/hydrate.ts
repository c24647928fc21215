import { validateBody } from '../config/load';
import { ConfigError } from '../errors';
import type {
  LinkKubernetesInfoSecretsConfig,
  PortDataVolumesConfig,
  PreflightConfig,
  RetargetConfig,
  SetAwsWorkloadIdentityConfig,
  SetGcpWorkloadIdentityConfig,
  SetFsGroupConfig,
  SetImagePullSecretsConfig,
} from '../config/types';
import { runPreflight } from './preflight-stage';
import { linkKubernetesInfoSecrets } from './link-kubernetes-info-secrets';
import { portDataVolumes, storageResources } from './port-data-volumes';
import { setAwsWorkloadIdentity } from './set-aws-workload-identity';
import { setGcpWorkloadIdentity } from './set-gcp-workload-identity';
import { setFsGroup } from './set-fs-group';
import { setImagePullSecrets } from './set-image-pull-secrets';
import { diskSourceOf } from '../storage/persistent-volume';
import type { DiskSource } from '../storage/persistent-volume';
import { guard } from './context';
import type { TransformContext } from './context';

type LinkSection = Exclude<RetargetConfig['linkKubernetesInfoSecrets'], boolean | undefined>;

export interface Stages {
  imagePullSecrets?: SetImagePullSecretsConfig;
  fsGroup?: SetFsGroupConfig;
  link?: LinkKubernetesInfoSecretsConfig;
  aws?: SetAwsWorkloadIdentityConfig;
  gcp?: SetGcpWorkloadIdentityConfig;
  dataVolumes?: PortDataVolumesConfig;
  /** The preflight checks, run last on the hydrated resources. */
  preflight?: PreflightConfig;
}

/**
 * Splits a validated Retarget config into each stage's own config (validated
 * again so each gets its defaults). The shared selector, runtime and pod template
 * paths apply to every stage; an absent section turns its stage off, except the link
 * step, which only touches legacy-runtime containers and is on unless set to false.
 */
export function stagesOf(config: RetargetConfig): Stages {
  const { selector, podTemplatePaths, runtime, containerRuntimes } = config;
  const targeting = strip({ selector, podTemplatePaths });
  const runtimeSelection = strip({ runtime, containerRuntimes });
  const stages: Stages = {};
  const ips = config.imagePullSecrets;
  if (ips !== undefined) {
    const body = Array.isArray(ips) ? { names: ips } : ips;
    stages.imagePullSecrets = validateBody('SetImagePullSecrets', clone({ ...body, ...targeting }));
  }
  const fs = config.fsGroup;
  if (fs !== undefined) {
    const body = typeof fs === 'number' ? { fsGroup: fs } : fs;
    stages.fsGroup = validateBody('SetFsGroup', clone({ ...body, ...targeting }));
  }
  const aws = config.awsWorkloadIdentity;
  const link = config.linkKubernetesInfoSecrets ?? true;
  if (link !== false) {
    const body: LinkSection = typeof link === 'object' ? link : {};
    const initSystem = body.initSystem ?? aws?.initSystem;
    stages.link = validateBody(
      'LinkKubernetesInfoSecrets',
      clone({ ...body, ...strip({ initSystem }), ...runtimeSelection, ...targeting }),
    );
  }
  if (aws !== undefined) {
    stages.aws = validateBody(
      'SetAwsWorkloadIdentity',
      clone({ ...aws, ...runtimeSelection, ...targeting }),
    );
  }
  if (config.gcpWorkloadIdentity !== undefined) stages.gcp = gcpStage(config);
  const dv = config.dataVolumes;
  if (dv !== undefined) {
    // The target describes the cluster once: its platform, project and (single) zone.
    const target = config.target;
    const zones = target?.zones;
    const fromTarget = strip({
      platform: target?.platform,
      project: target?.gcpProjectId,
      zone: zones?.length === 1 ? zones[0] : undefined,
    });
    stages.dataVolumes = validateBody(
      'PortDataVolumes',
      clone({ ...fromTarget, ...dv }),
      'dataVolumes.',
    );
  }
  if (config.target !== undefined) {
    // Every workload is deployed, so preflight checks them all: no selector.
    stages.preflight = validateBody(
      'Preflight',
      clone({ ...config.target, ...strip({ podTemplatePaths }), ...runtimeSelection }),
    );
  }
  return stages;
}

export function hydrate(ctx: TransformContext, stages: Stages): void {
  if (stages.imagePullSecrets) setImagePullSecrets(ctx, stages.imagePullSecrets);
  if (stages.fsGroup) setFsGroup(ctx, stages.fsGroup);
  if (stages.link) linkKubernetesInfoSecrets(ctx, stages.link);
  if (stages.aws) setAwsWorkloadIdentity(ctx, stages.aws);
  if (stages.gcp) setGcpWorkloadIdentity(ctx, stages.gcp);
  if (stages.dataVolumes) portDataVolumes(ctx, stages.dataVolumes);
  // preflight's data-volume checks say more, for the target it names.
  else if (!stages.preflight) warnUnportedDisks(ctx);
  if (stages.preflight) runPreflight(ctx, stages.preflight);
}

/**
 * The gcpWorkloadIdentity section, with the cluster's project, project number and
 * platform from the target where the section leaves them out. One identity mechanism per
 * run: a pod on GKE takes its Google identity from the metadata server, and AWS identity
 * (IRSA, EKS Pod Identity) is for EKS and GKE on AWS, so both sections at once, or a
 * target that is no GKE cluster, is a config error rather than a guess.
 */
function gcpStage(config: RetargetConfig): SetGcpWorkloadIdentityConfig {
  const gcp = config.gcpWorkloadIdentity!;
  const problems: { field: string; message: string }[] = [];
  if (config.awsWorkloadIdentity !== undefined) {
    problems.push({
      field: 'gcpWorkloadIdentity',
      message:
        'cannot be used with awsWorkloadIdentity: a workload runs on one platform (GKE: gcpWorkloadIdentity; EKS or GKE on AWS: awsWorkloadIdentity)',
    });
  }
  const target = config.target;
  const platform = target?.platform;
  const gke = platform === 'gke' || platform === 'gke-autopilot' ? platform : undefined;
  if (platform && !gke && platform !== 'generic') {
    problems.push({
      field: 'target.platform',
      message: `${platform} is no GKE cluster: Workload Identity Federation for GKE needs gke or gke-autopilot`,
    });
  }
  const same: [string, unknown, unknown][] = [
    ['platform', gcp.platform, gke],
    ['projectId', gcp.projectId, target?.gcpProjectId],
    ['projectNumber', gcp.projectNumber, target?.gcpProjectNumber],
  ];
  for (const [field, own, fromTarget] of same) {
    if (own !== undefined && fromTarget !== undefined && String(own) !== String(fromTarget)) {
      problems.push({
        field: `gcpWorkloadIdentity.${field}`,
        message: `${String(own)} differs from the target's ${String(fromTarget)}: both name the cluster; set it once`,
      });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  const fromTarget = strip({
    platform: gke,
    projectId: target?.gcpProjectId,
    projectNumber: target?.gcpProjectNumber,
  });
  const { selector, podTemplatePaths } = config;
  return validateBody(
    'SetGcpWorkloadIdentity',
    clone({ ...fromTarget, ...gcp, ...strip({ selector, podTemplatePaths }) }),
    'gcpWorkloadIdentity.',
  );
}

/**
 * A PersistentVolume dumped by an ImageAndData migration names a disk of the processing
 * cluster: deployed elsewhere as it is, its claim never binds, or binds that disk. With
 * neither a dataVolumes section nor a target to check, hydrate would pass it on silently.
 */
function warnUnportedDisks(ctx: TransformContext): void {
  for (const pv of storageResources(ctx).pvs) {
    let source: DiskSource | undefined;
    guard(ctx, pv, () => {
      source = diskSourceOf(pv);
    });
    if (!source) continue;
    const disk =
      source.cloud === 'gce' ? `Compute Engine disk ${source.disk}` : `EBS volume ${source.disk}`;
    ctx.results.push(
      pv.result(
        'warning',
        `names ${disk} as the migration left it: on another cluster its claim may never bind, or bind that disk; add a dataVolumes section (port-data-volumes) to port or provision it, or set target: so preflight checks it`,
        source.field,
        source.node,
      ),
    );
  }
}

function strip<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function clone<T>(value: T): Record<string, unknown> {
  return structuredClone(value) as Record<string, unknown>;
}
