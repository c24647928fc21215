import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { patchDockerfile } from '../../src/dockerfile/patch';
import {
  applyTmpfiles,
  blockInstructions,
  installShims,
  optionsFromFile,
  optionsFromYaml,
  pamEnvFile,
  readRootFile,
  runBlock,
  shimCalls,
  systemdAvailable,
  systemdManagerEnvironment,
  removeTempRoots,
  tempRoot,
  upstartEnv,
  writeRootFile,
} from './harness';
import type { BlockInstruction } from './harness';

afterAll(removeTempRoots);

/**
 * The block's shell lines run for real: each RUN goes to /bin/sh -c, as the builder
 * runs it, with /etc moved under a temporary root (by the test, not the product) and
 * fake groupadd/usermod on PATH; then each file is read the way its consumer reads it.
 */
const CASES = resolve(__dirname, '../../testdata/dockerfile');
const LEGACY_TOKEN = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token';
const TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
const haveSystemd = systemdAvailable();
const withSystemd = haveSystemd ? test : test.skip;

function caseBlock(name: string): { instructions: BlockInstruction[]; patched: string } {
  const input = readFileSync(join(CASES, name, 'Dockerfile'), 'utf8');
  const patched = patchDockerfile(input, optionsFromFile(join(CASES, name, 'retarget.yaml')));
  const escape = /^# escape=(.)/m.exec(input)?.[1] ?? '\\';
  return { instructions: blockInstructions(patched, escape), patched };
}

function configBlock(
  yaml: string,
  dockerfile = 'FROM example.org/vm:1\nENTRYPOINT ["/sbin/init"]\n',
) {
  return blockInstructions(patchDockerfile(dockerfile, optionsFromYaml(yaml)));
}

function runTwice(instructions: BlockInstruction[], root: string): string[][][] {
  const { bin, log } = installShims(root);
  const calls: string[][][] = [];
  for (let i = 0; i < 2; i++) {
    const before = shimCalls(log).length;
    const outcome = runBlock(instructions, root, bin);
    expect(outcome).toEqual({ status: 0, stderr: '' });
    calls.push(shimCalls(log).slice(before));
  }
  return calls;
}

describe('systemd', () => {
  withSystemd(
    'legacy runtime: systemd reads both variables from the drop-in; tmpfiles makes the link',
    () => {
      const { instructions } = caseBlock('systemd-legacy-multistage');
      const root = tempRoot('systemd');
      runTwice(instructions, root);
      const dropIn = readRootFile(root, 'etc/systemd/system.conf.d/10-default-env.conf');
      expect(dropIn).toMatch(/^\[Manager\]$/m);
      expect(dropIn).toMatch(
        /^DefaultEnvironment="AWS_ROLE_ARN=[^"]+" "AWS_WEB_IDENTITY_TOKEN_FILE=[^"]+"$/m,
      );
      const env = systemdManagerEnvironment(dropIn);
      expect(env.get('AWS_ROLE_ARN')).toBe('arn:aws:iam::123456789012:role/app-reader');
      expect(env.get('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(LEGACY_TOKEN);

      const tmpfiles = applyTmpfiles(root);
      expect(tmpfiles.status).toBe(0);
      expect(lstatSync(join(root, 'run/secrets')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(root, 'run/secrets'))).toBe('/kubernetes-info/secrets');
    },
  );

  withSystemd('region and STS variables reach services too; plain-container token path', () => {
    const instructions = configBlock(
      `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
runtime: plain
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h
  initSystem: systemd
  region: ap-southeast-2
  stsRegionalEndpoints: regional
`,
    );
    const root = tempRoot('systemd-region');
    runTwice(instructions, root);
    expect(existsSync(join(root, 'etc/tmpfiles.d'))).toBe(false);
    const env = systemdManagerEnvironment(
      readRootFile(root, 'etc/systemd/system.conf.d/10-default-env.conf'),
    );
    expect(env.get('AWS_ROLE_ARN')).toBe('arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h');
    expect(env.get('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(TOKEN);
    expect(env.get('AWS_REGION')).toBe('ap-southeast-2');
    expect(env.get('AWS_DEFAULT_REGION')).toBe('ap-southeast-2');
    expect(env.get('AWS_STS_REGIONAL_ENDPOINTS')).toBe('regional');
  });

  withSystemd(
    'control: the seed example without the space gives systemd one wrong variable',
    () => {
      const env = systemdManagerEnvironment(
        `[Manager]\nDefaultEnvironment="AWS_ROLE_ARN=arn:aws:iam::123456789012:role/x""AWS_WEB_IDENTITY_TOKEN_FILE=${LEGACY_TOKEN}"\n`,
      );
      expect(env.has('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(false);
      expect(env.get('AWS_ROLE_ARN')).toBe(
        `arn:aws:iam::123456789012:role/xAWS_WEB_IDENTITY_TOKEN_FILE=${LEGACY_TOKEN}`,
      );
    },
  );
});

describe('sysv-pam with service users (escape=` Dockerfile)', () => {
  const SU = '#%PAM-1.0\nauth       sufficient pam_rootok.so\n@include common-session';
  test('pam_env in su once, /etc/environment as pam_env reads it, group and users (v1.9 without services-config.yaml: legacy)', () => {
    const { instructions } = caseBlock('sysv-pam-escape-backtick');
    const root = tempRoot('pam');
    writeRootFile(root, 'etc/pam.d/su', SU);
    writeRootFile(
      root,
      'etc/environment',
      'PATH="/usr/local/sbin:/usr/local/bin:/usr/bin"\nexport AWS_ROLE_ARN=arn:aws:iam::000000000000:role/stale\nLANG=C.UTF-8\n',
    );
    writeRootFile(root, 'etc/group', 'root:x:0:\napache:x:48:\n');
    const [first, second] = runTwice(instructions, root);

    const su = readRootFile(root, 'etc/pam.d/su').split('\n');
    expect(su.filter((l) => /^\s*session\s+required\s+pam_env\.so\s*$/.test(l))).toHaveLength(1);
    expect(su.slice(0, 3)).toEqual(SU.split('\n'));

    const environment = readRootFile(root, 'etc/environment');
    const env = pamEnvFile(environment);
    expect(env.get('AWS_ROLE_ARN')).toBe('arn:aws:iam::123456789012:role/path/to/web');
    expect(env.get('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(LEGACY_TOKEN);
    expect(env.get('PATH')).toBe('/usr/local/sbin:/usr/local/bin:/usr/bin');
    expect(env.get('LANG')).toBe('C.UTF-8');
    expect(environment.match(/AWS_ROLE_ARN=/g)).toHaveLength(1);
    expect(environment.match(/AWS_WEB_IDENTITY_TOKEN_FILE=/g)).toHaveLength(1);

    expect(first).toEqual([
      ['groupadd', '--gid', '4321', 'aws-token'],
      ['usermod', '-a', '-G', 'aws-token', 'apache'],
      ['usermod', '-a', '-G', 'aws-token', 'svc_batch'],
    ]);
    // The group exists now (with the right gid): only the (idempotent) usermods run again.
    expect(second).toEqual(first.slice(1));
  });

  test('an existing token group with another gid fails the build, saying why', () => {
    const instructions = caseBlock('sysv-pam-escape-backtick').instructions;
    const root = tempRoot('gid');
    writeRootFile(root, 'etc/group', 'aws-token:x:999:\n');
    writeRootFile(root, 'etc/pam.d/su', SU);
    const { bin, log } = installShims(root);
    const outcome = runBlock(instructions, root, bin);
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain('group aws-token has gid 999, not 4321 (fsGroup)');
    expect(shimCalls(log)).toEqual([]);
  });
});

test('sysv-pam on an image without PAM fails the build, saying why', () => {
  const root = tempRoot('no-pam');
  const { bin } = installShims(root);
  const outcome = runBlock(caseBlock('sysv-pam-escape-backtick').instructions, root, bin);
  expect(outcome.status).toBe(1);
  expect(outcome.stderr).toContain(
    `${root}/etc/pam.d is missing: initSystem sysv-pam needs PAM's su`,
  );
});

describe('sysv', () => {
  const SCRIPT =
    '#!/bin/sh\n# chkconfig: 345 90 10\necho "$AWS_ROLE_ARN|$AWS_WEB_IDENTITY_TOKEN_FILE" > "$OUT"\n';
  test('the init script exports both variables once, after its #! line', () => {
    const { instructions } = caseBlock('sysv-append-no-newline');
    const root = tempRoot('sysv');
    writeRootFile(root, 'etc/init.d/myapp', SCRIPT, 0o755);
    mkdirSync(join(root, 'etc/rc3.d'));
    runTwice(instructions, root);
    const script = readRootFile(root, 'etc/init.d/myapp');
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines.filter((l) => l.startsWith('export AWS_ROLE_ARN='))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('export AWS_WEB_IDENTITY_TOKEN_FILE='))).toHaveLength(
      1,
    );
    expect(lines.slice(-3)).toEqual([...SCRIPT.split('\n').slice(1)]);
    // What init would see: run the script with an empty environment.
    const out = join(root, 'seen');
    const r = spawnSync('/usr/bin/env', [
      '-i',
      `OUT=${out}`,
      '/bin/sh',
      join(root, 'etc/init.d/myapp'),
    ]);
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      `arn:aws:iam::123456789012:role/myapp|${LEGACY_TOKEN}\n`,
    );
  });

  test('a named init script that is missing fails the build', () => {
    const root = tempRoot('sysv-missing');
    mkdirSync(join(root, 'etc/rc3.d'));
    const { bin } = installShims(root);
    const outcome = runBlock(caseBlock('sysv-append-no-newline').instructions, root, bin);
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain(`retarget: no init script ${root}/etc/init.d/myapp`);
  });
});

describe('upstart', () => {
  const WORKER =
    'description "worker"\nstart on runlevel [2345]\nscript\n  env FOO=in-script\n  exec /usr/bin/worker\nend script';
  test('each job gets one env stanza per variable, valid Upstart syntax, job kept', () => {
    const { instructions } = caseBlock('upstart-no-entrypoint');
    const root = tempRoot('upstart');
    writeRootFile(root, 'etc/init/worker.conf', WORKER);
    writeRootFile(root, 'etc/init/web-api.conf', 'exec /usr/bin/api\n');
    runTwice(instructions, root);
    for (const job of ['worker', 'web-api']) {
      const text = readRootFile(root, `etc/init/${job}.conf`);
      const env = upstartEnv(text);
      expect(Object.fromEntries(env)).toEqual({
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/worker',
        AWS_WEB_IDENTITY_TOKEN_FILE: TOKEN,
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      });
      expect(text.split('\n').filter((l) => l.startsWith('env '))).toHaveLength(4);
    }
    expect(readRootFile(root, 'etc/init/worker.conf').startsWith(`${WORKER}\n`)).toBe(true);
  });
});

describe('USER', () => {
  test('a non-root USER is switched to root around the block and back', () => {
    const { instructions } = caseBlock('user-crlf-region');
    expect(instructions[0]).toEqual({ keyword: 'USER', command: 'root' });
    expect(instructions[instructions.length - 1]).toEqual({
      keyword: 'USER',
      command: 'tomcat:tomcat',
    });
    const root = tempRoot('user');
    writeRootFile(root, 'etc/group', 'tomcat:x:91:\n');
    writeRootFile(root, 'etc/pam.d/su', '#%PAM-1.0\n');
    const [first] = runTwice(instructions, root);
    expect(first).toEqual([
      ['groupadd', '--gid', '3000', 'eks-token'],
      ['usermod', '-a', '-G', 'eks-token', 'tomcat'],
    ]);
    const env = pamEnvFile(readRootFile(root, 'etc/environment'));
    expect(env.get('AWS_STS_REGIONAL_ENDPOINTS')).toBe('regional');
    expect(env.get('AWS_REGION')).toBe('us-east-2');
  });
});
