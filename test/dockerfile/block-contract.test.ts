import { BLOCK_BEGIN, BLOCK_END, renderBlock } from '../../src/dockerfile/block';
import type { BlockInput } from '../../src/dockerfile/block';
import type { DockerfilePatchOptions } from '../../src/dockerfile/options';
import {
  blockInstructions,
  installShims,
  optionsFromYaml,
  pamEnvFile,
  readRootFile,
  runBlock,
  shimCalls,
  removeTempRoots,
  tempRoot,
  writeRootFile,
} from './harness';

afterAll(removeTempRoots);

/**
 * The block renderer's contract, per init system and runtime kind: which RUNs it
 * writes, what they do when /bin/sh runs them against a temporary root, and the
 * guards that hold even when a value gets past the config schema.
 */
const ROLE = 'arn:aws:iam::123456789012:role/app';
const options = (aws: string, top = '') =>
  optionsFromYaml(
    `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\n${top}awsWorkloadIdentity:\n  roleArn: ${ROLE}\n${aws}`,
  );
const render = (
  o: DockerfilePatchOptions,
  kind: BlockInput['kind'],
  extra: Partial<BlockInput> = {},
) => renderBlock({ options: o, kind, escape: '\\', ...extra });
const runs = (lines: string[] | undefined) =>
  blockInstructions((lines ?? []).join('\n')).map((i) => i.keyword);

describe('what each runtime gets', () => {
  test('no init system and no service users: no block', () => {
    expect(render(options(''), 'legacy')).toBeUndefined();
  });

  test('service manager: no init-system edits, no boot link; the token group only', () => {
    const o = options('  initSystem: systemd\n  serviceUsers: [app]\n', 'fsGroup: 2000\n');
    const lines = render(o, 'service-manager');
    expect(runs(lines)).toEqual(['RUN']);
    expect(lines?.[1]).toBe("RUN set -e; g=$(grep '^aws-token:' /etc/group | cut -d: -f3); \\");
    expect(render(options('  initSystem: systemd\n'), 'service-manager')).toBeUndefined();
  });

  test('the boot link only for the legacy runtime, and only with the link step on', () => {
    const withLink = options('  initSystem: systemd\n');
    expect(runs(render(withLink, 'legacy'))).toEqual(['RUN', 'RUN']);
    expect(runs(render(withLink, 'plain'))).toEqual(['RUN']);
    const noLink = options('  initSystem: systemd\n', 'linkKubernetesInfoSecrets: false\n');
    expect(runs(render(noLink, 'legacy'))).toEqual(['RUN']);
  });

  test('systemd, legacy: the link comes back at boot from tmpfiles.d', () => {
    const lines = render(options('  initSystem: systemd\n'), 'legacy') ?? [];
    expect(lines.slice(-3)).toEqual([
      'RUN set -e; mkdir -p /etc/tmpfiles.d; \\',
      "    echo 'L /run/secrets - - - - /kubernetes-info/secrets' > /etc/tmpfiles.d/retarget-kubernetes-info-secrets.conf",
      BLOCK_END,
    ]);
    expect(lines[0]).toBe(BLOCK_BEGIN);
    expect(lines[1]).toBe('RUN set -e; mkdir -p /etc/systemd/system.conf.d; \\');
  });

  test.each([
    ['sysv', '  initSystem: sysv\n  services: [web]\n', ['RUN', 'RUN'], ['RUN']],
    ['upstart', '  initSystem: upstart\n  services: [web]\n', ['RUN', 'RUN'], ['RUN']],
    ['sysv-pam', '  initSystem: sysv-pam\n', ['RUN', 'RUN', 'RUN', 'RUN'], ['RUN', 'RUN']],
  ])('%s: legacy gets the boot link, plain does not', (_n, aws, legacy, plain) => {
    expect(runs(render(options(aws), 'legacy'))).toEqual(legacy);
    expect(runs(render(options(aws), 'plain'))).toEqual(plain);
  });

  test('a USER in effect: root for the block, then back', () => {
    const lines =
      render(options('  initSystem: systemd\n'), 'plain', { restoreUser: 'app:app' }) ?? [];
    expect(lines[1]).toBe('USER root');
    expect(lines[lines.length - 2]).toBe('USER app:app');
    expect(lines.filter((l) => l.startsWith('USER '))).toHaveLength(2);
    expect(
      render(options('  initSystem: systemd\n'), 'plain')?.some((l) => l.startsWith('USER')),
    ).toBe(false);
  });

  test("each RUN continues with the file's escape character, its last line without one", () => {
    const lines = render(options('  initSystem: systemd\n'), 'legacy', { escape: '`' }) ?? [];
    const body = lines.slice(1, -1);
    expect(body.filter((l) => l.startsWith('RUN '))).toHaveLength(2);
    body.forEach((line, i) => {
      const last = i === body.length - 1 || body[i + 1].startsWith('RUN ');
      expect(line.endsWith(' `')).toBe(!last);
      expect(line.endsWith(';')).toBe(false);
    });
  });
});

describe('/etc/environment under sysv-pam, run by /bin/sh', () => {
  function environmentAfter(o: DockerfilePatchOptions, before: string): string {
    const root = tempRoot('env');
    writeRootFile(root, 'etc/pam.d/su', 'auth sufficient pam_rootok.so\n');
    writeRootFile(root, 'etc/environment', before);
    const { bin } = installShims(root);
    const instructions = blockInstructions((render(o, 'plain') ?? []).join('\n'));
    expect(runBlock(instructions, root, bin)).toEqual({ status: 0, stderr: '' });
    return readRootFile(root, 'etc/environment');
  }

  test('Pod Identity: IRSA leftovers are taken out (the SDKs would try them first)', () => {
    const text = environmentAfter(
      options('  initSystem: sysv-pam\n  mechanism: pod-identity\n  region: eu-west-1\n'),
      'LANG=C\nexport AWS_ROLE_ARN=arn:aws:iam::000000000000:role/old\nAWS_WEB_IDENTITY_TOKEN_FILE=/old\nAWS_REGION=us-east-1\n',
    );
    const env = pamEnvFile(text);
    expect(env.has('AWS_ROLE_ARN')).toBe(false);
    expect(env.has('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(false);
    expect(env.get('AWS_REGION')).toBe('eu-west-1');
    expect(env.get('AWS_DEFAULT_REGION')).toBe('eu-west-1');
    expect(env.get('LANG')).toBe('C');
    expect(env.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBeDefined();
    expect(text.match(/AWS_REGION=/g)).toHaveLength(1);
  });

  test('IRSA: the other variables are replaced, unrelated ones kept in order', () => {
    const text = environmentAfter(
      options('  initSystem: sysv-pam\n'),
      'A=1\nAWS_ROLE_ARN=old\nAWS_ROLE_ARNX=keep\nB=2\n',
    );
    expect(text).toBe(
      `A=1\nAWS_ROLE_ARNX=keep\nB=2\nAWS_ROLE_ARN=${ROLE}\nAWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token\n`,
    );
  });
});

describe('service users, run by /bin/sh', () => {
  test('each user joins the group; a name the shell would read is quoted', () => {
    const o = options('  initSystem: systemd\n  serviceUsers: [app]\n', 'fsGroup: 2000\n');
    o.aws.serviceUsers = ['app', 'svc one'];
    const root = tempRoot('users');
    writeRootFile(root, 'etc/group', 'root:x:0:\n');
    const { bin, log } = installShims(root);
    const lines = render(o, 'service-manager') ?? [];
    expect(lines).toContain("    usermod -a -G aws-token 'svc one'");
    expect(runBlock(blockInstructions(lines.join('\n')), root, bin)).toEqual({
      status: 0,
      stderr: '',
    });
    expect(shimCalls(log)).toEqual([
      ['groupadd', '--gid', '2000', 'aws-token'],
      ['usermod', '-a', '-G', 'aws-token', 'app'],
      ['usermod', '-a', '-G', 'aws-token', 'svc one'],
    ]);
  });
});

describe('guards behind the schema', () => {
  test('a value with shell syntax cannot be written bare into a data file', () => {
    const o = options('  initSystem: upstart\n  services: [web]\n');
    o.aws.region = 'eu-west-1 x';
    expect(() => render(o, 'plain')).toThrow('internal: "eu-west-1 x" is not a plain value');
  });

  test('nothing with a backslash goes into the block (it would continue a line)', () => {
    const o = options('  initSystem: sysv\n  services: [web]\n');
    o.aws.services = ["it's"];
    expect(() => render(o, 'plain')).toThrow(
      "internal: a backslash in the block: RUN set -e; for f in '/etc/init.d/it'\\''s'; do",
    );
  });

  test('a plain value of one character, and plain words, pass', () => {
    const o = options('  initSystem: sysv\n  services: [w]\n');
    expect(render(o, 'plain')?.[1]).toBe('RUN set -e; for f in /etc/init.d/w; do \\');
  });
});
