import type { ConfigKind } from '../../src/config/schemas';

/**
 * Config values at every boundary, written by hand from each format's own definition
 * (Kubernetes DNS-1123 names, IAM ARN format, AWS regions and account ids, Google Cloud
 * project ids and numbers, the TokenRequest expirationSeconds minimum of 10 minutes, Linux
 * user names), never computed from src/config/schemas.ts. Used by
 * test/unit/config-boundaries.test.ts (each value against the real loader) and
 * test/unit/schema-pattern-mutants.test.ts (each pattern's mutants against these values).
 */
const x = (n: number, c = 'a') => c.repeat(n);
// 253 characters: three 63-character labels and one of 61, joined by dots.
const subdomain253 = `${x(63)}.${x(63)}.${x(63)}.${x(61)}`;

export type Case = [ConfigKind, string, unknown, boolean];
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
  // Each character class's edges (a, z, 0, 9, "-") and upper case, at every position of
  // a label (first, inner, last), in the first label and in a later one.
  ['z', true],
  ['9', true],
  ['a09z-b', true],
  ['az', true],
  ['a0', true],
  ['a9', true],
  ['ab', true],
  ['aA', false],
  ['aAa', false],
  ['a.z', true],
  ['a.0', true],
  ['a.9', true],
  ['a.a09z-b', true],
  ['a.az', true],
  ['a.a0', true],
  ['a.a9', true],
  ['a.ab', true],
  ['a.A', false],
  ['a.aA', false],
  ['a.aAa', false],
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
  // Each character class's edges and upper case, first, inner and last.
  ['z', true],
  ['0', true],
  ['9', true],
  ['a09z-b', true],
  ['az', true],
  ['a0', true],
  ['a9', true],
  ['ab', true],
  ['aA', false],
  ['aAa', false],
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
  // Every partition; every character IAM allows in a path and in a name; a one-character
  // name; an empty path segment.
  ['arn:aws-iso:iam::123456789012:role/app', true],
  ['arn:aws-iso-b:iam::123456789012:role/app', true],
  ['arn:aws-iso-e:iam::123456789012:role/app', true],
  ['arn:aws-iso-f:iam::123456789012:role/app', true],
  ['arn:aws-eusc:iam::123456789012:role/app', true],
  ['arn:aws:iam::123456789012:role/AZaz09+=,.@_-/app', true],
  ['arn:aws:iam::123456789012:role/AZaz09+=,.@_-', true],
  ['arn:aws:iam::123456789012:role/a', true],
  ['arn:aws:iam::123456789012:role//app', false],
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
  // The classes' edges and upper case in the first word, the rest of it and a later one.
  ['z', true],
  ['aaz09-az09', true],
  ['a-1', true],
  ['Eu-west-1', false],
  ['eU-west-1', false],
  ['eu-West-1', false],
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
  ['a', true],
  ['zed', true],
  ['az09_-', true],
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
  // A domain-scoped id (domain:id): each class's edges (a, z, 0, 9, "-") at every
  // position of both domain labels and of the id, upper case at each, label lengths 1 to 4,
  // three labels, and no dot at all.
  ['aaz09-a.aaz09-a:aaz09-a', true],
  ['zaz09-z.zaz09-z:zaz09-z', true],
  ['0az09-0.0az09-0:aaz09-0', true],
  ['9az09-9.9az09-9:aaz09-9', true],
  ['Aa.aa:my-project', false],
  ['aAa.aa:my-project', false],
  ['aA.aa:my-project', false],
  ['aa.Aa:my-project', false],
  ['aa.aAa:my-project', false],
  ['aa.aA:my-project', false],
  ['my-Project', false],
  ['my-projecT', false],
  ['ab.cd:my-project', true],
  ['a.bc:my-project', true],
  ['ab.c:my-project', true],
  ['ab.cdef:my-project', true],
  ['a.b.c:my-project', true],
  ['example:my-project', false],
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
  ['923456', true],
  ['1234567890123456789', true], // 19 digits: an int64
  ['12345678901234567890', false], // 20
  ['x123456', false],
  ['123456x', false],
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
  ['abcdea@my-project.iam.gserviceaccount.com', true],
  ['orders@abcdea.iam.gserviceaccount.com', true],
  ['orders@my-project.aa.iam.gserviceaccount.com', true],
  [`orders@a${x(28, 'b')}c.iam.gserviceaccount.com`, true], // project id of 30
  [`orders@a${x(29, 'b')}c.iam.gserviceaccount.com`, false], // project id of 31
  // Each class's edges (a, z, 0, 9, "-") and upper case at every position of the account
  // id, the project id and a domain label.
  ['zbcdef@my-project.iam.gserviceaccount.com', true],
  ['aaz09-b@my-project.iam.gserviceaccount.com', true],
  ['abcdez@my-project.iam.gserviceaccount.com', true],
  ['abcde0@my-project.iam.gserviceaccount.com', true],
  ['abcde9@my-project.iam.gserviceaccount.com', true],
  ['orders@zbcdef.iam.gserviceaccount.com', true],
  ['orders@aaz09-b.iam.gserviceaccount.com', true],
  ['orders@abcdez.iam.gserviceaccount.com', true],
  ['orders@abcde0.iam.gserviceaccount.com', true],
  ['orders@abcde9.iam.gserviceaccount.com', true],
  ['orders@my-project.z.iam.gserviceaccount.com', true],
  ['orders@my-project.0.iam.gserviceaccount.com', true],
  ['orders@my-project.9.iam.gserviceaccount.com', true],
  ['orders@my-project.az09-b.iam.gserviceaccount.com', true],
  ['orders@my-project.az.iam.gserviceaccount.com', true],
  ['orders@my-project.a0.iam.gserviceaccount.com', true],
  ['orders@my-project.a9.iam.gserviceaccount.com', true],
  ['orders@my-project.ab.iam.gserviceaccount.com', true],
  ['aBcdef@my-project.iam.gserviceaccount.com', false],
  ['abcdeF@my-project.iam.gserviceaccount.com', false],
  ['orders@aBcdef.iam.gserviceaccount.com', false],
  ['orders@abcdeF.iam.gserviceaccount.com', false],
  ['orders@Abcdef.iam.gserviceaccount.com', false],
  ['orders@my-project.A.iam.gserviceaccount.com', false],
  ['orders@my-project.aA.iam.gserviceaccount.com', false],
  ['orders@my-project.aAa.iam.gserviceaccount.com', false],
];

const AWS_ACCOUNT: [unknown, boolean][] = [
  ['123456789012', true],
  ['000000000000', true],
  ['12345678901', false],
  ['1234567890123', false],
  ['12345678901a', false],
  [123456789012, false],
];

// An IAM name (instance profile, policy): 1 to 128 of letters, digits and +=,.@_-
// (the IAM API's name pattern [\w+=,.@-]+).
const AWS_IAM_NAME: [unknown, boolean][] = [
  ['eks-node', true],
  ['AZaz09+=,.@_-', true],
  ['a', true],
  [x(128), true],
  [x(129), false],
  ['', false],
  ['a b', false],
  ['a/b', false],
  ['a;b', false],
  ['a:b', false],
  ['caf\u00e9', false],
];

// A policy by name or by ARN (aws, aws-cn and aws-us-gov, the partitions whose ECR hosts
// preflight knows): AWS managed (account "aws") or the account's own, with a path.
const AWS_POLICY: [unknown, boolean][] = [
  ['AmazonEC2ContainerRegistryReadOnly', true],
  ['AZaz09+=,.@_-', true],
  ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', true],
  ['arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', true],
  ['arn:aws-us-gov:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', true],
  ['arn:aws:iam::123456789012:policy/ecr-read', true],
  ['P', true],
  ['arn:aws:iam::123456789012:policy/AZaz09+=,.@_-/team/ecr-read', true],
  [`arn:aws:iam::aws:policy/${x(128)}`, true],
  [`arn:aws:iam::aws:policy/${x(129)}`, false],
  ['arn:aws:iam::12345678901:policy/ecr-read', false],
  ['arn:aws:iam::1234567890123:policy/ecr-read', false],
  ['arn:aws:iam::amazon:policy/ecr-read', false],
  ['arn:aws:iam::aws:role/ecr-read', false],
  ['arn:aws:iam::aws:policy/', false],
  ['arn:aws:iam::aws:policy//ecr-read', false],
  ['arn:azure:iam::aws:policy/ecr-read', false],
  ['ecr read', false],
  ['', false],
];

export const CASES: Case[] = [
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
  ...wrap('Preflight', 'nodeInstanceProfile', AWS_IAM_NAME),
  ...wrap('Preflight', 'nodeInstanceProfilePolicies', AWS_POLICY, true),
];
