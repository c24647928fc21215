import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { runKrm } from '../../src/cli/krm';
import type { KrmOutcome } from '../../src/cli/krm';
import { ResourceList } from '../../src/io/resource-list';
import { findFunction, FUNCTIONS } from '../../src/pipeline/functions';
import type { KrmFunction } from '../../src/pipeline/functions';
import { splitListItems } from '../../src/yaml/list-items';
import { describeWith, run, tempDir } from '../e2e/support';
import { packageText } from '../support/arbitraries';
import { exercised } from '../support/exercised';
import { DIST, REPO, specCases } from '../support/run';
import { functionConfig as configArbitrary, yamlFile } from './fuzz-arbitraries';

/**
 * KRM mode copies the items no function reads through as their text (ResourceList
 * parseCopying) instead of parsing the whole list. That is only a speed-up: on every
 * input, the output, the exit code, the results (messages, resourceRef, field, file,
 * tags) and the refusals must be those of parsing the whole list (copyUnread: false),
 * byte for byte. Checked on every golden case, on the lists `kpt fn source` makes of
 * the generator-shaped specs and of the real ones, and on fuzzed lists.
 */
const runs = Number(process.env.FC_RUNS ?? 100);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 16_2026;
const timeout = Math.max(60_000, runs * 150);

type Attempt = { outcome: KrmOutcome } | { error: string };

function attempt(f: () => KrmOutcome): Attempt {
  try {
    return { outcome: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Runs both ways and expects the same; returns the copying run's outcome (if any). */
function sameBothWays(fn: KrmFunction, list: string, config?: unknown): KrmOutcome | undefined {
  const copying = attempt(() => runKrm(fn, list, config));
  const whole = attempt(() => runKrm(fn, list, config, { copyUnread: false }));
  if ('error' in whole) {
    expect(copying).toEqual(whole);
    return undefined;
  }
  expect('outcome' in copying).toBe(true);
  if (!('outcome' in copying)) return undefined;
  expect(whole.outcome.copiedItems).toBe(0);
  expect(copying.outcome.stdout).toBe(whole.outcome.stdout);
  expect(copying.outcome.exitCode).toBe(whole.outcome.exitCode);
  expect(copying.outcome.results).toEqual(whole.outcome.results);
  return copying.outcome;
}

/**
 * A ResourceList in the layout kpt writes, made of a YAML stream: each document's text
 * becomes an item (`- ` then its lines indented under it, the comments above it on the
 * `-` line as kpt puts them), at column 0 or 2, with the functionConfig after the items.
 */
function blockList(stream: string, config: unknown, column = 0): string {
  const text = stream.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const pad = ' '.repeat(column);
  const items: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    const range = doc.contents?.range;
    if (!range || range[1] <= range[0]) continue;
    const comments = (doc.commentBefore ?? '')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `#${line}`);
    const body = text.slice(range[0], range[1]).replace(/\n+$/, '').split('\n');
    const lines = [...comments, ...body];
    items.push(
      lines
        .map((line, i) => (i === 0 ? `${pad}- ${line}` : line ? `${pad}  ${line}` : ''))
        .join('\n'),
    );
  }
  const configText = JSON.stringify(config);
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.map((i) => `${i}\n`).join('')}functionConfig: ${configText}\n`;
}

function fnFor(config: unknown, dir: string): KrmFunction {
  const named = join(dir, 'function');
  if (existsSync(named)) return findFunction(readFileSync(named, 'utf8').trim())!;
  return FUNCTIONS.find((f) => f.kind === (config as { kind?: string }).kind)!;
}

const GOLDEN = join(REPO, 'testdata/golden');
const goldenCases = readdirSync(GOLDEN).filter((name) =>
  existsSync(join(GOLDEN, name, 'config.yaml')),
);

describe('KRM mode: copying unread items gives what parsing the whole list gives', () => {
  const copiedIn = new Map<string, number>();

  describe.each(goldenCases)('golden %s', (name) => {
    const dir = join(GOLDEN, name);
    const resources = readFileSync(join(dir, 'resources.yaml'), 'utf8');
    const config = parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as unknown;
    const fn = fnFor(config, dir);

    test.each([0, 2])('items at column %i, no kpt annotations', (column) => {
      const list = blockList(resources, config, column);
      const outcome = sameBothWays(fn, list);
      // Run again on its own output: still the same both ways (kpt re-renders).
      if (outcome?.exitCode === 0) sameBothWays(fn, outcome.stdout);
    });

    test('the config given with -c instead of in the list', () => {
      sameBothWays(fn, blockList(resources, { kind: 'ConfigMap' }), config);
    });
  });

  test('the copying path is taken in the golden cases that hold a kind no function reads', () => {
    // Every case with a Service, a Kptfile or the like beside its workloads copies it.
    for (const name of goldenCases) {
      const dir = join(GOLDEN, name);
      const config = parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as unknown;
      const resources = readFileSync(join(dir, 'resources.yaml'), 'utf8');
      const outcome = sameBothWays(fnFor(config, dir), blockList(resources, config));
      copiedIn.set(name, outcome?.copiedItems ?? 0);
    }
    const copying = goldenCases.filter((name) => (copiedIn.get(name) ?? 0) > 0);
    expect(copying).toEqual(
      expect.arrayContaining([
        'hydrate-legacy-deployment',
        'hydrate-statefulset-pv-pvc',
        'hydrate-service-manager-configmap',
      ]),
    );
  });
});

const FULL_CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: migrated
  annotations:
    config.kubernetes.io/local-config: "true"
imagePullSecrets: [gcr-json-key]
fsGroup: 2000
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/migrated
  initSystem: systemd
`;

const ONE_FUNCTION_CONFIGS: Record<string, string> = {
  'set-image-pull-secrets': 'names: gcr-json-key',
  'set-fs-group': 'fsGroup: "2000"',
  'link-kubernetes-info-secrets': 'initSystem: systemd',
  'set-aws-workload-identity': 'roleArn: arn:aws:iam::123456789012:role/migrated',
  'set-gcp-workload-identity':
    'principal: direct\nprojectId: prod-cluster\nprojectNumber: "123456789012"\nroles: [roles/storage.objectViewer]',
  'port-data-volumes': 'platform: eks',
  preflight: 'platform: eks',
};

describeWith(['kpt'])('KRM mode on the lists kpt fn source makes', () => {
  /** `kpt fn source` of a package holding the spec (and a Kptfile), the config as functionConfig. */
  function kptSource(spec: string, config: string): string {
    const dir = tempDir('krm-copy');
    writeFileSync(
      join(dir, 'Kptfile'),
      'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
    );
    writeFileSync(join(dir, 'deployment_spec.yaml'), spec);
    const configPath = join(tempDir('krm-copy-config'), 'config.yaml');
    writeFileSync(configPath, config);
    const source = run('kpt', ['fn', 'source', dir, '--fn-config', configPath]);
    expect(source.status).toBe(0);
    return source.stdout;
  }

  describe.each(specCases().map((c) => [c.name, c] as const))('%s', (_name, spec) => {
    const text = readFileSync(spec.spec, 'utf8');

    test('hydrate, every stage on: same output, and the Services and Kptfile copied', () => {
      const list = kptSource(text, FULL_CONFIG);
      const outcome = sameBothWays(findFunction('hydrate')!, list)!;
      expect(outcome.exitCode).toBe(0);
      // The Kptfile and every Service are copied; every workload is parsed.
      const kinds = (parse(list) as { items: { kind: string }[] }).items.map((i) => i.kind);
      expect(outcome.copiedItems).toBe(
        kinds.filter((k) => k === 'Service' || k === 'Kptfile').length,
      );
      // kpt re-renders: a second run on the output changes nothing, both ways.
      const again = sameBothWays(findFunction('hydrate')!, outcome.stdout)!;
      expect(again.stdout).toBe(outcome.stdout);
    });

    test.each(Object.entries(ONE_FUNCTION_CONFIGS))('%s alone', (name, body) => {
      const fn = findFunction(name)!;
      const config = `apiVersion: fn.retarget.dev/v1alpha1\nkind: ${fn.kind}\nmetadata:\n  name: one\n${body}\n`;
      sameBothWays(fn, kptSource(text, config));
    });
  });

  test('a golden case through kpt fn source (path and index annotations on every item)', () => {
    for (const name of goldenCases) {
      const dir = join(GOLDEN, name);
      const config = readFileSync(join(dir, 'config.yaml'), 'utf8');
      const resources = readFileSync(join(dir, 'resources.yaml'), 'utf8');
      const fn = fnFor(parse(config), dir);
      const tmp = tempDir('krm-copy-golden');
      writeFileSync(join(tmp, 'resources.yaml'), resources);
      const configPath = join(tempDir('krm-copy-golden-config'), 'config.yaml');
      writeFileSync(configPath, config);
      const source = run('kpt', ['fn', 'source', tmp, '--fn-config', configPath]);
      // kpt refuses what it cannot read (a duplicate key): nothing to compare then.
      if (source.status !== 0) {
        expect(name).toBe('hydrate-duplicate-key');
        continue;
      }
      sameBothWays(fn, source.stdout);
    }
  });
});

describe('KRM mode copying: refusals and located errors are the whole list’s', () => {
  const hydrate = findFunction('hydrate')!;
  const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Retarget', fsGroup: 2000 };
  const deployment = (name: string) =>
    `- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: ${name}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: app\n          image: app\n`;
  const service = (name: string) =>
    `- apiVersion: v1\n  kind: Service\n  metadata:\n    name: ${name}\n  spec:\n    type: ClusterIP\n`;
  const list = (items: string, tail = `functionConfig: ${JSON.stringify(config)}\n`) =>
    `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}${tail}`;

  test('a plain list is copied (the cases below differ from it by one thing)', () => {
    const outcome = sameBothWays(hydrate, list(deployment('a') + service('a')))!;
    expect(outcome.copiedItems).toBe(1);
    expect(outcome.stdout).toContain('fsGroup: 2000');
  });

  test.each([
    [
      'a duplicate key in a workload',
      deployment('a').replace('    name: a\n', '    name: a\n    name: b\n'),
    ],
    [
      'a duplicate key in a Service',
      service('a').replace('    name: a\n', '    name: a\n    name: b\n'),
    ],
    ['a duplicate key in the list itself', `${deployment('a')}items: []\n`],
    [
      'an alias to an anchor in another item',
      deployment('a').replace('image: app', 'image: &img app') +
        deployment('b').replace('image: app', 'image: *img'),
    ],
    [
      'an alias to an anchor in the same item',
      deployment('a').replace('name: app', 'name: &n app').replace('image: app', 'image: *n'),
    ],
    ['an unknown alias', deployment('a').replace('image: app', 'image: *nowhere')],
    [
      'a merge key',
      deployment('a').replace('    name: a\n', '    <<: {labels: {x: y}}\n    name: a\n'),
    ],
    ['a tab in an item', service('a').replace('    type', '\ttype')],
    ['bad indentation in an item', deployment('a').replace('    template:', '   template:')],
    ['an item that is not a KRM object', `- just a string\n${service('a')}`],
    ['an item with no kind', service('a').replace('  kind: Service\n', '')],
    [
      'a kind: List item',
      `- apiVersion: v1\n  kind: List\n  items:\n${deployment('x').replace(/^/gm, '  ').trimEnd()}\n`,
    ],
    ['comments between items', `${deployment('a')}# between\n${service('a')}`],
    ['a blank line between items', `${deployment('a')}\n${service('a')}`],
    ['a trailing comment in the last item', `${deployment('a')}${service('a')}  # trailing\n`],
    ['an unterminated quote', `${deployment('a')}- apiVersion: "v1\n  kind: Service\n`],
    ['a block scalar', service('a').replace('    type: ClusterIP', '    type: |\n      ClusterIP')],
    [
      'annotations the line check reads as numbers',
      service('a').replace(
        '    name: a\n',
        "    name: a\n    annotations:\n      config.kubernetes.io/index: 0\n      config.kubernetes.io/path: 'x.yaml'\n",
      ),
    ],
  ])('%s', (_what, items) => {
    sameBothWays(hydrate, list(`${deployment('w')}${items}`));
  });

  test.each([
    ['no functionConfig', ''],
    ['a functionConfig that is not a map', 'functionConfig: 3\n'],
    [
      'an invalid config',
      'functionConfig: {kind: Retarget, apiVersion: fn.retarget.dev/v1alpha1, fsGroup: -1}\n',
    ],
    [
      'a ConfigMap config',
      'functionConfig: {apiVersion: v1, kind: ConfigMap, data: {fsGroup: "2000"}}\n',
    ],
    [
      'results from an earlier function',
      `results:\n- message: earlier\n  severity: info\nfunctionConfig: ${JSON.stringify(config)}\n`,
    ],
    ['the functionConfig before the items', null],
    ['a CRLF list', 'crlf'],
    ['a byte-order mark', 'bom'],
    ['a `---` marker', '---'],
    ['a JSON list', 'json'],
  ])('%s', (_what, tail) => {
    const items = deployment('a') + service('a');
    let text: string;
    if (tail === null) {
      text = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig: ${JSON.stringify(config)}\nitems:\n${items}`;
    } else if (tail === 'crlf') text = list(items).replace(/\n/g, '\r\n');
    else if (tail === 'bom') text = `\uFEFF${list(items)}`;
    else if (tail === '---') text = `---\n${list(items)}`;
    else if (tail === 'json') text = JSON.stringify(parse(list(items)));
    else text = list(items, tail);
    const outcome = sameBothWays(hydrate, text);
    // Layouts kpt does not write are read whole; the functionConfig may come first.
    if (tail === null) expect(outcome?.copiedItems).toBe(1);
    if (['crlf', 'bom', '---', 'json'].includes(tail ?? '')) expect(outcome?.copiedItems).toBe(0);
  });

  test('the items last, without a final line break, the config given with -c', () => {
    for (const items of [deployment('a') + service('a'), service('a') + deployment('a')]) {
      const text = list(items, '').replace(/\n$/, '');
      const outcome = sameBothWays(hydrate, text, config)!;
      expect(outcome.copiedItems).toBe(1);
      expect(outcome.stdout).toContain('fsGroup: 2000');
    }
  });

  test('the executable refuses what it refused before reading any item: non-UTF-8 bytes, too many nodes', () => {
    const bin = join(DIST, 'retarget-hydrate.js');
    const text = list(deployment('a') + service('a'));
    // A Latin-1 byte inside the Service, the item that would be copied as it is.
    const bytes = Buffer.from(text.replace('type: ClusterIP', 'type: Clusterx'), 'utf8');
    bytes[bytes.indexOf('Clusterx') + 7] = 0xe9;
    const latin1 = spawnSync(process.execPath, [bin], { input: bytes });
    expect(latin1.status).toBe(1);
    expect(latin1.stdout.toString()).toBe('');
    expect(latin1.stderr.toString()).toMatch(
      /<stdin>:19:18: not UTF-8: invalid byte sequence starting with 0xE9/,
    );
    const limited = spawnSync(process.execPath, [bin], {
      input: text,
      env: { ...process.env, RETARGET_MAX_NODES: '10' },
    });
    expect(limited.status).toBe(1);
    expect(limited.stdout.toString()).toBe('');
    expect(limited.stderr.toString()).toContain('RETARGET_MAX_NODES');
    const fine = spawnSync(process.execPath, [bin], { input: text });
    expect(fine.status).toBe(0);
    expect(fine.stdout.toString()).toBe(
      runKrm(hydrate, text, undefined, { copyUnread: false }).stdout,
    );
  });

  test('a new resource takes the next index in the file of a copied item', () => {
    const annotated = (item: string, index: number) =>
      item.replace(
        /(\n {2}metadata:\n {4}name: [a-z]+\n)/,
        `$1    annotations:\n      config.kubernetes.io/path: 'app.yaml'\n      config.kubernetes.io/index: '${index}'\n`,
      );
    const aws = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
      awsWorkloadIdentity: {
        roleArn: 'arn:aws:iam::123456789012:role/x',
        serviceAccountName: 'app',
      },
    };
    const text = list(
      annotated(deployment('a'), 0) + annotated(service('a'), 7),
      `functionConfig: ${JSON.stringify(aws)}\n`,
    );
    const outcome = sameBothWays(hydrate, text)!;
    expect(outcome.copiedItems).toBe(1);
    const items = (
      parse(outcome.stdout) as {
        items: { kind: string; metadata: { annotations?: Record<string, string> } }[];
      }
    ).items;
    const sa = items.find((i) => i.kind === 'ServiceAccount')!;
    expect(sa.metadata.annotations?.['config.kubernetes.io/index']).toBe('8');
  });

  test('an edit that would reach a copied item makes render decline (the caller reads the list whole)', () => {
    const text = list(deployment('a') + service('a'));
    const copying = ResourceList.parseCopying(text, () => (kind) => kind === 'Service')!;
    expect(copying.copiedItems).toBe(1);
    expect(copying.render([])).toBe(text);
    // An item put before the copied one: its lines would have to be rendered.
    copying.items.items.splice(1, 0, copying.doc.createNode({ apiVersion: 'v1', kind: 'X' }));
    expect(copying.render([])).toBeUndefined();
  });
});

describe('splitListItems: the layouts it follows', () => {
  const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
  test('items at column 0 and 2, with comments on the `-` line and inside items', () => {
    const text = `${head}items:\n- # c\n  a: 1\n  # inside\n  b: 2\n- c: 3\nfunctionConfig: {}\n`;
    const split = splitListItems(text)!;
    expect(split.items.map((i) => text.slice(i.start, i.end))).toEqual([
      '- # c\n  a: 1\n  # inside\n  b: 2\n',
      '- c: 3\n',
    ]);
    expect(text.slice(split.end)).toBe('functionConfig: {}\n');
    const indented = `${head}items:\n  - a: 1\n  - b: 2\n`;
    expect(splitListItems(indented)!.items.map((i) => indented.slice(i.start, i.end))).toEqual([
      '  - a: 1\n',
      '  - b: 2\n',
    ]);
  });

  test.each([
    ['a flow list', `${head}items: [{a: 1}]\n`],
    ['CRLF', `${head}items:\r\n- a: 1\r\n`],
    ['a comment between items', `${head}items:\n- a: 1\n# c\n- b: 2\n`],
    ['a blank line after an item', `${head}items:\n- a: 1\n\nfunctionConfig: {}\n`],
    ['a tab', `${head}items:\n- a: 1\n\tb: 2\n`],
    ['a document marker', `---\n${head}items:\n- a: 1\n`],
    ['`-` alone on its line', `${head}items:\n-\n  a: 1\n`],
    ['nothing under items', `${head}items:\nfunctionConfig: {}\n`],
  ])('declines %s', (_what, text) => {
    expect(splitListItems(text)).toBeUndefined();
  });
});

/** A Service the line check finds sound: the fuzzed lists hold one, first or last. */
const PLAIN_SERVICE = `# a Service no function reads
apiVersion: v1
kind: Service
metadata:
  name: plain
  annotations:
    config.kubernetes.io/path: 'plain.yaml'
spec:
  selector:
    app: plain
  ports:
  - port: 80
`;

function withService(text: string, first: boolean): string {
  const stream = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  // A directive may only follow a document end marker.
  if (first) return `${PLAIN_SERVICE}${stream.startsWith('%') ? '...' : '---'}\n${stream}`;
  return `${stream}${stream.endsWith('\n') ? '' : '\n'}---\n${PLAIN_SERVICE}`;
}

describe('fuzz: copying and parsing the whole list agree', () => {
  test(
    'random documents with random comments and layout beside a plain Service, through hydrate',
    () => {
      const reach = exercised('copying path taken', 0.5);
      const config = {
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'Retarget',
        fsGroup: 1234,
        imagePullSecrets: ['x'],
        awsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/x', initSystem: 'systemd' },
      };
      fc.assert(
        fc.property(yamlFile, fc.boolean(), fc.constantFrom(0, 2), (text, first, column) => {
          const list = blockList(withService(text, first), config, column);
          const outcome = sameBothWays(findFunction('hydrate')!, list);
          reach.run((outcome?.copiedItems ?? 0) > 0);
        }),
        { numRuns: runs, seed },
      );
      reach.assert();
    },
    timeout,
  );

  test(
    'random packages beside a plain Service, random valid configs of every function',
    () => {
      const reach = exercised('copying path taken', 0.5);
      fc.assert(
        fc.property(
          packageText,
          configArbitrary,
          fc.boolean(),
          fc.constantFrom(0, 2),
          (text, [name, config], first, column) => {
            const fn = findFunction(name)!;
            const outcome = sameBothWays(fn, blockList(withService(text, first), config, column));
            reach.run((outcome?.copiedItems ?? 0) > 0);
            if (outcome?.exitCode === 0) sameBothWays(fn, outcome.stdout);
          },
        ),
        { numRuns: runs, seed },
      );
      reach.assert();
    },
    timeout,
  );
});
