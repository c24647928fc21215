import { validateBody } from '../config/load';
import type {
  LinkKubernetesInfoSecretsConfig,
  PortDataVolumesConfig,
  PreflightConfig,
  RetargetConfig,
  SetAwsWorkloadIdentityConfig,
  SetFsGroupConfig,
  SetImagePullSecretsConfig,
} from '../config/types';
import { runPreflight } from './preflight-stage';
import { linkKubernetesInfoSecrets } from './link-kubernetes-info-secrets';
import { portDataVolumes, storageResources } from './port-data-volumes';
import { setAwsWorkloadIdentity } from './set-aws-workload-identity';
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
    const body: LinkSection = link === true ? {} : link;
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
  if (stages.dataVolumes) portDataVolumes(ctx, stages.dataVolumes);
  // preflight's data-volume checks say more, for the target it names.
  else if (!stages.preflight) warnUnportedDisks(ctx);
  if (stages.preflight) runPreflight(ctx, stages.preflight);
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
