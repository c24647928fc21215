import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import { FIXTURES, describeReal, REPO } from '../support/run';
import { runBin } from '../support/run-bin';
import { runCli } from './harness';

const CASES = join(REPO, 'testdata/preflight');

interface Report {
  summary: { errors: number; warnings: number; infos: number };
  results: Result[];
  resources?: Record<string, unknown>[];
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-preflight-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const crossProject = join(CASES, 'gcr-cross-project/config.yaml');
const warningsOnly = join(CASES, 'ecr-anthos-aws-node-pool');

describe('retarget preflight (CLI)', () => {
  test('--format json prints JSON that parses; warnings alone exit 0', () => {
    const run = runCli([
      'preflight',
      '-c',
      join(warningsOnly, 'config.yaml'),
      join(warningsOnly, 'resources.yaml'),
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary).toEqual({ errors: 0, warnings: 1, infos: 0 });
    expect(report.results[0].tags).toMatchObject({ check: 'ecr-node-profile', line: '37' });
  });

  test('--format yaml holds the same report as json', () => {
    const args = [
      'preflight',
      '-c',
      join(warningsOnly, 'config.yaml'),
      join(warningsOnly, 'resources.yaml'),
    ];
    const json = JSON.parse(runCli([...args, '--format', 'json']).stdout) as unknown;
    const yaml = parse(runCli([...args, '-f', 'yaml']).stdout) as unknown;
    expect(yaml).toEqual(json);
  });

  test('the table names severity, check, resource, file:line and field, then the problem and the fix', () => {
    const run = runCli([
      'preflight',
      '-c',
      join(warningsOnly, 'config.yaml'),
      join(warningsOnly, 'resources.yaml'),
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^SEVERITY +CHECK +RESOURCE +WHERE$/);
    expect(lines[1]).toMatch(
      /^WARNING +ecr-node-profile +AWSNodePool\/cluster-0-pool-0 +\S+resources\.yaml:37 spec\.iamInstanceProfile$/,
    );
    expect(run.stdout).toMatch(
      /\n {4}fix: aws iam attach-role-policy .*AmazonEC2ContainerRegistryReadOnly\n/,
    );
    expect(run.stdout).toContain('0 errors, 1 warning, 0 infos');
  });

  test('no findings: a short all-clear and exit 0', () => {
    const dir = join(CASES, 'pod-security-restricted-compliant');
    const run = runCli(['preflight', '-c', join(dir, 'config.yaml'), join(dir, 'resources.yaml')]);
    expect(run).toEqual({ code: 0, stdout: 'preflight: no problems found\n', stderr: '' });
  });

  test('a bad config is reported in the chosen format, exit 1, no stack trace', () => {
    const dir = scratch({
      'config.yaml': 'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nplatform: openshift\n',
      'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    const run = runCli([
      'preflight',
      '-c',
      join(dir, 'config.yaml'),
      join(dir, 'app.yaml'),
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: { path: 'platform' },
        file: { path: join(dir, 'config.yaml') },
      }),
    ]);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  test('unreadable input (a duplicate key) is a located error in the report, exit 1', () => {
    const dir = scratch({
      'config.yaml': 'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\n',
      'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n',
    });
    const run = runCli([
      'preflight',
      '-c',
      join(dir, 'config.yaml'),
      join(dir, 'app.yaml'),
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: { path: join(dir, 'app.yaml') },
        tags: { line: '5' },
      }),
    ]);
    expect(report.results[0].message).toMatch(/unique/i);
  });

  test('a missing file is reported, exit 1', () => {
    const run = runCli([
      'preflight',
      '-c',
      crossProject,
      '/nonexistent/deployment_spec.yaml',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Report).results[0]).toMatchObject({
      severity: 'error',
      message: 'no such file or directory',
    });
  });

  test.each([
    [['preflight'], /-c CONFIG is required/],
    [
      ['preflight', '-c', crossProject, '--format', 'xml'],
      /--format must be one of table, json, yaml/,
    ],
    [
      ['preflight', '-c', crossProject, '--colour'],
      /^retarget preflight: unknown option --colour; see 'retarget preflight --help'\n$/,
    ],
  ])('usage mistakes exit 2: %j', (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  test('--help documents the formats and exit codes', () => {
    const run = runCli(['preflight', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--format table (default)');
    expect(run.stdout).toContain('Exit 0');
  });
});

describeReal('retarget preflight on the real fixtures (bundled executables)', () => {
  test('retarget preflight --format json: the cross-project finding, exit 1', () => {
    const run = runBin('retarget', [
      'preflight',
      '-c',
      crossProject,
      join(FIXTURES, 'mfa__deployment_spec.yaml'),
      '--format',
      'json',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    expect(report.results.map((r) => r.tags?.check)).toEqual(['gcr-cross-project']);
    expect(report.results[0].tags).toMatchObject({
      repository: 'projects/kuchima03/locations/us/repositories/gcr.io',
      bucket: 'artifacts.kuchima03.appspot.com',
      member: 'serviceAccount:123456789012-compute@developer.gserviceaccount.com',
      role: 'roles/artifactregistry.reader',
    });
  });

  test('retarget-preflight is a KRM validator: items unchanged, results with check ids, exit 1 on error', () => {
    const spec = parseAllDocuments(
      readFileSync(join(FIXTURES, 'mfa__deployment_spec.yaml'), 'utf8'),
    )
      .map((d) => d.toJS() as unknown)
      .filter((v) => v !== null);
    const list = {
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: spec,
      functionConfig: parse(readFileSync(crossProject, 'utf8')) as unknown,
    };
    const run = runBin('retarget-preflight', [], JSON.stringify(list));
    expect(run.status).toBe(1);
    const out = parse(run.stdout) as { items: unknown[]; results: Result[] };
    expect(out.items).toEqual(spec);
    expect(out.results).toEqual([
      expect.objectContaining({
        severity: 'error',
        resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-quickstart-instance' },
        field: { path: 'spec.template.spec.containers[0].image' },
        tags: expect.objectContaining({
          check: 'gcr-cross-project',
          role: 'roles/artifactregistry.reader',
        }),
      }),
    ]);
  });

  test('with emitIamPolicyMember the KRM function adds the grant, exits 0, and a rerun adds nothing', () => {
    const config = parse(
      readFileSync(join(CASES, 'gcr-cross-project-emit/config.yaml'), 'utf8'),
    ) as unknown;
    const items = parseAllDocuments(
      readFileSync(join(FIXTURES, 'dockertest__deployment_spec.yaml'), 'utf8'),
    )
      .map((d) => d.toJS() as unknown)
      .filter((v) => v !== null);
    const first = runBin(
      'retarget-preflight',
      [],
      JSON.stringify({
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items,
        functionConfig: config,
      }),
    );
    expect(first.status).toBe(0);
    const out = parse(first.stdout) as {
      items: { kind: string; spec?: unknown }[];
      results: Result[];
    };
    expect(out.items.map((i) => i.kind)).toEqual(['Deployment', 'Service', 'IAMPolicyMember']);
    expect(out.items[2].spec).toEqual({
      member: 'serviceAccount:123456789012-compute@developer.gserviceaccount.com',
      role: 'roles/artifactregistry.reader',
      resourceRef: {
        apiVersion: 'artifactregistry.cnrm.cloud.google.com/v1beta1',
        kind: 'ArtifactRegistryRepository',
        external: 'projects/tvs-mob-test/locations/us/repositories/gcr.io',
      },
    });
    const second = runBin(
      'retarget-preflight',
      [],
      first.stdout.replace(/\nresults:[\s\S]*$/, '\n'),
    );
    expect(second.status).toBe(0);
    const again = parse(second.stdout) as { items: unknown[]; results?: Result[] };
    expect(again.items).toEqual(out.items);
    expect(again.results ?? []).toEqual([]);
  });
});
