import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, FIXTURES, describeReal, REPO } from '../support/run';

/** retarget-preflight as a validator under the real kpt: fn eval and a Kptfile pipeline. */
function kptAvailable(): boolean {
  const kpt = spawnSync('kpt', ['version'], { encoding: 'utf8' });
  if (!kpt.error) return true;
  if (process.env.CI === 'true') throw new Error('kpt is required in CI');
  console.warn('\n*** SKIPPING preflight kpt tests: kpt not found ***\n');
  return false;
}

const maybe = kptAvailable() ? describeReal : describe.skip;
const EXEC = join(DIST, 'retarget-preflight.js');

function pkg(project: string): string {
  if (!existsSync(EXEC)) throw new Error(`${EXEC} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'retarget-preflight-kpt-'));
  copyFileSync(join(FIXTURES, 'mfa__deployment_spec.yaml'), join(dir, 'deployment_spec.yaml'));
  writeFileSync(
    join(dir, 'preflight.yaml'),
    `apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nmetadata:\n  name: target\n  annotations:\n    config.kubernetes.io/local-config: "true"\nplatform: gke\ngcpProjectId: ${project}\ngcpProjectNumber: "123456789012"\n`,
  );
  writeFileSync(
    join(dir, 'Kptfile'),
    `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: app\npipeline:\n  validators:\n  - exec: ${EXEC}\n    configPath: preflight.yaml\n`,
  );
  return dir;
}

function kpt(args: string[]) {
  return spawnSync('kpt', args, { cwd: REPO, encoding: 'utf8' });
}

maybe('preflight under kpt', () => {
  test('kpt fn eval --exec: a cross-project image fails with the grant in the results', () => {
    const dir = pkg('project-b');
    const run = kpt([
      'fn',
      'eval',
      dir,
      '--exec',
      EXEC,
      '--fn-config',
      join(dir, 'preflight.yaml'),
      '--results-dir',
      dir,
    ]);
    expect(run.status).not.toBe(0);
    const results = readFileSync(join(dir, 'results.yaml'), 'utf8');
    expect(results).toContain('artifacts.kuchima03.appspot.com');
    expect(results).toContain('check: gcr-cross-project');
  });

  test('kpt fn render with preflight as a validator passes for a same-project image', () => {
    const dir = pkg('kuchima03');
    const run = kpt(['fn', 'render', dir, '--allow-exec']);
    expect(run.stderr).toContain('[PASS]');
    expect(run.status).toBe(0);
  });

  test('kpt fn eval in ConfigMap form (-- key=value)', () => {
    const dir = pkg('kuchima03');
    const run = kpt([
      'fn',
      'eval',
      dir,
      '--exec',
      EXEC,
      '--',
      'platform=gke-autopilot',
      'gcpProjectId=kuchima03',
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('GKE Autopilot rejects the pods');
  });
});
