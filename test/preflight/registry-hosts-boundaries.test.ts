import { parseImageReference } from '../../src/image/reference';
import { awsPartition, classifyRegistry, gcrBucket } from '../../src/image/registry-hosts';

/**
 * Which registry an image is pulled from, at the edges of each host grammar: Container
 * Registry hosts and project ids (6 to 30 characters, a letter first, no trailing
 * hyphen), Artifact Registry locations and paths, ECR account ids (12 digits), regions,
 * FIPS, dual-stack and China hosts. Values are written out, not derived from the patterns.
 */
const classify = (image: string) => classifyRegistry(parseImageReference(image));
const ACCOUNT = '123456789012';

describe('Container Registry', () => {
  test.each([
    ['gcr.io', undefined, 'us', 'artifacts.project-a.appspot.com'],
    ['us.gcr.io', 'us', 'us', 'us.artifacts.project-a.appspot.com'],
    ['eu.gcr.io', 'eu', 'europe', 'eu.artifacts.project-a.appspot.com'],
    ['asia.gcr.io', 'asia', 'asia', 'asia.artifacts.project-a.appspot.com'],
  ])('%s', (host, multiRegion, arLocation, bucket) => {
    expect(classify(`${host}/project-a/app:1`)).toStrictEqual({
      kind: 'gcr',
      host,
      project: 'project-a',
      multiRegion,
      bucket,
      arLocation,
    });
  });

  test.each([
    ['abcdef', true],
    ['a'.repeat(30), true],
    ['a-1-b-2', true],
    ['abcde', false],
    ['a'.repeat(31), false],
    ['1abcdef', false],
    ['abcde-f', true],
    ['abc_def', false],
  ])('project id %s: %s', (project, valid) => {
    expect(classify(`gcr.io/${project}/app`).kind).toBe(valid ? 'gcr' : 'other');
  });

  test('a project with no image after it is no Container Registry image', () => {
    expect(classify('gcr.io/project-a')).toStrictEqual({ kind: 'other', host: 'gcr.io' });
    expect(classify('gcr.io/example.com/my-project')).toStrictEqual({
      kind: 'other',
      host: 'gcr.io',
    });
  });

  test('domain-scoped: the second segment must be a project id', () => {
    expect(classify('gcr.io/example.com/abc/app').kind).toBe('other');
    expect(classify('gcr.io/example.com/my-project/app')).toMatchObject({
      kind: 'gcr',
      project: 'example.com:my-project',
      bucket: 'artifacts.my-project.example.com.a.appspot.com',
    });
  });

  test('gcrBucket', () => {
    expect(gcrBucket('p-roject')).toBe('artifacts.p-roject.appspot.com');
    expect(gcrBucket('p-roject', 'eu')).toBe('eu.artifacts.p-roject.appspot.com');
    expect(gcrBucket('example.com:p-roject', 'asia')).toBe(
      'asia.artifacts.p-roject.example.com.a.appspot.com',
    );
  });

  test('another gcr.io-like host is not Container Registry', () => {
    expect(classify('xgcr.io/project-a/app').kind).toBe('other');
    expect(classify('us.gcr.io.example.com/project-a/app').kind).toBe('other');
  });
});

describe('Artifact Registry', () => {
  test.each([
    ['us-docker.pkg.dev', 'us'],
    ['me-central2-docker.pkg.dev', 'me-central2'],
    ['ab-docker.pkg.dev', 'ab'],
  ])('%s is in %s', (host, location) => {
    expect(classify(`${host}/project-a/repo/app`)).toStrictEqual({
      kind: 'artifact-registry',
      host,
      location,
      project: 'project-a',
      repository: 'repo',
    });
  });

  test.each([
    ['a-docker.pkg.dev'],
    ['1us-docker.pkg.dev'],
    ['us--docker.pkg.dev'],
    ['evil.us-docker.pkg.dev'],
    ['us-docker.pkg.dev.evil.io'],
  ])('%s is not an Artifact Registry host', (host) => {
    expect(classify(`${host}/project-a/repo/app`)).toStrictEqual({ kind: 'other', host });
  });

  test('PROJECT/REPOSITORY/IMAGE at least', () => {
    expect(classify('us-docker.pkg.dev/project-a/repo').kind).toBe('other');
    expect(classify('us-docker.pkg.dev/example.com/my-project/repo').kind).toBe('other');
    expect(classify('us-docker.pkg.dev/example.com/my-project/repo/app')).toMatchObject({
      kind: 'artifact-registry',
      project: 'example.com:my-project',
      repository: 'repo',
    });
    expect(classify('us-docker.pkg.dev/bad/repo/app').kind).toBe('other');
  });
});

describe('Amazon ECR', () => {
  test.each([
    [`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`, 'us-east-1', 'aws'],
    [`${ACCOUNT}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`, 'us-gov-west-1', 'aws-us-gov'],
    [`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn`, 'cn-north-1', 'aws-cn'],
    [`${ACCOUNT}.dkr.ecr.ap-southeast-10.amazonaws.com`, 'ap-southeast-10', 'aws'],
    [`${ACCOUNT}.dkr-ecr.eu-west-1.on.aws`, 'eu-west-1', 'aws'],
    [`${ACCOUNT}.dkr-ecr-fips.us-gov-east-1.on.aws`, 'us-gov-east-1', 'aws-us-gov'],
    [`${ACCOUNT}.dkr-ecr.ap-northeast-12.on.aws`, 'ap-northeast-12', 'aws'],
  ])('%s', (host, region, partition) => {
    expect(classify(`${host}/app:1`)).toStrictEqual({
      kind: 'ecr',
      host,
      accountId: ACCOUNT,
      region,
      partition,
    });
  });

  test.each([
    ['12345678901.dkr.ecr.us-east-1.amazonaws.com'],
    ['1123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    [`${ACCOUNT}.dkr.ecr.u-east-1.amazonaws.com`],
    [`${ACCOUNT}.dkr.ecr.us-1.amazonaws.com`],
    [`${ACCOUNT}.dkr.ecr.us-east-123.amazonaws.com`],
    [`${ACCOUNT}.dkr.ecr.us-east.amazonaws.com`],
    [`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com.evil.io`],
    [`x${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`],
    [`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com.cn`],
    [`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com`],
    ['12345678901.dkr-ecr.us-east-1.on.aws'],
    ['1123456789012.dkr-ecr.us-east-1.on.aws'],
    [`${ACCOUNT}.dkr-ecr.u-east-1.on.aws`],
    [`${ACCOUNT}.dkr-ecr.us-1.on.aws`],
    [`${ACCOUNT}.dkr-ecr.us-east-123.on.aws`],
    [`${ACCOUNT}.dkr-ecr.us-east-1.on.aws.evil.io`],
    [`${ACCOUNT}.dkr-ecr-fip.us-east-1.on.aws`],
  ])('%s is not an ECR host', (host) => {
    expect(classify(`${host}/app`)).toStrictEqual({ kind: 'other', host });
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-east-1', 'aws'],
    ['eu-cn-1', 'aws'],
    ['eu-us-gov-1', 'aws'],
  ])('region %s is in partition %s', (region, partition) => {
    expect(awsPartition(region)).toBe(partition);
  });
});

describe('Docker Hub and the rest', () => {
  test.each([
    ['nginx', true],
    ['docker.io/library/nginx', true],
    ['index.docker.io/bitnami/redis', false],
    ['library-x/app', false],
  ])('%s: official %s', (image, official) => {
    expect(classify(image)).toStrictEqual({ kind: 'docker-hub', official });
  });

  test('a host with a port is another registry, named with its port', () => {
    expect(classify('gcr.io:443/project-a/app')).toStrictEqual({
      kind: 'other',
      host: 'gcr.io:443',
    });
    expect(classify(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com:443/app`)).toStrictEqual({
      kind: 'other',
      host: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com:443`,
    });
  });
});
