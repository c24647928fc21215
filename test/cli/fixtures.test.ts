import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, parse, parseAllDocuments } from 'yaml';
import { haveTool } from '../e2e/support';
import { missingRealFixtures, SHAPES, specCases } from '../support/run';
import { runBin } from '../support/run-bin';

/**
 * Generated specs hydrated by the bundled CLI: the project's own in the shape of each
 * generator version, and the real generated artifacts in ../shared when present.
 */
const ROLE = 'arn:aws:iam::123456789012:role/migrated';
/** In CI a missing kpt fails the suite; locally its test is skipped with a notice. */
const withKpt = haveTool('kpt') ? test : test.skip;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

function workdir(): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-fixtures-'));
  const config = join(dir, 'retarget.yaml');
  writeFileSync(
    config,
    `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nmetadata:\n  name: fixtures\nimagePullSecrets: [gcr-json-key]\nfsGroup: 1234\nawsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: systemd\n`,
  );
  return { dir, config };
}

function commentLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trimStart().startsWith('#'));
}

describe('generated specs', () => {
  const cases = specCases();
  if (cases.every((c) => !c.name.startsWith('m4a-real/'))) missingRealFixtures('real-spec cases');

  test.each(cases)(
    '$name: everything kept, every workload hydrated, twice == once',
    ({ spec: file, legacy }) => {
      const { dir, config } = workdir();
      const input = readFileSync(file, 'utf8');
      const first = runBin('retarget', ['hydrate', '-c', config, file]);
      expect(first.status).toBe(0);
      const out = first.stdout;
      for (const c of commentLines(input)) expect(commentLines(out)).toContain(c);
      const before = parseAllDocuments(input)
        .filter((d) => isMap(d.contents))
        .map((d) => d.toJS() as Obj);
      const after = parseAllDocuments(out)
        .filter((d) => isMap(d.contents))
        .map((d) => d.toJS() as Obj);
      // Every original document comes out, in order; untouched ones unchanged.
      expect(after.slice(0, before.length).map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(
        before.map((d) => `${d.kind}/${d.metadata.name}`),
      );
      before.forEach((d, i) => {
        if (d.kind === 'Service') expect(after[i]).toEqual(d);
      });
      for (const w of after.filter((d) => d.kind === 'Deployment')) {
        const pod = w.spec.template.spec;
        expect(pod.imagePullSecrets).toEqual([{ name: 'gcr-json-key' }]);
        expect(pod.securityContext.fsGroup).toBe(1234);
        expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'aws-iam-token' }));
        const c = pod.containers[0];
        const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
        expect(env.AWS_ROLE_ARN).toBe(ROLE);
        expect(env.AWS_WEB_IDENTITY_TOKEN_FILE).toBe(
          legacy
            ? '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token'
            : '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        );
        expect(c.volumeMounts).toContainEqual({
          name: 'aws-iam-token',
          mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
          readOnly: true,
        });
        expect(Boolean(c.lifecycle?.postStart)).toBe(legacy);
      }
      const sa = after.find((d) => d.kind === 'ServiceAccount');
      expect(sa?.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(ROLE);
      // The diff against the input only adds lines (nothing removed or rewritten).
      const diff = spawnSync('diff', [file, '-'], { input: out, encoding: 'utf8' });
      const removed = diff.stdout.split('\n').filter((l) => l.startsWith('< '));
      expect(removed).toEqual([]);
      // A second run changes no byte.
      const hydrated = join(dir, 'hydrated.yaml');
      writeFileSync(hydrated, out);
      const second = runBin('retarget', ['hydrate', '-c', config, hydrated]);
      expect(second.status).toBe(0);
      expect(second.stdout).toBe(out);
    },
  );

  withKpt(
    'retarget run hydrate over a kpt fn source ResourceList keeps every item and its kpt annotations',
    () => {
      const { dir, config } = workdir();
      const pkg = join(dir, 'pkg');
      spawnSync('mkdir', ['-p', pkg]);
      copyFileSync(
        join(SHAPES, 'm4a-v1-legacy/deployment_spec.yaml'),
        join(pkg, 'deployment_spec.yaml'),
      );
      const source = spawnSync('kpt', ['fn', 'source', pkg], { encoding: 'utf8' });
      expect(source.status).toBe(0);
      const run = runBin('retarget', ['run', 'hydrate', '-c', config], source.stdout);
      expect(run.status).toBe(0);
      const input = parse(source.stdout) as { items: Obj[] };
      const output = parse(run.stdout) as { items: Obj[] };
      expect(output.items.length).toBeGreaterThan(input.items.length);
      input.items.forEach((item, i) => {
        expect(output.items[i].metadata.annotations).toEqual(item.metadata.annotations);
        expect(output.items[i].kind).toBe(item.kind);
      });
      expect(run.stdout).toContain('# Headless Service specification -');
    },
  );
});
