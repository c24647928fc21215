import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { composeSimple } from '../../src/yaml/fast-compose';
import { agreesEverywhere, OPTIONS, slices } from '../support/compose-oracle';

// A fixed seed (FC_SEED picks another): a failure is reproducible from the log.
const FC_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261130;
const RUNS = Math.max(2000, Number(process.env.FC_RUNS ?? 0));

const DEPLOYMENT = `# Stateless application specification -
# The Deployment creates a single replicated Pod, indicated by the 'replicas' field
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: app-quickstart-instance
    migrate-for-anthos-type: workload
  name: app-quickstart-instance
spec:
  replicas: 1
  selector:
    matchLabels:
      app: app-quickstart-instance
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: app-quickstart-instance
    spec:
      containers:
      - image: gcr.io/kuchima03/quickstart-instance:v1.0.0
        name: app-quickstart-instance
        args: []
        readinessProbe:
          exec:
            command:
            - /code/ready.sh
        resources: {}
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /sys/fs/cgroup
          name: cgroups
      volumes:
      - hostPath:
          path: /sys/fs/cgroup
          type: Directory
        name: cgroups
status: {}
`;

const SERVICE = `---
# Headless Service specification -
# No load-balancing
apiVersion: v1
kind: Service
metadata:
  name: "app-quickstart-instance"
  annotations:
    'a.b/c': 'x y'
spec:
  clusterIP: None
  ports:
    - protocol: TCP
      port: 80
      targetPort: 0x50
  type: LoadBalancer
status:
  loadBalancer: {}

`;

describe('composing documents of the simple subset', () => {
  test('a generated Deployment and Service compose as the library composes them', () => {
    const text = `${DEPLOYMENT}\n${SERVICE}${SERVICE.replace(/app-quickstart/g, 'b')}`;
    expect(agreesEverywhere(text)).toBe(3);
  });

  test.each([
    ['no head comment', 'apiVersion: v1\nkind: A\n'],
    ['a blank line before the head comment', '\n# a\napiVersion: v1\n'],
    ['a blank line after the head comment', '# a\n\napiVersion: v1\n'],
    ['head comments around a blank line', '# a\n\n# b\n#\napiVersion: v1\n'],
    ['--- then a blank line and comments', '---\n\n# a\n\n# b\napiVersion: v1\n'],
    ['--- then comments and a blank line', '---\n# a\n#\n\napiVersion: v1\n'],
    ['no final line break', '---\napiVersion: v1\nstatus: {}'],
    ['blank lines at the end', '---\na: b\nc:\n  d: e\n\n\n'],
    ['a list at its key column', 'a:\n- b\n- c: d\n  e: f\ng: h\n'],
    ['an indented list', 'a:\n  - b\n  - - c\n    - d\n  - e: []\ng: h\n'],
    ['lists of lists', 'a:\n- - - x\n    - y\n  - z\n- w\n'],
    ['four-space indentation', 'a:\n    b:\n        - c\n    d:\n    - e\n'],
    ['a marked key first', '- a:\n    b: c\n  d:\n  - e\nf:\n - g\n'.replace('- a', 'x:\n- a')],
    ['a flow padding look-alike', 'a: "[ b"\nc: \'{ d\'\n'],
    ['maps ending together', 'a:\n  b:\n    c:\n      d: e\nf: g\n'],
    [
      'scalars of every core type',
      'a: ~\nb: null\nc: True\nd: 12\ne: +3\nf: 0o17\ng: 0xFf\nh: 1.50\ni: 1e3\nj: .inf\nk: +.Inf\nl: .nan\nm: +1\nn: 007\no: 1.\np: x.y\nq: 1_000\nr: a:b\ns: http://x/y\nt: =\nu: "12"\nv: \'true\'\n',
    ],
    ['quoted keys', '"a b": c\n\'d\': "e:f"\n"1": 2\n'],
    ['a key that is a path', 'a.b/c-d_e: f\n_x: y\n'],
  ])('%s', (_, text) => {
    expect(agreesEverywhere(text)).toBe(slices(text).length);
  });

  test.each([
    ['a comment inside', 'a: b\n# c\nd: e\n'],
    ['a trailing comment', 'a: b # c\n'],
    ['a blank line inside', 'a: b\n\nd: e\n'],
    ['blank lines after a key with no value', 'a: b\nc:\n\n'],
    ['a duplicate key', 'a: b\na: c\n'],
    ['a duplicate quoted key', 'a: b\n"a": c\n'],
    ['two spaces after the colon', 'a:  b\n'],
    ['a trailing space', 'a: b \n'],
    ['a tab', 'a:\tb\n'],
    ['CRLF', 'a: b\r\n'],
    ['a block scalar', 'a: |\n  b\n'],
    ['an anchor', 'a: &x b\nc: *x\n'],
    ['a tag', 'a: !t b\n'],
    ['a flow map with content', 'a: {b: c}\n'],
    ['an escape', 'a: "b\\nc"\n'],
    ['a doubled single quote', "a: 'it''s'\n"],
    ['a multi-line scalar', 'a: b\n  c\n'],
    ['a number as key', '1: a\n'],
    ['a boolean as key', 'true: a\n'],
    ['a list at the top', '- a\n'],
    ['a scalar at the top', 'a\n'],
    ['bad indentation', 'a:\n  b: c\n d: e\n'],
    ['--- with content', '--- a: b\n'],
    ['a document end marker', 'a: b\n...\n'],
    ['an empty document', '---\n# only a comment\n'],
  ])('declined: %s', (_, text) => {
    expect(composeSimple(text, 0, text.length, OPTIONS)).toBeUndefined();
  });

  test.each([
    ['before a sibling', 'a:\nb: c\n'],
    ['last, the document ending at it', 'a: b\nc:\n'],
    ['last, without a line break', '---\na: b\nc:'],
    ['in a nested map, then a shallower key', 'a:\n  b:\nc: 1\n'],
    ['in a list item, then the next item', 'a:\n- b:\n  c:\n- d\n'],
    ['before a list left of it', 'x:\n  - a:\n    - b:\n      c:\n    - d\n'],
    ['before an indented key at its column', 'x: 1\ny:\n- a: 1\n  b:\n  c: 1\nd:\n    e: 1\n'],
  ])('a key with no value is null, composed as the library composes it: %s', (_, text) => {
    expect(agreesEverywhere(text)).toBe(1);
  });

  test('only the first document of a stream may start without ---', () => {
    const text = `x: y\n---\n${DEPLOYMENT}`;
    const [, second] = slices(text);
    expect(composeSimple(text, second[0] + 4, second[1], OPTIONS)).toBeUndefined();
    expect(composeSimple(text, second[0], second[1], OPTIONS)).toBeDefined();
  });

  test('the real generated specs, the golden inputs and the examples', () => {
    const files = [
      ...yamlFiles(join(__dirname, '../../testdata')),
      ...yamlFiles(join(__dirname, '../../examples')),
      ...yamlFiles(join(__dirname, '../../../shared/fixtures/m4a-real')),
    ];
    let composed = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (text.charCodeAt(0) === 0xfeff || /^(?:%|\.\.\.(?:[ \t]|\r?$))/m.test(text)) continue;
      composed += agreesEverywhere(text);
    }
    // Most documents of these folders are in the subset: the comparison was made.
    expect(composed).toBeGreaterThan(50);
  });

  /** Lines a generated manifest is made of, and (less often) near misses of them. */
  const line = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.constantFrom(
        'metadata:',
        '  name: web',
        '  name: "web"',
        "  name: 'web'",
        '  labels:',
        '  labels: {}',
        '    app: web',
        '    port: 80',
        'spec:',
        '  ports:',
        '  - port: 80',
        '    name: http',
        '  - name: https',
        '  - - a',
        '    - b',
        '- a',
        '- b: c',
        '  d: []',
        '  clusterIP: None',
        'status: {}',
        'status:',
        'x: 1.0',
        'y: ~',
        'z: true',
      ),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        '# c',
        '#',
        '---',
        '  name:',
        '    app: web # why',
        '   x: 1',
        ' x: 1',
        '\tx: 1',
        'x: "a\\qb"',
        "x: 'a",
        'x: {}}',
        'x: a: b',
        'x: &a b',
        'x: *a',
        'x: |',
        '? x',
        ': y',
        '...',
        '-',
        '- ',
        'x: ',
        'x:  y',
      ),
    },
    { weight: 2, arbitrary: fc.stringMatching(/^ {0,4}(?:- )?[a-z]{1,3}:(?: [a-z0-9.~]{1,3})?$/) },
  );

  test('random documents near the subset: declined, or composed exactly as the library', () => {
    let composed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('', '---\n', '# head\n', '---\n# head\n\n'),
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('', '\n', '\n\n'),
        (head, lines, tail) => {
          const text = `${head}${lines.join('\n')}${tail}`;
          composed += agreesEverywhere(text);
        },
      ),
      { numRuns: RUNS, seed: FC_SEED },
    );
    expect(composed).toBeGreaterThan(RUNS / 100);
  });

  const PIECES = [
    ' ',
    ':',
    ': ',
    '-',
    '- ',
    '#',
    ' #',
    '"',
    "'",
    '\\',
    '{',
    '}',
    '[',
    ']',
    ',',
    '?',
    '!',
    '&',
    '*',
    '|',
    '>',
    '%',
    '@',
    '`',
    'a',
    '0',
    '\n',
    '  ',
    '---',
    '...',
    '~',
    'null',
    'true',
    '.',
    '=',
    '\u00a0',
    '\u2028',
    '\u0085',
    'x: y',
    '\n\n',
    '\n- ',
    '\n  ',
  ];

  test('random mutations of a Deployment: declined, or composed exactly as the library', () => {
    let composed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(DEPLOYMENT.length), fc.constantFrom(...PIECES), fc.nat(3)), {
          minLength: 1,
          maxLength: 3,
        }),
        (mutations) => {
          let text = DEPLOYMENT;
          for (const [at, piece, remove] of mutations)
            text = text.slice(0, at) + piece + text.slice(at + remove);
          composed += agreesEverywhere(text);
        },
      ),
      { numRuns: RUNS, seed: FC_SEED },
    );
    expect(composed).toBeGreaterThan(RUNS / 10);
  });
});

function yamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}
