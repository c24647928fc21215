import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BOOT_LINK_NAME } from '../../src/dockerfile/block';
import { patchDockerfile } from '../../src/dockerfile/patch';
import {
  blockInstructions,
  installShims,
  optionsFromYaml,
  readRootFile,
  runBlock,
  removeTempRoots,
  tempRoot,
  writeRootFile,
} from './harness';

afterAll(removeTempRoots);

/**
 * The link survives boot on SysV and Upstart: the block writes an init script (linked
 * into the runlevel directories) or an Upstart job, and the tests run what init would run
 * at boot, after /var/run was cleaned, twice. The link's paths point into the temporary
 * root (the config's linkKubernetesInfoSecrets.source/target), so nothing outside it is
 * touched.
 */
const LEGACY = `FROM anthos-migrate.gcr.io/v2k-run-embedded:v1.4.0 AS rt
FROM example.org/vm-content:1
COPY --from=rt / /
ENTRYPOINT ["/.v2k.go"]
`;

function block(root: string, initSystem: string, extra = '') {
  const yaml = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
linkKubernetesInfoSecrets:
  source: ${root}/kubernetes-info/secrets
  target: ${root}/var/run/secrets
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/app
  initSystem: ${initSystem}
${extra}`;
  return blockInstructions(patchDockerfile(LEGACY, optionsFromYaml(yaml), 'Dockerfile'));
}

/** What boot looks like for the link: /var/run emptied, kubernetes-info mounted. */
function boot(root: string): void {
  rmSync(join(root, 'var/run'), { recursive: true, force: true });
  mkdirSync(join(root, 'var/run'), { recursive: true });
  mkdirSync(join(root, 'kubernetes-info/secrets/eks.amazonaws.com'), { recursive: true });
}

function expectLinked(root: string): void {
  const link = join(root, 'var/run/secrets');
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(`${root}/kubernetes-info/secrets`);
}

function sh(args: string[], env: Record<string, string> = {}) {
  return spawnSync('/bin/sh', args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...env } });
}

describe('SysV: an init script recreates the link at boot', () => {
  test('written once, linked S01 into each runlevel directory the image has, and run by init it links', () => {
    const root = tempRoot('boot-sysv');
    writeRootFile(root, 'etc/init.d/myapp', '#!/bin/sh\necho app\n', 0o755);
    for (const d of ['rcS.d', 'rc3.d']) mkdirSync(join(root, 'etc', d));
    const { bin } = installShims(root);
    const instructions = block(root, 'sysv', '  services: [myapp]\n');
    for (let i = 0; i < 2; i++) {
      expect(runBlock(instructions, root, bin)).toEqual({ status: 0, stderr: '' });
    }
    const script = join(root, 'etc/init.d', BOOT_LINK_NAME);
    for (const d of ['rcS.d', 'rc3.d']) {
      expect(readlinkSync(join(root, 'etc', d, `S01${BOOT_LINK_NAME}`))).toBe(script);
    }
    expect(existsSync(join(root, 'etc/rc2.d'))).toBe(false);
    const text = readRootFile(root, `etc/init.d/${BOOT_LINK_NAME}`);
    expect(text.startsWith('#!/bin/sh\n### BEGIN INIT INFO\n')).toBe(true);
    expect(text).toMatch(/^# Default-Start: +S 2 3 4 5$/m);
    expect(lstatSync(script).mode & 0o111).toBe(0o111);
    // Boot twice: each time /var/run starts empty and init runs the rc links with `start`.
    for (let i = 0; i < 2; i++) {
      boot(root);
      const r = sh([join(root, 'etc/rcS.d', `S01${BOOT_LINK_NAME}`), 'start']);
      expect(r).toMatchObject({ status: 0, stderr: '' });
      expectLinked(root);
      // rc3.d runs it again: nothing changes.
      expect(sh([join(root, 'etc/rc3.d', `S01${BOOT_LINK_NAME}`), 'start']).status).toBe(0);
      expectLinked(root);
    }
    // `stop` leaves everything as it is.
    rmSync(join(root, 'var/run/secrets'));
    expect(sh([script, 'stop']).status).toBe(0);
    expect(existsSync(join(root, 'var/run/secrets'))).toBe(false);
  });

  test('an image without runlevel directories fails the build, saying why', () => {
    const root = tempRoot('boot-sysv-none');
    writeRootFile(root, 'etc/init.d/myapp', '#!/bin/sh\n', 0o755);
    const { bin } = installShims(root);
    const outcome = runBlock(block(root, 'sysv', '  services: [myapp]\n'), root, bin);
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain('retarget: no SysV runlevel directory');
  });
});

/** The body of an Upstart job's `script` stanza, as Upstart hands it to /bin/sh -e. */
function upstartScript(job: string): string {
  const m = /^script\n([\s\S]*?)^end script$/m.exec(job);
  if (!m) throw new Error('no script stanza');
  return m[1];
}

describe('Upstart: a task recreates the link when init starts', () => {
  test('the job starts on filesystem or a runlevel, is a task, and its script links', () => {
    const root = tempRoot('boot-upstart');
    writeRootFile(root, 'etc/init/worker.conf', 'exec /usr/bin/worker\n');
    const { bin } = installShims(root);
    const instructions = block(root, 'upstart', '  services: [worker]\n');
    for (let i = 0; i < 2; i++) {
      expect(runBlock(instructions, root, bin)).toEqual({ status: 0, stderr: '' });
    }
    const job = readRootFile(root, `etc/init/${BOOT_LINK_NAME}.conf`);
    const stanzas = job.split('\n').filter((l) => /^[a-z]/.test(l));
    expect(stanzas).toEqual([
      expect.stringMatching(/^description "/),
      'start on filesystem or runlevel [2345]',
      'task',
      'script',
      'end script',
    ]);
    for (let i = 0; i < 2; i++) {
      boot(root);
      expect(sh(['-e', '-c', upstartScript(job)])).toMatchObject({ status: 0, stderr: '' });
      expectLinked(root);
    }
  });

  test('sysv-pam: the SysV script where rc directories exist, the Upstart job where /etc/init does', () => {
    const root = tempRoot('boot-pam');
    writeRootFile(root, 'etc/pam.d/su', '#%PAM-1.0\n');
    mkdirSync(join(root, 'etc/init'));
    const { bin } = installShims(root);
    expect(runBlock(block(root, 'sysv-pam'), root, bin)).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(root, `etc/init/${BOOT_LINK_NAME}.conf`))).toBe(true);
    // No rc directory here: the SysV script is written but linked nowhere, and that is no error.
    expect(existsSync(join(root, 'etc/rc2.d'))).toBe(false);
    const bare = tempRoot('boot-pam-bare');
    writeRootFile(bare, 'etc/pam.d/su', '#%PAM-1.0\n');
    const shims = installShims(bare);
    expect(runBlock(block(bare, 'sysv-pam'), bare, shims.bin)).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(bare, 'etc/init'))).toBe(false);
  });

  test('a service-manager or plain image gets no boot link', () => {
    for (const runtime of ['service-manager', 'plain']) {
      const yaml = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
runtime: ${runtime}
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/app
  initSystem: upstart
  services: [worker]
`;
      const out = patchDockerfile(LEGACY, optionsFromYaml(yaml), 'Dockerfile');
      expect(out).not.toContain(BOOT_LINK_NAME);
      expect(out.includes('/etc/init/worker.conf')).toBe(runtime === 'plain');
    }
  });
});
