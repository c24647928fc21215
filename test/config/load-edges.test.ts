import { ConfigError } from '../../src/errors';
import { fromConfigMapData, loadConfig, validateBody } from '../../src/config/load';

/**
 * src/config/load.ts at its edges: what a ConfigMap's strings become (and what they must
 * not become), and the exact field and message a user reads for the problems the
 * schemas' combinators produce (oneOf, if/then/else, not, propertyNames), for values at
 * the length where they are cut, for field names made of digits, and at the root.
 * Every expected value is written by hand from the contract, not taken from a run.
 */
const API = 'fn.retarget.dev/v1alpha1';

type Problem = { field: string; message: string };

function problems(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
  throw new Error('expected a ConfigError');
}

function config(kind: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: API, kind, ...fields };
}

const DNS_SUBDOMAIN = 'is not a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")';

describe('ConfigMap data: a value is read as its own field types it, and only so', () => {
  test('a string field keeps a value that would read as a number, a boolean or YAML', () => {
    expect(
      fromConfigMapData('SetImagePullSecrets', {
        names: 'true',
        'externalSecret.secretName': '123',
        'externalSecret.remoteKey': 'null',
        'externalSecret.server': 'false',
      }),
    ).toEqual({
      names: ['true'],
      externalSecret: { secretName: '123', remoteKey: 'null', server: 'false' },
    });
  });

  test('"true" is true and "false" is false, around spaces', () => {
    expect(
      fromConfigMapData('Retarget', {
        linkKubernetesInfoSecrets: ' true ',
        emitIamPolicyMember: 'true',
        'target.emitIamPolicyMember': 'false',
      }),
    ).toEqual({
      linkKubernetesInfoSecrets: true,
      emitIamPolicyMember: 'true', // no such field: the schema reports it
      target: { emitIamPolicyMember: false },
    });
  });

  test('a dotted key reaches into the map form of a field that is a value or a map', () => {
    expect(
      fromConfigMapData('Retarget', {
        'fsGroup.fsGroup': '2000',
        'fsGroup.override': 'true',
        'imagePullSecrets.names': 'a,b',
      }),
    ).toEqual({
      fsGroup: { fsGroup: 2000, override: true },
      imagePullSecrets: { names: ['a', 'b'] },
    });
    expect(
      loadConfig('Retarget', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        data: { 'fsGroup.fsGroup': '2000', 'fsGroup.override': 'true' },
      }),
    ).toEqual({ fsGroup: { fsGroup: 2000, override: true }, runtime: 'auto' });
  });

  test('keys below a field the schema does not have, or below a value, stay strings', () => {
    expect(
      fromConfigMapData('SetFsGroup', {
        'unknown.x.y': '1',
        'fsGroup.x.y': '2',
        'constructor.prototype.z': 'true',
      }),
    ).toEqual({
      unknown: { x: { y: '1' } },
      fsGroup: { x: { y: '2' } },
      constructor: { prototype: { z: 'true' } },
    });
    expect(
      problems(() =>
        loadConfig('SetFsGroup', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          data: { fsGroup: '2000', 'unknown.x.y': '1' },
        }),
      ),
    ).toEqual([{ field: 'data.unknown', message: 'unknown field' }]);
  });
});

describe('problems of the schema combinators, as a user reads them', () => {
  test('a value of no branch type: each type it may have, and no "oneOf" message', () => {
    expect(problems(() => loadConfig('Retarget', config('Retarget', { fsGroup: 'abc' })))).toEqual([
      { field: 'fsGroup', message: 'must be integer, not "abc"' },
      { field: 'fsGroup', message: 'must be object, not "abc"' },
    ]);
    expect(
      problems(() =>
        loadConfig('Retarget', config('Retarget', { linkKubernetesInfoSecrets: 'yes' })),
      ),
    ).toEqual([
      { field: 'linkKubernetesInfoSecrets', message: 'must be boolean, not "yes"' },
      { field: 'linkKubernetesInfoSecrets', message: 'must be object, not "yes"' },
    ]);
  });

  const gcp = {
    projectId: 'cluster-project',
    gcpServiceAccount: 'orders-vm@app-project.iam.gserviceaccount.com',
    roles: ['roles/storage.objectViewer'],
  };

  test('if/then/else: the refused field, with the reason its description gives', () => {
    expect(
      problems(() =>
        loadConfig(
          'SetGcpWorkloadIdentity',
          config('SetGcpWorkloadIdentity', {
            ...gcp,
            principal: 'direct',
            projectNumber: 123456789012,
          }),
        ),
      ),
    ).toEqual([
      {
        field: 'gcpServiceAccount',
        message:
          'is refused with principal direct: the roles are granted to the Kubernetes ServiceAccount itself (set principal: service-account to impersonate it)',
      },
    ]);
    expect(
      problems(() => loadConfig('SetGcpWorkloadIdentity', config('SetGcpWorkloadIdentity', gcp))),
    ).toEqual([
      {
        field: 'roles',
        message:
          "is for principal direct: with service-account the Google service account's own roles apply (grant them to it)",
      },
    ]);
  });

  test('if/then/else: the fields a branch requires, named under the prefix', () => {
    expect(
      problems(() =>
        loadConfig('SetGcpWorkloadIdentity', {
          apiVersion: API,
          kind: 'SetGcpWorkloadIdentity',
          spec: { projectId: 'cluster-project', principal: 'direct' },
        }),
      ),
    ).toEqual([
      { field: 'spec.projectNumber', message: 'is required' },
      { field: 'spec.roles', message: 'is required' },
    ]);
  });

  test('the same problem twice (two bad map keys) is reported once, each value once', () => {
    expect(
      problems(() =>
        loadConfig(
          'LinkKubernetesInfoSecrets',
          config('LinkKubernetesInfoSecrets', { containerRuntimes: { A: 'plain', B: 'plain' } }),
        ),
      ),
    ).toEqual([
      {
        field: 'containerRuntimes',
        message: '"A" is not a DNS-1123 label (lower-case letters, digits and "-")',
      },
      { field: 'containerRuntimes', message: 'property name must be valid' },
      {
        field: 'containerRuntimes',
        message: '"B" is not a DNS-1123 label (lower-case letters, digits and "-")',
      },
    ]);
  });

  test('a pattern without a description is quoted as the pattern', () => {
    expect(
      problems(() =>
        loadConfig(
          'SetFsGroup',
          config('SetFsGroup', { fsGroup: 1, selector: { kinds: ['deployment'] } }),
        ),
      ),
    ).toEqual([
      { field: 'selector.kinds[0]', message: '"deployment" is not matching ^[A-Z][A-Za-z0-9]*$' },
    ]);
  });
});

describe('how values and fields are named', () => {
  test('a value is quoted whole up to 80 characters of JSON, cut from 81', () => {
    const at80 = 'A'.repeat(78); // "A…A" is 80 characters of JSON
    const at81 = 'A'.repeat(79);
    expect(
      problems(() =>
        loadConfig('SetImagePullSecrets', config('SetImagePullSecrets', { names: [at80, at81] })),
      ),
    ).toEqual([
      { field: 'names[0]', message: `"${at80}" ${DNS_SUBDOMAIN}` },
      { field: 'names[1]', message: `"${'A'.repeat(59)}… (81 characters) ${DNS_SUBDOMAIN}` },
    ]);
  });

  test('a list index of two digits is an index; a key with digits is a key', () => {
    const names = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'Bad'];
    expect(
      problems(() => loadConfig('SetImagePullSecrets', config('SetImagePullSecrets', { names }))),
    ).toEqual([{ field: 'names[10]', message: `"Bad" ${DNS_SUBDOMAIN}` }]);
    expect(
      problems(() =>
        loadConfig('SetFsGroup', config('SetFsGroup', { fsGroup: 1, fsGroup2: 1, '2fsGroup': 1 })),
      ),
    ).toEqual([
      { field: 'fsGroup2', message: 'unknown field; did you mean fsGroup?' },
      { field: '2fsGroup', message: 'unknown field; did you mean fsGroup?' },
    ]);
  });

  test('a body that is no map: (config), or the name its prefix gives', () => {
    const notAMap = (value: unknown) => value as Record<string, unknown>;
    expect(problems(() => validateBody('SetFsGroup', notAMap('x')))).toEqual([
      { field: '(config)', message: 'must be object, not "x"' },
    ]);
    expect(problems(() => validateBody('SetFsGroup', notAMap([]), 'spec.'))).toEqual([
      { field: 'spec', message: 'must be object, not []' },
    ]);
  });
});
