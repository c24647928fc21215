import { ConfigError } from '../../src/errors';
import { loadConfig } from '../../src/config/load';
import type { ConfigKind } from '../../src/config/schemas';

/**
 * Config validation at every boundary, from an independent list of values: each value
 * is written here by hand from the format's own definition (Kubernetes DNS-1123 names,
 * IAM ARN format, AWS regions and account ids, Google Cloud project ids and numbers, the
 * TokenRequest expirationSeconds minimum of 10 minutes, Linux user names), never computed
 * from src/config/schemas.ts, so a loosened or tightened pattern fails here.
 */
const BASE: Record<ConfigKind, Record<string, unknown>> = {
  SetImagePullSecrets: { names: ['gcr-json-key'] },
  SetFsGroup: { fsGroup: 1000 },
  LinkKubernetesInfoSecrets: {},
  SetAwsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/app' },
  Retarget: {},
  Preflight: {},
  PortDataVolumes: { platform: 'gke' },
  SetGcpWorkloadIdentity: {
    projectId: 'cluster-project',
    gcpServiceAccount: 'orders-vm@app-project.iam.gserviceaccount.com',
  },
};

function accepts(kind: ConfigKind, field: string, value: unknown): boolean {
  const config: Record<string, unknown> = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind,
    ...structuredClone(BASE[kind]),
  };
  const path = field.split('.');
  let at = config;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[path.at(-1)!] = value;
  try {
    loadConfig(kind, config);
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return false;
  }
}

const x = (n: number, c = 'a') => c.repeat(n);
// 253 characters: three 63-character labels and one of 61, joined by dots.
const subdomain253 = `${x(63)}.${x(63)}.${x(63)}.${x(61)}`;

type Case = [ConfigKind, string, unknown, boolean];
const wrap = (kind: ConfigKind, field: string, list: [unknown, boolean][], asItem = false) =>
  list.map(([v, ok]) => [kind, field, asItem ? [v] : v, ok] as Case);

const DNS_SUBDOMAIN: [unknown, boolean][] = [
  ['a', true],
  ['0', true],
  ['gcr-json-key', true],
  ['a.b-c.d', true],
  ['1a', true],
  [subdomain253, true],
  [`${subdomain253}a`, false], // 254
  ['', false],
  ['A', false],
  ['gcr-JSON-key', false],
  ['a_b', false],
  ['-a', false],
  ['a-', false],
  ['.a', false],
  ['a.', false],
  ['a..b', false],
  ['a b', false],
  ['a;b', false],
  ["a'b", false],
  ['$(id)', false],
  ['a\nb', false],
];

const DNS_LABEL: [unknown, boolean][] = [
  ['a', true],
  ['aws-iam-token', true],
  [x(63), true],
  [x(64), false],
  ['a.b', false],
  ['A', false],
  ['-a', false],
  ['a-', false],
  ['', false],
];

const ROLE_ARN: [unknown, boolean][] = [
  ['arn:aws:iam::123456789012:role/app', true],
  ['arn:aws-cn:iam::123456789012:role/app', true],
  ['arn:aws-us-gov:iam::123456789012:role/path/to/app', true],
  ['arn:aws:iam::123456789012:role/a+=,.@_-b', true],
  [`arn:aws:iam::123456789012:role/${x(64)}`, true],
  [`arn:aws:iam::123456789012:role/${x(65)}`, false],
  ['arn:aws:iam::12345678901:role/app', false], // 11-digit account
  ['arn:aws:iam::1234567890123:role/app', false], // 13-digit account
  ['arn:aws:iam::12345678901a:role/app', false],
  ['arn:aws:iam::123456789012:user/app', false],
  ['arn:aws:iam::123456789012:role/', false],
  ['arn:aws:s3:::bucket', false],
  ['arn:azure:iam::123456789012:role/app', false],
  ['ARN:aws:iam::123456789012:role/app', false],
  ['arn:aws:iam::123456789012:role/a b', false],
  ['arn:aws:iam::123456789012:role/a;id', false],
  ['arn:aws:iam::123456789012:role/$(id)', false],
  ['arn:aws:iam::123456789012:role/a"b', false],
  [' arn:aws:iam::123456789012:role/app', false],
  ['arn:aws:iam::123456789012:role/app\n', false],
];

// The AWS SDKs' region (the pod identity webhook's --aws-default-region): lower-case
// words and digits joined by single hyphens, at most 32 characters.
const REGION: [unknown, boolean][] = [
  ['eu-west-1', true],
  ['us-gov-west-1', true],
  ['ap-southeast-2', true],
  ['cn-north-1', true],
  ['us-isob-east-1', true],
  [`a${x(31, 'b')}`, true], // 32
  [`a${x(32, 'b')}`, false], // 33
  ['EU-west-1', false],
  ['eu_west_1', false],
  ['-eu-west-1', false],
  ['eu-west-1-', false],
  ['eu--west-1', false],
  ['1eu-west', false],
  ['', false],
  ['eu-west-1 ', false],
  ['eu-west-1;id', false],
];

const EXPIRATION: [unknown, boolean][] = [
  [600, true],
  [601, true],
  [86400, true],
  [4294967295, true],
  [599, false],
  [0, false],
  [-600, false],
  [4294967296, false],
  [600.5, false],
  ['600', false],
];

const FS_GROUP: [unknown, boolean][] = [
  [1, true],
  [2147483647, true],
  [0, false],
  [-1, false],
  [2147483648, false],
  [1000.5, false],
  ['1000', false],
];

const LINUX_NAME: [unknown, boolean][] = [
  ['app', true],
  ['_svc', true],
  ['a-b_c9', true],
  [x(32), true],
  [x(33), false],
  ['App', false],
  ['1app', false],
  ['-app', false],
  ['a b', false],
  ['a$', false],
  ['', false],
];

const GCP_PROJECT_ID: [unknown, boolean][] = [
  ['my-project', true],
  ['abcdef', true], // 6: the shortest
  [`a${x(28, 'b')}c`, true], // 30: the longest
  ['example.com:my-project', true],
  ['abcde', false], // 5
  [`a${x(29, 'b')}c`, false], // 31
  ['My-project', false],
  ['1project', false],
  ['project-', false],
  ['my_project', false],
];

const GCP_PROJECT_NUMBER: [unknown, boolean][] = [
  ['123456', true],
  ['123456789012', true],
  [100000, true],
  [123456789012, true],
  ['12345', false],
  ['012345', false],
  [99999, false],
  ['12345a', false],
];

// Google service account emails (IAM: the account id is 6-30 characters, lower-case letters,
// digits and dashes, starting with a letter and not ending with a dash; the domain is the
// project id's, or for a domain-scoped project example.com:p, p.example.com).
const GCP_SERVICE_ACCOUNT: [unknown, boolean][] = [
  ['orders-vm@app-project.iam.gserviceaccount.com', true],
  ['abcdef@abcdef.iam.gserviceaccount.com', true], // 6 and 6
  [`a${x(28, 'b')}c@my-project.iam.gserviceaccount.com`, true], // 30
  ['orders@my-project.example.com.iam.gserviceaccount.com', true], // domain-scoped
  ['abcde@my-project.iam.gserviceaccount.com', false], // 5
  [`a${x(29, 'b')}c@my-project.iam.gserviceaccount.com`, false], // 31
  ['1orders@my-project.iam.gserviceaccount.com', false],
  ['orders-@my-project.iam.gserviceaccount.com', false],
  ['Orders@my-project.iam.gserviceaccount.com', false],
  ['orders_vm@my-project.iam.gserviceaccount.com', false],
  ['orders@abcde.iam.gserviceaccount.com', false], // project id of 5
  ['orders@my-project-.iam.gserviceaccount.com', false],
  ['123456789012-compute@developer.gserviceaccount.com', false], // the Compute Engine default
  ['orders@my-project.gserviceaccount.com', false],
  ['orders@my-project.iam.gserviceaccount.com ', false],
  ["orders@my-project.iam.gserviceaccount.com';id", false],
  ['orders@my-project.iam.gserviceaccount.com\n', false],
  ['orders', false],
];

const AWS_ACCOUNT: [unknown, boolean][] = [
  ['123456789012', true],
  ['000000000000', true],
  ['12345678901', false],
  ['1234567890123', false],
  ['12345678901a', false],
  [123456789012, false],
];

const CASES: Case[] = [
  ...wrap('SetImagePullSecrets', 'names', DNS_SUBDOMAIN, true),
  ...wrap('SetAwsWorkloadIdentity', 'serviceAccountName', DNS_SUBDOMAIN),
  ...wrap('SetAwsWorkloadIdentity', 'tokenVolumeName', DNS_LABEL),
  ...wrap('SetAwsWorkloadIdentity', 'roleArn', ROLE_ARN),
  ...wrap('SetAwsWorkloadIdentity', 'region', REGION),
  ...wrap('SetAwsWorkloadIdentity', 'expirationSeconds', EXPIRATION),
  ...wrap('SetAwsWorkloadIdentity', 'tokenGroup', LINUX_NAME),
  ...wrap('SetAwsWorkloadIdentity', 'serviceUsers', LINUX_NAME, true),
  ...wrap('SetFsGroup', 'fsGroup', FS_GROUP),
  ...wrap('Preflight', 'gcpProjectId', GCP_PROJECT_ID),
  ...wrap('Preflight', 'gcpProjectNumber', GCP_PROJECT_NUMBER),
  ...wrap('Preflight', 'awsAccountId', AWS_ACCOUNT),
  ...wrap('SetGcpWorkloadIdentity', 'gcpServiceAccount', GCP_SERVICE_ACCOUNT),
  ...wrap('SetGcpWorkloadIdentity', 'projectId', GCP_PROJECT_ID),
  ...wrap('SetGcpWorkloadIdentity', 'serviceAccountName', DNS_SUBDOMAIN),
];

describe('config boundaries (independent values)', () => {
  test.each(CASES)('%s %s = %j: valid %s', (kind, field, value, valid) => {
    expect(accepts(kind, field, value)).toBe(valid);
  });

  test('the Retarget sections hold the same boundaries as the functions', () => {
    expect(accepts('Retarget', 'fsGroup', 0)).toBe(false);
    expect(accepts('Retarget', 'fsGroup', 1)).toBe(true);
    const aws = (extra: Record<string, unknown>) => ({
      roleArn: 'arn:aws:iam::123456789012:role/app',
      ...extra,
    });
    expect(accepts('Retarget', 'awsWorkloadIdentity', aws({ expirationSeconds: 599 }))).toBe(false);
    expect(accepts('Retarget', 'awsWorkloadIdentity', aws({ expirationSeconds: 600 }))).toBe(true);
    expect(accepts('Retarget', 'imagePullSecrets', ['Upper'])).toBe(false);
    expect(accepts('Retarget', 'imagePullSecrets', ['lower'])).toBe(true);
  });
});
