/**
 * The npm package as a user gets it: `npm pack` of the repository's files (in a copy, so
 * the build it runs does not swap dist/ under other tests), the tarball installed into
 * a scratch project, then its bins run and its library imported from JavaScript and
 * from type-checked TypeScript, with nothing of the repository's sources in reach.
 */
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeWith, REPO, repoFiles, run, tempDir } from './support';

const SPEC = readFileSync(
  join(REPO, 'testdata/generator-shapes/m4a-v1-legacy/deployment_spec.yaml'),
  'utf8',
);

describeWith(['git'])('npm pack, installed into a scratch project', () => {
  let project = '';
  let files: string[] = [];

  beforeAll(() => {
    const copy = join(tempDir('npm-pack'), 'retarget');
    for (const path of repoFiles()) {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      copyFileSync(join(REPO, path), join(copy, path));
    }
    symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'));
    const out = tempDir('npm-tarball');
    const packed = run('npm', ['pack', '--json', '--pack-destination', out], { cwd: copy });
    expect({ status: packed.status, stderr: packed.stderr }).toMatchObject({ status: 0 });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = info.files.map((f) => f.path);
    project = tempDir('npm-consumer');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    // From npm's cache (filled by the repository's own npm ci): no network needed.
    const installed = run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        join(out, info.filename),
        'kpt-functions@0.16.1',
      ],
      { cwd: project },
    );
    expect({ status: installed.status, stderr: installed.stderr }).toMatchObject({ status: 0 });
  }, 300000);

  test('the tarball holds the bundles, the library, its declarations and the docs, no sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/retarget.js',
        'dist/retarget-hydrate.js',
        'dist/index.js',
        'dist/kpt-functions.js',
        'dist/types/index.d.ts',
        'dist/types/kpt-functions.d.ts',
        'functions/hydrate/README.md',
      ]),
    );
    expect(
      files.filter(
        (f) =>
          /^(src|test|testdata|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')),
      ),
    ).toEqual([]);
  });

  test('npx retarget hydrate and the KRM executables run from the installed package', () => {
    writeFileSync(join(project, 'deployment_spec.yaml'), SPEC);
    writeFileSync(
      join(project, 'retarget.yaml'),
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nfsGroup: 2000\n',
    );
    const hydrated = run(
      'npx',
      ['--no-install', 'retarget', 'hydrate', '-c', 'retarget.yaml', 'deployment_spec.yaml'],
      {
        cwd: project,
      },
    );
    expect(hydrated.status).toBe(0);
    expect(hydrated.stdout).toContain('fsGroup: 2000');
    expect(hydrated.stderr).toMatch(
      /^retarget: 3 resources: 1 changed, 0 created, 2 left alone\n$/,
    );
    const help = run('npx', ['--no-install', 'retarget-set-fs-group', '--help'], { cwd: project });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: retarget-set-fs-group');
  });

  test('require("retarget"): text in, text out with comments kept; objects in, objects out', () => {
    const script = `
      const { hydrate, setFsGroup, preflight } = require('retarget');
      const text = require('node:fs').readFileSync('deployment_spec.yaml', 'utf8');
      const a = setFsGroup(text, { fsGroup: 2000 });
      const b = setFsGroup([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } }], { fsGroup: 3000 });
      const bad = hydrate(text, { fsGroup: 'x' });
      const pf = preflight(text, { platform: 'gke-autopilot' });
      console.log(JSON.stringify({ a, b, bad, pf }));
    `;
    const ran = run(process.execPath, ['-e', script], { cwd: project });
    expect(ran.stderr).toBe('');
    const { a, b, bad, pf } = JSON.parse(ran.stdout) as Record<
      string,
      {
        ok: boolean;
        output: unknown;
        results: { severity: string; message: string; tags?: Record<string, string> }[];
        summary?: unknown;
      }
    >;
    expect(a.ok).toBe(true);
    expect(a.summary).toEqual({ changed: 1, created: 0, unchanged: 2 });
    expect(String(a.output)).toContain('# Headless Service specification -');
    const docs = parseAllDocuments(String(a.output)).map(
      (d) => d.toJS() as { spec?: { template?: { spec?: { securityContext?: unknown } } } } | null,
    );
    expect(docs[0]?.spec?.template?.spec?.securityContext).toEqual({ fsGroup: 2000 });
    expect(b.ok).toBe(true);
    expect(b.output).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'i' }], securityContext: { fsGroup: 3000 } },
      },
    ]);
    expect(bad.ok).toBe(false);
    expect(bad.output).toBe(readFileSync(join(project, 'deployment_spec.yaml'), 'utf8'));
    expect(bad.results[0].message).toContain('fsGroup');
    expect(pf.ok).toBe(false);
    expect(pf.results.map((r) => r.tags?.check)).toContain('autopilot');
  });

  test('TypeScript: typed imports of retarget and retarget/kpt-functions compile and run', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          skipLibCheck: false,
          types: [],
          outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    writeFileSync(
      join(project, 'main.ts'),
      `import { hydrate, setFsGroup } from 'retarget';
import type { Result, RetargetConfig } from 'retarget';
import { KPT_FUNCTIONS, setFsGroup as kptSetFsGroup } from 'retarget/kpt-functions';
import { Configs } from 'kpt-functions';

const config: RetargetConfig = { fsGroup: 2000, imagePullSecrets: ['gcr-json-key'] };
declare const text: string;
const outcome = hydrate(text, config);
const output: string = outcome.output;
const results: Result[] = outcome.results;
const objects = setFsGroup([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }], { fsGroup: 1 });
const first: string = objects.output[0].kind;
export { output, results, first, KPT_FUNCTIONS, kptSetFsGroup, Configs };
`,
    );
    writeFileSync(
      join(project, 'wrong.ts'),
      `import { setFsGroup } from 'retarget';\nsetFsGroup('', { fsGroup: 'two thousand' });\n`,
    );
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const compiled = run(process.execPath, [tsc, '-p', '.'], { cwd: project });
    expect({ status: compiled.status, stdout: compiled.stdout }).toEqual({ status: 0, stdout: '' });
    // The types are real: a config of the wrong type does not compile.
    const wrong = run(
      process.execPath,
      [tsc, '--noEmit', '--strict', '--module', 'node16', 'wrong.ts'],
      { cwd: project },
    );
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toContain('wrong.ts(2,');
    const script = `
      const { Configs } = require('kpt-functions');
      const { setFsGroup } = require('retarget/kpt-functions');
      const configs = new Configs([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } }], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { fsGroup: '2000' } });
      setFsGroup(configs).then(() => process.stdout.write(JSON.stringify(configs.getAll())));
    `;
    const ran = run(process.execPath, ['-e', script], { cwd: project });
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual([
      expect.objectContaining({ spec: { containers: [], securityContext: { fsGroup: 2000 } } }),
    ]);
  });
});
