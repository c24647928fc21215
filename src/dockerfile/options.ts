import type { RetargetConfig, RuntimeSetting, SetAwsWorkloadIdentityConfig } from '../config/types';
import { ConfigError } from '../errors';
import type { SourceLocation } from '../errors';
import type { RuntimeEvidence } from '../runtime/evidence';
import { stagesOf } from '../transforms/hydrate';
import type { Identity } from '../transforms/set-aws-workload-identity';

/** What the Dockerfile block is made from: the parts of a Retarget config it needs. */
export interface DockerfilePatchOptions {
  /** The validated awsWorkloadIdentity section (defaults filled in). */
  aws: SetAwsWorkloadIdentityConfig;
  /** auto reads the runtime generation from the Dockerfile. */
  runtime: NonNullable<RuntimeSetting>;
  /** fsGroup: the gid of the token group. */
  gid?: number;
  /** The /kubernetes-info/secrets link restored at boot; absent when the link step is off. */
  link?: { source: string; target: string };
  /** What the deployment spec and the migration plan say (the Dockerfile adds its own). */
  evidence?: RuntimeEvidence[];
  /** The config file, for errors about a field the runtime turns out to need. */
  location?: SourceLocation;
}

/**
 * Derives the Dockerfile options from a validated Retarget config, and refuses a
 * config that leaves the block without something it needs, naming the field.
 */
export function dockerfileOptions(
  config: RetargetConfig,
  location: SourceLocation = {},
): DockerfilePatchOptions {
  const stages = stagesOf(config);
  const aws = stages.aws;
  if (!aws) {
    throw new ConfigError(
      [{ field: 'awsWorkloadIdentity', message: 'is required by retarget dockerfile' }],
      location,
    );
  }
  const problems: { field: string; message: string }[] = [];
  if (aws.initSystem && !aws.roleArn) {
    problems.push({
      field: 'awsWorkloadIdentity.roleArn',
      message: `is required by retarget dockerfile with initSystem ${aws.initSystem}: the image's variables cannot be read from the package's ServiceAccount`,
    });
  }
  if ((aws.initSystem === 'sysv' || aws.initSystem === 'upstart') && !aws.services?.length) {
    problems.push({
      field: 'awsWorkloadIdentity.services',
      message: `is required with initSystem ${aws.initSystem}: the ${aws.initSystem === 'sysv' ? 'init scripts (/etc/init.d/NAME)' : 'Upstart jobs (/etc/init/NAME.conf)'} that get the variables`,
    });
  }
  if (aws.serviceUsers?.length && !stages.fsGroup) {
    problems.push({
      field: 'fsGroup',
      message: `is required with awsWorkloadIdentity.serviceUsers: it is the gid of the ${aws.tokenGroup} group the users join`,
    });
  }
  if (problems.length) throw new ConfigError(problems, location);
  const options: DockerfilePatchOptions = { aws, runtime: aws.runtime ?? 'auto', location };
  if (stages.fsGroup) options.gid = stages.fsGroup.fsGroup;
  if (stages.link) options.link = { source: stages.link.source, target: stages.link.target };
  return options;
}

/** The values the block's variables are made from (roleArn is checked by dockerfileOptions). */
export function identityOf(options: DockerfilePatchOptions): Identity {
  const { roleArn, region, stsRegionalEndpoints, mechanism } = options.aws;
  if (!roleArn) throw new Error('internal: the Dockerfile block needs awsWorkloadIdentity.roleArn');
  return { roleArn, region, stsRegionalEndpoints, mechanism };
}
