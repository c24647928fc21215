import type { FromSchema } from 'json-schema-to-ts';
import type {
  linkKubernetesInfoSecretsSchema,
  portDataVolumesSchema,
  preflightSchema,
  retargetSchema,
  setAwsWorkloadIdentitySchema,
  setGcpWorkloadIdentitySchema,
  setFsGroupSchema,
  setImagePullSecretsSchema,
} from './schemas';

/** Config types derived from the schemas; fields with a default are filled in by ajv. */
export type SetImagePullSecretsConfig = FromSchema<typeof setImagePullSecretsSchema>;
export type SetFsGroupConfig = FromSchema<typeof setFsGroupSchema>;
export type LinkKubernetesInfoSecretsConfig = FromSchema<typeof linkKubernetesInfoSecretsSchema>;
export type SetAwsWorkloadIdentityConfig = FromSchema<typeof setAwsWorkloadIdentitySchema>;
export type SetGcpWorkloadIdentityConfig = FromSchema<typeof setGcpWorkloadIdentitySchema>;
export type PreflightConfig = FromSchema<typeof preflightSchema>;
export type PortDataVolumesConfig = FromSchema<typeof portDataVolumesSchema>;
// Defaults inside oneOf are not applied by ajv, so the Retarget sections keep them optional.
export type RetargetConfig = FromSchema<
  typeof retargetSchema,
  { keepDefaultedPropertiesOptional: true }
>;

export type Selector = NonNullable<SetFsGroupConfig['selector']>;
export type PodTemplatePath = NonNullable<SetFsGroupConfig['podTemplatePaths']>[number];
export type RuntimeSetting = SetAwsWorkloadIdentityConfig['runtime'];
export type ContainerKind = 'legacy' | 'service-manager' | 'plain';
export type InitSystem = NonNullable<SetAwsWorkloadIdentityConfig['initSystem']>;
