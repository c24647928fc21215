import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Io } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { SourceError } from '../../src/errors';
import type { Result } from '../../src/krm/results';

/**
 * `retarget preflight` as a platform engineer runs it, in process (main with the source
 * under test): what it reads (files, folders, stdin, the config's target: section), what
 * it leaves out (the config file, migration artifacts), the report in each format, exit
 * codes, and how unreadable input and bad configs are reported. The checks themselves are
 * stated under test/preflight; here only which findings reach the report.
 */
interface Report {
  summary: { errors: number; warnings: number; infos: number };
  results: Result[];
  resources?: Record<string, unknown>[];
}
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function retarget(args: string[], stdin = '', readStdin?: Io['readStdin']): Run {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: readStdin ?? (() => stdin),
  };
  const code = main(args, io);
  return { code, stdout, stderr };
}

/** `retarget preflight ARGS --format json`: exit code and the parsed report. */
function report(args: string[], stdin = ''): { code: number; report: Report } {
  const run = retarget(['preflight', ...args, '--format', 'json'], stdin);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'retarget-preflight-command-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A Deployment Autopilot rejects: one privileged container. */
const SPEC = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
      - name: app
        image: gcr.io/project-a/app:1
        securityContext:
          privileged: true
`;
const AUTOPILOT = `apiVersion: fn.retarget.dev/v1alpha1
kind: Preflight
metadata:
  name: autopilot
platform: gke-autopilot
gcpProjectId: project-a
`;
const PRIVILEGED = 'spec.template.spec.containers[0].securityContext.privileged';
const GENERIC_FIX =
  'remove securityContext.privileged and add only the capabilities the process needs (or, for a partner or verified open-source workload, install its WorkloadAllowlist with an AllowlistSynchronizer)';
const LEGACY_FIX =
  'this is the legacy Migrate for Anthos runtime, which needs privileged mode and the /sys/fs/cgroup hostPath: regenerate the artifacts with the simplified Linux service manager (v2kServiceManager: true in the migration plan), whose containers need neither';

/** The one finding SPEC gets on Autopilot, read from `path` (with its fix). */
function privileged(path: string, fix = GENERIC_FIX): Result {
  return {
    message: `container "app" is privileged; Autopilot rejects privileged containers: GKE Autopilot rejects the pods. Fix: ${fix}`,
    severity: 'error',
    resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
    field: { path: PRIVILEGED },
    file: { path, index: 0 },
    tags: { line: '18', column: '23', check: 'autopilot', fix, control: 'privileged' },
  };
}

const summary = (errors: number, warnings = 0, infos = 0) => ({ errors, warnings, infos });

describe('retarget preflight: usage', () => {
  test('--help: what it checks, the config, the formats and the exit codes', () => {
    expect(retarget(['preflight', '--help'])).toEqual({
      code: 0,
      stderr: '',
      stdout: `retarget preflight: predict what will fail on the target cluster (exit 1 on an error)

Usage: retarget preflight -c CONFIG [PATH ...] [--format table|json|yaml]

Checks the given manifests as they are against the target cluster: image pull access
(pull Secrets, node credentials, cross-project GCR / Artifact Registry grants, ECR node
profile), AWS workload identity, Pod Security / GKE Autopilot admission, plaintext
registry credentials and the Kubernetes schema. Each finding has a check id, the
resource, field and line, and the fix.

CONFIG is a Preflight config, or a Retarget config whose target: section describes the
cluster (retarget hydrate runs the same checks after its transforms).
--format table (default) is for people; json and yaml for machines.
Exit 0: no error (warnings may remain); 1: an error finding, a bad config or unreadable
input (reported in the chosen format); 2: a usage mistake.

Options:
  -c, --config CONFIG  the Preflight (or Retarget) config
  -f, --format FORMAT  report format: table, json, yaml (default: table)
  -h, --help           show this help
      --debug          show the stack trace of an internal error

Example:
  retarget preflight -c preflight.yaml deployment_spec.yaml --format json
`,
    });
  });

  test('the command list names it with its summary', () => {
    expect(retarget(['--help']).stdout).toMatch(
      /\n {2}preflight +predict what will fail on the target cluster \(exit 1 on an error\)\n/,
    );
  });

  const see = "; see 'retarget preflight --help'\n";
  test.each([
    ['no -c', ['x.yaml'], '-c CONFIG is required'],
    [
      'an unknown format',
      ['-c', 'c.yaml', '--format', 'markdown'],
      '--format must be one of table, json, yaml',
    ],
    [
      'a misspelt format',
      ['-c', 'c.yaml', '-f', 'jsno'],
      '--format must be one of table, json, yaml (did you mean json?)',
    ],
  ])('%s: exit 2, the mistake on stderr, nothing read', (_what, args, message) => {
    expect(retarget(['preflight', ...args])).toEqual({
      code: 2,
      stdout: '',
      stderr: `retarget preflight: ${message}${see}`,
    });
  });
});

describe('retarget preflight: the report', () => {
  const dir = folder({ 'preflight.yaml': AUTOPILOT, 'deployment_spec.yaml': SPEC });
  const config = join(dir, 'preflight.yaml');
  const spec = join(dir, 'deployment_spec.yaml');

  test('json: the findings with their check, resource, field, file and line; exit 1 on an error', () => {
    expect(report(['-c', config, spec])).toEqual({
      code: 1,
      report: { summary: summary(1), results: [privileged(spec)] },
    });
  });

  test('yaml holds the same report; the table (the default) says the same for people', () => {
    const json = retarget(['preflight', '-c', config, spec, '-f', 'json']);
    const yaml = retarget(['preflight', '-c', config, spec, '-f', 'yaml']);
    expect(yaml.code).toBe(1);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    const table = retarget(['preflight', '-c', config, spec]);
    expect(table.code).toBe(1);
    expect(table.stderr).toBe('');
    expect(table.stdout.split('\n')[0]).toMatch(/^SEVERITY +CHECK +RESOURCE +WHERE$/);
    expect(table.stdout).toContain(
      `ERROR     autopilot  Deployment/app  ${spec}:18 ${PRIVILEGED}\n`,
    );
    expect(table.stdout.endsWith('\n1 error, 0 warnings, 0 infos\n')).toBe(true);
  });

  test('stdin with -: the same findings, located in "-"', () => {
    expect(report(['-c', config, '-'], SPEC)).toEqual({
      code: 1,
      report: { summary: summary(1), results: [privileged('-')] },
    });
  });

  test('a folder: its manifests read, the config file in it left out', () => {
    // The config file holds a second document: read as a manifest, it would be checked.
    const both = folder({
      'preflight.yaml': `${AUTOPILOT}---\n${SPEC.replace('name: app\nspec', 'name: other\nspec')}`,
      'deployment_spec.yaml': SPEC,
    });
    expect(report(['-c', join(both, 'preflight.yaml'), both])).toEqual({
      code: 1,
      report: { summary: summary(1), results: [privileged(join(both, 'deployment_spec.yaml'))] },
    });
  });

  test('a document that is not a Kubernetes object is kept as it is, not refused', () => {
    const extra = folder({ 'preflight.yaml': AUTOPILOT, 'app.yaml': `${SPEC}---\nfoo: bar\n` });
    expect(report(['-c', join(extra, 'preflight.yaml'), join(extra, 'app.yaml')])).toEqual({
      code: 1,
      report: { summary: summary(1), results: [privileged(join(extra, 'app.yaml'))] },
    });
  });

  test('the config document is the Preflight one among several in the file', () => {
    const several = folder({
      'preflight.yaml': `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n---\n${AUTOPILOT}`,
      'app.yaml': SPEC,
    });
    expect(report(['-c', join(several, 'preflight.yaml'), join(several, 'app.yaml')])).toEqual({
      code: 1,
      report: { summary: summary(1), results: [privileged(join(several, 'app.yaml'))] },
    });
  });

  test('no finding: exit 0', () => {
    const clean = folder({
      'preflight.yaml': AUTOPILOT,
      'app.yaml': SPEC.replace('        securityContext:\n          privileged: true\n', ''),
    });
    expect(report(['-c', join(clean, 'preflight.yaml'), join(clean, 'app.yaml')])).toEqual({
      code: 0,
      report: { summary: summary(0), results: [] },
    });
  });
});

describe('retarget preflight with a Retarget config', () => {
  test('its target: section is the cluster checked against', () => {
    const dir = folder({
      'retarget.yaml':
        'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nmetadata:\n  name: app\nfsGroup: 2000\ntarget:\n  platform: gke-autopilot\n  gcpProjectId: project-a\n',
      'app.yaml': SPEC,
    });
    expect(report(['-c', join(dir, 'retarget.yaml'), join(dir, 'app.yaml')])).toEqual({
      code: 1,
      report: { summary: summary(1), results: [privileged(join(dir, 'app.yaml'))] },
    });
  });

  test('without a target: section: a config error naming target, exit 1', () => {
    const dir = folder({
      'retarget.yaml':
        'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nmetadata:\n  name: app\nfsGroup: 2000\n',
      'app.yaml': SPEC,
    });
    const path = join(dir, 'retarget.yaml');
    expect(report(['-c', path, join(dir, 'app.yaml')])).toEqual({
      code: 1,
      report: {
        summary: summary(1),
        results: [
          {
            severity: 'error',
            message:
              'invalid Preflight config: target: is required to run preflight with a Retarget config',
            field: { path: 'target' },
            file: { path },
          },
        ],
      },
    });
  });

  test('an invalid Retarget config: its own errors, as for hydrate', () => {
    const dir = folder({
      'retarget.yaml':
        'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nfsGroup: -1\ntarget:\n  platform: gke\n',
      'app.yaml': SPEC,
    });
    const { code, report: r } = report(['-c', join(dir, 'retarget.yaml'), join(dir, 'app.yaml')]);
    expect(code).toBe(1);
    expect(r.results.map((x) => [x.field?.path, x.file?.path])).toEqual([
      ['fsGroup', join(dir, 'retarget.yaml')],
    ]);
    expect(r.results[0].message).toMatch(/^invalid Preflight config: fsGroup: /);
  });
});

describe('retarget preflight: bad configs and unreadable input are in the report, exit 1', () => {
  const dir = folder({ 'app.yaml': SPEC, 'preflight.yaml': AUTOPILOT });
  const app = join(dir, 'app.yaml');

  test.each([
    ['an empty config file', '', '(config)', 'must be a YAML map'],
    [
      'an unknown platform',
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nplatform: openshift\n',
      'platform',
      undefined,
    ],
  ])('%s', (_what, text, field, problem) => {
    const path = join(folder({ 'c.yaml': text }), 'c.yaml');
    const { code, report: r } = report(['-c', path, app]);
    expect(code).toBe(1);
    expect(r.summary).toEqual(summary(1));
    expect(r.resources).toBeUndefined();
    expect(r.results).toHaveLength(1);
    expect(r.results[0]).toEqual({
      severity: 'error',
      message: problem
        ? `invalid Preflight config: ${field}: ${problem}`
        : expect.stringMatching(new RegExp(`^invalid Preflight config: ${field}: `)),
      field: { path: field },
      file: { path },
    });
  });

  test('a missing input file: the error names it, no line', () => {
    const missing = join(dir, 'missing.yaml');
    expect(report(['-c', join(dir, 'preflight.yaml'), missing])).toEqual({
      code: 1,
      report: {
        summary: summary(1),
        results: [
          { severity: 'error', message: 'no such file or directory', file: { path: missing } },
        ],
      },
    });
  });

  test('a duplicate key: the error names the file and line; nothing else is checked', () => {
    const dup = join(
      folder({ 'dup.yaml': SPEC.replace('  name: app\n', '  name: app\n  name: b\n') }),
      'dup.yaml',
    );
    const { code, report: r } = report(['-c', join(dir, 'preflight.yaml'), app, dup]);
    expect(code).toBe(1);
    expect(r.summary).toEqual(summary(1));
    expect(r.results).toEqual([
      {
        severity: 'error',
        message: expect.stringMatching(/^Map keys must be unique/) as unknown,
        file: { path: dup },
        tags: { line: '5' },
      },
    ]);
  });

  test('a refusal with no file (from the stdin reader) has no file in the report', () => {
    const run = retarget(
      ['preflight', '-c', join(dir, 'preflight.yaml'), '-', '-f', 'json'],
      '',
      () => {
        throw new SourceError('stdin is closed', {});
      },
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      summary: summary(1),
      results: [{ severity: 'error', message: 'stdin is closed' }],
    });
  });

  test('an unexpected failure is an internal error on stderr, not a finding', () => {
    const run = retarget(
      ['preflight', '-c', join(dir, 'preflight.yaml'), '-', '-f', 'json'],
      '',
      () => {
        throw new Error('stdin exploded');
      },
    );
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'retarget: internal error: stdin exploded\n(run with --debug for the stack trace)\n',
    });
  });
});

describe('retarget preflight: migration artifacts', () => {
  const PLAN = 'v2kServiceManager: false\nimage:\n  name: app\n';

  test('a plan beside the spec: left out with an info, and its runtime names the fix', () => {
    const dir = folder({
      'preflight.yaml': AUTOPILOT,
      'deployment_spec.yaml': SPEC,
      'migration.yaml': PLAN,
    });
    const spec = join(dir, 'deployment_spec.yaml');
    expect(report(['-c', join(dir, 'preflight.yaml'), dir])).toEqual({
      code: 1,
      report: {
        summary: summary(1, 0, 1),
        results: [
          {
            severity: 'info',
            message: 'left out: a migration plan, a migration artifact, not for the target cluster',
            file: { path: join(dir, 'migration.yaml') },
          },
          privileged(spec, LEGACY_FIX),
        ],
      },
    });
  });

  test('a plan mixed with manifests in one file: that error alone, nothing checked', () => {
    const dir = folder({ 'preflight.yaml': AUTOPILOT, 'mixed.yaml': `${SPEC}---\n${PLAN}` });
    const mixed = join(dir, 'mixed.yaml');
    expect(report(['-c', join(dir, 'preflight.yaml'), mixed])).toEqual({
      code: 1,
      report: {
        summary: summary(1),
        results: [
          {
            severity: 'error',
            message:
              'mixes migration artifacts (a migration plan) with other documents; keep the artifacts in their own files',
            file: { path: mixed },
          },
        ],
      },
    });
  });
});

describe('retarget preflight: the resources it would add', () => {
  test('emitIamPolicyMember: the grant in the report (resources), as info; nothing else', () => {
    const dir = folder({
      'preflight.yaml':
        'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nplatform: gke\ngcpProjectId: project-b\ngcpProjectNumber: 123456789012\nemitIamPolicyMember: true\n',
      'app.yaml': SPEC.replace('        securityContext:\n          privileged: true\n', ''),
    });
    const { code, report: r } = report(['-c', join(dir, 'preflight.yaml'), join(dir, 'app.yaml')]);
    expect(code).toBe(0);
    expect(r.summary).toEqual(summary(0, 0, 1));
    expect(r.results.map((x) => [x.severity, x.tags?.check])).toEqual([
      ['info', 'gcr-cross-project'],
    ]);
    expect(r.resources).toHaveLength(1);
    expect(r.resources![0]).toMatchObject({
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      spec: {
        member: 'serviceAccount:123456789012-compute@developer.gserviceaccount.com',
        role: 'roles/artifactregistry.reader',
        resourceRef: {
          apiVersion: 'artifactregistry.cnrm.cloud.google.com/v1beta1',
          kind: 'ArtifactRegistryRepository',
          external: 'projects/project-a/locations/us/repositories/gcr.io',
        },
      },
    });
  });
});
