import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { formatImageReference } from '../image/reference';
import type { ImageReference } from '../image/reference';
import type { AwsPartition, EcrHost } from '../image/registry-hosts';
import type { Resource } from '../krm/resource';
import type { ContainerRef } from '../workload/pod-specs';
import { child } from '../yaml/edit';
import { commandLine } from './command-line';
import type { PreflightContext } from './context';
import type { Workload } from './workloads';

export const ECR_READ_ONLY = 'AmazonEC2ContainerRegistryReadOnly';
/** AWS managed policies that allow pulling from ECR. */
const PULL_POLICIES = new Set([
  ECR_READ_ONLY,
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonEC2ContainerRegistryPowerUser',
  'AmazonEC2ContainerRegistryFullAccess',
]);

interface EcrPull {
  workload: Workload;
  container: ContainerRef;
  imageNode: Node | undefined;
  image: string;
  partition: AwsPartition;
  region: string;
  unknownSecrets: readonly string[];
}

/** A node pool in the package and where it names its instance profile. */
interface NodePool {
  resource: Resource;
  profile?: string;
  field: string;
  node?: Node;
}

/**
 * ECR pulls on EKS / GKE on AWS go through the node pool's IAM instance profile,
 * whose role needs AmazonEC2ContainerRegistryReadOnly. Pulls are collected first so
 * an AWSNodePool in the package gets one finding on its `iamInstanceProfile`.
 */
export class EcrNodeAccess {
  private readonly pulls: EcrPull[] = [];

  constructor(private readonly ctx: PreflightContext) {}

  add(
    workload: Workload,
    container: ContainerRef,
    imageNode: Node | undefined,
    ref: ImageReference,
    host: EcrHost,
    unknownSecrets: readonly string[],
  ): void {
    const image = formatImageReference(ref);
    this.pulls.push({
      workload,
      container,
      imageNode,
      image,
      partition: host.partition,
      region: host.region,
      unknownSecrets,
    });
    const account = this.ctx.config.awsAccountId;
    if (account && account !== host.accountId) {
      const repository = ref.repository;
      this.ctx.report(workload.resource, {
        check: 'ecr-cross-account',
        severity: 'warning',
        message: `image ${image} is in AWS account ${host.accountId}, the nodes in account ${account}: the pull works only if repository ${repository}'s policy allows account ${account} (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability)`,
        fix: `${commandLine('aws', 'ecr', 'set-repository-policy', '--registry-id', host.accountId, '--region', host.region, '--repository-name', repository, '--policy-text', 'file://pull-policy.json')} with a statement allowing arn:${host.partition}:iam::${account}:root those actions`,
        field: `${container.field}.image`,
        node: imageNode,
        tags: {
          account: host.accountId,
          nodeAccount: account,
          principal: `arn:${host.partition}:iam::${account}:root`,
        },
      });
    }
  }

  /** Reports what the collected pulls need from the node profile. */
  finish(): void {
    if (!this.pulls.length) return;
    const policies = this.ctx.config.nodeInstanceProfilePolicies;
    if (policies?.some((p) => PULL_POLICIES.has(p.slice(p.lastIndexOf('/') + 1)))) return;
    const pools = nodePools(this.ctx);
    const images = [...new Set(this.pulls.map((p) => p.image))];
    // Known policies without a pull policy: the pull fails, unless an undeclared Secret covers it.
    const severity =
      policies !== undefined && this.pulls.some((p) => !p.unknownSecrets.length)
        ? 'error'
        : 'warning';
    const why =
      policies === undefined
        ? 'the target does not list its policies (nodeInstanceProfilePolicies)'
        : `its policies (${policies.join(', ') || 'none'}) do not include it`;
    if (pools.length) {
      for (const pool of pools) {
        const profile = pool.profile ?? this.ctx.config.nodeInstanceProfile;
        this.ctx.report(pool.resource, {
          check: 'ecr-node-profile',
          severity,
          message: `ECR image${images.length > 1 ? 's' : ''} ${images.join(', ')} ${images.length > 1 ? 'are' : 'is'} pulled with this node pool's instance profile ${profile ?? '(unset)'}, whose role needs ${ECR_READ_ONLY}: ${why}`,
          fix: attachCommands(profile, this.pulls),
          field: pool.field,
          node: pool.node,
          tags: {
            policy: ECR_READ_ONLY,
            policyArn: policyArns(this.pulls).join(' '),
            ...(profile ? { instanceProfile: profile } : {}),
          },
        });
      }
      return;
    }
    const profile = this.ctx.config.nodeInstanceProfile;
    for (const pull of this.pulls) {
      this.ctx.report(pull.workload.resource, {
        check: 'ecr-node-profile',
        severity: pull.unknownSecrets.length ? 'warning' : severity,
        message: `ECR image ${pull.image} is pulled with the node pool's IAM instance profile${profile ? ` ${profile}` : ''}, whose role needs ${ECR_READ_ONLY}: ${why}`,
        fix: `${attachCommands(profile, [pull])} (iamInstanceProfile in the AWSNodePool / staging-nodepools.yaml names the profile)`,
        field: `${pull.container.field}.image`,
        node: pull.imageNode,
        tags: {
          policy: ECR_READ_ONLY,
          policyArn: policyArn(pull.partition),
          ...(profile ? { instanceProfile: profile } : {}),
        },
      });
    }
  }
}

/**
 * The managed policy's ARN in each partition the images are in (`arn:aws-cn:` for
 * amazonaws.com.cn hosts, `arn:aws-us-gov:` for the GovCloud regions): an IAM role
 * belongs to one partition, so it is the one its nodes and registries share.
 */
function policyArns(pulls: readonly EcrPull[]): string[] {
  return [...new Set(pulls.map((p) => p.partition))].map(policyArn);
}

function policyArn(partition: AwsPartition): string {
  return `arn:${partition}:iam::aws:policy/${ECR_READ_ONLY}`;
}

/**
 * `aws iam attach-role-policy` for each partition; outside the aws partition the CLI
 * reaches that partition's IAM endpoint only through one of its regions.
 */
function attachCommands(profile: string | undefined, pulls: readonly EcrPull[]): string {
  const name = profile ?? 'NODE_IAM_PROFILE';
  return [...new Set(pulls.map((p) => p.partition))]
    .map((partition) => {
      const region = pulls.find((p) => p.partition === partition)!.region;
      const where = partition === 'aws' ? [] : ['--region', region];
      const role = `$(${commandLine('aws', 'iam', 'get-instance-profile', ...where, '--instance-profile-name', name, '--query', 'InstanceProfile.Roles[0].RoleName', '--output', 'text')})`;
      return `aws iam attach-role-policy ${commandLine(...where)}${where.length ? ' ' : ''}--role-name "${role}" --policy-arn ${policyArn(partition)}`;
    })
    .join('; ');
}

/**
 * AWSNodePool resources (Anthos clusters on AWS: `spec.iamInstanceProfile`; the
 * GKE Multi-Cloud shape: `spec.config.iamInstanceProfile`).
 */
function nodePools(ctx: PreflightContext): NodePool[] {
  const pools: NodePool[] = [];
  for (const resource of ctx.set.resources) {
    if (resource.kind !== 'AWSNodePool') continue;
    const spec = child(resource.node, 'spec');
    const config = isMap(spec) ? child(spec, 'config') : undefined;
    for (const [parent, field] of [
      [spec, 'spec.iamInstanceProfile'],
      [config, 'spec.config.iamInstanceProfile'],
    ] as const) {
      if (!isMap(parent)) continue;
      const node = parent.get('iamInstanceProfile', true);
      if (isScalar(node) && typeof node.value === 'string') {
        pools.push({ resource, profile: node.value, field, node });
        break;
      }
    }
    if (!pools.some((p) => p.resource === resource)) {
      pools.push({ resource, field: 'spec.iamInstanceProfile' });
    }
  }
  return pools;
}
