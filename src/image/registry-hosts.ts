import { DOCKER_HUB, splitRegistry } from './reference';
import type { ImageReference } from './reference';

/**
 * What a registry is, as far as pull access goes: the Google and AWS registries
 * whose node credentials and IAM grants can be predicted, Docker Hub, or another.
 */
export type RegistryHost = GcrHost | ArtifactRegistryHost | EcrHost | DockerHubHost | OtherHost;

/** Container Registry: `gcr.io`, `us.gcr.io`, `eu.gcr.io`, `asia.gcr.io`, backed by a bucket. */
export interface GcrHost {
  kind: 'gcr';
  host: string;
  /** Project id; domain-scoped projects are `example.com:my-project`. */
  project: string;
  /** `us`, `eu` or `asia` for the regional hosts; undefined for gcr.io. */
  multiRegion?: 'us' | 'eu' | 'asia';
  /** The Cloud Storage bucket holding the images. */
  bucket: string;
  /** Where Artifact Registry serves this host's gcr.io repository (after the Container Registry shutdown). */
  arLocation: 'us' | 'europe' | 'asia';
}

/** Artifact Registry: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`. */
export interface ArtifactRegistryHost {
  kind: 'artifact-registry';
  host: string;
  location: string;
  project: string;
  repository: string;
}

/** The AWS partitions whose ECR hosts and ARNs preflight writes. */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/**
 * Amazon ECR: `ACCOUNT.dkr.ecr.REGION.amazonaws.com` (`.amazonaws.com.cn` in the China
 * regions), the FIPS `dkr.ecr-fips` hosts and the dual-stack `ACCOUNT.dkr-ecr.REGION.on.aws`.
 */
export interface EcrHost {
  kind: 'ecr';
  host: string;
  accountId: string;
  region: string;
  /** From the region: `cn-*` is aws-cn, `us-gov-*` aws-us-gov; ARNs are written in it. */
  partition: AwsPartition;
}

export interface DockerHubHost {
  kind: 'docker-hub';
  /** `library/...`: Docker's official images, always public. */
  official: boolean;
}

export interface OtherHost {
  kind: 'other';
  host: string;
}

const GCR_HOSTS: Record<
  string,
  { multiRegion?: 'us' | 'eu' | 'asia'; arLocation: GcrHost['arLocation'] }
> = {
  'gcr.io': { arLocation: 'us' },
  'us.gcr.io': { multiRegion: 'us', arLocation: 'us' },
  'eu.gcr.io': { multiRegion: 'eu', arLocation: 'europe' },
  'asia.gcr.io': { multiRegion: 'asia', arLocation: 'asia' },
};
const AR_HOST = /^([a-z][a-z0-9-]*[a-z0-9])-docker\.pkg\.dev$/;
const ECR_HOST =
  /^([0-9]{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\.amazonaws\.com(\.cn)?$/;
/** ECR's dual-stack (IPv4 and IPv6) endpoints. */
const ECR_DUAL_STACK_HOST =
  /^([0-9]{12})\.dkr-ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\.on\.aws$/;
/** A project id: 6-30 lower-case letters, digits and hyphens, starting with a letter. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export function classifyRegistry(ref: ImageReference): RegistryHost {
  const { host, port } = splitRegistry(ref.registry);
  if (ref.registry === DOCKER_HUB) {
    return { kind: 'docker-hub', official: ref.repository.startsWith('library/') };
  }
  if (port !== undefined) return { kind: 'other', host: ref.registry };
  const gcr = GCR_HOSTS[host];
  if (gcr) {
    const project = projectOf(ref.repository.split('/'));
    if (!project) return { kind: 'other', host };
    return {
      kind: 'gcr',
      host,
      project: project.id,
      multiRegion: gcr.multiRegion,
      bucket: gcrBucket(project.id, gcr.multiRegion),
      arLocation: gcr.arLocation,
    };
  }
  const ar = AR_HOST.exec(host);
  if (ar) {
    const segments = ref.repository.split('/');
    const project = projectOf(segments);
    // PROJECT/REPOSITORY/IMAGE at least; anything shorter is no Artifact Registry image.
    if (!project || segments.length < project.segments + 2) return { kind: 'other', host };
    return {
      kind: 'artifact-registry',
      host,
      location: ar[1],
      project: project.id,
      repository: segments[project.segments],
    };
  }
  const ecr = ECR_HOST.exec(host) ?? ECR_DUAL_STACK_HOST.exec(host);
  if (ecr) {
    const partition = awsPartition(ecr[2]);
    // The China regions answer only under amazonaws.com.cn, the others never.
    if ((partition === 'aws-cn') !== (ecr[3] === '.cn')) return { kind: 'other', host };
    return { kind: 'ecr', host, accountId: ecr[1], region: ecr[2], partition };
  }
  return { kind: 'other', host };
}

/** The partition of an AWS region: cn-north-1 is aws-cn, us-gov-west-1 aws-us-gov. */
export function awsPartition(region: string): AwsPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The project at the start of a Google registry path. A domain-scoped project
 * (`example.com:my-project`) is written with a slash: `example.com/my-project/...`.
 */
function projectOf(segments: readonly string[]): { id: string; segments: number } | undefined {
  // A repository path has at least one segment; an image name must follow the project.
  const [first, second] = segments;
  if (first.includes('.')) {
    return segments.length > 2 && PROJECT_ID.test(second)
      ? { id: `${first}:${second}`, segments: 2 }
      : undefined;
  }
  return segments.length > 1 && PROJECT_ID.test(first) ? { id: first, segments: 1 } : undefined;
}

/**
 * Container Registry's bucket: `artifacts.PROJECT.appspot.com`, prefixed with the
 * multi-region for us./eu./asia.gcr.io; domain-scoped projects use
 * `artifacts.PROJECT.DOMAIN.a.appspot.com`.
 */
export function gcrBucket(project: string, multiRegion?: string): string {
  // `example.com:my-project`: the domain, then the id; a plain project id has no colon.
  const [first, scopedId] = project.split(':');
  const name =
    scopedId === undefined
      ? `artifacts.${first}.appspot.com`
      : `artifacts.${scopedId}.${first}.a.appspot.com`;
  return multiRegion ? `${multiRegion}.${name}` : name;
}
