import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load';
import type { RetargetConfig } from '../../src/config/types';
import { patchDockerfile } from '../../src/dockerfile/patch';
import { dockerfileOptions } from '../../src/dockerfile/options';
import { ConfigError } from '../../src/errors';
import { runBin } from '../support/run-bin';

/** `retarget dockerfile` through the bundled CLI: streams, exit codes, --in-place, refusals. */
const CASE = resolve(__dirname, '../../testdata/dockerfile/systemd-legacy-multistage');
const EXPECTED = readFileSync(join(CASE, 'expected.Dockerfile'), 'utf8');

const workdirs: string[] = [];
afterAll(() => {
  for (const dir of workdirs) rmSync(dir, { recursive: true, force: true });
});

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-dockerfile-cli-'));
  workdirs.push(dir);
  return dir;
}

function config(dir: string, body: string): string {
  const path = join(dir, 'retarget.yaml');
  writeFileSync(path, `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\n${body}`);
  return path;
}

const GOOD = `fsGroup: 2000
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/app
  initSystem: sysv-pam
  serviceUsers: [app]
`;

describe('retarget dockerfile', () => {
  test('prints the patched Dockerfile (path, -, or stdin by default)', () => {
    const cfg = join(CASE, 'retarget.yaml');
    const input = readFileSync(join(CASE, 'Dockerfile'), 'utf8');
    for (const args of [[join(CASE, 'Dockerfile')], ['-'], []]) {
      const r = runBin('retarget', ['dockerfile', '-c', cfg, ...args], input);
      const at = args[0] === undefined || args[0] === '-' ? '<stdin>' : args[0];
      expect(r).toEqual({
        status: 0,
        stdout: EXPECTED,
        stderr: `info: runtime: legacy runtime, decided by dockerfile ${at}:4: anthos-migrate.gcr.io/v2k-run-embedded:v1.8.1 without services-config.yaml (written only with v2kServiceManager: true) (legacy runtime)\n`,
      });
    }
  });

  test('--in-place rewrites the file, and again leaves it as it is', () => {
    const dir = workdir();
    const file = join(dir, 'Dockerfile');
    copyFileSync(join(CASE, 'Dockerfile'), file);
    const cfg = join(CASE, 'retarget.yaml');
    const first = runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', file]);
    expect(first).toMatchObject({ status: 0, stdout: '' });
    expect(first.stderr).toMatch(/^info: runtime: legacy runtime, decided by dockerfile /);
    expect(readFileSync(file, 'utf8')).toBe(EXPECTED);
    const mtime = statSync(file).mtimeMs;
    const second = runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', file]);
    expect(second.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(EXPECTED);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  test('a Dockerfile the block cannot go in: located error, no stdout, file untouched', () => {
    const dir = workdir();
    const file = join(dir, 'Dockerfile');
    const text = 'ARG ONLY=1\n';
    writeFileSync(file, text);
    const cfg = config(dir, GOOD);
    for (const extra of [[], ['--in-place']]) {
      const r = runBin('retarget', ['dockerfile', '-c', cfg, ...extra, file]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `error: ${file}:1: no FROM instruction: the retarget block goes in the final build stage\n`,
      );
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  test('a user name carrying shell syntax is refused, naming the field', () => {
    const dir = workdir();
    const cfg = config(dir, GOOD.replace('[app]', '["app;touch /tmp/pwned"]'));
    const r = runBin('retarget', ['dockerfile', '-c', cfg, join(CASE, 'Dockerfile')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${cfg} awsWorkloadIdentity.serviceUsers[0]`);
    expect(r.stderr).toContain('is not a Linux user or group name');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('usage mistakes exit 2', () => {
    expect(runBin('retarget', ['dockerfile', join(CASE, 'Dockerfile')]).status).toBe(2);
    const cfg = join(CASE, 'retarget.yaml');
    const stdin = runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', '-'], 'FROM a\n');
    expect(stdin.status).toBe(2);
    expect(stdin.stderr).toContain('--in-place needs a Dockerfile path');
    expect(runBin('retarget', ['dockerfile', '-c', cfg, 'a', 'b']).status).toBe(2);
  });

  test('--help and the main usage name the command', () => {
    expect(runBin('retarget', ['dockerfile', '--help']).stdout).toContain(
      'Usage: retarget dockerfile -c CONFIG',
    );
    expect(runBin('retarget', ['--help']).stdout).toMatch(/^ {2}dockerfile +add the build-time/m);
  });
});

describe('config refusals name the field', () => {
  function refusal(body: string): string[] {
    try {
      dockerfileOptions(
        loadConfig<RetargetConfig>(
          'Retarget',
          parse(`apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\n${body}`),
        ),
      );
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => p.field);
      throw error;
    }
    return [];
  }
  const aws = (extra: string) =>
    `fsGroup: 2000\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n  initSystem: sysv\n  services: [web]\n${extra}`;

  test.each([
    ['a user with $()', aws('  serviceUsers: ["$(id)"]\n'), 'awsWorkloadIdentity.serviceUsers[0]'],
    [
      'a user with a backtick',
      aws('  serviceUsers: ["a`id`"]\n'),
      'awsWorkloadIdentity.serviceUsers[0]',
    ],
    [
      'a user starting with -',
      aws('  serviceUsers: ["-oops"]\n'),
      'awsWorkloadIdentity.serviceUsers[0]',
    ],
    [
      'a user with a space',
      aws('  serviceUsers: ["a b"]\n'),
      'awsWorkloadIdentity.serviceUsers[0]',
    ],
    ['a group with a quote', aws(`  tokenGroup: "x'y"\n`), 'awsWorkloadIdentity.tokenGroup'],
    [
      'a service with a slash',
      aws('  services: ["../../bin/sh"]\n').replace('  services: [web]\n', ''),
      'awsWorkloadIdentity.services[0]',
    ],
    ['a service with ;', aws('').replace('[web]', '["web;id"]'), 'awsWorkloadIdentity.services[0]'],
    [
      'an ARN with a newline',
      aws('').replace('role/app', 'role/app\\nRUN id'),
      'awsWorkloadIdentity.roleArn',
    ],
    [
      'an ARN with a quote',
      aws('').replace('role/app', 'role/a\\"b'),
      'awsWorkloadIdentity.roleArn',
    ],
    [
      'a link target with a space',
      `${aws('')}linkKubernetesInfoSecrets: {target: "/run/a b"}\n`,
      'linkKubernetesInfoSecrets.target',
    ],
  ])('%s', (_name, body, field) => {
    expect(refusal(body)).toContain(field);
  });

  test.each([
    ['no awsWorkloadIdentity', 'fsGroup: 2000\n', 'awsWorkloadIdentity'],
    [
      'an init system and no roleArn (the image cannot read the package)',
      'awsWorkloadIdentity:\n  initSystem: systemd\n',
      'awsWorkloadIdentity.roleArn',
    ],
    [
      'sysv without services',
      'awsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n  initSystem: sysv\n',
      'awsWorkloadIdentity.services',
    ],
    [
      'service users without fsGroup',
      'awsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n  initSystem: systemd\n  serviceUsers: [app]\n',
      'fsGroup',
    ],
  ])('%s', (_name, body, field) => {
    expect(refusal(body)).toEqual([field]);
  });

  test('no initSystem and no users: refused once the image turns out legacy or plain, not for the service manager', () => {
    const options = dockerfileOptions(
      loadConfig<RetargetConfig>(
        'Retarget',
        parse(
          'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n',
        ),
      ),
      { path: 'retarget.yaml' },
    );
    const legacy =
      'FROM anthos-migrate.gcr.io/v2k-run-embedded:v1.3.0 AS rt\nFROM c\nCOPY --from=rt / /\n';
    let fields: string[] = [];
    try {
      patchDockerfile(legacy, options, 'Dockerfile');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      fields = error.problems.map((p) => p.field);
      expect(error.location.path).toBe('retarget.yaml');
    }
    expect(fields).toEqual(['awsWorkloadIdentity.initSystem']);
    const sm = `${legacy.replace('v1.3.0', 'v1.15.0')}ADD services-config.yaml /.m4a/\n`;
    // Nothing for a service-manager image to do: no block at all.
    expect(patchDockerfile(sm, options, 'Dockerfile')).toBe(sm);
  });

  test('a valid config is accepted', () => {
    expect(refusal(aws('  serviceUsers: [app, _svc-1]\n'))).toEqual([]);
  });
});
