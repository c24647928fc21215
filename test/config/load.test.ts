import { ConfigError } from '../../src/errors';
import { fromConfigMapData, loadConfig, validateBody } from '../../src/config/load';

/**
 * src/config/load.ts: the three shapes a config comes in (fields at the top level, under
 * `spec:`, a ConfigMap's string data), the defaults it gets, and the exact field and
 * message of each problem — what a user reads when a config is wrong.
 */
const API = 'fn.retarget.dev/v1alpha1';

function problems(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
  throw new Error('expected a ConfigError');
}

describe('the shapes of a config', () => {
  test('top-level fields, with defaults filled in; metadata is not a field', () => {
    const config = loadConfig('SetFsGroup', {
      apiVersion: API,
      kind: 'SetFsGroup',
      metadata: { name: 'x' },
      fsGroup: 1000,
    });
    expect(config).toEqual({ fsGroup: 1000, override: false, dataVolumes: 'set' });
  });

  test('fields under spec:, the same result', () => {
    const value = { apiVersion: API, kind: 'SetFsGroup', spec: { fsGroup: 1000 } };
    expect(loadConfig('SetFsGroup', value)).toEqual({
      fsGroup: 1000,
      override: false,
      dataVolumes: 'set',
    });
    // The input is not changed by the defaults.
    expect(value.spec).toEqual({ fsGroup: 1000 });
  });

  test('a ConfigMap: strings read as the schema types them, dotted keys nest', () => {
    const config = loadConfig('SetAwsWorkloadIdentity', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: {
        roleArn: 'arn:aws:iam::123456789012:role/app',
        expirationSeconds: ' 3600 ',
        serviceUsers: 'app, web ,,db',
      },
    });
    expect(config).toMatchObject({
      roleArn: 'arn:aws:iam::123456789012:role/app',
      expirationSeconds: 3600,
      serviceUsers: ['app', 'web', 'db'],
    });
  });

  test('a ConfigMap with no data is the empty config', () => {
    expect(loadConfig('LinkKubernetesInfoSecrets', { kind: 'ConfigMap' })).toEqual({
      runtime: 'auto',
      source: '/kubernetes-info/secrets',
      target: '/var/run/secrets',
    });
  });
});

describe('problems, located by field', () => {
  test.each([
    ['a list', []],
    ['a string', 'fsGroup: 1'],
    ['null', null],
  ])('not a map (%s)', (_, value) => {
    expect(problems(() => loadConfig('SetFsGroup', value))).toEqual([
      { field: '(config)', message: 'must be a YAML map' },
    ]);
  });

  test('wrong apiVersion and kind, both reported', () => {
    expect(problems(() => loadConfig('SetFsGroup', { apiVersion: 'v1', kind: 'Other' }))).toEqual([
      { field: 'apiVersion', message: `must be ${API}` },
      { field: 'kind', message: 'must be SetFsGroup or ConfigMap' },
    ]);
    expect(problems(() => loadConfig('SetFsGroup', { apiVersion: API }))).toEqual([
      { field: 'kind', message: 'must be SetFsGroup or ConfigMap' },
    ]);
  });

  test('spec: that is no map, and fields beside spec:', () => {
    expect(
      problems(() => loadConfig('SetFsGroup', { apiVersion: API, kind: 'SetFsGroup', spec: [1] })),
    ).toEqual([{ field: 'spec', message: 'must be a map' }]);
    expect(
      problems(() =>
        loadConfig('SetFsGroup', {
          apiVersion: API,
          kind: 'SetFsGroup',
          fsGroup: 1,
          override: true,
          spec: { fsGroup: 2 },
        }),
      ),
    ).toEqual([
      { field: 'fsGroup', message: 'must be under spec: (or drop spec:)' },
      { field: 'override', message: 'must be under spec: (or drop spec:)' },
    ]);
  });

  test('ConfigMap data that is no map', () => {
    expect(problems(() => loadConfig('SetFsGroup', { kind: 'ConfigMap', data: 'x' }))).toEqual([
      { field: 'data', message: 'must be a map' },
    ]);
  });

  test('each message names the field by its path, under spec. or data. as written', () => {
    const spec = { apiVersion: API, kind: 'SetFsGroup', spec: { fsGroup: 1000, override: 'yes' } };
    expect(problems(() => loadConfig('SetFsGroup', spec))).toEqual([
      { field: 'spec.override', message: 'must be boolean, not "yes"' },
    ]);
    expect(
      problems(() => loadConfig('SetFsGroup', { kind: 'ConfigMap', data: { override: 'true' } })),
    ).toEqual([{ field: 'data.fsGroup', message: 'is required' }]);
  });

  test('a missing required field, an unknown one with and without a likely meaning', () => {
    expect(
      problems(() =>
        loadConfig('SetFsGroup', { apiVersion: API, kind: 'SetFsGroup', fsGrup: 1, zzz: 2 }),
      ),
    ).toEqual([
      { field: 'fsGroup', message: 'is required' },
      { field: 'fsGrup', message: 'unknown field; did you mean fsGroup?' },
      { field: 'zzz', message: 'unknown field' },
    ]);
  });

  test('enum, pattern (with the description) and type messages quote the value', () => {
    expect(
      problems(() =>
        loadConfig('SetFsGroup', {
          apiVersion: API,
          kind: 'SetFsGroup',
          fsGroup: 1000,
          dataVolumes: 'maybe',
        }),
      ),
    ).toEqual([{ field: 'dataVolumes', message: '"maybe" is not one of set, skip' }]);
    expect(
      problems(() =>
        loadConfig('SetImagePullSecrets', {
          apiVersion: API,
          kind: 'SetImagePullSecrets',
          names: ['ok', 'Not_OK'],
        }),
      ),
    ).toEqual([
      {
        field: 'names[1]',
        message: '"Not_OK" is not a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")',
      },
    ]);
    expect(
      problems(() =>
        loadConfig('SetFsGroup', { apiVersion: API, kind: 'SetFsGroup', fsGroup: '1000' }),
      ),
    ).toEqual([{ field: 'fsGroup', message: 'must be integer, not "1000"' }]);
  });

  test('a long value is cut short in the message, with its length', () => {
    const long = 'A'.repeat(300);
    expect(
      problems(() =>
        loadConfig('SetImagePullSecrets', {
          apiVersion: API,
          kind: 'SetImagePullSecrets',
          names: [long],
        }),
      ),
    ).toEqual([
      { field: 'names[0]', message: 'must NOT have more than 253 characters' },
      {
        field: 'names[0]',
        message: `"${'A'.repeat(59)}… (302 characters) is not a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")`,
      },
    ]);
  });

  test('a value of the wrong type in a oneOf: the branch of its own type explains', () => {
    expect(
      problems(() => loadConfig('Retarget', { apiVersion: API, kind: 'Retarget', fsGroup: -1 })),
    ).toEqual([{ field: 'fsGroup', message: 'must be >= 1' }]);
    expect(
      problems(() =>
        loadConfig('Retarget', { apiVersion: API, kind: 'Retarget', fsGroup: { override: true } }),
      ),
    ).toEqual([{ field: 'fsGroup.fsGroup', message: 'is required' }]);
  });

  test('keys with "/" and "~" are named as written', () => {
    expect(
      problems(() =>
        loadConfig('SetAwsWorkloadIdentity', {
          apiVersion: API,
          kind: 'SetAwsWorkloadIdentity',
          roleArn: 'arn:aws:iam::123456789012:role/app',
          containerRuntimes: { 'a/b~c': 'plain' },
        }),
      ),
    ).toEqual([
      {
        field: 'containerRuntimes',
        message: '"a/b~c" is not a DNS-1123 label (lower-case letters, digits and "-")',
      },
      { field: 'containerRuntimes', message: 'property name must be valid' },
    ]);
    expect(
      problems(() =>
        loadConfig('SetAwsWorkloadIdentity', {
          apiVersion: API,
          kind: 'SetAwsWorkloadIdentity',
          roleArn: 'arn:aws:iam::123456789012:role/app',
          selector: { labels: { 'example.com/a~b': 5 } },
        }),
      ),
    ).toContainEqual({
      field: 'selector.labels.example.com/a~b',
      message: 'must be string, not 5',
    });
  });

  test("the location given is the error's location", () => {
    try {
      loadConfig('SetFsGroup', [], { path: 'c.yaml', line: 3 });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).location).toEqual({ path: 'c.yaml', line: 3 });
      expect((error as ConfigError).message).toBe('(config): must be a YAML map');
    }
  });
});

describe('ConfigMap data, read as the schema types it', () => {
  test('integers, booleans, lists (comma-separated or YAML) and maps (YAML)', () => {
    expect(
      fromConfigMapData('Retarget', {
        fsGroup: '-12',
        'awsWorkloadIdentity.roleArn': 'arn:aws:iam::123456789012:role/app',
        'awsWorkloadIdentity.serviceUsers': '[app, web]',
        'awsWorkloadIdentity.expirationSeconds': '600',
        linkKubernetesInfoSecrets: 'false',
        imagePullSecrets: 'a,b',
        'selector.labels': '{app: web}',
      }),
    ).toEqual({
      fsGroup: -12,
      awsWorkloadIdentity: {
        roleArn: 'arn:aws:iam::123456789012:role/app',
        serviceUsers: ['app', 'web'],
        expirationSeconds: 600,
      },
      linkKubernetesInfoSecrets: false,
      imagePullSecrets: ['a', 'b'],
      selector: { labels: { app: 'web' } },
    });
  });

  test('values that do not read as their type stay strings, for the schema to report', () => {
    expect(
      fromConfigMapData('SetFsGroup', { fsGroup: '1e3', override: 'yes', unknown: '1' }),
    ).toEqual({ fsGroup: '1e3', override: 'yes', unknown: '1' });
    expect(fromConfigMapData('Retarget', { 'selector.labels': '{a: [' })).toEqual({
      selector: { labels: '{a: [' },
    });
    expect(fromConfigMapData('SetFsGroup', { fsGroup: 7 })).toEqual({ fsGroup: 7 });
  });

  test('a dotted key under a scalar replaces it with a map; __proto__ makes no prototype', () => {
    const body = fromConfigMapData('Retarget', {
      awsWorkloadIdentity: 'x',
      'awsWorkloadIdentity.region': 'eu-west-1',
      '__proto__.polluted': 'yes',
    });
    expect(body.awsWorkloadIdentity).toEqual({ region: 'eu-west-1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('validateBody', () => {
  test('fills defaults in the body it is given and returns it', () => {
    const body: Record<string, unknown> = { fsGroup: 5 };
    expect(validateBody('SetFsGroup', body)).toBe(body);
    expect(body).toEqual({ fsGroup: 5, override: false, dataVolumes: 'set' });
  });

  test('prefixes field names; a problem at the root is (config)', () => {
    expect(problems(() => validateBody('SetFsGroup', {}, 'x.'))).toEqual([
      { field: 'x.fsGroup', message: 'is required' },
    ]);
    expect(problems(() => validateBody('SetFsGroup', {}))).toEqual([
      { field: 'fsGroup', message: 'is required' },
    ]);
  });
});
