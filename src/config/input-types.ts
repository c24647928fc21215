import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
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

/**
 * Configs as a caller writes them: the types in ./types describe them after validation,
 * with every defaulted field filled in; here those fields are optional.
 */
type Input<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true }>;

export type SetImagePullSecretsInput = Input<typeof setImagePullSecretsSchema>;
export type SetFsGroupInput = Input<typeof setFsGroupSchema>;
export type LinkKubernetesInfoSecretsInput = Input<typeof linkKubernetesInfoSecretsSchema>;
export type SetAwsWorkloadIdentityInput = Input<typeof setAwsWorkloadIdentitySchema>;
export type SetGcpWorkloadIdentityInput = Input<typeof setGcpWorkloadIdentitySchema>;
export type PortDataVolumesInput = Input<typeof portDataVolumesSchema>;
export type PreflightInput = Input<typeof preflightSchema>;
export type RetargetInput = Input<typeof retargetSchema>;
