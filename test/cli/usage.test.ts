import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, parse, parseAllDocuments } from 'yaml';
import { FUNCTIONS } from '../../src/pipeline/functions';
import { DIST, REPO, specCases } from '../support/run';
import { runBin } from '../support/run-bin';

/** Help on every command and executable, usage mistakes, --diff, the summary line, KRM stderr. */

const QUICKSTART = join(REPO, 'examples/quickstart');
const CONFIG = join(QUICKSTART, 'retarget.yaml');
const SPEC = join(QUICKSTART, 'deployment_spec.yaml');

function tmp(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-usage-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const EXECUTABLES = readdirSync(DIST)
  .filter((f) => /^retarget(-.+)?\.js$/.test(f))
  .map((f) => f.replace(/\.js$/, ''));

describe('--help and -h', () => {
  const commands: string[][] = [
    ...FUNCTIONS.map((fn) => [fn.name]),
    ['run'],
    ['run', 'hydrate'],
    ['run', 'set-fs-group'],
    ['preflight'],
    ['dockerfile'],
    ['init'],
    ['functions'],
  ];

  test('every function has its executable', () => {
    expect(EXECUTABLES.sort()).toEqual(
      ['retarget', ...FUNCTIONS.map((fn) => `retarget-${fn.name}`)].sort(),
    );
  });

  test.each(
    commands.flatMap((c) => [
      [...c, '--help'],
      [...c, '-h'],
    ]),
  )('retarget %s %s %s', (...args) => {
    const r = runBin('retarget', args.filter(Boolean));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const invocation = `retarget ${args.filter((a) => !a.startsWith('-')).join(' ')}`;
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^${invocation}: \\S`));
    expect(r.stdout).toMatch(new RegExp(`^Usage: ${invocation}( |$)`, 'm'));
    expect(r.stdout).toMatch(/^Options:\n(.*\n)*? {2}-h, --help /m);
    // One example at least, itself a command line of this command.
    expect(r.stdout).toMatch(/^Examples?:\n {2}\S.*\n/m);
  });

  test('the options in the help are the options the command takes', () => {
    const help = runBin('retarget', ['hydrate', '--help']).stdout;
    for (const flag of ['--config', '--output', '--in-place', '--diff', '--quiet', '--debug']) {
      expect(help).toContain(flag);
    }
    const preflight = runBin('retarget', ['preflight', '--help']).stdout;
    expect(preflight).toContain('--format FORMAT');
    expect(preflight).toContain('(default: table)');
  });

  test.each(
    EXECUTABLES.flatMap((bin) => [
      [bin, '--help'],
      [bin, '-h'],
    ]),
  )('%s %s', (bin, flag) => {
    const r = runBin(bin, [flag]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage:\s+retarget/m);
    expect(r.stdout).toMatch(/^Examples?:\n {2}\S/m);
  });

  test('retarget --help lists every command; no command at all is a usage mistake', () => {
    const r = runBin('retarget', ['--help']);
    expect(r.status).toBe(0);
    for (const name of [
      ...FUNCTIONS.map((fn) => fn.name),
      'preflight',
      'dockerfile',
      'init',
      'run',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
    }
    const none = runBin('retarget', []);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage:');
  });
});

describe('usage mistakes: one line naming the help, exit 2, nothing on stdout', () => {
  const cases: [string, string[], string][] = [
    ['unknown command', ['hydrat'], `retarget: unknown command "hydrat" (did you mean hydrate?)`],
    [
      'unknown option',
      ['hydrate', '-c', CONFIG, '--colour'],
      'retarget hydrate: unknown option --colour',
    ],
    [
      'misspelt option',
      ['hydrate', '-c', CONFIG, '--in-plac', SPEC],
      'retarget hydrate: unknown option --in-plac (did you mean --in-place?)',
    ],
    [
      'missing value of a long-only option',
      ['dockerfile', '-c', CONFIG, '--spec'],
      'retarget dockerfile: option --spec needs a value (FILE)',
    ],
    [
      'missing value at the end',
      ['hydrate', '-c'],
      'retarget hydrate: option -c/--config needs a value (CONFIG)',
    ],
    [
      'missing value before another option',
      ['set-fs-group', '-o', '--in-place', '-c', CONFIG],
      'retarget set-fs-group: option -o/--output needs a value (DIR)',
    ],
    [
      'a value for a flag',
      ['hydrate', '--in-place=yes'],
      'retarget hydrate: option --in-place takes no value',
    ],
    ['missing config', ['hydrate', SPEC], 'retarget hydrate: -c CONFIG is required'],
    [
      'conflicting options',
      ['hydrate', '-c', CONFIG, '-o', 'out', '--in-place', SPEC],
      'retarget hydrate: -o and --in-place exclude each other',
    ],
    [
      '--diff with --in-place',
      ['hydrate', '-c', CONFIG, '--diff', '--in-place', SPEC],
      'retarget hydrate: --in-place and --diff exclude each other',
    ],
    [
      'unknown function for run',
      ['run', 'set-fsgroup'],
      'retarget run: unknown function "set-fsgroup" (did you mean set-fs-group?)',
    ],
    [
      'arguments to run',
      ['run', 'hydrate', 'spec.yaml'],
      'retarget run hydrate: unexpected argument "spec.yaml"',
    ],
    [
      'bad --format',
      ['preflight', '-c', CONFIG, '--format', 'jsno'],
      'retarget preflight: --format must be one of table, json, yaml (did you mean json?)',
    ],
    [
      'two Dockerfiles',
      ['dockerfile', '-c', CONFIG, 'a', 'b'],
      'retarget dockerfile: unexpected argument "b"',
    ],
    ['two folders for init', ['init', 'a', 'b'], 'retarget init: unexpected argument "b"'],
    ['unknown top-level option', ['--verbose'], 'retarget: unknown option --verbose'],
  ];

  test.each(cases)('%s', (_name, args, start) => {
    const r = runBin('retarget', args, '');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const command = start.split(':')[0];
    expect(r.stderr).toMatch(/^[^\n]*\n$/);
    expect(r.stderr.startsWith(start)).toBe(true);
    expect(r.stderr.endsWith(`; see '${command} --help'\n`)).toBe(true);
  });

  test('the KRM executables too', () => {
    const r = runBin('retarget-set-fs-group', ['--fs-group', '2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "retarget-set-fs-group: unknown option --fs-group; see 'retarget-set-fs-group --help'\n",
    );
  });
});

describe('did you mean: config fields', () => {
  test('a misspelt field names the field it most likely is; an unrelated one does not guess', () => {
    const dir = tmp({
      'retarget.yaml':
        'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nfsgroup: 2000\nawsWorkloadIdentity:\n  rolearn: arn:aws:iam::123456789012:role/x\nbanana: 1\n',
    });
    const r = runBin('retarget', ['hydrate', '-c', join(dir, 'retarget.yaml'), SPEC]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('fsgroup: unknown field; did you mean fsGroup?');
    expect(r.stderr).toContain('awsWorkloadIdentity.rolearn: unknown field; did you mean roleArn?');
    expect(r.stderr).toMatch(/banana: unknown field\n/);
  });
});

/** Documents of a YAML stream as plain values (maps only). */
function documents(text: string): unknown[] {
  return parseAllDocuments(text)
    .filter((d) => isMap(d.contents))
    .map((d) => d.toJS() as unknown);
}

describe('--diff and the summary line', () => {
  const HYDRATE_CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
imagePullSecrets: [gcr-json-key]
fsGroup: 2000
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/migrated
  initSystem: systemd
  serviceAccountName: migrated
`;

  test.each(specCases().map((c) => [c.name, c.spec]))(
    '%s: the diff only adds lines, patch(1) turns the input into the output, nothing is written',
    (_name, spec) => {
      const dir = tmp({ 'retarget.yaml': HYDRATE_CONFIG });
      const file = join(dir, 'deployment_spec.yaml');
      copyFileSync(spec, file);
      const before = readFileSync(file, 'utf8');
      const args = ['hydrate', '-c', join(dir, 'retarget.yaml'), file];
      const out = runBin('retarget', args);
      expect(out.status).toBe(0);
      const diff = runBin('retarget', [...args, '--diff']);
      expect(diff.status).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(before);
      const lines = diff.stdout.split('\n');
      expect(lines.slice(0, 2)).toEqual([`--- a/${file}`, `+++ b/${file}`]);
      const removed = lines.filter((l) => l.startsWith('-') && !l.startsWith('--- '));
      expect(removed).toEqual([]);
      expect(
        lines.filter((l) => l.startsWith('+') && !l.startsWith('+++ ')).length,
      ).toBeGreaterThan(10);
      // The diff is a real patch: applied to the input it gives the normal output.
      const patched = spawnSync('patch', ['-s', '-o', '-', file], {
        input: diff.stdout,
        encoding: 'utf8',
      });
      expect(patched.status).toBe(0);
      expect(patched.stdout).toBe(out.stdout);
      // The summary counts what the output holds: documents compared with the input's.
      const input = documents(before);
      const output = documents(out.stdout);
      const changed = input.filter((d, i) => JSON.stringify(d) !== JSON.stringify(output[i]));
      const created = output.length - input.length;
      const unchanged = input.length - changed.length;
      expect(out.stderr).toBe(
        `retarget: ${output.length} resources: ${changed.length} changed, ${created} created, ${unchanged} left alone\n`,
      );
      expect(diff.stderr).toBe(
        `retarget: ${output.length} resources: ${changed.length} would be changed, ${created} would be created, ${unchanged} left alone\n`,
      );
    },
  );

  test('twice: nothing to diff, nothing changed; --quiet drops the summary', () => {
    const first = runBin('retarget', ['hydrate', '-c', CONFIG, SPEC]);
    const dir = tmp({ 'hydrated.yaml': first.stdout });
    const again = ['hydrate', '-c', CONFIG, join(dir, 'hydrated.yaml')];
    const diff = runBin('retarget', [...again, '--diff']);
    expect(diff.status).toBe(0);
    expect(diff.stdout).toBe('');
    const n = documents(first.stdout).length;
    // The summary is the last line; infos the run reports come before it.
    expect(
      diff.stderr.endsWith(
        `retarget: ${n} resources: 0 would be changed, 0 would be created, ${n} left alone\n`,
      ),
    ).toBe(true);
    const quiet = runBin('retarget', [...again, '--quiet']);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe(first.stdout);
    expect(quiet.stderr).not.toMatch(/^retarget: \d+ resources/m);
    expect(quiet.stderr).toBe(diff.stderr.replace(/^retarget: \d+ resources.*\n/m, ''));
  });

  test('--diff on an error: exit 1, no diff', () => {
    const dir = tmp({ 'bad.yaml': 'a: [\n' });
    const r = runBin('retarget', ['hydrate', '-c', CONFIG, join(dir, 'bad.yaml'), '--diff']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });

  test('npm start shows the summary', () => {
    const r = spawnSync('npm', ['start', '--silent'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^retarget: \d+ resources: \d+ changed, \d+ created, \d+ left alone$/m,
    );
  });
});

describe('KRM mode: results once, in the ResourceList', () => {
  const list = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: app}
  spec:
    template:
      spec:
        securityContext: {fsGroup: 1000}
        containers: [{name: app, image: app}]
functionConfig:
  apiVersion: fn.retarget.dev/v1alpha1
  kind: SetFsGroup
  fsGroup: 2000
`;

  test.each([
    ['retarget-set-fs-group', []],
    ['retarget', ['run', 'set-fs-group']],
  ])(
    '%s %s: an error result in the list, nothing on stderr; --debug also prints it',
    (bin, args) => {
      const r = runBin(bin, args, list);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('');
      const results = (parse(r.stdout) as { results: { severity: string; message: string }[] })
        .results;
      expect(results).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringContaining('fsGroup is 1000'),
        }),
      ]);
      const debug = runBin(bin, [...args, '--debug'], list);
      expect(debug.status).toBe(1);
      expect(debug.stdout).toBe(r.stdout);
      expect(debug.stderr).toMatch(/^error: .*fsGroup is 1000/);
    },
  );
});
