import { SourceError } from '../../src/errors';
import { runKrm } from '../../src/cli/krm';
import type { ResourceList } from '../../src/io/resource-list';
import { findFunction } from '../../src/pipeline/functions';
import type { KrmFunction } from '../../src/pipeline/functions';

/**
 * What one KRM function call gives kpt, kustomize and Argo CD (the executables' stdin to
 * stdout), stated in process: the exact ResourceList written back, the exit code, the
 * results, and whether the items no function reads were copied through unparsed. The
 * suites under test/e2e state the same through the bundled executables; these run the
 * source itself.
 */
const fsGroup = findFunction('set-fs-group')!;

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const DEPLOYMENT = `- apiVersion: apps/v1
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
const SERVICE = `- apiVersion: v1
  kind: Service
  metadata:
    name: app
  spec:
    type: ClusterIP
`;
/** What set-fs-group adds under the Deployment's pod spec. */
const FS_GROUP_2000 = '        securityContext:\n          fsGroup: 2000\n';

const config = (body: string, metadata = '  metadata:\n    name: f\n') =>
  `functionConfig:\n  apiVersion: fn.retarget.dev/v1alpha1\n  kind: SetFsGroup\n${metadata}${body}`;
const CONFIG_2000 = config('  fsGroup: 2000\n');
const list = (items: string, tail = CONFIG_2000) => `${HEAD}items:\n${items}${tail}`;

const INPUT = list(DEPLOYMENT + SERVICE);
const OUTPUT = list(DEPLOYMENT + FS_GROUP_2000 + SERVICE);

/** The same list as JSON (a layout kpt does not write: the whole list is parsed). */
const JSON_ITEMS =
  '[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},' +
  '"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a"}]}}}},' +
  '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"}}]';
const JSON_INPUT = `{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":${JSON_ITEMS},"functionConfig":{"apiVersion":"fn.retarget.dev/v1alpha1","kind":"SetFsGroup","fsGroup":2000}}`;

describe('runKrm: a function call that succeeds', () => {
  test('the edited list, exit 0, no results; the Service copied through as its text', () => {
    expect(runKrm(fsGroup, INPUT)).toStrictEqual({
      stdout: OUTPUT,
      exitCode: 0,
      results: [],
      copiedItems: 1,
    });
  });

  test('copyUnread: false parses every item and gives the same bytes', () => {
    expect(runKrm(fsGroup, INPUT, undefined, { copyUnread: false })).toStrictEqual({
      stdout: OUTPUT,
      exitCode: 0,
      results: [],
      copiedItems: 0,
    });
  });

  test('copyUnread: true is the default', () => {
    expect(runKrm(fsGroup, INPUT, undefined, { copyUnread: true }).copiedItems).toBe(1);
  });

  test('the config given with -c replaces the functionConfig, even an invalid one, and still copies', () => {
    const invalid = list(DEPLOYMENT + SERVICE, config('  fsGroup: -1\n'));
    const given = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'SetFsGroup', fsGroup: 2000 };
    expect(runKrm(fsGroup, invalid, given)).toStrictEqual({
      stdout: list(DEPLOYMENT + FS_GROUP_2000 + SERVICE, config('  fsGroup: -1\n')),
      exitCode: 0,
      results: [],
      copiedItems: 1,
    });
  });

  test('a list in a layout kpt does not write (JSON) is read whole: nothing copied', () => {
    const outcome = runKrm(fsGroup, JSON_INPUT);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.copiedItems).toBe(0);
    expect(outcome.results).toEqual([]);
    expect(outcome.stdout).toContain('securityContext: { fsGroup: 2000 }');
    expect(outcome.stdout).toContain('{ "apiVersion": "v1", "kind": "Service"');
  });

  test('a config with no metadata, or metadata without annotations, runs', () => {
    const bare = list(DEPLOYMENT + SERVICE, config('  fsGroup: 2000\n', ''));
    expect(runKrm(fsGroup, bare)).toStrictEqual({
      stdout: list(DEPLOYMENT + FS_GROUP_2000 + SERVICE, config('  fsGroup: 2000\n', '')),
      exitCode: 0,
      results: [],
      copiedItems: 1,
    });
    const given = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'SetFsGroup', fsGroup: 2000 };
    expect(runKrm(fsGroup, INPUT, given).stdout).toBe(OUTPUT);
    expect(runKrm(fsGroup, INPUT, { ...given, metadata: { name: 'x' } }).stdout).toBe(OUTPUT);
  });
});

describe('runKrm: the input layout is kept', () => {
  test('CRLF line breaks stay CRLF, in the copied text and in what the function added', () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const outcome = runKrm(fsGroup, crlf(INPUT));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toBe(crlf(OUTPUT));
    // A list printed whole (yaml writes LF) gets CRLF too.
    const json = crlf(JSON.stringify(JSON.parse(JSON_INPUT), null, 2));
    const whole = runKrm(fsGroup, json).stdout;
    expect(whole).toContain('securityContext:');
    expect(whole.replace(/\r\n/g, '')).not.toContain('\n');
    expect(whole.endsWith(' }\r\n')).toBe(true);
  });

  test('a byte-order mark stays, once, whether the list is patched or printed whole', () => {
    const bom = '\uFEFF';
    expect(runKrm(fsGroup, bom + INPUT).stdout).toBe(bom + OUTPUT);
    const json = runKrm(fsGroup, bom + JSON_INPUT);
    expect(json.exitCode).toBe(0);
    expect(json.stdout.startsWith(bom)).toBe(true);
    expect(json.stdout.startsWith(bom + bom)).toBe(false);
    expect(json.stdout.slice(1)).toBe(runKrm(fsGroup, JSON_INPUT).stdout);
  });

  test('no byte-order mark and LF: none added', () => {
    const { stdout } = runKrm(fsGroup, INPUT);
    expect(stdout.includes('\r')).toBe(false);
    expect(stdout.includes('\uFEFF')).toBe(false);
  });
});

describe('runKrm: a failed call writes every item back unchanged, with the results, exit 1', () => {
  const NOT_KRM = '- just a string\n';
  const notKrm = (index: number) => ({
    severity: 'error',
    message: `items[${index}] is not a KRM object: it needs a string apiVersion and kind`,
    field: { path: `items[${index}]` },
  });
  const noConfig = {
    severity: 'error',
    message:
      'no functionConfig: set-fs-group needs a SetFsGroup (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap',
  };
  const RESULTS_TEXT =
    'results:\n' +
    '- message: "items[2] is not a KRM object: it needs a string apiVersion and kind"\n' +
    '  severity: error\n' +
    '  field:\n' +
    '    path: items[2]\n' +
    '- message: "no functionConfig: set-fs-group needs a SetFsGroup (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap"\n' +
    '  severity: error\n';

  test('an item that is not a KRM object and no functionConfig: both reported', () => {
    const input = list(DEPLOYMENT + SERVICE + NOT_KRM, '');
    // Without a config there is no telling what the function reads: nothing is copied.
    expect(runKrm(fsGroup, input)).toStrictEqual({
      stdout: input + RESULTS_TEXT,
      exitCode: 1,
      results: [notKrm(2), noConfig],
      copiedItems: 0,
    });
  });

  test('an invalid item beside a valid config: the Deployment is not edited, every sound item copied', () => {
    const input = list(DEPLOYMENT + NOT_KRM + SERVICE);
    const unchanged = {
      stdout:
        input +
        'results:\n' +
        '- message: "items[1] is not a KRM object: it needs a string apiVersion and kind"\n' +
        '  severity: error\n' +
        '  field:\n' +
        '    path: items[1]\n',
      exitCode: 1,
      results: [notKrm(1)],
    };
    expect(runKrm(fsGroup, input)).toStrictEqual({ ...unchanged, copiedItems: 2 });
    // copyUnread: false: the same bytes, nothing copied.
    expect(runKrm(fsGroup, input, undefined, { copyUnread: false })).toStrictEqual({
      ...unchanged,
      copiedItems: 0,
    });
  });

  test('a JSON list with no functionConfig: the results added, nothing copied', () => {
    const input = `{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":${JSON_ITEMS}}`;
    const outcome = runKrm(fsGroup, input);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.results).toStrictEqual([noConfig]);
    expect(outcome.copiedItems).toBe(0);
    // Printed whole (the flow style yaml writes), the items as they came.
    expect(outcome.stdout).toBe(
      '{ "apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [ ' +
        '{ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "a" }, ' +
        '"spec": { "template": { "spec": { "containers": [ { "name": "a", "image": "a" } ] } } } }, ' +
        '{ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "a" } } ], ' +
        `results: [ { message: "${noConfig.message}", severity: error } ] }\n`,
    );
  });
});

describe('runKrm: an invalid config is located in the file its annotations name', () => {
  const invalid = (annotations: string) =>
    list(
      DEPLOYMENT + SERVICE,
      config(
        '  fsGroup: -1\n',
        `  metadata:\n    name: f\n${annotations ? `    annotations:\n${annotations}` : ''}`,
      ),
    );
  const fileOf = (annotations: string) => {
    const outcome = runKrm(fsGroup, invalid(annotations));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toBe(
      invalid(annotations) + outcome.stdout.slice(invalid(annotations).length),
    );
    expect(outcome.results).toHaveLength(1);
    expect(outcome.results[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^invalid SetFsGroup config: fsGroup: /) as unknown,
      field: { path: 'fsGroup' },
    });
    return outcome.results[0].file;
  };

  test.each([
    [
      'config.kubernetes.io/path',
      "      config.kubernetes.io/path: 'fn/config.yaml'\n",
      'fn/config.yaml',
    ],
    [
      'internal.config.kubernetes.io/path',
      "      internal.config.kubernetes.io/path: 'fn/internal.yaml'\n",
      'fn/internal.yaml',
    ],
    [
      'both: the internal one first',
      "      config.kubernetes.io/path: 'fn/config.yaml'\n      internal.config.kubernetes.io/path: 'fn/internal.yaml'\n",
      'fn/internal.yaml',
    ],
  ])('%s', (_what, annotations, path) => {
    expect(fileOf(annotations)).toStrictEqual({ path });
  });

  test.each([
    ['no annotations', ''],
    ['a path that is not a string', '      config.kubernetes.io/path: 5\n'],
    ['other annotations only', "      config.kubernetes.io/index: '0'\n"],
  ])('no file with %s', (_what, annotations) => {
    expect(fileOf(annotations)).toBeUndefined();
  });
});

describe('runKrm: how a function failing is reported', () => {
  const input = list(DEPLOYMENT + SERVICE);
  const withApply = (apply: KrmFunction['apply']): KrmFunction => ({ ...fsGroup, apply });

  test('an unexpected exception is an "internal error" result; the list comes back unchanged', () => {
    const broken = withApply(() => {
      throw new Error('boom');
    });
    for (const copyUnread of [true, false]) {
      const outcome = runKrm(broken, input, undefined, { copyUnread });
      expect(outcome).toStrictEqual({
        stdout: `${input}results:\n- message: "internal error: boom"\n  severity: error\n`,
        exitCode: 1,
        results: [{ severity: 'error', message: 'internal error: boom' }],
        copiedItems: copyUnread ? 2 : 0,
      });
    }
  });

  test('a located refusal (SourceError) from the function is thrown as it is, not a result', () => {
    const refusal = new SourceError('cannot read this', { path: 'x.yaml', line: 3 });
    const refusing = withApply(() => {
      throw refusal;
    });
    expect(() => runKrm(refusing, input)).toThrow(refusal);
    expect(() => runKrm(refusing, input, undefined, { copyUnread: false })).toThrow(refusal);
  });
});

describe('runKrm: the pass-through hook', () => {
  const input = list(DEPLOYMENT + SERVICE);

  test('a function without one has the whole list parsed: same bytes, nothing copied', () => {
    const noHook: KrmFunction = { ...fsGroup, passThrough: undefined };
    expect(runKrm(noHook, input)).toStrictEqual({
      stdout: OUTPUT,
      exitCode: 0,
      results: [],
      copiedItems: 0,
    });
  });

  test('the hook gets the -c config when there is one, else the functionConfig', () => {
    const seen: unknown[] = [];
    const spying: KrmFunction = {
      ...fsGroup,
      passThrough: (c) => (seen.push(c), fsGroup.passThrough!(c)),
    };
    const given = { kind: 'SetFsGroup', fsGroup: 2000 };
    runKrm(spying, input);
    runKrm(spying, input, given);
    expect(seen).toStrictEqual([
      {
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'SetFsGroup',
        metadata: { name: 'f' },
        fsGroup: 2000,
      },
      given,
    ]);
  });

  test('a refusal met while copying is the whole list’s to make: the list is read whole', () => {
    const refusing: KrmFunction = {
      ...fsGroup,
      passThrough: () => {
        throw new SourceError('not while copying', {});
      },
    };
    expect(runKrm(refusing, input)).toStrictEqual({
      stdout: OUTPUT,
      exitCode: 0,
      results: [],
      copiedItems: 0,
    });
  });

  test('a bug in the hook is not hidden by reading the list another way', () => {
    const bug = new TypeError('hook bug');
    const buggy: KrmFunction = {
      ...fsGroup,
      passThrough: () => {
        throw bug;
      },
    };
    expect(() => runKrm(buggy, input)).toThrow(bug);
  });

  test('an edit that would reach a copied item: the list is read whole and the function runs on that', () => {
    // An item put before the copied Service: its lines would have to be rendered again.
    const inserting: KrmFunction = {
      ...fsGroup,
      apply: (ctx, raw, location) => {
        const set = ctx.set as ResourceList;
        set.items.items.splice(1, 0, set.doc.createNode({ apiVersion: 'v1', kind: 'X' }));
        fsGroup.apply(ctx, raw, location);
      },
    };
    const outcome = runKrm(inserting, input);
    expect(outcome).toStrictEqual({
      stdout: list(DEPLOYMENT + FS_GROUP_2000 + '- apiVersion: v1\n  kind: X\n' + SERVICE),
      exitCode: 0,
      results: [],
      copiedItems: 0,
    });
  });
});
