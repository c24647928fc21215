import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBin } from '../support/run-bin';

/**
 * What `retarget dockerfile` promises on the command line, stated exactly: its help, its
 * usage and config mistakes (message, exit code, nothing on stdout), which artifacts it
 * reads beside the Dockerfile (and that stdin has no "beside"), and --in-place as a safe
 * write (the directory lock, a dead run's leftovers, a symlinked Dockerfile). Every case
 * works on a copy: the testdata is never a target.
 */
const CASE = resolve(__dirname, '../../testdata/dockerfile/systemd-legacy-multistage');
const DOCKERFILE = readFileSync(join(CASE, 'Dockerfile'), 'utf8');
const EXPECTED = readFileSync(join(CASE, 'expected.Dockerfile'), 'utf8');
const CONFIG = readFileSync(join(CASE, 'retarget.yaml'), 'utf8');
const LOCK = '.retarget.lock';

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding the case's Dockerfile and config (real path: locks name it). */
function copy(): { dir: string; file: string; cfg: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-dockerfile-contract-')));
  copies.push(dir);
  const file = join(dir, 'Dockerfile');
  const cfg = join(dir, 'retarget.yaml');
  copyFileSync(join(CASE, 'Dockerfile'), file);
  writeFileSync(cfg, CONFIG);
  return { dir, file, cfg };
}

/** The info line the case's runtime decision gives, for the Dockerfile named `at`. */
const decided = (at: string) =>
  `info: runtime: legacy runtime, decided by dockerfile ${at}:4: anthos-migrate.gcr.io/v2k-run-embedded:v1.8.1 without services-config.yaml (written only with v2kServiceManager: true) (legacy runtime)\n`;

/** A lock record as commit-lock.ts writes it, by this process (alive unless `start` differs). */
function lockRecord(extra: Record<string, unknown>): string {
  return JSON.stringify({
    retarget: 'commit-lock/v1',
    pid: process.pid,
    host: hostname(),
    nonce: 'a1b2c3d4e5f6a1b2c3d4e5f6',
    ...extra,
  });
}

describe('retarget dockerfile --help', () => {
  test('prints the whole help: synopsis, what it does, every option with its value name, the example', () => {
    const r = runBin('retarget', ['dockerfile', '--help']);
    expect(r).toEqual({
      status: 0,
      stderr: '',
      stdout: `retarget dockerfile: add the build-time steps (init env, token group) to a Dockerfile

Usage: retarget dockerfile -c CONFIG [--spec FILE] [--plan FILE] [DOCKERFILE | -] [--in-place]

Puts one marked block (# >>> retarget ... # <<< retarget) into the final build stage,
before its ENTRYPOINT or CMD, with what awsWorkloadIdentity.initSystem needs at build
time, and the token group (gid = fsGroup) for awsWorkloadIdentity.serviceUsers.
CONFIG is the Retarget config (or a ConfigMap of it). Running it again replaces the block.
The patched Dockerfile goes to stdout; --in-place rewrites DOCKERFILE. - or none reads stdin.

The runtime (legacy, service-manager or plain) decides the token path and what the block
holds. It comes from the config's runtime when set, else from the deployment spec, the
migration plan (v2kServiceManager) and the Dockerfile itself, strongest first; an info says
which decided, and artifacts that contradict each other are an error (exit 1).
A service-manager image gets no init-system edits (that runtime passes the container env to
its services); legacy SysV/Upstart images get an init script or job that recreates the
/var/run/secrets link at boot.

Options:
  -c, --config CONFIG  the Retarget config
      --spec FILE      the deployment spec (default: deployment_spec.yaml beside DOCKERFILE; none: read none)
      --plan FILE      the migration plan (default: migration.yaml beside DOCKERFILE; none: read none)
      --in-place       rewrite DOCKERFILE (atomically) instead of printing
  -h, --help           show this help
      --debug          show the stack trace of an internal error

Example:
  retarget dockerfile -c retarget.yaml Dockerfile > Dockerfile.patched
`,
    });
  });

  test('retarget --help lists it with its summary', () => {
    expect(runBin('retarget', ['--help']).stdout).toMatch(
      /^ {2}dockerfile +add the build-time steps \(init env, token group\) to a Dockerfile$/m,
    );
  });
});

describe('retarget dockerfile: the options parse as the help says', () => {
  test('-c and --config, --spec FILE and --plan FILE take a value; --in-place takes none', () => {
    const { dir, file, cfg } = copy();
    for (const flag of ['-c', '--config']) {
      expect(runBin('retarget', ['dockerfile', flag, cfg, '--spec', 'none', file])).toEqual({
        status: 0,
        stdout: EXPECTED,
        stderr: decided(file),
      });
    }
    expect(runBin('retarget', ['dockerfile', '-c', cfg, '--plan', 'none', file]).status).toBe(0);
    expect(runBin('retarget', ['dockerfile', '-c', cfg, '--in-place=yes', file])).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "retarget dockerfile: option --in-place takes no value; see 'retarget dockerfile --help'\n",
    });
    expect(readFileSync(file, 'utf8')).toBe(DOCKERFILE);
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  test('one Dockerfile at a time: a second is a usage mistake saying so', () => {
    const { file, cfg } = copy();
    expect(runBin('retarget', ['dockerfile', '-c', cfg, file, file])).toEqual({
      status: 2,
      stdout: '',
      stderr: `retarget dockerfile: unexpected argument ${JSON.stringify(file)}: at most 1 Dockerfile at a time; see 'retarget dockerfile --help'\n`,
    });
  });
});

describe('retarget dockerfile: mistakes in the command line or the config', () => {
  test('no -c: the usage line naming the option, exit 2, nothing on stdout', () => {
    expect(runBin('retarget', ['dockerfile', join(CASE, 'Dockerfile')])).toEqual({
      status: 2,
      stdout: '',
      stderr: "retarget dockerfile: -c CONFIG is required; see 'retarget dockerfile --help'\n",
    });
  });

  test('a config without awsWorkloadIdentity: the error names the config file and the field', () => {
    const { file, cfg } = copy();
    writeFileSync(cfg, 'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nfsGroup: 2000\n');
    expect(runBin('retarget', ['dockerfile', '-c', cfg, file])).toEqual({
      status: 1,
      stdout: '',
      stderr: `error: ${cfg} awsWorkloadIdentity: invalid config: awsWorkloadIdentity: is required by retarget dockerfile\n`,
    });
  });

  test('a config file holding several function configs: the Retarget one is used', () => {
    const { file, cfg } = copy();
    writeFileSync(
      cfg,
      `apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nplatform: generic\n---\n${CONFIG}`,
    );
    expect(runBin('retarget', ['dockerfile', '-c', cfg, file])).toEqual({
      status: 0,
      stdout: EXPECTED,
      stderr: decided(file),
    });
  });
});

describe('retarget dockerfile: the artifacts beside the Dockerfile', () => {
  /** A plan saying service manager: read, it outranks the Dockerfile's legacy guess. */
  const PLAN = 'v2kServiceManager: true\n';
  const byPlan = (plan: string, at: string) =>
    `info: runtime: service-manager runtime, decided by plan ${plan}: v2kServiceManager: true (service-manager runtime); agreeing: dockerfile ${at}:4: anthos-migrate.gcr.io/v2k-run-embedded:v1.8.1 without services-config.yaml (written only with v2kServiceManager: true) (legacy runtime)\n` +
    "info: no systemd edits: the service-manager runtime starts every service itself with the container's env, where hydrate puts the AWS variables\n";

  test('migration.yaml beside a Dockerfile path is read: the service manager gets no edits', () => {
    const { dir, file, cfg } = copy();
    writeFileSync(join(dir, 'migration.yaml'), PLAN);
    expect(runBin('retarget', ['dockerfile', '-c', cfg, file])).toEqual({
      status: 0,
      stdout: DOCKERFILE,
      stderr: byPlan(join(dir, 'migration.yaml'), file),
    });
    // --plan none: the Dockerfile alone decides.
    expect(runBin('retarget', ['dockerfile', '-c', cfg, '--plan', 'none', file])).toEqual({
      status: 0,
      stdout: EXPECTED,
      stderr: decided(file),
    });
  });

  test('stdin has no folder: the artifacts in the working directory are not read', () => {
    const { dir, cfg } = copy();
    writeFileSync(join(dir, 'migration.yaml'), PLAN);
    // Not even opened: a spec that is no YAML at all would be an error if it were.
    writeFileSync(join(dir, 'deployment_spec.yaml'), 'kind: [unclosed\n');
    for (const args of [['-'], []]) {
      expect(runBin('retarget', ['dockerfile', '-c', cfg, ...args], DOCKERFILE, dir)).toEqual({
        status: 0,
        stdout: EXPECTED,
        stderr: decided('<stdin>'),
      });
    }
  });
});

describe('retarget dockerfile --in-place', () => {
  test('writes the patched bytes over the file, no stdout, no lock left; a second run changes nothing', () => {
    const { dir, file, cfg } = copy();
    expect(runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', file])).toEqual({
      status: 0,
      stdout: '',
      stderr: decided(file),
    });
    expect(readFileSync(file, 'utf8')).toBe(EXPECTED);
    expect(existsSync(join(dir, LOCK))).toBe(false);
    const again = runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', file]);
    expect(again).toEqual({ status: 0, stdout: '', stderr: decided(file) });
    expect(readFileSync(file, 'utf8')).toBe(EXPECTED);
  });

  test('a directory another live run is writing: refused before reading, file untouched, its lock kept', () => {
    const { dir, file, cfg } = copy();
    const record = lockRecord({ dirs: [dir], state: 'locked' });
    writeFileSync(join(dir, LOCK), record);
    // Even when the Dockerfile needs no change: the lock is taken before it is read.
    for (const text of [DOCKERFILE, EXPECTED]) {
      writeFileSync(file, text);
      expect(runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', file])).toEqual({
        status: 1,
        stdout: '',
        stderr: `error: ${dir}: is being written by another retarget run (pid ${process.pid} on ${hostname()}); no file was changed. Run again when it has finished; if no retarget run is active, remove ${join(dir, LOCK)}\n`,
      });
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(record);
    }
  });

  test('the lock of a run that died while staging: undone with a notice, then the file is written', () => {
    const { dir, file, cfg } = copy();
    const leftover = join(dir, '.Dockerfile.retarget-tmp-dead');
    writeFileSync(leftover, 'half a Dockerfile');
    writeFileSync(
      join(dir, LOCK),
      // The same pid with another start time: a pid the system gave to a new process.
      lockRecord({
        start: 'not-this-process',
        dirs: [dir],
        state: 'staging',
        entries: [{ target: file, tmp: leftover }],
      }),
    );
    expect(runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', file])).toEqual({
      status: 0,
      stdout: '',
      stderr: `notice: ${dir}: undid an interrupted retarget run (pid ${process.pid}): it had changed no file; its temporary files are removed\n${decided(file)}`,
    });
    expect(readFileSync(file, 'utf8')).toBe(EXPECTED);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  test('a Dockerfile that is a symlink: the file it points to is patched, the link stays a link', () => {
    const { dir, cfg } = copy();
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const real = join(shared, 'Dockerfile.vm');
    copyFileSync(join(CASE, 'Dockerfile'), real);
    const build = join(dir, 'build');
    mkdirSync(build);
    const link = join(build, 'Dockerfile');
    symlinkSync('../shared/Dockerfile.vm', link);
    expect(runBin('retarget', ['dockerfile', '-c', cfg, '--in-place', link])).toEqual({
      status: 0,
      stdout: '',
      stderr: decided(link),
    });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../shared/Dockerfile.vm');
    expect(readFileSync(real, 'utf8')).toBe(EXPECTED);
    expect(existsSync(join(shared, LOCK))).toBe(false);
  });
});
