import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDockerfile } from '../../src/dockerfile/parse';
import { patchDockerfile } from '../../src/dockerfile/patch';
import { detectRuntime } from '../../src/dockerfile/runtime';
import { missingRealFixtures, specCases } from '../support/run';
import { expectPlacedInFinalStage, isSubsequence, physicalLines } from './checks';
import {
  blockInstructions,
  installShims,
  optionsFromYaml,
  pamEnvFile,
  readRootFile,
  runBlock,
  shimCalls,
  systemdAvailable,
  systemdManagerEnvironment,
  removeTempRoots,
  tempRoot,
  writeRootFile,
} from './harness';

afterAll(removeTempRoots);

/**
 * Generated Dockerfiles: the project's own in the shape of each generator version, and
 * the real ones in ../shared when present (read by path, never copied here).
 */
const ROLE = 'arn:aws:iam::123456789012:role/migrated';

const SYSTEMD = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
fsGroup: 1234
awsWorkloadIdentity:
  roleArn: ${ROLE}
  initSystem: systemd
`;
const SYSV_PAM = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
fsGroup: {fsGroup: 1234}
awsWorkloadIdentity:
  roleArn: ${ROLE}
  initSystem: sysv-pam
  serviceUsers: [appuser, www-data]
`;

/** What `runtime: auto` must read from each Dockerfile. */
const KINDS: Record<string, string> = {
  'generator-shapes/m4a-v1-legacy': 'legacy',
  'generator-shapes/m4a-v1.9-service-manager': 'service-manager',
  'generator-shapes/m2c-cli': 'service-manager',
  'm4a-real/mfa': 'legacy',
  'm4a-real/dockertest': 'service-manager',
};

const withSystemd = systemdAvailable() ? test : test.skip;

const fixtures = specCases().map((c) => ({
  name: c.name,
  path: c.dockerfile,
  kind: KINDS[c.name],
  token: c.legacy ? '/kubernetes-info/secrets' : '/var/run/secrets',
}));

describe('generated Dockerfiles', () => {
  if (fixtures.every((f) => !f.name.startsWith('m4a-real/'))) {
    missingRealFixtures('the real generated Dockerfiles');
  }

  describe.each(fixtures)('$name', ({ path, kind, token }) => {
    const file = basename(path);
    const input = readFileSync(path, 'utf8');

    test(`runtime: auto reads it as ${kind}`, () => {
      expect(detectRuntime(parseDockerfile(input)).kind).toBe(kind);
    });

    test.each([
      ['systemd', SYSTEMD],
      ['sysv-pam + service users', SYSV_PAM],
    ])(
      '%s: lines kept in order, block before ENTRYPOINT in the final stage, twice == once',
      (n, yaml) => {
        const options = optionsFromYaml(yaml);
        const out = patchDockerfile(input, options, file);
        if (kind === 'service-manager' && n === 'systemd') {
          // Nothing for a service-manager image to do with systemd alone: no block.
          expect(out).toBe(input);
          return;
        }
        expect(isSubsequence(physicalLines(input), physicalLines(out))).toBe(true);
        expect(physicalLines(out).length).toBeGreaterThan(physicalLines(input).length);
        expectPlacedInFinalStage(out);
        expect(patchDockerfile(out, options, file)).toBe(out);
        expect(out.endsWith('\n')).toBe(input.endsWith('\n'));
        // Outside the block, the bytes are the input's.
        const [before, rest] = out.split(/^# >>> retarget.*\n/m);
        const after = rest.split(/^# <<< retarget.*\n/m)[1];
        expect(before + after).toBe(input);
      },
    );

    test('systemd: the drop-in systemd reads has the token path of its runtime (none for the service manager)', () => {
      const infos: string[] = [];
      const out = patchDockerfile(input, optionsFromYaml(SYSTEMD), file, (r) =>
        infos.push(r.message),
      );
      expect(infos[0]).toMatch(
        new RegExp(`^runtime: ${kind} runtime, decided by dockerfile ${file}:`),
      );
      if (kind === 'service-manager') {
        expect(out).toBe(input);
        expect(infos[1]).toContain(
          'no systemd edits: the service-manager runtime starts every service itself',
        );
        return;
      }
      expect(out).toContain(
        `DefaultEnvironment="AWS_ROLE_ARN=${ROLE}" "AWS_WEB_IDENTITY_TOKEN_FILE=${token}/eks.amazonaws.com/serviceaccount/token"`,
      );
      // The tmpfiles.d link only for the legacy runtime.
      expect(out.includes('/etc/tmpfiles.d/')).toBe(kind === 'legacy');
    });

    // The service-manager image gets no systemd block (checked above): nothing to run.
    if (kind !== 'service-manager')
      withSystemd(
        'systemd: the block run for real writes the drop-in with the token path of its runtime',
        () => {
          const out = patchDockerfile(input, optionsFromYaml(SYSTEMD), file);
          const root = tempRoot('fixture-systemd');
          const { bin } = installShims(root);
          expect(runBlock(blockInstructions(out), root, bin)).toEqual({ status: 0, stderr: '' });
          const env = systemdManagerEnvironment(
            readRootFile(root, 'etc/systemd/system.conf.d/10-default-env.conf'),
          );
          expect(env.get('AWS_ROLE_ARN')).toBe(ROLE);
          expect(env.get('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(
            `${token}/eks.amazonaws.com/serviceaccount/token`,
          );
        },
      );

    test('sysv-pam: su, /etc/environment (legacy only), group and usermod, run for real', () => {
      const out = patchDockerfile(input, optionsFromYaml(SYSV_PAM), file);
      const root = tempRoot('fixture-pam');
      writeRootFile(root, 'etc/pam.d/su', '#%PAM-1.0\nauth sufficient pam_rootok.so\n');
      writeRootFile(root, 'etc/group', 'root:x:0:\n');
      const { bin, log } = installShims(root);
      expect(runBlock(blockInstructions(out), root, bin)).toEqual({ status: 0, stderr: '' });
      const groups = [
        ['groupadd', '--gid', '1234', 'aws-token'],
        ['usermod', '-a', '-G', 'aws-token', 'appuser'],
        ['usermod', '-a', '-G', 'aws-token', 'www-data'],
      ];
      if (kind === 'service-manager') {
        // The service manager hands services the container env: no PAM, no /etc/environment.
        expect(readRootFile(root, 'etc/pam.d/su')).toBe(
          '#%PAM-1.0\nauth sufficient pam_rootok.so\n',
        );
        expect(existsSync(join(root, 'etc/environment'))).toBe(false);
        expect(shimCalls(log)).toEqual(groups);
        return;
      }
      expect(readRootFile(root, 'etc/pam.d/su')).toBe(
        '#%PAM-1.0\nauth sufficient pam_rootok.so\nsession required pam_env.so\n',
      );
      const env = pamEnvFile(readRootFile(root, 'etc/environment'));
      expect(env.get('AWS_ROLE_ARN')).toBe(ROLE);
      expect(env.get('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(
        `${token}/eks.amazonaws.com/serviceaccount/token`,
      );
      expect(shimCalls(log)).toEqual(groups);
    });
  });
});
