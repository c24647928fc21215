import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_NAME } from '../../src/io/commit-lock';
import { runInProcess } from '../support/run-bin';
import type { Spawned } from '../support/run-bin';

/**
 * `retarget FUNCTION -c CONFIG PATH...` as a platform engineer uses it: what each of the
 * four output modes writes (stdout, -o DIR, --in-place, --diff), the exact summary line and
 * messages on stderr, the usage mistakes, and that an error writes nothing. Run in this
 * process (src/cli/main.ts with an Io), from a scratch directory, so paths in messages are
 * the relative ones typed.
 */
const FS_GROUP = `apiVersion: fn.retarget.dev/v1alpha1
kind: SetFsGroup
metadata:
  name: f
fsGroup: 2000
`;
const AWS = `apiVersion: fn.retarget.dev/v1alpha1
kind: SetAwsWorkloadIdentity
metadata:
  name: a
roleArn: arn:aws:iam::123456789012:role/app
`;
/** A pod without a final newline: set-fs-group adds its securityContext. */
const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x';
const POD_OUT = `${POD}\n  securityContext:\n    fsGroup: 2000`;
/** Nothing for set-fs-group to do. */
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n';
/** An fsGroup the config conflicts with (line 7, column 14). */
const CONFLICT =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  securityContext:\n    fsGroup: 99\n  containers:\n  - name: c\n    image: x\n';
const CONFLICT_ERROR =
  'error: bad.yaml:7:14 Pod/q spec.securityContext.fsGroup: fsGroup is 99, the config asks for 2000; set override: true to replace it\n';

/** The diff set-fs-group prints for POD (named `name`), as diff -u prints it. */
const podDiff = (name: string) => `--- a/${name}
+++ b/${name}
@@ -4,5 +4,7 @@
   name: p
 spec:
   containers:
   - name: c
-    image: x
\\ No newline at end of file
+    image: x
+  securityContext:
+    fsGroup: 2000
\\ No newline at end of file
`;

function scratch(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-file-mode-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const retarget = (dir: string, args: string[], input?: string): Spawned =>
  runInProcess('retarget', args, input, dir);
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
/** Every file under dir, relative, sorted (the lock file and temporaries included). */
const tree = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => !statSync(join(dir, f)).isDirectory())
    .sort();

describe('--help of a function in file mode', () => {
  test('says what the command takes and writes, option by option', () => {
    const r = retarget(tmpdir(), ['set-fs-group', '--help']);
    expect(r).toEqual({
      status: 0,
      stderr: '',
      stdout: `retarget set-fs-group: pod securityContext.fsGroup

Usage: retarget set-fs-group -c CONFIG [PATH ...] [-o DIR | --in-place | --diff] [--quiet]

Runs set-fs-group over YAML files. PATH is a file or a directory (its *.yaml and *.yml
files); - or none reads stdin. The result goes to stdout unless -o, --in-place or --diff
is given; on any error nothing is written (exit 1). Messages and a one-line summary
(resources changed, created, left alone) go to stderr.
CONFIG is a SetFsGroup config (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap.

Options:
  -c, --config CONFIG  the SetFsGroup config
  -o, --output DIR     write every result under DIR (paths relative to the given directories)
      --in-place       rewrite the input files that change
      --diff           print a unified diff of what would change, per file; write nothing
  -q, --quiet          no summary line on stderr
      --keep-unknown   keep documents that are not Kubernetes objects (not migration artifacts)
  -h, --help           show this help
      --debug          show the stack trace of an internal error

Example:
  retarget set-fs-group -c fs-group.yaml ./workloads -o ./out
`,
    });
  });

  // Each function's example shows a config file named for it and one of the output modes.
  test.each([
    ['hydrate', 'retarget hydrate -c retarget.yaml deployment_spec.yaml > hydrated.yaml'],
    [
      'set-image-pull-secrets',
      'retarget set-image-pull-secrets -c pull-secrets.yaml deployment_spec.yaml --in-place',
    ],
    [
      'link-kubernetes-info-secrets',
      'retarget link-kubernetes-info-secrets -c link.yaml deployment_spec.yaml --diff',
    ],
    [
      'set-aws-workload-identity',
      'retarget set-aws-workload-identity -c aws.yaml deployment_spec.yaml > out.yaml',
    ],
    [
      'set-gcp-workload-identity',
      'retarget set-gcp-workload-identity -c gke-identity.yaml deployment_spec.yaml > out.yaml',
    ],
    ['port-data-volumes', 'retarget port-data-volumes -c config.yaml deployment_spec.yaml'],
  ])('%s: its example', (name, example) => {
    const r = retarget(tmpdir(), [name, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith(`\n\nExample:\n  ${example}\n`)).toBe(true);
  });
});

describe('usage mistakes of file mode: exit 2, one line, nothing read or written', () => {
  test.each([
    [['-o', 'out', '--diff'], '-o and --diff exclude each other'],
    [['-o', 'out', '--in-place', '--diff'], '-o and --in-place and --diff exclude each other'],
    // `-o "$OUT"` with OUT unset: neither stdout instead nor --in-place after all.
    [['pod.yaml', '-o', ''], 'option -o/--output needs a value (DIR)'],
    [['pod.yaml', '-o', '', '--in-place'], 'option -o/--output needs a value (DIR)'],
    [['--in-place'], '--in-place needs file or directory paths, not stdin'],
    [['--in-place', '-'], '--in-place needs file or directory paths, not stdin'],
    [['--in-place', 'pod.yaml', '-'], '--in-place needs file or directory paths, not stdin'],
  ])('%j', (args, message) => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', ...args], POD);
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `retarget set-fs-group: ${message}; see 'retarget set-fs-group --help'\n`,
    });
    expect(tree(dir)).toEqual(['c.yaml', 'pod.yaml']);
    expect(read(dir, 'pod.yaml')).toBe(POD);
  });
});

describe('stdout (no mode option)', () => {
  test('every file, in order, as one stream; the summary counts changed, created, left alone', () => {
    const dir = scratch({ 'c.yaml': AWS, 'pod.yaml': POD, 'svc.yaml': SERVICE });
    const r = retarget(dir, ['set-aws-workload-identity', '-c', 'c.yaml', 'pod.yaml', 'svc.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('retarget: 3 resources: 1 changed, 1 created, 1 left alone\n');
    expect(r.stdout.match(/^kind: \w+$/gm)).toEqual([
      'kind: Pod',
      'kind: ServiceAccount',
      'kind: Service',
    ]);
    expect(r.stdout.endsWith(`\n---\n${SERVICE}`)).toBe(true);
  });

  test('one resource is "1 resource"; --quiet and -q drop the summary, not the output', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml'], POD);
    expect(r).toEqual({
      status: 0,
      stdout: POD_OUT,
      stderr: 'retarget: 1 resource: 1 changed, 0 created, 0 left alone\n',
    });
    for (const quiet of ['--quiet', '-q'])
      expect(retarget(dir, ['set-fs-group', '-c', 'c.yaml', quiet, '-'], POD)).toEqual({
        status: 0,
        stdout: POD_OUT,
        stderr: '',
      });
  });

  test('a document that is not a Kubernetes object is an error unless --keep-unknown', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'notes.yaml': 'foo: bar\n' });
    expect(retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'notes.yaml'])).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'error: notes.yaml:1: is neither a Kubernetes object (apiVersion and kind) nor a known migration artifact; fix it, move it out of the input, or pass --keep-unknown to copy it through\n',
    });
    expect(retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'notes.yaml', '--keep-unknown'])).toEqual(
      {
        status: 0,
        stdout: 'foo: bar\n',
        stderr:
          'warning: no Kubernetes resources in the input (notes.yaml): the output is the input as it is\nretarget: 0 resources: 0 changed, 0 created, 0 left alone\n',
      },
    );
  });
});

describe('--diff', () => {
  test('only the files that change, as diff -u prints them; the summary in the conditional', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD, 'svc.yaml': SERVICE });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', '--diff', 'svc.yaml', 'pod.yaml']);
    expect(r).toEqual({
      status: 0,
      stdout: podDiff('pod.yaml'),
      stderr: 'retarget: 2 resources: 1 would be changed, 0 would be created, 1 left alone\n',
    });
    expect(tree(dir)).toEqual(['c.yaml', 'pod.yaml', 'svc.yaml']);
    expect(read(dir, 'pod.yaml')).toBe(POD);
  });

  test('stdin is named <stdin>; nothing to change is an empty diff', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP });
    expect(retarget(dir, ['set-fs-group', '-c', 'c.yaml', '--diff'], POD).stdout).toBe(
      podDiff('<stdin>'),
    );
    expect(retarget(dir, ['set-fs-group', '-c', 'c.yaml', '--diff', '-q'], SERVICE)).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });

  test('a file that ends in a newline has no "No newline" line', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': `${POD}\n` });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', '--diff', '-q', 'pod.yaml']);
    expect(r.stdout).toBe(
      '--- a/pod.yaml\n+++ b/pod.yaml\n@@ -5,4 +5,6 @@\n spec:\n   containers:\n   - name: c\n     image: x\n+  securityContext:\n+    fsGroup: 2000\n',
    );
  });
});

describe('-o DIR', () => {
  test('every file, changed or not, under DIR at its path below the directory given', () => {
    const dir = scratch({
      'c.yaml': FS_GROUP,
      'in/pod.yaml': POD,
      'in/sub/svc.yaml': SERVICE,
    });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'in', '-o', 'out']);
    expect(r).toEqual({
      status: 0,
      stdout: '',
      stderr: 'retarget: 2 resources: 1 changed, 0 created, 1 left alone\n',
    });
    expect(tree(join(dir, 'out'))).toEqual(['pod.yaml', 'sub/svc.yaml']);
    expect(read(dir, 'out/pod.yaml')).toBe(POD_OUT);
    expect(read(dir, 'out/sub/svc.yaml')).toBe(SERVICE);
    expect(read(dir, 'in/pod.yaml')).toBe(POD);
  });

  test('DIR inside the input directory: a second run reads neither it nor the config', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD, 'svc.yaml': SERVICE });
    const args = ['set-fs-group', '-c', 'c.yaml', '.', '-o', 'out'];
    const first = retarget(dir, args);
    const second = retarget(dir, args);
    expect(second).toEqual(first);
    expect(first.stderr).toBe('retarget: 2 resources: 1 changed, 0 created, 1 left alone\n');
    expect(tree(dir)).toEqual(['c.yaml', 'out/pod.yaml', 'out/svc.yaml', 'pod.yaml', 'svc.yaml']);
  });

  test('a symlink at an output name is replaced by the file, never written through', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD, 'elsewhere/keep.yaml': 'keep\n' });
    mkdirSync(join(dir, 'out'));
    symlinkSync(join(dir, 'elsewhere/keep.yaml'), join(dir, 'out/pod.yaml'));
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'pod.yaml', '-o', 'out', '-q']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(lstatSync(join(dir, 'out/pod.yaml')).isSymbolicLink()).toBe(false);
    expect(read(dir, 'out/pod.yaml')).toBe(POD_OUT);
    expect(read(dir, 'elsewhere/keep.yaml')).toBe('keep\n');
  });

  test('on an error: exit 1, the results on stderr, no DIR created', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD, 'bad.yaml': CONFLICT });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'pod.yaml', 'bad.yaml', '-o', 'out']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: CONFLICT_ERROR });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('--in-place', () => {
  test('rewrites only the files that change; twice is once; no lock left behind', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD, 'svc.yaml': SERVICE });
    const service = statSync(join(dir, 'svc.yaml'));
    const args = ['set-fs-group', '-c', 'c.yaml', 'pod.yaml', 'svc.yaml', '--in-place'];
    expect(retarget(dir, args)).toEqual({
      status: 0,
      stdout: '',
      stderr: 'retarget: 2 resources: 1 changed, 0 created, 1 left alone\n',
    });
    expect(read(dir, 'pod.yaml')).toBe(POD_OUT);
    // The unchanged file is the same file, not a rewritten copy.
    expect(statSync(join(dir, 'svc.yaml')).ino).toBe(service.ino);
    const pod = statSync(join(dir, 'pod.yaml'));
    expect(retarget(dir, args)).toEqual({
      status: 0,
      stdout: '',
      stderr: 'retarget: 2 resources: 0 changed, 0 created, 2 left alone\n',
    });
    expect(statSync(join(dir, 'pod.yaml')).ino).toBe(pod.ino);
    expect(tree(dir)).toEqual(['c.yaml', 'pod.yaml', 'svc.yaml']);
  });

  test('a symlink named on the command line is written through; the link stays', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'data/real.yaml': POD });
    mkdirSync(join(dir, 'in'));
    symlinkSync(join(dir, 'data/real.yaml'), join(dir, 'in/link.yaml'));
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'in/link.yaml', '--in-place', '-q']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(lstatSync(join(dir, 'in/link.yaml')).isSymbolicLink()).toBe(true);
    expect(read(dir, 'data/real.yaml')).toBe(POD_OUT);
  });

  test('on an error: exit 1, the results on stderr, every file as it was', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD, 'bad.yaml': CONFLICT });
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'pod.yaml', 'bad.yaml', '--in-place']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: CONFLICT_ERROR });
    expect(read(dir, 'pod.yaml')).toBe(POD);
    expect(tree(dir)).toEqual(['bad.yaml', 'c.yaml', 'pod.yaml']);
  });
});

describe('a run a kill cut short in an input or output directory is undone first, and said', () => {
  /** Above Linux's largest pid (2^22): never a live process. */
  const DEAD_PID = 4194311;
  const plantStaleLock = (dir: string) =>
    writeFileSync(
      join(dir, LOCK_NAME),
      JSON.stringify({
        retarget: 'commit-lock/v1',
        pid: DEAD_PID,
        host: hostname(),
        nonce: 'ab'.repeat(12),
        dirs: [dir],
        state: 'staging',
        entries: [],
      }),
    );
  const notice = (dir: string) =>
    `notice: ${dir}: undid an interrupted retarget run (pid ${DEAD_PID}): it had changed no file; its temporary files are removed\n`;

  test.each([
    ['stdout', []],
    ['--diff', ['--diff']],
    ['--in-place', ['--in-place']],
    ['-o', ['-o', 'out']],
  ])('%s: in the input directory', (_mode, extra) => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'in/pod.yaml': POD });
    plantStaleLock(join(dir, 'in'));
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'in/pod.yaml', '-q', ...extra]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: notice(join(dir, 'in')),
    });
    expect(existsSync(join(dir, 'in', LOCK_NAME))).toBe(false);
  });

  test('-o: in the output directory', () => {
    const dir = scratch({ 'c.yaml': FS_GROUP, 'pod.yaml': POD });
    mkdirSync(join(dir, 'out'));
    plantStaleLock(join(dir, 'out'));
    const r = retarget(dir, ['set-fs-group', '-c', 'c.yaml', 'pod.yaml', '-q', '-o', 'out']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: notice(join(dir, 'out')) });
    expect(tree(join(dir, 'out'))).toEqual(['pod.yaml']);
  });
});
