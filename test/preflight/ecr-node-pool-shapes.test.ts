import { preflightResults } from './harness';

const EU = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1';
const CN = '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1';

const pod = (images: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
${images.map((image, i) => `  - name: c${i}\n    image: ${image}\n`).join('')}`;

const pool = (
  name: string,
  body: string,
) => `apiVersion: gkemulticloud.cnrm.cloud.google.com/v1beta1
kind: AWSNodePool
metadata:
  name: ${name}
${body}`;

/** The ecr-node-profile findings: where, on which field, the profile and policy ARN tags. */
function profiles(docs: string[], extra: Record<string, unknown> = {}) {
  const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'eks' };
  return preflightResults({ ...config, ...extra }, docs.join('---\n'))
    .filter((r) => r.tags?.check === 'ecr-node-profile')
    .map((r) => ({
      on: `${r.resourceRef?.kind}/${r.resourceRef?.name}`,
      field: r.field?.path,
      profile: r.tags?.instanceProfile,
      policyArn: r.tags?.policyArn,
      text: r.message.split(', whose role')[0],
    }));
}

const READ_ONLY = 'iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';

describe('ECR node pools of every shape get their finding, never a crash', () => {
  test('a pool whose spec has neither iamInstanceProfile nor config: on spec.iamInstanceProfile, with the target profile', () => {
    expect(
      profiles([pod([EU]), pool('bare', 'spec:\n  version: 1.29.3\n'), pool('no-spec', '')], {
        nodeInstanceProfile: 'target-nodes',
      }),
    ).toEqual([
      {
        on: 'AWSNodePool/bare',
        field: 'spec.iamInstanceProfile',
        profile: 'target-nodes',
        policyArn: `arn:aws:${READ_ONLY}`,
        text: `ECR image ${EU} is pulled with this node pool's instance profile target-nodes`,
      },
      {
        on: 'AWSNodePool/no-spec',
        field: 'spec.iamInstanceProfile',
        profile: 'target-nodes',
        policyArn: `arn:aws:${READ_ONLY}`,
        text: `ECR image ${EU} is pulled with this node pool's instance profile target-nodes`,
      },
    ]);
  });

  test('an iamInstanceProfile that is no string names no profile: the next shape or the target profile counts', () => {
    expect(
      profiles(
        [
          pod([EU]),
          pool('number', 'spec:\n  iamInstanceProfile: 12\n'),
          pool(
            'map',
            'spec:\n  iamInstanceProfile: {name: x}\n  config:\n    iamInstanceProfile: mc-nodes\n',
          ),
        ],
        { nodeInstanceProfile: 'target-nodes' },
      ).map((f) => [f.on, f.field, f.profile]),
    ).toEqual([
      ['AWSNodePool/number', 'spec.iamInstanceProfile', 'target-nodes'],
      ['AWSNodePool/map', 'spec.config.iamInstanceProfile', 'mc-nodes'],
    ]);
  });

  test('without a pool, one finding per pull, each with the policy ARN of its partition', () => {
    expect(profiles([pod([EU, CN])], { nodeInstanceProfile: 'nodes' })).toEqual([
      {
        on: 'Pod/p',
        field: 'spec.containers[0].image',
        profile: 'nodes',
        policyArn: `arn:aws:${READ_ONLY}`,
        text: `ECR image ${EU} is pulled with the node pool's IAM instance profile nodes`,
      },
      {
        on: 'Pod/p',
        field: 'spec.containers[1].image',
        profile: 'nodes',
        policyArn: `arn:aws-cn:${READ_ONLY}`,
        text: `ECR image ${CN} is pulled with the node pool's IAM instance profile nodes`,
      },
    ]);
  });
});
