import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBin } from '../support/run-bin';

/**
 * What `retarget init` promises on the command line, stated exactly: its help, where it
 * reads (DIR, default the working directory) and writes (DIR/retarget.yaml, -o FILE, -o -
 * for stdout), the one info line that sums up what it wrote (workloads, runtimes, the TODO
 * lines to review, the field to fill), and its refusals (no such folder, a file, no
 * workload, an existing file without --force, a place it cannot write), each exit 1 with
 * the path and nothing written. The written config's body is testdata/artifacts' reviewed
 * expected-retarget.yaml; only its header names the paths of the run.
 */
const ARTIFACTS = resolve(__dirname, '../../testdata/artifacts');
const LEGACY = 'migctl-v1.15-legacy';
const GCE = 'migctl-v1.15-gce-source';

/** The case's reviewed config (written by `init input` from the case's folder). */
const expected = (name: string) =>
  readFileSync(join(ARTIFACTS, name, 'expected-retarget.yaml'), 'utf8');

/** The reviewed config's TODO lines, counted in the reviewed file (not in init's output). */
const todoLines = (text: string) => text.split('\n').filter((l) => l.includes('TODO')).length;

/** A fresh working directory holding the case's artifact folder as `input/`. */
function work(name = LEGACY): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-init-contract-')));
  cpSync(join(ARTIFACTS, name, 'input'), join(dir, 'input'), { recursive: true });
  return dir;
}

/** The expected text with the header naming `folder` and the config at `config`. */
function withHeader(text: string, folder: string, config: string): string {
  const lines = text.split('\n');
  expect(lines.slice(0, 4)).toEqual([
    '# retarget.yaml, written by `retarget init` from the migration artifacts in input',
    '# Fill in each TODO, then:',
    '#   retarget hydrate -c input/retarget.yaml input -o hydrated/',
    '#   retarget dockerfile -c input/retarget.yaml input/Dockerfile --in-place',
  ]);
  const dockerfile = folder === '.' ? 'Dockerfile' : `${folder}/Dockerfile`;
  return [
    `# retarget.yaml, written by \`retarget init\` from the migration artifacts in ${folder}`,
    '# Fill in each TODO, then:',
    `#   retarget hydrate -c ${config} ${folder} -o hydrated/`,
    `#   retarget dockerfile -c ${config} ${dockerfile} --in-place`,
    ...lines.slice(4),
  ].join('\n');
}

const wrote = (path: string, summary: string, todos: number, fill: string) =>
  `info: wrote ${path}: ${summary}; ${todos} TODO line(s) to review, then fill ${fill}\n`;

const AWS_FILL = 'awsWorkloadIdentity.roleArn';

describe('retarget init --help', () => {
  test('prints the whole help: synopsis, what it reads and writes, the options, the example', () => {
    expect(runBin('retarget', ['init', '--help'])).toEqual({
      status: 0,
      stderr: '',
      stdout: `retarget init: write a commented retarget.yaml from a migration's artifact folder

Usage: retarget init [DIR] [-o FILE] [--force]

Reads the artifacts a migration left in DIR (default: the current directory):
deployment_spec.yaml, Dockerfile, the migration plan (migration.yaml), services-config.yaml,
skaffold.yaml, ... and writes DIR/retarget.yaml, a Retarget config with what they reveal
filled in (the runtime and its evidence, each image's registry and project, the data volumes,
the ServiceAccount the identity stage will use) and what they cannot reveal left as TODO
comments. It is annotated config.kubernetes.io/local-config, so hydrating DIR never emits it.
Fill the role ARN (and the TODOs that apply), then:
  retarget hydrate -c DIR/retarget.yaml DIR -o hydrated/

Options:
  -o, --output FILE  write the config to FILE instead of DIR/retarget.yaml (- for stdout)
      --force        overwrite an existing file
  -h, --help         show this help
      --debug        show the stack trace of an internal error

Example:
  retarget init ./migration-artifacts
`,
    });
  });

  test('retarget --help lists it with its summary', () => {
    expect(runBin('retarget', ['--help']).stdout).toMatch(
      /^ {2}init +write a commented retarget\.yaml from a migration's artifact folder$/m,
    );
  });

  test('-o takes a value; --force takes none', () => {
    const dir = work();
    expect(runBin('retarget', ['init', 'input', '-o'], undefined, dir)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "retarget init: option -o/--output needs a value (FILE); see 'retarget init --help'\n",
    });
    expect(runBin('retarget', ['init', 'input', '--force=yes'], undefined, dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: "retarget init: option --force takes no value; see 'retarget init --help'\n",
    });
    expect(existsSync(join(dir, 'input/retarget.yaml'))).toBe(false);
  });

  test('one folder at a time: a second is a usage mistake saying so', () => {
    const dir = work();
    expect(runBin('retarget', ['init', 'input', 'input'], undefined, dir)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'retarget init: unexpected argument "input": at most 1 artifact folder at a time; see \'retarget init --help\'\n',
    });
    expect(readdirSync(join(dir, 'input'))).not.toContain('retarget.yaml');
  });
});

describe('retarget init: where it reads and writes', () => {
  test('no DIR: the working directory, written to ./retarget.yaml', () => {
    const dir = work();
    const folder = join(dir, 'input');
    const r = runBin('retarget', ['init'], undefined, folder);
    const text = withHeader(expected(LEGACY), '.', 'retarget.yaml');
    expect(r).toEqual({
      status: 0,
      stdout: '',
      stderr: wrote('retarget.yaml', '1 workload(s), runtime legacy', todoLines(text), AWS_FILL),
    });
    expect(readFileSync(join(folder, 'retarget.yaml'), 'utf8')).toBe(text);
  });

  test('-o FILE: written there (the header names it), DIR left as it was; --output alike', () => {
    const dir = work();
    const before = readdirSync(join(dir, 'input')).sort();
    mkdirSync(join(dir, 'configs'));
    for (const flag of ['-o', '--output']) {
      const out = `configs/app${flag}.yaml`;
      const r = runBin('retarget', ['init', 'input', flag, out], undefined, dir);
      const text = withHeader(expected(LEGACY), 'input', out);
      expect(r).toEqual({
        status: 0,
        stdout: '',
        stderr: wrote(out, '1 workload(s), runtime legacy', todoLines(text), AWS_FILL),
      });
      expect(readFileSync(join(dir, out), 'utf8')).toBe(text);
    }
    expect(readdirSync(join(dir, 'input')).sort()).toEqual(before);
  });

  test('-o -: the config on stdout, no file, no info line', () => {
    const dir = work();
    const before = readdirSync(join(dir, 'input')).sort();
    expect(runBin('retarget', ['init', 'input', '-o', '-'], undefined, dir)).toEqual({
      status: 0,
      stdout: expected(LEGACY),
      stderr: '',
    });
    expect(readdirSync(join(dir, 'input')).sort()).toEqual(before);
    expect(readdirSync(dir)).toEqual(['input']);
  });

  test('the file it writes is never read as an artifact: -o inside DIR over a file that is no YAML, with --force', () => {
    const dir = work();
    const out = 'input/retarget.yaml';
    writeFileSync(join(dir, out), 'kind: [unclosed\n');
    const r = runBin('retarget', ['init', 'input', '--force'], undefined, dir);
    const text = expected(LEGACY);
    expect(r).toEqual({
      status: 0,
      stdout: '',
      stderr: wrote(out, '1 workload(s), runtime legacy', todoLines(text), AWS_FILL),
    });
    expect(readFileSync(join(dir, out), 'utf8')).toBe(text);
  });

  test('the new file gets mode 0644 (less the umask), like any file the user creates', () => {
    const dir = work();
    expect(runBin('retarget', ['init', 'input'], undefined, dir).status).toBe(0);
    // The same umask applies to a file this process creates with mode 0644.
    const probe = join(dir, 'probe');
    writeFileSync(probe, '', { mode: 0o644 });
    expect(statSync(join(dir, 'input/retarget.yaml')).mode & 0o777).toBe(
      statSync(probe).mode & 0o777,
    );
  });

  test('--force over a symlink: the file it points to is rewritten, the link stays a link', () => {
    const dir = work();
    mkdirSync(join(dir, 'configs'));
    const real = join(dir, 'configs/billing.yaml');
    writeFileSync(real, '# an older config\n');
    const link = join(dir, 'input/retarget.yaml');
    symlinkSync('../configs/billing.yaml', link);
    const r = runBin('retarget', ['init', 'input', '--force'], undefined, dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      wrote(
        'input/retarget.yaml',
        '1 workload(s), runtime legacy',
        todoLines(expected(LEGACY)),
        AWS_FILL,
      ),
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../configs/billing.yaml');
    expect(readFileSync(real, 'utf8')).toBe(expected(LEGACY));
  });
});

describe('retarget init: the info line sums up what was written', () => {
  test('a Compute Engine VM: GKE Workload Identity proposed, "the identity section" to fill', () => {
    const dir = work(GCE);
    const r = runBin('retarget', ['init', 'input'], undefined, dir);
    const text = expected(GCE);
    expect(r).toEqual({
      status: 0,
      stdout: '',
      stderr: wrote(
        'input/retarget.yaml',
        '1 workload(s), runtime service-manager',
        todoLines(text),
        'the identity section',
      ),
    });
    expect(readFileSync(join(dir, 'input/retarget.yaml'), 'utf8')).toBe(text);
  });

  test('two workloads of two runtimes: both named once, in order; two of one runtime: named once', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-init-contract-')));
    const spec = (name: string) =>
      readFileSync(join(ARTIFACTS, name, 'input/deployment_spec.yaml'), 'utf8');
    mkdirSync(join(dir, 'mixed'));
    writeFileSync(join(dir, 'mixed/a.yaml'), spec(LEGACY));
    writeFileSync(join(dir, 'mixed/b.yaml'), spec('migctl-v1.15-service-manager'));
    const mixed = runBin('retarget', ['init', 'mixed'], undefined, dir);
    expect(mixed.status).toBe(0);
    const todos = todoLines(readFileSync(join(dir, 'mixed/retarget.yaml'), 'utf8'));
    expect(mixed.stderr).toBe(
      wrote(
        'mixed/retarget.yaml',
        '2 workload(s), runtime legacy, service-manager',
        todos,
        AWS_FILL,
      ),
    );
    mkdirSync(join(dir, 'same'));
    writeFileSync(join(dir, 'same/a.yaml'), spec(LEGACY));
    writeFileSync(
      join(dir, 'same/b.yaml'),
      spec(LEGACY).replace(/name: billing$/gm, 'name: billing-copy'),
    );
    const same = runBin('retarget', ['init', 'same'], undefined, dir);
    expect(same.status).toBe(0);
    expect(same.stderr).toMatch(
      /^info: wrote same\/retarget\.yaml: 2 workload\(s\), runtime legacy; /,
    );
  });

  test('artifacts that disagree on the runtime: "undecided", and a TODO in the file says why', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-init-contract-')));
    const input = join(ARTIFACTS, LEGACY, 'input');
    mkdirSync(join(dir, 'input'));
    for (const f of ['deployment_spec.yaml', 'Dockerfile'])
      cpSync(join(input, f), join(dir, 'input', f));
    writeFileSync(join(dir, 'input/migration.yaml'), 'v2kServiceManager: true\n');
    const r = runBin('retarget', ['init', 'input'], undefined, dir);
    const text = readFileSync(join(dir, 'input/retarget.yaml'), 'utf8');
    expect(text).toContain('# TODO(runtime): the artifacts disagree');
    expect(r).toEqual({
      status: 0,
      stdout: '',
      stderr: wrote(
        'input/retarget.yaml',
        '1 workload(s), runtime undecided',
        todoLines(text),
        AWS_FILL,
      ),
    });
  });
});

describe('retarget init: refusals, exit 1, nothing written', () => {
  test('no such folder', () => {
    const dir = work();
    expect(runBin('retarget', ['init', 'missing'], undefined, dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: missing: no such directory\n',
    });
    expect(readdirSync(dir)).toEqual(['input']);
  });

  test('a file given as the folder', () => {
    const dir = work();
    expect(runBin('retarget', ['init', 'input/Dockerfile'], undefined, dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: input/Dockerfile: is not a directory: give the artifact folder\n',
    });
    expect(existsSync(join(dir, 'input/retarget.yaml'))).toBe(false);
  });

  test('a folder of YAML with no workload', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-init-contract-')));
    mkdirSync(join(dir, 'cm'));
    writeFileSync(
      join(dir, 'cm/a.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {}\n',
    );
    expect(runBin('retarget', ['init', 'cm'], undefined, dir)).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'error: cm: no workload (Deployment, StatefulSet, ...) in the folder: is it the migration artifact folder with deployment_spec.yaml?\n',
    });
    expect(readdirSync(join(dir, 'cm'))).toEqual(['a.yaml']);
  });

  test('an existing file without --force: kept as it was, the message says how to go on', () => {
    const dir = work();
    const out = join(dir, 'input/retarget.yaml');
    writeFileSync(out, '# my own config\n');
    expect(runBin('retarget', ['init', 'input'], undefined, dir)).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'error: input/retarget.yaml: already exists: not overwritten (use --force, or -o FILE to write elsewhere)\n',
    });
    expect(readFileSync(out, 'utf8')).toBe('# my own config\n');
  });

  test('a dangling symlink where the file goes, without --force: not followed, nothing created', () => {
    const dir = work();
    symlinkSync('../elsewhere/retarget.yaml', join(dir, 'input/retarget.yaml'));
    const r = runBin('retarget', ['init', 'input'], undefined, dir);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'error: input/retarget.yaml: already exists: not overwritten (use --force, or -o FILE to write elsewhere)\n',
    });
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
  });

  test('-o into a folder that does not exist: the error code, nothing created', () => {
    const dir = work();
    expect(
      runBin('retarget', ['init', 'input', '-o', 'out/retarget.yaml'], undefined, dir),
    ).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: out/retarget.yaml: cannot write (ENOENT)\n',
    });
    expect(readdirSync(dir)).toEqual(['input']);
  });
});
