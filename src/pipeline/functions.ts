import { loadConfig } from '../config/load';
import type { ConfigKind } from '../config/schemas';
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
import type { SourceLocation } from '../errors';
import { passThroughKinds } from './pass-through-kinds';
import { runPreflight } from '../transforms/preflight-stage';
import type { TransformContext } from '../transforms/context';
import { hydrate, stagesOf } from '../transforms/hydrate';
import { linkKubernetesInfoSecrets } from '../transforms/link-kubernetes-info-secrets';
import { portDataVolumes } from '../transforms/port-data-volumes';
import { setAwsWorkloadIdentity } from '../transforms/set-aws-workload-identity';
import { setGcpWorkloadIdentity } from '../transforms/set-gcp-workload-identity';
import { setFsGroup } from '../transforms/set-fs-group';
import { setImagePullSecrets } from '../transforms/set-image-pull-secrets';

/** A function as the executables see it: a config kind and what to do with a valid config. */
export interface KrmFunction {
  name: string;
  kind: ConfigKind;
  description: string;
  /** Throws ConfigError for an invalid config. */
  apply(ctx: TransformContext, config: unknown, location?: SourceLocation): void;
  /** Resource kinds a run with this config never reads (so they need not be composed). */
  passThrough?(config: unknown): ((kind: string) => boolean) | undefined;
}

function define<C>(
  name: string,
  kind: ConfigKind,
  description: string,
  transform: (ctx: TransformContext, config: C) => void,
): KrmFunction {
  return {
    name,
    kind,
    description,
    apply: (ctx, raw, location) => transform(ctx, loadConfig<C>(kind, raw, location)),
    passThrough: (raw) => passThroughKinds(kind, raw),
  };
}

export const FUNCTIONS: readonly KrmFunction[] = [
  define<RetargetConfig>(
    'hydrate',
    'Retarget',
    'every stage from one Retarget config',
    (ctx, config) => hydrate(ctx, stagesOf(config)),
  ),
  define<SetImagePullSecretsConfig>(
    'set-image-pull-secrets',
    'SetImagePullSecrets',
    'pull-secret refs on pods and ServiceAccounts; optional ExternalSecret',
    setImagePullSecrets,
  ),
  define<SetFsGroupConfig>('set-fs-group', 'SetFsGroup', 'pod securityContext.fsGroup', setFsGroup),
  define<LinkKubernetesInfoSecretsConfig>(
    'link-kubernetes-info-secrets',
    'LinkKubernetesInfoSecrets',
    '/var/run/secrets -> /kubernetes-info/secrets in legacy-runtime containers',
    linkKubernetesInfoSecrets,
  ),
  define<SetAwsWorkloadIdentityConfig>(
    'set-aws-workload-identity',
    'SetAwsWorkloadIdentity',
    'AWS role env, projected token, ServiceAccount annotation, systemd drop-in',
    setAwsWorkloadIdentity,
  ),
  define<SetGcpWorkloadIdentityConfig>(
    'set-gcp-workload-identity',
    'SetGcpWorkloadIdentity',
    'GKE Workload Identity: a ServiceAccount per workload, its Google service account or direct roles, the metadata-server nodeSelector, the IAM grant',
    setGcpWorkloadIdentity,
  ),
  define<PortDataVolumesConfig>(
    'port-data-volumes',
    'PortDataVolumes',
    'PersistentVolumes and claims of ImageAndData migrations: server fields out, CSI source and zone, or provisioned claims',
    portDataVolumes,
  ),
  define<PreflightConfig>(
    'preflight',
    'Preflight',
    'validator: what will fail on the target cluster (pull access, IAM, admission, schema)',
    runPreflight,
  ),
];

export function findFunction(name: string): KrmFunction | undefined {
  return FUNCTIONS.find((f) => f.name === name || `retarget-${f.name}` === name);
}
