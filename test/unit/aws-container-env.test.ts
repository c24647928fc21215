import { parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import { runText } from '../support/run';

/**
 * What set-aws-workload-identity reads from a container's own env and mounts, per the EKS
 * pod identity webhook's addEnvToContainer (aws/amazon-eks-pod-identity-webhook,
 * pkg/handler/handler.go): a variable counts as set by its name, whatever gives its value;
 * the systemd drop-in of a migrated VM carries what the container keeps only when that is a
 * literal, safe word. Wrongly typed env and mounts are located errors.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const ROLE = 'arn:aws:iam::123456789012:role/app-reader';
const FN = 'set-aws-workload-identity';
const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetAwsWorkloadIdentity',
  roleArn: ROLE,
  ...body,
});

/** A migrated VM (legacy runtime: command /.v2k.go) with the given container lines. */
function vm(container: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: vm',
    'spec:',
    '  containers:',
    '  - name: vm',
    '    image: gcr.io/p/vm:v1',
    '    command: [/.v2k.go]',
    container,
  ].join('\n');
}
function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}
const dropIn = (output: string) =>
  docs(output).find((d) => d.kind === 'ConfigMap')?.data['10-default-env.conf'] as string;
const located = (results: Result[]) =>
  results.map((r) => [r.severity, r.field?.path, r.message, r.tags?.line]);

describe('a variable the container sets without a literal value', () => {
  test('`value:` left empty: kept, and services get the config value, never the text "null"', () => {
    const input = vm('    env:\n    - name: AWS_REGION\n      value:\n');
    const { ok, output, results } = runText(
      FN,
      config({ initSystem: 'systemd', region: 'eu-west-1' }),
      input,
    );
    expect(ok).toBe(true);
    expect(located(results)).toEqual([
      [
        'warning',
        'spec.containers[0].env',
        'container vm sets AWS_REGION from valueFrom: kept, where the config gives eu-west-1',
        '11',
      ],
    ]);
    expect(dropIn(output)).toContain('"AWS_REGION=eu-west-1" "AWS_DEFAULT_REGION=eu-west-1"');
    expect(dropIn(output)).not.toContain('null');
  });

  test('a literal safe word is what services see; a map value is no literal', () => {
    const input = vm(
      '    env:\n    - name: AWS_REGION\n      value: us-east-1\n    - name: AWS_DEFAULT_REGION\n      value: {a: 1}\n',
    );
    const { output } = runText(FN, config({ initSystem: 'systemd', region: 'eu-west-1' }), input);
    expect(dropIn(output)).toContain('"AWS_REGION=us-east-1" "AWS_DEFAULT_REGION=eu-west-1"');
  });
});

describe('env and mounts of the wrong type: located errors, nothing bound', () => {
  test.each([
    ['    env: AWS_REGION=x\n', 'spec.containers[0].env', 'expected a list, found string'],
    ['    env:\n    - AWS_REGION=x\n', 'spec.containers[0].env[0]', 'expected a map, found string'],
    [
      '    volumeMounts: {a: 1}\n',
      'spec.containers[0].volumeMounts',
      'expected a list, found a map',
    ],
  ])('%j', (lines, path, message) => {
    const { ok, results } = runText(FN, config({ initSystem: 'systemd' }), vm(lines));
    expect(ok).toBe(false);
    expect(
      results.filter((r) => r.severity === 'error').map((r) => [r.field?.path, r.message]),
    ).toEqual([[path, message]]);
  });
});

describe('regional STS a container already sets', () => {
  const input = vm('    env:\n    - name: AWS_STS_REGIONAL_ENDPOINTS\n      value: legacy\n');

  test('another value than the config: kept, with a warning naming both', () => {
    const { output, results } = runText(FN, config({ stsRegionalEndpoints: 'regional' }), input);
    expect(located(results)).toEqual([
      [
        'warning',
        'spec.containers[0].env',
        'container vm sets AWS_STS_REGIONAL_ENDPOINTS=legacy: kept, where the config gives regional',
        '11',
      ],
      [
        'warning',
        undefined,
        'migrated-VM containers found but awsWorkloadIdentity.initSystem is not set: services started by the init system do not inherit container env; set initSystem (systemd, sysv-pam, sysv or upstart)',
        undefined,
      ],
    ]);
    expect(docs(output)[0].spec.containers[0].env[0]).toEqual({
      name: 'AWS_STS_REGIONAL_ENDPOINTS',
      value: 'legacy',
    });
  });

  test('override: set to the config value, saying what changed', () => {
    const { output, results } = runText(
      FN,
      config({ stsRegionalEndpoints: 'regional', override: true, initSystem: 'sysv' }),
      input,
    );
    expect(results[0]).toMatchObject({
      severity: 'info',
      message:
        'container vm: AWS_STS_REGIONAL_ENDPOINTS changed from legacy to regional (override)',
      field: { path: 'spec.containers[0].env' },
    });
    expect(docs(output)[0].spec.containers[0].env[0]).toEqual({
      name: 'AWS_STS_REGIONAL_ENDPOINTS',
      value: 'regional',
    });
  });
});

describe('the token mount', () => {
  const TOKEN_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
  const allSet = [
    '    env:',
    `    - name: AWS_ROLE_ARN\n      value: ${ROLE}`,
    '    - name: AWS_REGION\n      value: eu-west-1',
    '    - name: AWS_STS_REGIONAL_ENDPOINTS\n      value: regional',
  ].join('\n');

  test('every variable set, another volume mounted: still said to get no token mount', () => {
    const input = vm(`${allSet}\n    volumeMounts:\n    - name: data\n      mountPath: /data\n`);
    const { results } = runText(
      FN,
      config({ region: 'eu-west-1', stsRegionalEndpoints: 'regional', initSystem: 'sysv' }),
      input,
    );
    expect(results.map((r) => r.message)).toContainEqual(
      'container vm already sets AWS web identity, region and AWS_STS_REGIONAL_ENDPOINTS variables: the EKS pod identity webhook leaves such a container alone, and so does retarget, so it gets no token mount (aws-iam-token); set override: true to have it mounted',
    );
  });

  test('every variable set and the token mounted: nothing said about the mount', () => {
    const input = vm(
      `${allSet}\n    volumeMounts:\n    - name: aws-iam-token\n      mountPath: /elsewhere\n`,
    );
    const { results } = runText(
      FN,
      config({ region: 'eu-west-1', stsRegionalEndpoints: 'regional', initSystem: 'sysv' }),
      input,
    );
    expect(results.map((r) => r.message)).not.toContainEqual(
      expect.stringContaining('gets no token mount'),
    );
  });

  test('override over the webhook mount already at its path: no conflict, one mount', () => {
    const input = vm(
      `    volumeMounts:\n    - name: aws-iam-token\n      mountPath: ${TOKEN_DIR}\n      readOnly: true\n`,
    );
    const { ok, output, results } = runText(
      FN,
      config({ override: true, initSystem: 'sysv' }),
      input,
    );
    expect(ok).toBe(true);
    expect(results.filter((r) => r.severity === 'error')).toEqual([]);
    expect(docs(output)[0].spec.containers[0].volumeMounts).toEqual([
      { name: 'aws-iam-token', mountPath: TOKEN_DIR, readOnly: true },
    ]);
  });
});

describe('the systemd drop-in written for a migrated VM', () => {
  test('its whole text names the token where the legacy runtime shows it', () => {
    const { ok, output } = runText(
      FN,
      config({ initSystem: 'systemd', region: 'eu-west-1' }),
      vm(''),
    );
    expect(ok).toBe(true);
    expect(dropIn(output)).toBe(
      [
        '# Written by retarget: AWS workload identity for every systemd service.',
        '[Manager]',
        `DefaultEnvironment="AWS_ROLE_ARN=${ROLE}" "AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token" "AWS_REGION=eu-west-1" "AWS_DEFAULT_REGION=eu-west-1"`,
        '',
      ].join('\n'),
    );
  });

  test('a container keeping one variable of the pair (none added): services get it and the config token file', () => {
    const input = vm(`    env:\n    - name: AWS_ROLE_ARN\n      value: ${ROLE}\n`);
    const { ok, output, results } = runText(FN, config({ initSystem: 'systemd' }), input);
    expect(ok).toBe(true);
    expect(results.map((r) => r.severity)).toEqual(['warning']);
    expect(docs(output)[0].spec.containers[0].env).toEqual([{ name: 'AWS_ROLE_ARN', value: ROLE }]);
    expect(dropIn(output)).toContain(
      `DefaultEnvironment="AWS_ROLE_ARN=${ROLE}" "AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token"\n`,
    );
  });
});

describe('pod-identity: one container-credentials variable already set', () => {
  test.each([
    [
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'http://169.254.170.23/v1/credentials',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    ],
    [
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      '/kubernetes-info/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ],
  ])(
    '%s: neither is added, as the webhook adds neither, and the other is named',
    (set, value, missing) => {
      const input = vm(`    env:\n    - name: ${set}\n      value: ${value}\n`);
      const { output, results } = runText(
        FN,
        config({ mechanism: 'pod-identity', initSystem: 'sysv' }),
        input,
      );
      expect(docs(output)[0].spec.containers[0].env).toEqual([{ name: set, value }]);
      expect(results.filter((r) => r.severity === 'warning').map((r) => r.message)).toEqual([
        `container vm sets ${set} without ${missing}: the EKS pod identity webhook then adds neither, and neither does retarget; the AWS SDKs use container credentials only with both (set override: true to add it)`,
      ]);
    },
  );
});

test('AWS_DEFAULT_REGION alone counts as a region set: neither region variable is added', () => {
  const input = vm('    env:\n    - name: AWS_DEFAULT_REGION\n      value: eu-west-1\n');
  const { output } = runText(FN, config({ region: 'eu-west-1', initSystem: 'sysv' }), input);
  expect(docs(output)[0].spec.containers[0].env.map((e: Obj) => e.name as string)).toEqual([
    'AWS_DEFAULT_REGION',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ]);
});
