/**
 * Every way users run retarget gives the same hydrated resources, on packages built at
 * test time from the project's generator-shaped specs (testdata/generator-shapes) and
 * the real generated specs in ../shared when present (never copied into the repo):
 * the CLI, `kpt fn render` of a Kptfile that execs retarget-hydrate (from the PATH),
 * `kpt fn eval --exec`, `kubectl kustomize` with the legacy plugin, the Argo CD plugin's
 * generate command, and dist/ copied alone to another folder fed a ResourceList.
 * What kpt changes in the file's layout is asserted exactly: it drops blank lines
 * around `---` and a trailing empty document, and keeps every comment.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { missingRealFixtures, specCases } from '../support/run';
import type { SpecCase } from '../support/run';
import {
  binDir,
  describeWith,
  DIST,
  envWithBin,
  gitDiffSince,
  gitSnapshot,
  REPO,
  run,
  tempDir,
} from './support';

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> } };

const CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
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
  serviceAccountName: migrated
`;

/** The resources to apply: no local config, no kpt bookkeeping annotations, in a stable order. */
function applied(objects: Obj[]): Obj[] {
  return objects
    .filter(
      (o) =>
        o.kind !== 'Kptfile' &&
        o.metadata.annotations?.['config.kubernetes.io/local-config'] !== 'true',
    )
    .map((o) => {
      const annotations = Object.fromEntries(
        Object.entries(o.metadata.annotations ?? {}).filter(
          ([key]) => !/^(internal\.)?config\.kubernetes\.io\/|^config\.k8s\.io\//.test(key),
        ),
      );
      const metadata = { ...o.metadata, annotations };
      if (!Object.keys(annotations).length)
        delete (metadata as { annotations?: unknown }).annotations;
      return { ...o, metadata };
    })
    .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

function documents(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

/** The layout kpt writes: no blank line next to `---`, no empty document at the end. */
function asKptWrites(text: string): string {
  const lines = text.replace(/\n?$/, '\n').split('\n');
  const kept = lines.filter(
    (line, i) => line !== '' || (lines[i - 1] !== '---' && lines[i + 1] !== '---'),
  );
  return `${kept
    .join('\n')
    .replace(/(\n---)+\n*$/, '')
    .trimEnd()}\n`;
}

function comments(text: string): string[] {
  return text.split('\n').filter((l) => l.trimStart().startsWith('#'));
}

function workload(fixture: SpecCase, extra: Record<string, string> = {}): string {
  const dir = join(tempDir('same-output'), 'workload');
  mkdirSync(dir);
  copyFileSync(fixture.spec, join(dir, 'deployment_spec.yaml'));
  writeFileSync(join(dir, 'retarget.yaml'), CONFIG);
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  return dir;
}

const KPTFILE = `apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: workload
pipeline:
  mutators:
    - exec: retarget-hydrate
      configPath: retarget.yaml
`;

const fixtures = specCases();

describeWith(['kpt', 'kubectl', 'git'])(
  'the same hydrated resources from every integration (generated specs)',
  () => {
    test('there is a spec of every generator shape to try', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(3);
    });
    if (fixtures.every((f) => !f.name.startsWith('m4a-real/'))) {
      missingRealFixtures('the real generated specs');
    }

    describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
      const source = readFileSync(fixture.spec, 'utf8');
      let cliText = '';
      let expected: Obj[] = [];

      beforeAll(() => {
        const dir = workload(fixture);
        const cli = run('retarget', ['hydrate', '-c', 'retarget.yaml', 'deployment_spec.yaml'], {
          cwd: dir,
          env: envWithBin(),
        });
        expect(cli.status).toBe(0);
        cliText = cli.stdout;
        expected = applied(documents(cliText));
        expect(expected.map((o) => o.kind)).toContain('ServiceAccount');
        for (const line of comments(source)) expect(comments(cliText)).toContain(line);
      });

      test('kpt fn render (Kptfile execs retarget-hydrate), twice', () => {
        const dir = workload(fixture, { Kptfile: KPTFILE });
        const initial = gitSnapshot(dir);
        const first = run('kpt', ['fn', 'render', dir, '--allow-exec'], { env: envWithBin() });
        expect({ status: first.status, out: first.stderr }).toEqual({
          status: 0,
          out: first.stderr,
        });
        const rendered = readFileSync(join(dir, 'deployment_spec.yaml'), 'utf8');
        expect(applied(documents(rendered))).toEqual(expected);
        // kpt's layout, and nothing else, differs from the CLI's bytes.
        expect(rendered).toBe(asKptWrites(cliText));
        expect(gitDiffSince(dir, initial)).not.toBe('');
        const afterFirst = gitSnapshot(dir);
        expect(
          run('kpt', ['fn', 'render', dir, '--allow-exec'], { env: envWithBin() }).status,
        ).toBe(0);
        expect(gitDiffSince(dir, afterFirst)).toBe('');
      });

      test('kpt fn eval --exec retarget-hydrate --fn-config, twice', () => {
        const dir = workload(fixture);
        const evalArgs = [
          'fn',
          'eval',
          dir,
          '--exec',
          'retarget-hydrate',
          '--fn-config',
          join(dir, 'retarget.yaml'),
        ];
        expect(run('kpt', evalArgs, { env: envWithBin() }).status).toBe(0);
        const evaluated = readFileSync(join(dir, 'deployment_spec.yaml'), 'utf8');
        expect(applied(documents(evaluated))).toEqual(expected);
        expect(evaluated).toBe(asKptWrites(cliText));
        expect(run('kpt', evalArgs, { env: envWithBin() }).status).toBe(0);
        expect(readFileSync(join(dir, 'deployment_spec.yaml'), 'utf8')).toBe(evaluated);
      });

      test('kubectl kustomize --enable-alpha-plugins with the legacy plugin', () => {
        const dir = workload(fixture, {
          'kustomization.yaml':
            'resources:\n- deployment_spec.yaml\ntransformers:\n- retarget.yaml\n',
        });
        const built = run('kubectl', ['kustomize', '--enable-alpha-plugins', dir], {
          env: envWithBin({ KUSTOMIZE_PLUGIN_HOME: join(REPO, 'kustomize', 'plugin') }),
        });
        expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: '' });
        expect(applied(documents(built.stdout))).toEqual(expected);
      });

      test("the Argo CD plugin's generate command", () => {
        const dir = workload(fixture);
        const plugin = parse(readFileSync(join(REPO, 'argocd', 'plugin.yaml'), 'utf8')) as {
          spec: { generate: { command: string[]; args?: string[] } };
        };
        const [command, ...args] = [
          ...plugin.spec.generate.command,
          ...(plugin.spec.generate.args ?? []),
        ];
        const generated = run(command, args, {
          cwd: dir,
          env: envWithBin({ ARGOCD_APP_NAME: 'workload', ARGOCD_APP_NAMESPACE: 'argocd' }),
        });
        expect({ status: generated.status, stderr: generated.stderr }).toEqual({
          status: 0,
          stderr: '',
        });
        expect(generated.stdout).toBe(cliText);
      });

      test('dist/ copied alone to another folder, fed the ResourceList kpt fn source makes', () => {
        const alone = join(tempDir('dist-alone'), 'retarget');
        cpSync(DIST, alone, { recursive: true });
        for (let at = alone; dirname(at) !== at; at = dirname(at)) {
          expect(existsSync(join(at, 'node_modules'))).toBe(false);
        }
        const dir = workload(fixture);
        const source = run('kpt', ['fn', 'source', dir]);
        expect(source.status).toBe(0);
        const functionConfig = CONFIG.replace(/^/gm, '  ').trimEnd();
        const list = `${source.stdout.trimEnd()}\nfunctionConfig:\n${functionConfig}\n`;
        const ran = run(process.execPath, [join(alone, 'retarget-hydrate.js')], {
          input: list,
          cwd: alone,
        });
        expect({ status: ran.status, stderr: ran.stderr }).toEqual({ status: 0, stderr: '' });
        const items = (parse(ran.stdout) as { items: Obj[] }).items;
        expect(applied(items)).toEqual(expected);
        // Comments come back in the ResourceList too, for kpt to write.
        for (const line of comments(source.stdout)) expect(comments(ran.stdout)).toContain(line);
      });
    });

    test('the PATH form resolves to the bundles (what npm install -g puts there)', () => {
      expect(existsSync(join(binDir(), 'retarget-hydrate'))).toBe(true);
    });
  },
);
