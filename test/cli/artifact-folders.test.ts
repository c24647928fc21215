import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { artifactKind } from '../../src/runtime/artifacts';
import { describeReal, FIXTURES } from '../support/run';
import { runBin } from '../support/run-bin';

/**
 * testdata/artifacts/<case>/: an artifact folder of one generator generation (`input/`),
 * what retarget must conclude (`case.yaml`) and what `retarget init` writes
 * (`expected-retarget.yaml`, reviewed; UPDATE_GOLDEN=1 rewrites it). Each runs the chain a
 * new user runs: init, fill the role ARN (and the init system a legacy image needs),
 * hydrate, dockerfile; the token path in the manifests and in the image must agree.
 */
const ROOT = resolve(__dirname, '../../testdata/artifacts');
const ROLE = 'arn:aws:iam::123456789012:role/migrated';
const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'case.yaml')));

interface Case {
  runtime: 'legacy' | 'service-manager';
  initSystem?: string;
  artifacts: string[];
  /** Where the VM ran, by the folder's SourceProvider: gcp proposes GKE Workload Identity. */
  identity?: 'gcp' | 'aws';
  /** The values the user fills in init's commented-out dataVolumes: section. */
  dataVolumes?: { platform: string; project: string; sourceProject: string };
}

function copyCase(name: string): string {
  const work = mkdtempSync(join(tmpdir(), `retarget-artifacts-${name}-`));
  cpSync(join(ROOT, name, 'input'), join(work, 'input'), { recursive: true });
  return work;
}

/** What the user does after init: the ARN, and for a legacy image its init system. */
function fill(text: string, c: Case): string {
  let out = text.replace('"TODO: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME"', ROLE);
  if (c.identity === 'gcp')
    out = out
      .replace(
        /gcpServiceAccount: "TODO: NAME@([a-z0-9-]+)\.iam/,
        'gcpServiceAccount: "vm-services@$1.iam',
      )
      .replace('  projectId: TARGET_PROJECT_ID', '  projectId: target-cluster-project');
  if (c.initSystem) out = out.replace('  # initSystem: systemd', `  initSystem: ${c.initSystem}`);
  if (c.dataVolumes) out = fillDataVolumes(uncommentDataVolumes(out), c.dataVolumes);
  return out;
}

/** Uncomments init's `# dataVolumes:` block (up to the blank line that ends it). */
function uncommentDataVolumes(text: string): string {
  return uncommentBlock(text, '# dataVolumes:');
}

function uncommentBlock(text: string, header: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(header);
  expect(start).toBeGreaterThan(0);
  for (let i = start; i < lines.length && lines[i] !== ''; i++) {
    expect(lines[i]).toMatch(/^# /);
    lines[i] = lines[i].slice(2);
  }
  return lines.join('\n');
}

function fillDataVolumes(text: string, values: NonNullable<Case['dataVolumes']>): string {
  return text
    .replace(/platform: "TODO: [^"]*"/, `platform: ${values.platform}`)
    .replace('project: TARGET_PROJECT_ID', `project: ${values.project}`)
    .replace('sourceProject: SOURCE_PROJECT_ID', `sourceProject: ${values.sourceProject}`);
}

function tokenFileIn(manifests: string): string[] {
  return [...manifests.matchAll(/- name: AWS_WEB_IDENTITY_TOKEN_FILE\n\s+value: (\S+)/g)].map(
    (m) => m[1],
  );
}

describe.each(cases.map((c) => [c]))('testdata/artifacts/%s', (name) => {
  const c = parse(readFileSync(join(ROOT, name, 'case.yaml'), 'utf8')) as Case;
  const expectedFile = join(ROOT, name, 'expected-retarget.yaml');

  test('init writes the reviewed config, refuses to overwrite it, --force rewrites the same bytes', () => {
    const work = copyCase(name);
    const init = runBin('retarget', ['init', 'input'], undefined, work);
    expect(init.status).toBe(0);
    expect(init.stdout).toBe('');
    expect(init.stderr).toMatch(/^info: wrote input\/retarget.yaml: 1 workload\(s\), runtime /);
    const written = readFileSync(join(work, 'input/retarget.yaml'), 'utf8');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, written);
    expect(written).toBe(readFileSync(expectedFile, 'utf8'));
    expect(written).toContain(`\nruntime: ${c.runtime}\n`);
    // A dataVolumes: section is proposed exactly when the spec holds a disk volume, commented out
    // (the target platform it needs is in no artifact).
    expect(written.includes('\n# dataVolumes:\n')).toBe(c.dataVolumes !== undefined);
    expect(written).not.toMatch(/^dataVolumes:/m);
    // The identity proposed from where the VM ran: GKE Workload Identity for a Compute Engine
    // VM (live, with placeholders; no AWS role asked for), else AWS with GKE as the commented
    // alternative.
    expect(/^gcpWorkloadIdentity:/m.test(written)).toBe(c.identity === 'gcp');
    expect(written.includes('\n# gcpWorkloadIdentity:\n')).toBe(c.identity !== 'gcp');
    expect(/^awsWorkloadIdentity:/m.test(written)).toBe(c.identity !== 'gcp');
    expect(written.includes('\n# awsWorkloadIdentity:\n')).toBe(c.identity === 'gcp');
    expect(written).not.toContain('not written by retarget yet');
    const again = runBin('retarget', ['init', 'input'], undefined, work);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('input/retarget.yaml: already exists: not overwritten');
    expect(runBin('retarget', ['init', 'input', '--force'], undefined, work).status).toBe(0);
    expect(readFileSync(join(work, 'input/retarget.yaml'), 'utf8')).toBe(written);
  });

  test('unfilled, hydrate names the identity field and writes nothing', () => {
    const work = copyCase(name);
    runBin('retarget', ['init', 'input'], undefined, work);
    const r = runBin(
      'retarget',
      ['hydrate', '-c', 'input/retarget.yaml', 'input'],
      undefined,
      work,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      c.identity === 'gcp' ? 'gcpWorkloadIdentity' : 'awsWorkloadIdentity.roleArn',
    );
  });

  // Only folders whose spec holds a disk volume have a dataVolumes section to fill.
  if (c.dataVolumes)
    test('with data volumes: uncommented but not filled, hydrate names dataVolumes.platform and writes nothing', () => {
      const work = copyCase(name);
      runBin('retarget', ['init', 'input'], undefined, work);
      const config = join(work, 'input/retarget.yaml');
      const text = readFileSync(config, 'utf8');
      writeFileSync(config, uncommentDataVolumes(fill(text, { ...c, dataVolumes: undefined })));
      const r = runBin(
        'retarget',
        ['hydrate', '-c', 'input/retarget.yaml', 'input'],
        undefined,
        work,
      );
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('dataVolumes.platform');
    });

  test('init, fill the ARN, hydrate the folder: no migration artifact in the output, exit 0; dockerfile agrees on the token path', () => {
    const work = copyCase(name);
    runBin('retarget', ['init', 'input'], undefined, work);
    const config = join(work, 'input/retarget.yaml');
    writeFileSync(config, fill(readFileSync(config, 'utf8'), c));

    const hydrated = runBin(
      'retarget',
      ['hydrate', '-c', 'input/retarget.yaml', 'input'],
      undefined,
      work,
    );
    expect(hydrated.stderr).not.toMatch(/^error/m);
    expect(hydrated.status).toBe(0);
    for (const file of c.artifacts) {
      expect(hydrated.stderr).toContain(`info: input/${file}: left out: `);
    }
    const docs = parseAllDocuments(hydrated.stdout).map((d) => d.toJS() as unknown);
    for (const doc of docs.filter((d) => d !== null)) {
      expect(artifactKind(doc)).toBeUndefined();
      expect(doc).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String) });
      expect((doc as { kind: string }).kind).not.toBe('Retarget');
    }
    const tokens = [...new Set(tokenFileIn(hydrated.stdout))];
    const expectedToken =
      c.runtime === 'legacy'
        ? '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token'
        : '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
    // A Compute Engine VM's proposal asks for no AWS role: no AWS token anywhere, and the
    // workload's own ServiceAccount names the VM's service account for GKE Workload Identity.
    expect(tokens).toEqual(c.identity === 'gcp' ? [] : [expectedToken]);
    expect(/iam\.gke\.io\/gcp-service-account: vm-services@/.test(hydrated.stdout)).toBe(
      c.identity === 'gcp',
    );
    expect(hydrated.stdout.includes('# retarget: link-kubernetes-info-secrets')).toBe(
      c.runtime === 'legacy',
    );
    if (c.dataVolumes) {
      // The volume attaches the copy in the target project; nothing of the processing cluster stays.
      const pv = docs.find((d) => (d as { kind?: string } | null)?.kind === 'PersistentVolume');
      expect(pv).toMatchObject({
        spec: {
          csi: {
            driver: 'pd.csi.storage.gke.io',
            volumeHandle: expect.stringMatching(
              new RegExp(`^projects/${c.dataVolumes.project}/zones/[a-z0-9-]+/disks/`),
            ),
          },
        },
      });
      expect(hydrated.stdout).not.toMatch(/gcePersistentDisk|resourceVersion|pv\.kubernetes\.io/);
      expect(hydrated.stderr).toContain(`gcloud compute snapshots create`);
      expect(hydrated.stderr).toContain(`--project=${c.dataVolumes.project}`);
      expect(hydrated.stderr).toContain(`/projects/${c.dataVolumes.sourceProject}/zones/`);
    }

    // -o DIR: only Kubernetes files are written; the artifacts are not touched.
    const out = runBin(
      'retarget',
      ['hydrate', '-c', 'input/retarget.yaml', 'input', '-o', 'out'],
      undefined,
      work,
    );
    expect(out.status).toBe(0);
    const written = readdirSync(join(work, 'out')).sort();
    for (const file of c.artifacts) expect(written).not.toContain(file);
    expect(written).toContain('deployment_spec.yaml');

    const patched = runBin(
      'retarget',
      ['dockerfile', '-c', 'input/retarget.yaml', 'input/Dockerfile'],
      undefined,
      work,
    );
    if (c.identity === 'gcp') {
      // GKE Workload Identity changes nothing in the image: the dockerfile step is for AWS only.
      expect(patched.status).toBe(1);
      expect(patched.stderr).toContain('awsWorkloadIdentity: is required by retarget dockerfile');
      return;
    }
    expect(patched.status).toBe(0);
    expect(patched.stderr).toMatch(
      new RegExp(`^info: runtime: ${c.runtime} runtime, decided by config`),
    );
    const original = readFileSync(join(work, 'input/Dockerfile'), 'utf8');
    if (c.runtime === 'service-manager') {
      // No init-system edits for the service manager: the Dockerfile is left as it is.
      expect(patched.stdout).toBe(original);
    } else {
      const inBlock = patched.stdout.match(/AWS_WEB_IDENTITY_TOKEN_FILE=([^"' ;]+)/g) ?? [];
      expect(inBlock.length).toBeGreaterThan(0);
      for (const t of inBlock) expect(t).toBe(`AWS_WEB_IDENTITY_TOKEN_FILE=${expectedToken}`);
    }
  });

  test('preflight leaves the artifacts out too (no finding on skaffold or Migration objects)', () => {
    const work = copyCase(name);
    const config = join(work, 'preflight.yaml');
    writeFileSync(
      config,
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: Preflight\nplatform: generic\nskip: [pull-not-covered, image-placeholder]\n',
    );
    const r = runBin('retarget', [
      'preflight',
      '-c',
      config,
      join(work, 'input'),
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as {
      results: { message: string; resourceRef?: { kind: string } }[];
    };
    for (const file of c.artifacts) {
      expect(
        report.results.some(
          (x) => x.message.startsWith('left out: ') && JSON.stringify(x).includes(file),
        ),
      ).toBe(true);
    }
    const kinds = report.results.map((x) => x.resourceRef?.kind).filter(Boolean);
    for (const k of ['Config', 'Migration', 'GenerateArtifactsFlow', 'AppXGenerateArtifactsFlow']) {
      expect(kinds).not.toContain(k);
    }
  });

  test('the Dockerfile with only the spec and plan beside it (runtime: auto) gives the same runtime', () => {
    const work = copyCase(name);
    const config = join(work, 'auto.yaml');
    writeFileSync(
      config,
      `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nawsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: ${c.initSystem ?? 'systemd'}\n`,
    );
    const r = runBin('retarget', ['dockerfile', '-c', config, join(work, 'input/Dockerfile')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^info: runtime: ${c.runtime} runtime, decided by spec `));
  });
});

describe('artifact folders that contradict themselves or hold strays', () => {
  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'retarget-stray-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }
  const legacy = readFileSync(join(ROOT, 'migctl-v1.15-legacy/input/deployment_spec.yaml'), 'utf8');
  const config = `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nmetadata:\n  annotations:\n    config.kubernetes.io/local-config: "true"\nfsGroup: 2000\n`;

  test('a plan with v2kServiceManager: true beside a privileged /code/ready.sh spec: hydrate and dockerfile exit 1 naming both', () => {
    const dir = folder({
      'deployment_spec.yaml': legacy,
      'migration.yaml': 'v2kServiceManager: true\n',
      'retarget.yaml': config,
      Dockerfile: readFileSync(join(ROOT, 'migctl-v1.15-legacy/input/Dockerfile'), 'utf8'),
    });
    const h = runBin('retarget', ['hydrate', '-c', join(dir, 'retarget.yaml'), dir]);
    expect(h.status).toBe(1);
    expect(h.stdout).toBe('');
    expect(h.stderr).toContain('the migration artifacts disagree on the runtime');
    expect(h.stderr).toContain('v2kServiceManager: true');
    expect(h.stderr).toContain('probe /code/ready.sh');
    const withAws = join(dir, 'aws.yaml');
    writeFileSync(
      withAws,
      `${config}awsWorkloadIdentity:\n  roleArn: ${ROLE}\n  initSystem: systemd\n`,
    );
    const d = runBin('retarget', ['dockerfile', '-c', withAws, join(dir, 'Dockerfile')]);
    expect(d.status).toBe(1);
    expect(d.stdout).toBe('');
    expect(d.stderr).toMatch(/^error: .*Dockerfile:4: the migration artifacts disagree/);
    // --spec none / --plan none: the Dockerfile alone decides (legacy here).
    const alone = runBin('retarget', [
      'dockerfile',
      '-c',
      withAws,
      '--plan',
      'none',
      join(dir, 'Dockerfile'),
    ]);
    expect(alone.status).toBe(0);
    const init = runBin('retarget', ['init', dir, '-o', '-']);
    expect(init.status).toBe(0);
    expect(init.stdout).toContain('# TODO(runtime): the artifacts disagree');
  });

  test('a stray non-Kubernetes document is an error naming the file; --keep-unknown copies it', () => {
    const dir = folder({
      'deployment_spec.yaml': legacy,
      'notes.yaml': 'owner: team-a\n',
      'retarget.yaml': config,
    });
    const strict = runBin('retarget', ['hydrate', '-c', join(dir, 'retarget.yaml'), dir]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain(`${join(dir, 'notes.yaml')}:1: is neither a Kubernetes object`);
    const kept = runBin('retarget', [
      'hydrate',
      '-c',
      join(dir, 'retarget.yaml'),
      dir,
      '--keep-unknown',
    ]);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toContain('owner: team-a');
  });

  test('a file mixing an artifact with resources is an error; --in-place leaves artifacts untouched', () => {
    const mixed = folder({
      'all.yaml': `${legacy}\n---\napiVersion: skaffold/v2beta25\nkind: Config\n`,
      'retarget.yaml': config,
    });
    const r = runBin('retarget', ['hydrate', '-c', join(mixed, 'retarget.yaml'), mixed]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'mixes migration artifacts (a skaffold config) with other documents',
    );
    const plan = 'v2kServiceManager: false\n';
    const dir = folder({
      'deployment_spec.yaml': legacy,
      'migration.yaml': plan,
      'retarget.yaml': config,
    });
    expect(
      runBin('retarget', ['hydrate', '-c', join(dir, 'retarget.yaml'), dir, '--in-place']).status,
    ).toBe(0);
    expect(readFileSync(join(dir, 'migration.yaml'), 'utf8')).toBe(plan);
    expect(readFileSync(join(dir, 'deployment_spec.yaml'), 'utf8')).toContain('fsGroup: 2000');
  });

  test('an empty directory, or one with no YAML, is an error', () => {
    const empty = folder({ 'README.md': '# notes\n' });
    const cfg = folder({ 'retarget.yaml': config });
    const r = runBin('retarget', ['hydrate', '-c', join(cfg, 'retarget.yaml'), empty]);
    expect(r).toMatchObject({ status: 1, stdout: '' });
    expect(r.stderr).toContain(`${empty}: no *.yaml or *.yml files in this directory`);
    const only = runBin('retarget', ['hydrate', '-c', join(cfg, 'retarget.yaml'), cfg]);
    expect(only.status).toBe(1);
    expect(only.stderr).toContain('holds only the config file');
  });
});

describeReal('retarget init on the real artifact folders', () => {
  const real = (prefix: string, files: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), `retarget-real-${prefix}-`));
    for (const f of files) cpSync(join(FIXTURES, `${prefix}__${f}`), join(dir, f));
    return dir;
  };

  test.each([
    ['mfa', ['deployment_spec.yaml', 'Dockerfile'], 'legacy', 'systemd'],
    [
      'dockertest',
      ['deployment_spec.yaml', 'Dockerfile', 'services-config.yaml'],
      'service-manager',
      undefined,
    ],
  ])(
    '%s: init, fill the ARN, hydrate exit 0 with no artifact, dockerfile agrees',
    (prefix, files, runtime, initSystem) => {
      const dir = real(prefix, files);
      expect(runBin('retarget', ['init', dir]).status).toBe(0);
      const config = join(dir, 'retarget.yaml');
      const text = readFileSync(config, 'utf8');
      expect(text).toContain(`\nruntime: ${runtime}\n`);
      writeFileSync(
        config,
        fill(text, { runtime: runtime as Case['runtime'], initSystem, artifacts: [] }),
      );
      const h = runBin('retarget', ['hydrate', '-c', config, dir]);
      expect(h.status).toBe(0);
      expect(h.stdout).not.toContain('applications:');
      expect(h.stdout).not.toContain('kind: Retarget');
      const d = runBin('retarget', ['dockerfile', '-c', config, join(dir, 'Dockerfile')]);
      expect(d.status).toBe(0);
      const token = tokenFileIn(h.stdout)[0];
      if (runtime === 'legacy') expect(d.stdout).toContain(`AWS_WEB_IDENTITY_TOKEN_FILE=${token}`);
      else expect(d.stdout).toBe(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
    },
  );
});

describe('retarget init on a spec whose volume is an EBS volume', () => {
  // The data-volume case's spec with its disk on AWS (a processing cluster on GKE on AWS).
  const spec = readFileSync(
    join(ROOT, 'migctl-v1.4-data-volume/input/deployment_spec.yaml'),
    'utf8',
  )
    .replace(
      /gcePersistentDisk:\n {4}fsType: ext4\n {4}pdName: \S+/,
      'awsElasticBlockStore:\n    fsType: ext4\n    volumeID: aws://eu-west-1b/vol-0a1b2c3d4e5f67890',
    )
    .replaceAll('europe-west1-b', 'eu-west-1b')
    .replaceAll('europe-west1', 'eu-west-1');

  test('proposes the volume id and its zone, no GCP project; uncommented with platform eks, hydrate gives the EBS CSI source', () => {
    expect(spec).toContain('volumeID: aws://eu-west-1b/vol-0a1b2c3d4e5f67890');
    const dir = mkdtempSync(join(tmpdir(), 'retarget-ebs-'));
    writeFileSync(join(dir, 'deployment_spec.yaml'), spec);
    expect(runBin('retarget', ['init', dir]).status).toBe(0);
    const config = join(dir, 'retarget.yaml');
    const text = readFileSync(config, 'utf8');
    expect(text).toContain(
      'EBS volume vol-0a1b2c3d4e5f67890 (in-tree awsElasticBlockStore), zone eu-west-1b (its volume id)',
    );
    expect(text).toContain('#       disk: vol-0a1b2c3d4e5f67890  #');
    expect(text).toContain('#       zone: eu-west-1b  #');
    expect(text).not.toContain('TARGET_PROJECT_ID     #');
    expect(text).not.toContain('sourceProject:');
    writeFileSync(
      config,
      uncommentDataVolumes(
        fill(text, { runtime: 'legacy', initSystem: 'systemd', artifacts: [] }),
      ).replace(/platform: "TODO: [^"]*"/, 'platform: eks'),
    );
    const h = runBin('retarget', ['hydrate', '-c', config, dir]);
    expect(h.stderr).not.toMatch(/^error/m);
    expect(h.status).toBe(0);
    const pv = parseAllDocuments(h.stdout)
      .map((d) => d.toJS() as { kind?: string } | null)
      .find((d) => d?.kind === 'PersistentVolume');
    expect(pv).toMatchObject({
      spec: { csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0a1b2c3d4e5f67890' } },
    });
    expect(h.stdout).not.toContain('awsElasticBlockStore');
  });
});
