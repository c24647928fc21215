import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load';
import type { RetargetConfig } from '../../src/config/types';
import { dockerfileOptions, identityOf } from '../../src/dockerfile/options';
import { ConfigError } from '../../src/errors';

/**
 * What `retarget dockerfile` takes from a Retarget config, and the exact refusals (field
 * and message, all of them at once, at the config's location) when the block would lack
 * something it needs.
 */
const ROLE = 'arn:aws:iam::123456789012:role/app';
const config = (body: string) =>
  loadConfig<RetargetConfig>(
    'Retarget',
    parse(`apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\n${body}`),
  );

function refusal(body: string): ConfigError {
  try {
    dockerfileOptions(config(body), { path: 'retarget.yaml', line: 3 });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('dockerfileOptions: what the block is made from', () => {
  test('fsGroup is the gid, the link its source and target, the runtime and location kept', () => {
    const options = dockerfileOptions(
      config(
        `fsGroup: 2000\nruntime: legacy\nlinkKubernetesInfoSecrets: {source: /k/s, target: /run/s}\nawsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: systemd\n`,
      ),
      { path: 'r.yaml' },
    );
    expect(options.gid).toBe(2000);
    expect(options.link).toStrictEqual({ source: '/k/s', target: '/run/s' });
    expect(options.runtime).toBe('legacy');
    expect(options.location).toStrictEqual({ path: 'r.yaml' });
    expect(options.aws).toMatchObject({
      roleArn: ROLE,
      initSystem: 'systemd',
      tokenGroup: 'aws-token',
    });
  });

  test('no fsGroup: no gid; the link step off: no link; runtime auto; location empty by default', () => {
    const options = dockerfileOptions(
      config(`linkKubernetesInfoSecrets: false\nawsWorkloadIdentity:\n  roleArn: ${ROLE}\n`),
    );
    expect('gid' in options).toBe(false);
    expect('link' in options).toBe(false);
    expect(options.runtime).toBe('auto');
    expect(options.location).toStrictEqual({});
  });

  test('fsGroup in its long form', () => {
    const options = dockerfileOptions(
      config(`fsGroup: {fsGroup: 3000}\nawsWorkloadIdentity:\n  roleArn: ${ROLE}\n`),
    );
    expect(options.gid).toBe(3000);
  });

  test('identityOf: the variables come from the role, region, endpoints and mechanism', () => {
    const options = dockerfileOptions(
      config(
        `awsWorkloadIdentity:\n  roleArn: ${ROLE}\n  region: eu-west-1\n  stsRegionalEndpoints: regional\n`,
      ),
    );
    expect(identityOf(options)).toStrictEqual({
      roleArn: ROLE,
      region: 'eu-west-1',
      stsRegionalEndpoints: 'regional',
      mechanism: 'irsa',
    });
    const noRole = dockerfileOptions(config('awsWorkloadIdentity: {mechanism: pod-identity}\n'));
    expect(() => identityOf(noRole)).toThrow(
      'internal: the Dockerfile block needs awsWorkloadIdentity.roleArn',
    );
  });
});

describe('dockerfileOptions: refusals', () => {
  test('no awsWorkloadIdentity', () => {
    const error = refusal('fsGroup: 2000\n');
    expect(error.problems).toStrictEqual([
      { field: 'awsWorkloadIdentity', message: 'is required by retarget dockerfile' },
    ]);
    expect(error.location).toStrictEqual({ path: 'retarget.yaml', line: 3 });
  });

  test.each([
    [
      'sysv',
      'is required with initSystem sysv: the init scripts (/etc/init.d/NAME) that get the variables',
    ],
    [
      'upstart',
      'is required with initSystem upstart: the Upstart jobs (/etc/init/NAME.conf) that get the variables',
    ],
  ])('initSystem %s with no services', (initSystem, message) => {
    expect(
      refusal(`awsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: ${initSystem}\n`).problems,
    ).toStrictEqual([{ field: 'awsWorkloadIdentity.services', message }]);
    expect(
      refusal(
        `awsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: ${initSystem}\n  services: []\n`,
      ).problems,
    ).toStrictEqual([{ field: 'awsWorkloadIdentity.services', message }]);
  });

  test.each(['systemd', 'sysv-pam'])('initSystem %s needs no services', (initSystem) => {
    expect(
      dockerfileOptions(
        config(`awsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: ${initSystem}\n`),
      ).aws.initSystem,
    ).toBe(initSystem);
  });

  test('every problem at once: no roleArn, no services, service users without fsGroup', () => {
    const error = refusal(
      'awsWorkloadIdentity:\n  mechanism: pod-identity\n  initSystem: upstart\n  tokenGroup: tok\n  serviceUsers: [app]\n',
    );
    expect(error.problems).toStrictEqual([
      {
        field: 'awsWorkloadIdentity.roleArn',
        message:
          "is required by retarget dockerfile with initSystem upstart: the image's variables cannot be read from the package's ServiceAccount",
      },
      {
        field: 'awsWorkloadIdentity.services',
        message:
          'is required with initSystem upstart: the Upstart jobs (/etc/init/NAME.conf) that get the variables',
      },
      {
        field: 'fsGroup',
        message:
          'is required with awsWorkloadIdentity.serviceUsers: it is the gid of the tok group the users join',
      },
    ]);
    expect(error.location).toStrictEqual({ path: 'retarget.yaml', line: 3 });
  });

  test('no initSystem: no roleArn needed here (the image gets no variables), an empty user list needs no fsGroup', () => {
    const options = dockerfileOptions(
      config('awsWorkloadIdentity:\n  mechanism: pod-identity\n  serviceUsers: []\n'),
    );
    expect(options.aws.roleArn).toBeUndefined();
    expect('gid' in options).toBe(false);
  });
});
