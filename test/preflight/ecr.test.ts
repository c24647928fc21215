import { preflightResults } from './harness';

const EU = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1';
const US = '123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2';
const CN = '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1';

const pod = (name: string, images: string[], spec = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${spec}  containers:
${images.map((image, i) => `  - name: c${i}\n    image: ${image}\n`).join('')}`;

const pool = (
  name: string,
  spec: string,
) => `apiVersion: gkemulticloud.cnrm.cloud.google.com/v1beta1
kind: AWSNodePool
metadata:
  name: ${name}
spec:
${spec}`;

function ecr(docs: string[], extra: Record<string, unknown> = {}) {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    platform: 'eks',
    ...extra,
  };
  return preflightResults(config, docs.join('---\n'))
    .filter((r) => String(r.tags?.check).startsWith('ecr-'))
    .map((r) => ({
      on: `${r.resourceRef?.kind}/${r.resourceRef?.name}`,
      severity: r.severity,
      field: r.field?.path,
      message: r.message,
      tags: Object.fromEntries(
        Object.entries(r.tags ?? {}).filter(
          ([k]) => !['line', 'column', 'check', 'fix'].includes(k),
        ),
      ),
    }));
}

const attach = (profile: string) =>
  `aws iam attach-role-policy --role-name "$(aws iam get-instance-profile --instance-profile-name ${profile} --query 'InstanceProfile.Roles[0].RoleName' --output text)" --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`;

describe('preflight ECR pulls through the node instance profile', () => {
  test.each([
    ['AmazonEC2ContainerRegistryReadOnly'],
    ['AmazonEC2ContainerRegistryPullOnly'],
    ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'],
    ['AmazonEC2ContainerRegistryFullAccess'],
  ])('a pull policy among the profile policies (%s): nothing to say', (policy) => {
    expect(
      ecr([pod('p', [EU])], { nodeInstanceProfilePolicies: ['AmazonS3ReadOnlyAccess', policy] }),
    ).toEqual([]);
  });

  test('policies without one: an error per pull, naming the profile or asking for it', () => {
    expect(ecr([pod('p', [EU])], { nodeInstanceProfilePolicies: [] })).toEqual([
      {
        on: 'Pod/p',
        severity: 'error',
        field: 'spec.containers[0].image',
        message: `ECR image ${EU} is pulled with the node pool's IAM instance profile, whose role needs AmazonEC2ContainerRegistryReadOnly: its policies (none) do not include it. Fix: ${attach('NODE_IAM_PROFILE')} (iamInstanceProfile in the AWSNodePool / staging-nodepools.yaml names the profile)`,
        tags: {
          policy: 'AmazonEC2ContainerRegistryReadOnly',
          policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
        },
      },
    ]);
    expect(
      ecr([pod('p', [EU])], {
        nodeInstanceProfilePolicies: ['AmazonS3ReadOnlyAccess'],
        nodeInstanceProfile: 'nodes',
      }),
    ).toEqual([
      {
        on: 'Pod/p',
        severity: 'error',
        field: 'spec.containers[0].image',
        message: `ECR image ${EU} is pulled with the node pool's IAM instance profile nodes, whose role needs AmazonEC2ContainerRegistryReadOnly: its policies (AmazonS3ReadOnlyAccess) do not include it. Fix: ${attach('nodes')} (iamInstanceProfile in the AWSNodePool / staging-nodepools.yaml names the profile)`,
        tags: {
          policy: 'AmazonEC2ContainerRegistryReadOnly',
          policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
          instanceProfile: 'nodes',
        },
      },
    ]);
  });

  test('policies unknown: a warning; an undeclared pull Secret makes a known-bad profile a warning too', () => {
    expect(ecr([pod('p', [EU])]).map((f) => [f.severity, f.message.split(': ')[1]])).toEqual([
      ['warning', 'the target does not list its policies (nodeInstanceProfilePolicies). Fix'],
    ]);
    const withSecret = pod('s', [EU], '  imagePullSecrets:\n  - name: ecr-pull\n');
    expect(ecr([withSecret], { nodeInstanceProfilePolicies: [] }).map((f) => f.severity)).toEqual([
      'warning',
    ]);
    // One pull without a Secret makes the pool's finding an error.
    expect(
      ecr([withSecret, pool('pool', '  iamInstanceProfile: nodes\n')], {
        nodeInstanceProfilePolicies: [],
      }).map((f) => f.severity),
    ).toEqual(['warning']);
    expect(
      ecr([withSecret, pod('plain', [EU]), pool('pool', '  iamInstanceProfile: nodes\n')], {
        nodeInstanceProfilePolicies: [],
      }).map((f) => f.severity),
    ).toEqual(['error']);
  });

  test('with node pools in the package: one finding per pool, on its profile, for every image', () => {
    expect(
      ecr([
        pod('p', [EU, US, EU]),
        pool('flat', '  iamInstanceProfile: flat-nodes\n'),
        pool('multicloud', '  config:\n    iamInstanceProfile: mc-nodes\n'),
        pool('unset', '  config: {}\n'),
      ]),
    ).toEqual([
      {
        on: 'AWSNodePool/flat',
        severity: 'warning',
        field: 'spec.iamInstanceProfile',
        message: `ECR images ${EU}, ${US} are pulled with this node pool's instance profile flat-nodes, whose role needs AmazonEC2ContainerRegistryReadOnly: the target does not list its policies (nodeInstanceProfilePolicies). Fix: ${attach('flat-nodes')}`,
        tags: {
          policy: 'AmazonEC2ContainerRegistryReadOnly',
          policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
          instanceProfile: 'flat-nodes',
        },
      },
      {
        on: 'AWSNodePool/multicloud',
        severity: 'warning',
        field: 'spec.config.iamInstanceProfile',
        message: `ECR images ${EU}, ${US} are pulled with this node pool's instance profile mc-nodes, whose role needs AmazonEC2ContainerRegistryReadOnly: the target does not list its policies (nodeInstanceProfilePolicies). Fix: ${attach('mc-nodes')}`,
        tags: {
          policy: 'AmazonEC2ContainerRegistryReadOnly',
          policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
          instanceProfile: 'mc-nodes',
        },
      },
      {
        on: 'AWSNodePool/unset',
        severity: 'warning',
        field: 'spec.iamInstanceProfile',
        message: `ECR images ${EU}, ${US} are pulled with this node pool's instance profile (unset), whose role needs AmazonEC2ContainerRegistryReadOnly: the target does not list its policies (nodeInstanceProfilePolicies). Fix: ${attach('NODE_IAM_PROFILE')}`,
        tags: {
          policy: 'AmazonEC2ContainerRegistryReadOnly',
          policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
        },
      },
    ]);
  });

  test('a pool naming its profile in both shapes: one finding, on spec.iamInstanceProfile', () => {
    const both = pool(
      'both',
      '  iamInstanceProfile: flat-nodes\n  config:\n    iamInstanceProfile: mc-nodes\n',
    );
    expect(ecr([pod('p', [EU]), both]).map((f) => [f.on, f.field, f.tags.instanceProfile])).toEqual(
      [['AWSNodePool/both', 'spec.iamInstanceProfile', 'flat-nodes']],
    );
  });

  test('images of two partitions: one command and one policy ARN per partition, the other with its region', () => {
    const [finding] = ecr([pod('p', [EU, CN]), pool('pool', '  iamInstanceProfile: nodes\n')]);
    expect(finding.tags.policyArn).toBe(
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    );
    expect(finding.message.split('. Fix: ')[1]).toBe(
      `${attach('nodes')}; aws iam attach-role-policy --region cn-north-1 --role-name "$(aws iam get-instance-profile --region cn-north-1 --instance-profile-name nodes --query 'InstanceProfile.Roles[0].RoleName' --output text)" --policy-arn arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`,
    );
  });

  test('the account of the nodes is the account of the image: no cross-account finding', () => {
    expect(
      ecr([pod('p', [EU])], {
        awsAccountId: '123456789012',
        nodeInstanceProfilePolicies: ['AmazonEC2ContainerRegistryReadOnly'],
      }),
    ).toEqual([]);
  });

  test('no ECR image: no profile finding, whatever the policies', () => {
    expect(
      ecr(
        [pod('p', ['registry.k8s.io/pause:3.9']), pool('pool', '  iamInstanceProfile: nodes\n')],
        { nodeInstanceProfilePolicies: [] },
      ),
    ).toEqual([]);
  });
});
