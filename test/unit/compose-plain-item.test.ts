import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { itemsAgree } from '../support/compose-oracle';
import { REPO, specCases } from '../support/run';

/**
 * composeListItem must build, for every item it accepts, the very nodes yaml's parser
 * builds: same classes, values, types, sources, ranges, formats and comments, node by
 * node. Checked on the items of lists made of every golden case, generator-shaped and
 * real spec, and on fuzzed plain documents.
 */

function listOf(stream: string): string {
  const items = stream
    .split(/^---.*\n/m)
    .map((doc) => doc.replace(/\n+$/, ''))
    .filter((doc) => /^kind:/m.test(doc))
    .map((doc) =>
      doc
        .split('\n')
        .map((line, i) => (i === 0 ? `- ${line}` : line ? `  ${line}` : ''))
        .join('\n'),
    );
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.map((i) => `${i}\n`).join('')}`;
}

/** Compares every item of a list; returns how many composeListItem accepted. */
function agreeOn(list: string): number {
  return Math.max(0, itemsAgree(list));
}

describe('composeListItem builds what yaml builds', () => {
  const texts: [string, string][] = [];
  const golden = join(REPO, 'testdata/golden');
  for (const name of readdirSync(golden)) {
    const path = join(golden, name, 'resources.yaml');
    if (existsSync(path)) texts.push([`golden ${name}`, readFileSync(path, 'utf8')]);
  }
  for (const c of specCases()) texts.push([c.name, readFileSync(c.spec, 'utf8')]);

  const accepted: number[] = [];
  test.each(texts)('%s', (_name, text) => {
    accepted.push(agreeOn(listOf(text)));
  });

  test('most of those items are in the plain subset (so they were compared)', () => {
    expect(accepted).toHaveLength(texts.length);
    expect(accepted.reduce((a, b) => a + b, 0)).toBeGreaterThan(texts.length);
  });

  test('the bench-style items are accepted, comments above them included', () => {
    const deployment = `# Stateless application specification
# second line
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: app-vm-00001
  name: app-vm-00001
  annotations:
    config.kubernetes.io/index: '2'
    internal.config.kubernetes.io/path: 'deployment_spec.yaml'
spec:
  replicas: 1
  strategy: {}
  template:
    spec:
      containers:
      - image: gcr.io/source-project-1/app-vm-00001:v1.0.1
        name: app-vm-00001
        readinessProbe:
          exec:
            command:
            - /code/ready.sh
        resources: {}
        ports:
        - containerPort: 8080
          protocol: TCP
        args: []
        weight: 1.50
        hex: 0x1F
        enabled: true
        empty:
        quoted: "a # b"
      volumes:
      - hostPath:
          path: /sys/fs/cgroup
          type: Directory
        name: cgroups
      nested:
      - - a
        - b
      -   c
status: {}
`;
    expect(agreeOn(listOf(deployment))).toBe(0); // `-   c`: more than one space, declined
    expect(agreeOn(listOf(deployment.replace('-   c', '- c')))).toBe(1);
    const indented = listOf(deployment.replace('-   c', '- c')).replace(
      /^(?=.)/gm,
      (m, at, s: string) => (at >= s.indexOf('items:\n') + 7 ? '  ' : m),
    );
    expect(agreeOn(indented)).toBe(1);
  });

  const plainKey = fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,6}$/);
  const plainValue = fc.oneof(
    fc.stringMatching(/^[a-zA-Z0-9./=+~][a-zA-Z0-9./:@=+,~-]{0,8}$/),
    fc.constantFrom(
      '{}',
      '[]',
      '"a # b"',
      "'x y'",
      '""',
      "''",
      '~',
      'null',
      'true',
      'False',
      '0',
      '-1',
      '+2',
      '0o17',
      '0x1f',
      '1e3',
      '1.50',
      '.5',
      '.inf',
      '.NaN',
      '012',
      '1_000',
      'y',
      'on',
    ),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { weight: 4, arbitrary: plainValue },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.array(tie('value'), { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.dictionary(plainKey, tie('value'), { minKeys: 1, maxKeys: 3 }) },
    ),
  }));

  /** Block YAML of a value, with raw scalars (as written), lists at the key's column or indented. */
  function block(v: unknown, indent: number, seqIndent: boolean): string[] {
    if (Array.isArray(v)) {
      return v.flatMap((item) => {
        const lines = block(item, indent + 2, seqIndent);
        if (!lines.length) return [];
        const first = lines[0].slice(indent + 2);
        return [`${' '.repeat(indent)}- ${first}`, ...lines.slice(1)];
      });
    }
    if (v !== null && typeof v === 'object') {
      return Object.entries(v).flatMap(([k, child]) => {
        const pad = ' '.repeat(indent);
        if (child === null) return [`${pad}${k}:`];
        if (typeof child === 'string') return [`${pad}${k}: ${child}`];
        const inner = Array.isArray(child) && !seqIndent ? indent : indent + 2;
        return [`${pad}${k}:`, ...block(child, inner, seqIndent)];
      });
    }
    return [`${' '.repeat(indent)}${String(v)}`];
  }

  test('fuzz: plain documents of every shape', () => {
    let accepted = 0;
    const runs = Number(process.env.FC_RUNS ?? 300);
    fc.assert(
      fc.property(
        fc.dictionary(plainKey, value, { minKeys: 1, maxKeys: 4 }),
        fc.boolean(),
        fc.array(
          fc.stringMatching(/^[ -~]{1,12}$/).filter((c) => !/\s$/.test(c)),
          { maxLength: 2 },
        ),
        fc.constantFrom(0, 2),
        (spec, seqIndent, comments, column) => {
          const body = [
            ...comments.map((c) => `#${c}`),
            'apiVersion: v1',
            'kind: Widget',
            ...block({ spec }, 0, seqIndent),
          ];
          const pad = ' '.repeat(column);
          const item = body
            .map((line, i) => (i === 0 ? `${pad}- ${line}` : `${pad}  ${line}`))
            .join('\n');
          const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item}\n`;
          accepted += agreeOn(list);
        },
      ),
      { numRuns: runs, seed: 16_11 },
    );
    // A third of the runs at least must be items the composer builds (not declined ones).
    expect(accepted).toBeGreaterThan(runs / 3);
  });
});
