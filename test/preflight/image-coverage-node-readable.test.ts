import { preflightResults } from './harness';

const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: ${image}
`;

/** The pull findings (check, severity) of one Pod running `image`. */
function pulls(image: string, extra: Record<string, unknown>) {
  const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', ...extra };
  return preflightResults(config, pod(image))
    .filter((r) => /^(pull-|image-|gcr-|artifact-|ecr-)/.test(String(r.tags?.check)))
    .map((r) => [r.tags?.check, r.severity]);
}

describe('nodeReadableRegistries for ECR images', () => {
  const aws = { awsAccountId: '999999999999', nodeInstanceProfilePolicies: [] };

  test('on EKS, an image under a listed prefix needs nothing more: no profile, no cross-account finding', () => {
    const image = `${ECR_HOST}/team/app:1`;
    expect(
      pulls(image, { ...aws, platform: 'eks', nodeReadableRegistries: [`${ECR_HOST}/team`] }),
    ).toEqual([]);
    expect(
      pulls(image, { ...aws, platform: 'anthos-aws', nodeReadableRegistries: [ECR_HOST] }),
    ).toEqual([]);
  });

  test('on EKS, an image outside the listed prefixes still needs the profile and the repository policy', () => {
    expect(
      pulls(`${ECR_HOST}/other/app:1`, {
        ...aws,
        platform: 'eks',
        nodeReadableRegistries: [`${ECR_HOST}/team`],
      }),
    ).toEqual([
      ['ecr-cross-account', 'warning'],
      ['ecr-node-profile', 'error'],
    ]);
  });

  test('where the nodes have no AWS credentials the list does not count: the pull is not covered', () => {
    expect(
      pulls(`${ECR_HOST}/team/app:1`, {
        platform: 'generic',
        nodeReadableRegistries: [ECR_HOST],
      }),
    ).toEqual([['pull-not-covered', 'error']]);
  });
});
