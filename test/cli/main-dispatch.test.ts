import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BrokenPipe } from '../../src/cli/io';
import type { Io } from '../../src/cli/io';
import { krmMain, main } from '../../src/cli/main';
import { SourceError } from '../../src/errors';
import { FUNCTIONS, findFunction } from '../../src/pipeline/functions';
import { REPO } from '../support/run';
import { runInProcess } from '../support/run-bin';

/**
 * What the `retarget` command line promises before any function runs: which command a
 * first argument names, --help/--version, `run` and RETARGET_FUNCTION, --debug and
 * RETARGET_DEBUG, and how each kind of failure ends (message, stream, exit code). In
 * process (main/krmMain with buffers), so that every case sees the source under test.
 */

const QUICKSTART = join(REPO, 'examples/quickstart');
const CONFIG = join(QUICKSTART, 'retarget.yaml');
const SPEC = join(QUICKSTART, 'deployment_spec.yaml');
const VERSION = (
  JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }
).version;

const FS_GROUP_CONFIG = 'apiVersion: fn.retarget.dev/v1alpha1\nkind: SetFsGroup\nfsGroup: 2000\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
      - name: app
        image: app
`;

/** A ResourceList of one Deployment; with a functionConfig when one is given. */
function resourceList(functionConfig?: string): string {
  const items = `items:\n- ${DEPLOYMENT.trimEnd().replace(/\n/g, '\n  ')}\n`;
  const config = functionConfig
    ? `functionConfig:\n  ${functionConfig.trimEnd().replace(/\n/g, '\n  ')}\n`
    : '';
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n${items}${config}`;
}

/** The Deployment a ResourceList's output holds (items[0]), as a plain value. */
function firstItem(stdout: string): { spec: { template: { spec: Record<string, unknown> } } } {
  return (parse(stdout) as { items: { spec: { template: { spec: Record<string, unknown> } } }[] })
    .items[0];
}

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-main-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs `fn` with environment variables set (undefined: unset), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

const NO_ENV = { RETARGET_FUNCTION: undefined, RETARGET_DEBUG: undefined };

/** `retarget ARGS` in process with no RETARGET_FUNCTION nor RETARGET_DEBUG set. */
function retarget(args: string[], input?: string) {
  return withEnv(NO_ENV, () => runInProcess('retarget', args, input));
}

/** An Io whose stdout fails with `failure`; stderr is collected. */
function failingIo(failure: unknown): { io: Io; stderr: string[] } {
  const stderr: string[] = [];
  return {
    stderr,
    io: {
      stdout: () => {
        throw failure;
      },
      stderr: (text) => void stderr.push(text),
      readStdin: () => '',
    },
  };
}

describe('retarget --version', () => {
  test.each([[['--version']], [['-V']], [['--debug', '--version']], [['--version', '--debug']]])(
    'retarget %j: the package version on stdout, exit 0',
    (args) => {
      expect(retarget(args)).toEqual({ status: 0, stdout: `retarget ${VERSION}\n`, stderr: '' });
    },
  );
});

describe('retarget --help', () => {
  const help = retarget(['--help']).stdout;

  test.each([[['-h']], [['help']], [['--debug', '--help']]])(
    'retarget %j prints the same help on stdout, exit 0',
    (args) => {
      expect(retarget(args)).toEqual({ status: 0, stdout: help, stderr: '' });
    },
  );

  test.each([[[]], [['--debug']]])(
    'retarget %j (no command) prints the help on stderr, exit 2',
    (args) => {
      expect(retarget(args)).toEqual({ status: 2, stdout: '', stderr: help });
    },
  );

  test('opens with what retarget does, the usage lines, and ends with an example', () => {
    const lines = help.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'retarget: make a Migrate to Containers deployment_spec.yaml ready for its target cluster',
      '',
      'Usage:',
      '  retarget hydrate -c CONFIG [PATH ...] [-o DIR | --in-place | --diff] [--quiet]',
      '  retarget FUNCTION -c CONFIG [PATH ...] [-o DIR | --in-place | --diff] [--quiet]',
      '  retarget run [FUNCTION] [-c CONFIG]   KRM mode: a ResourceList on stdin and stdout',
      "  retarget COMMAND --help               a command's options and an example",
      '',
    ]);
    expect(help).toContain(
      '\nExit codes: 0 success, 1 an error (located on stderr), 2 a usage mistake.\n',
    );
    expect(
      help.endsWith(
        '\nExample:\n  retarget hydrate -c retarget.yaml deployment_spec.yaml > hydrated.yaml\n',
      ),
    ).toBe(true);
  });

  test('lists each command once, functions first, in aligned columns', () => {
    const section = /\nCommands:\n((?: {2}.*\n)+)\n/.exec(help)?.[1] ?? '';
    const lines = section.trimEnd().split('\n');
    const rows = lines.map((l) => /^ {2}(\S+)( +)(\S.*)$/.exec(l));
    expect(rows.every((r) => r !== null)).toBe(true);
    // preflight is a function and a command: listed once, with its command's summary.
    expect(rows.map((r) => [r![1], r![3]])).toEqual([
      ...FUNCTIONS.filter((fn) => fn.name !== 'preflight').map((fn) => [fn.name, fn.description]),
      ['init', "write a commented retarget.yaml from a migration's artifact folder"],
      ['preflight', 'predict what will fail on the target cluster (exit 1 on an error)'],
      ['dockerfile', 'add the build-time steps (init env, token group) to a Dockerfile'],
      ['run', 'KRM mode: a ResourceList on stdin, the ResourceList with results on stdout'],
      ['functions', 'list the functions and their config kinds'],
    ]);
    // Every summary starts in one column, two spaces after the longest name.
    const columns = new Set(rows.map((r) => r![1].length + r![2].length));
    const longest = Math.max(...rows.map((r) => r![1].length));
    expect([...columns]).toEqual([longest + 2]);
  });
});

describe('retarget functions', () => {
  test('one line per function: name, config kind, description in fixed columns', () => {
    const r = retarget(['functions']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(FUNCTIONS.length);
    lines.forEach((line, i) => {
      const fn = FUNCTIONS[i];
      expect([line.slice(0, 30).trimEnd(), line.slice(31, 57).trimEnd(), line.slice(58)]).toEqual([
        fn.name,
        fn.kind,
        fn.description,
      ]);
      expect([line[30], line[57]]).toEqual([' ', ' ']);
    });
  });

  test('its help, and an argument is a usage mistake', () => {
    const r = retarget(['functions', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'retarget functions: list the functions and their config kinds',
        '',
        'Usage: retarget functions',
        '',
        'Options:',
        '  -h, --help   show this help',
        '      --debug  show the stack trace of an internal error',
        '',
        'Example:',
        '  retarget functions',
        '',
      ].join('\n'),
    );
    expect(retarget(['functions', 'hydrate'])).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'retarget functions: unexpected argument "hydrate": takes no arguments; see \'retarget functions --help\'\n',
    });
  });
});

describe('which command the first argument names', () => {
  test('a function name runs the function over files: paths may come before the options', () => {
    const dir = tmp({ 'c.yaml': FS_GROUP_CONFIG, 'd.yaml': DEPLOYMENT });
    const r = retarget(['set-fs-group', join(dir, 'd.yaml'), '-c', join(dir, 'c.yaml'), '--quiet']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('securityContext:\n        fsGroup: 2000\n');
    expect(r.stdout).toContain('name: app\n');
  });

  test.each([
    ['a misspelt command', 'preflite', ' (did you mean preflight?)'],
    ['a misspelt command', 'functons', ' (did you mean functions?)'],
    ['a misspelt command', 'rnu', ' (did you mean run?)'],
    ['nothing like any command', 'xyzzy-quux', ''],
  ])('%s: %s', (_what, command, guess) => {
    expect(retarget([command, '-c', CONFIG])).toEqual({
      status: 2,
      stdout: '',
      stderr: `retarget: unknown command ${JSON.stringify(command)}${guess}; see 'retarget --help'\n`,
    });
  });

  test.each([['--colour'], ['-x'], ['--debug=1']])('an option first: %s', (option) => {
    expect(retarget([option, 'hydrate'])).toEqual({
      status: 2,
      stdout: '',
      stderr: `retarget: unknown option ${option}; see 'retarget --help'\n`,
    });
  });

  test('--debug anywhere is taken out before the command is looked up', () => {
    const plain = retarget(['hydrate', '-c', CONFIG, SPEC]);
    expect(plain.status).toBe(0);
    expect(retarget(['--debug', 'hydrate', '-c', CONFIG, SPEC])).toEqual(plain);
    expect(retarget(['hydrate', '--debug', '-c', CONFIG, SPEC])).toEqual(plain);
  });

  test('a mistake found once the options are parsed names the command it was made in', () => {
    expect(retarget(['set-fs-group', '-c', CONFIG, '--in-place'])).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "retarget set-fs-group: --in-place needs file or directory paths, not stdin; see 'retarget set-fs-group --help'\n",
    });
  });
});

describe('retarget run: which function', () => {
  const list = resourceList(FS_GROUP_CONFIG);

  test('named: the function, its options after its name', () => {
    const r = retarget(['run', 'set-fs-group'], list);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(firstItem(r.stdout).spec.template.spec.securityContext).toEqual({ fsGroup: 2000 });
    const dir = tmp({ 'c.yaml': FS_GROUP_CONFIG.replace('2000', '3000') });
    const withConfig = retarget(['run', 'set-fs-group', '-c', join(dir, 'c.yaml')], resourceList());
    expect(withConfig.status).toBe(0);
    expect(firstItem(withConfig.stdout).spec.template.spec.securityContext).toEqual({
      fsGroup: 3000,
    });
  });

  test('unnamed: RETARGET_FUNCTION names it (the image default), options first', () => {
    const dir = tmp({ 'c.yaml': FS_GROUP_CONFIG.replace('2000', '3000') });
    const env = { ...NO_ENV, RETARGET_FUNCTION: 'set-fs-group' };
    const bare = withEnv(env, () => runInProcess('retarget', ['run'], list));
    expect(bare.status).toBe(0);
    expect(bare.stdout).toBe(retarget(['run', 'set-fs-group'], list).stdout);
    const config = withEnv(env, () =>
      runInProcess('retarget', ['run', '-c', join(dir, 'c.yaml')], resourceList()),
    );
    expect({ status: config.status, stderr: config.stderr }).toEqual({ status: 0, stderr: '' });
    expect(firstItem(config.stdout).spec.template.spec.securityContext).toEqual({
      fsGroup: 3000,
    });
    // A name on the line wins over the variable.
    const named = withEnv(env, () => runInProcess('retarget', ['run', 'hydrate', '--help']));
    expect(named.stdout.split('\n')[0]).toBe(
      'retarget run hydrate: every stage from one Retarget config (KRM function)',
    );
    const help = withEnv(env, () => runInProcess('retarget', ['run', '--help']));
    expect(help.stdout.split('\n')[0]).toBe(
      'retarget run set-fs-group: pod securityContext.fsGroup (KRM function)',
    );
  });

  test.each([
    [['run'], list],
    [['run', '-c', CONFIG], list],
    [['run', '--debug'], list],
    // An option run does not know: still the function is what is missing.
    [['run', '--verbose'], list],
    // --help after `--` is no option: no help, and no function either (it ran as nothing, exit 0).
    [['run', '--', '--help'], list],
    [['run', '-c', CONFIG, '--', '-h'], list],
  ])('retarget %j, no RETARGET_FUNCTION: which function?', (args, input) => {
    expect(retarget(args, input)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "retarget run: which function? name one (retarget run hydrate) or set RETARGET_FUNCTION; see 'retarget run --help'\n",
    });
  });

  test.each([
    ['a misspelt name', ['run', 'set-fsgroup'], {}, '"set-fsgroup" (did you mean set-fs-group?)'],
    ['nothing like a function', ['run', 'xyzzy-quux'], {}, '"xyzzy-quux"'],
    ['a command, not a function', ['run', 'init'], {}, '"init"'],
    [
      'RETARGET_FUNCTION misspelt',
      ['run'],
      { RETARGET_FUNCTION: 'hydrat' },
      '"hydrat" (did you mean hydrate?)',
    ],
    [
      'a misspelt name, --help asked',
      ['run', 'hydrat', '-h'],
      {},
      '"hydrat" (did you mean hydrate?)',
    ],
  ])('%s: unknown function', (_what, args, env, named) => {
    const r = withEnv({ ...NO_ENV, ...env }, () => runInProcess('retarget', args, list));
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `retarget run: unknown function ${named}; see 'retarget run --help'\n`,
    });
  });

  test.each([
    [['run', '--help'], {}],
    [['run', '-h'], {}],
    [['run', '-c', CONFIG, '--help'], {}],
    // Help is what was asked: a misspelt RETARGET_FUNCTION does not stand in its way.
    [['run', '--help'], { RETARGET_FUNCTION: 'hydrat' }],
  ])('retarget %j %j without a function: what run does for any', (args, env) => {
    expect(withEnv({ ...NO_ENV, ...env }, () => runInProcess('retarget', args))).toEqual({
      status: 0,
      stderr: '',
      stdout: `retarget run: KRM mode: a ResourceList on stdin, the ResourceList with results on stdout

Usage: retarget run [FUNCTION] [-c CONFIG] < resource-list.yaml

KRM mode, as kpt, kustomize and the container image run retarget. FUNCTION defaults to $RETARGET_FUNCTION (see 'retarget functions'): reads a ResourceList on stdin and writes it to stdout with its results
(exit 1 when one is an error; every item is then emitted unchanged). The config is the
ResourceList's functionConfig (a config of its kind with apiVersion fn.retarget.dev/v1alpha1, or a
ConfigMap), or -c CONFIG. Results go only into the ResourceList (kpt and kustomize show
them); --debug or RETARGET_DEBUG=1 also prints them on stderr.

Options:
  -c, --config CONFIG  the function config, in place of the functionConfig
  -h, --help           show this help
      --debug          show the stack trace of an internal error

Example:
  kpt fn source my-workload | retarget run hydrate -c my-workload/retarget.yaml
`,
    });
  });
});

describe('KRM help: retarget run FUNCTION and retarget-FUNCTION', () => {
  const description = (
    kind: string,
  ) => `A KRM function: reads a ResourceList on stdin and writes it to stdout with its results
(exit 1 when one is an error; every item is then emitted unchanged). The config is the
ResourceList's functionConfig (a ${kind} with apiVersion fn.retarget.dev/v1alpha1, or a
ConfigMap), or -c CONFIG. Results go only into the ResourceList (kpt and kustomize show
them); --debug or RETARGET_DEBUG=1 also prints them on stderr.`;
  const options = (kind: string) =>
    `Options:
  -c, --config CONFIG  a ${kind} config, in place of the functionConfig
  -h, --help           show this help
      --debug          show the stack trace of an internal error`;

  test.each(FUNCTIONS.map((fn) => [fn.name, fn]))('%s', (_name, fn) => {
    const run = retarget(['run', fn.name, '--help']);
    expect(run).toEqual({
      status: 0,
      stderr: '',
      stdout: `retarget run ${fn.name}: ${fn.description} (KRM function)

Usage: retarget run ${fn.name} [-c CONFIG] < resource-list.yaml

${description(fn.kind)}

${options(fn.kind)}

Example:
  kpt fn source my-workload | retarget run ${fn.name} -c my-workload/config.yaml
`,
    });
    const bin = `retarget-${fn.name}`;
    const executable = withEnv(NO_ENV, () => runInProcess(bin, ['-h']));
    expect(executable).toEqual({
      status: 0,
      stderr: '',
      stdout: `${bin}: ${fn.description} (KRM function)

Usage: ${bin} [-c CONFIG] < resource-list.yaml

${description(fn.kind)}

${options(fn.kind)}

Example:
  kpt fn eval my-workload --exec ${bin} --fn-config my-workload/config.yaml
`,
    });
  });

  test('an argument to a KRM executable is a usage mistake naming the executable', () => {
    const r = withEnv(NO_ENV, () => runInProcess('retarget-set-fs-group', ['spec.yaml']));
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'retarget-set-fs-group: unexpected argument "spec.yaml": takes no arguments (the ResourceList comes on stdin); see \'retarget-set-fs-group --help\'\n',
    });
  });
});

describe('KRM mode: -c CONFIG, results on stderr with --debug or RETARGET_DEBUG=1', () => {
  const conflicting = resourceList(FS_GROUP_CONFIG).replace(
    '      spec:\n        containers:',
    '      spec:\n        securityContext: {fsGroup: 1000}\n        containers:',
  );
  const error = /^error: .*fsGroup is 1000.*\n$/;

  test.each([
    [
      'retarget run',
      (args: string[], input: string) =>
        runInProcess('retarget', ['run', 'set-fs-group', ...args], input),
    ],
    [
      'the executable',
      (args: string[], input: string) => runInProcess('retarget-set-fs-group', args, input),
    ],
  ])('%s', (_what, run) => {
    const quiet = withEnv(NO_ENV, () => run([], conflicting));
    expect(quiet.status).toBe(1);
    expect(quiet.stderr).toBe('');
    expect(firstItem(quiet.stdout).spec.template.spec.securityContext).toEqual({ fsGroup: 1000 });
    const flag = withEnv(NO_ENV, () => run(['--debug'], conflicting));
    expect(flag.stdout).toBe(quiet.stdout);
    expect(flag.stderr).toMatch(error);
    const env = withEnv({ ...NO_ENV, RETARGET_DEBUG: '1' }, () => run([], conflicting));
    expect(env).toEqual(flag);
    // Only "1" turns it on.
    const off = withEnv({ ...NO_ENV, RETARGET_DEBUG: '0' }, () => run([], conflicting));
    expect(off).toEqual(quiet);
  });

  test('-c CONFIG replaces the functionConfig; a missing file is located, exit 1', () => {
    const dir = tmp({ 'c.yaml': FS_GROUP_CONFIG.replace('2000', '4000') });
    const again = withEnv(NO_ENV, () =>
      runInProcess(
        'retarget-set-fs-group',
        ['-c', join(dir, 'c.yaml')],
        resourceList(FS_GROUP_CONFIG),
      ),
    );
    expect(again.status).toBe(0);
    expect(firstItem(again.stdout).spec.template.spec.securityContext).toEqual({ fsGroup: 4000 });
    const missing = withEnv(NO_ENV, () =>
      runInProcess('retarget-set-fs-group', ['-c', join(dir, 'none.yaml')], resourceList()),
    );
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(new RegExp(`^error: ${join(dir, 'none.yaml')}: .*\\n$`));
  });

  test('-c CONFIG that is not YAML: located on stderr, exit 1, nothing on stdout', () => {
    const dir = tmp({ 'c.yaml': 'kind: [\n' });
    const path = join(dir, 'c.yaml');
    const r = withEnv(NO_ENV, () =>
      runInProcess('retarget-set-fs-group', ['-c', path], resourceList()),
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${path}:2:1: [^\\n]+\\n$`));
  });
});

describe('how a failure ends', () => {
  test.each([
    ['retarget', (io: Io) => main(['--version'], io)],
    ['an executable', (io: Io) => krmMain(findFunction('set-fs-group')!, ['--help'], io)],
  ])('%s: the reader went away: exit 141, not a word', (_what, run) => {
    const { io, stderr } = failingIo(new BrokenPipe());
    expect(withEnv(NO_ENV, () => run(io))).toBe(141);
    expect(stderr).toEqual([]);
  });

  test('an output error is located, printable and cut short', () => {
    const reason = `cannot write\u001b[2J ${'x'.repeat(2100)}`;
    const { io, stderr } = failingIo(new SourceError(reason, { path: 'out.yaml' }));
    expect(withEnv(NO_ENV, () => main(['functions'], io))).toBe(1);
    const message = `out.yaml: ${reason}`;
    expect(stderr).toEqual([
      `error: ${message.slice(0, 2000).replace('\u001b', '\\x1b')}… (${message.length - 2000} more characters)\n`,
    ]);
  });

  test.each([
    ['retarget', (io: Io) => main(['--version'], io), []],
    ['retarget with a command', (io: Io) => main(['functions'], io), []],
    ['an executable', (io: Io) => krmMain(findFunction('hydrate')!, ['-h'], io), []],
  ])('%s: an internal error says so, without its stack unless asked', (_what, run) => {
    const { io, stderr } = failingIo(new Error('disk\non fire'));
    expect(withEnv(NO_ENV, () => run(io))).toBe(1);
    expect(stderr).toEqual([
      'retarget: internal error: disk\\non fire\n',
      '(run with --debug for the stack trace)\n',
    ]);
  });

  test('an internal error with --debug or RETARGET_DEBUG=1: its stack', () => {
    const failure = new Error('boom');
    for (const [args, env] of [
      [['--debug', 'functions'], NO_ENV],
      [['functions'], { ...NO_ENV, RETARGET_DEBUG: '1' }],
    ] as const) {
      const { io, stderr } = failingIo(failure);
      expect(withEnv(env, () => main([...args], io))).toBe(1);
      expect(stderr).toEqual(['retarget: internal error: boom\n', `${failure.stack}\n`]);
    }
    const krm = failingIo(failure);
    expect(
      withEnv(NO_ENV, () => krmMain(findFunction('hydrate')!, ['--debug', '-h'], krm.io)),
    ).toBe(1);
    expect(krm.stderr).toEqual(['retarget: internal error: boom\n', `${failure.stack}\n`]);
    const env = failingIo(failure);
    expect(
      withEnv({ ...NO_ENV, RETARGET_DEBUG: '1' }, () =>
        krmMain(findFunction('hydrate')!, ['-h'], env.io),
      ),
    ).toBe(1);
    expect(env.stderr).toEqual(krm.stderr);
  });

  test.each([
    ['a string', 'plain text', 'plain text'],
    ['null', null, 'null'],
    [
      'an error without a stack',
      Object.assign(new Error('stackless'), { stack: undefined }),
      'stackless',
    ],
  ])('something thrown that is %s: still one message, exit 1', (_what, failure, shown) => {
    for (const debug of [[], ['--debug']]) {
      const { io, stderr } = failingIo(failure);
      expect(withEnv(NO_ENV, () => main([...debug, 'functions'], io))).toBe(1);
      expect(stderr).toEqual([
        `retarget: internal error: ${shown}\n`,
        '(run with --debug for the stack trace)\n',
      ]);
    }
  });

  test('a long internal message is cut short', () => {
    const { io, stderr } = failingIo(new Error('y'.repeat(2050)));
    expect(withEnv(NO_ENV, () => main(['--version'], io))).toBe(1);
    expect(stderr[0]).toBe(`retarget: internal error: ${'y'.repeat(2000)}… (50 more characters)\n`);
  });
});

describe('an invalid config found by a command: its results on stderr, exit 1', () => {
  test('retarget dockerfile with a config that fails its schema', () => {
    const dir = tmp({
      'c.yaml': 'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nfsGroup: abc\n',
    });
    const path = join(dir, 'c.yaml');
    const r = retarget(['dockerfile', '-c', path, '-'], 'FROM scratch\n');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toBe(
      `error: ${path} fsGroup: invalid config: fsGroup: must be integer, not "abc"`,
    );
    for (const line of lines) expect(line.startsWith(`error: ${path} fsGroup: `)).toBe(true);
  });
});
