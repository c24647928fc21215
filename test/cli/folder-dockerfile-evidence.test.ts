import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { dockerfileEvidenceOf } from '../../src/cli/folder-artifacts';
import { runInProcess } from '../support/run-bin';

/**
 * The Dockerfile Migrate to Containers generates beside deployment_spec.yaml is runtime
 * evidence for the workloads read from that folder, in file mode: a v1.4 runtime image is
 * the legacy runtime, so the AWS token goes under /kubernetes-info/secrets (where the
 * legacy runtime mounts the service-account secrets) with the systemd drop-in. Only the
 * input's own folder counts, only a runtime-image Dockerfile with an answer, and stdin has
 * no folder. Run in this process, from the scratch directory.
 */
const ARTIFACTS = resolve(__dirname, '../../testdata/artifacts');
const LEGACY_DOCKERFILE = readFileSync(
  join(ARTIFACTS, 'migctl-v1.4-legacy/input/Dockerfile'),
  'utf8',
);
/** A v1.15 service-manager spec: its container says so (env HC_V2K_SERVICE_MANAGER). */
const SERVICE_MANAGER_SPEC = readFileSync(
  join(ARTIFACTS, 'migctl-v1.15-service-manager/input/deployment_spec.yaml'),
  'utf8',
);
/** The same spec with nothing in it that tells the runtime: no env, no probes. */
const BARE_SPEC = SERVICE_MANAGER_SPEC.replace(
  '      - env:\n        - name: HC_V2K_SERVICE_MANAGER\n          value: "true"\n        image:',
  '      - image:',
).replace(/ {8}(liveness|readiness)Probe:\n(?: {10}.*\n)+/g, '');
const PLAIN_DOCKERFILE = 'FROM debian:12\nRUN true\n';
/** A runtime image whose tag is no version, and no services-config.yaml: cannot tell. */
const UNTOLD_DOCKERFILE =
  'FROM anthos-migrate.gcr.io/v2k-run-embedded:latest as rt\nFROM scratch\nCOPY --from=rt / /\nENTRYPOINT [ "/.v2k.go" ]\n';
const AWS = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: r
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/app
  initSystem: systemd
`;
const LEGACY_TOKEN = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token';
const PLAIN_TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';

function scratch(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'retarget-folder-evidence-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The token file each Deployment's containers are given, by Deployment name. */
function tokenFiles(stream: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const doc of parseAllDocuments(stream)) {
    const d = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      spec?: {
        template?: {
          spec?: { containers?: { env?: { name: string; value?: string }[] }[] };
        };
      };
    } | null;
    if (d?.kind !== 'Deployment') continue;
    out[d.metadata?.name ?? ''] = (d.spec?.template?.spec?.containers ?? []).map(
      (c) => c.env?.find((e) => e.name === 'AWS_WEB_IDENTITY_TOKEN_FILE')?.value ?? '',
    );
  }
  return out;
}

describe('a Dockerfile beside the spec decides the runtime of the spec it sits with', () => {
  test.each([
    ['no Dockerfile', undefined, PLAIN_TOKEN],
    ['a v1.4 runtime Dockerfile (legacy only)', LEGACY_DOCKERFILE, LEGACY_TOKEN],
    ['a Dockerfile on no runtime image says nothing', PLAIN_DOCKERFILE, PLAIN_TOKEN],
    ['a runtime Dockerfile that cannot tell says nothing', UNTOLD_DOCKERFILE, PLAIN_TOKEN],
  ])('%s', (_name, dockerfile, token) => {
    const dir = scratch({
      'aws.yaml': AWS,
      'web/deployment_spec.yaml': BARE_SPEC,
      ...(dockerfile === undefined ? {} : { 'web/Dockerfile': dockerfile }),
    });
    const r = runInProcess('retarget', ['hydrate', '-c', 'aws.yaml', 'web', '-q'], '', dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(tokenFiles(r.stdout)).toEqual({ 'web-frontend': [token] });
  });

  // Beside a spec that names its runtime, evidence that is not evidence would contradict it.
  test.each([
    ['on no runtime image', PLAIN_DOCKERFILE],
    ['that cannot tell', UNTOLD_DOCKERFILE],
  ])('a Dockerfile %s does not contradict a service-manager spec', (_name, dockerfile) => {
    const dir = scratch({
      'aws.yaml': AWS,
      'web/deployment_spec.yaml': SERVICE_MANAGER_SPEC,
      'web/Dockerfile': dockerfile,
    });
    const r = runInProcess('retarget', ['hydrate', '-c', 'aws.yaml', 'web', '-q'], '', dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(tokenFiles(r.stdout)).toEqual({ 'web-frontend': [PLAIN_TOKEN] });
  });

  test('the folder of a file named with no directory is the working directory', () => {
    const dir = scratch({
      'aws.yaml': AWS,
      'deployment_spec.yaml': BARE_SPEC,
      Dockerfile: LEGACY_DOCKERFILE,
    });
    const r = runInProcess(
      'retarget',
      ['hydrate', '-c', 'aws.yaml', 'deployment_spec.yaml', '-q'],
      '',
      dir,
    );
    expect(r.status).toBe(0);
    expect(tokenFiles(r.stdout)).toEqual({ 'web-frontend': [LEGACY_TOKEN] });
  });

  test('stdin has no folder: a Dockerfile in the working directory is not its evidence', () => {
    const dir = scratch({ 'aws.yaml': AWS, Dockerfile: LEGACY_DOCKERFILE });
    const r = runInProcess('retarget', ['hydrate', '-c', 'aws.yaml', '-q'], BARE_SPEC, dir);
    expect(r.status).toBe(0);
    expect(tokenFiles(r.stdout)).toEqual({ 'web-frontend': [PLAIN_TOKEN] });
  });

  test("another input folder's Dockerfile is not evidence for this one's spec", () => {
    const dir = scratch({
      'aws.yaml': AWS,
      'web/deployment_spec.yaml': BARE_SPEC,
      'db/deployment_spec.yaml': BARE_SPEC.replaceAll('web-frontend', 'db'),
      'db/Dockerfile': LEGACY_DOCKERFILE,
    });
    const r = runInProcess('retarget', ['hydrate', '-c', 'aws.yaml', 'web', 'db', '-q'], '', dir);
    expect(r.status).toBe(0);
    expect(tokenFiles(r.stdout)).toEqual({ 'web-frontend': [PLAIN_TOKEN], db: [LEGACY_TOKEN] });
  });

  test('a Dockerfile that contradicts the spec is an error naming both, nothing written', () => {
    const dir = scratch({
      'aws.yaml': AWS,
      'web/deployment_spec.yaml': SERVICE_MANAGER_SPEC,
      'web/Dockerfile': LEGACY_DOCKERFILE,
    });
    const r = runInProcess('retarget', ['hydrate', '-c', 'aws.yaml', 'web', '-o', 'out'], '', dir);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'error: web/deployment_spec.yaml:32:9 Deployment/web-frontend spec.template.spec.containers[0]: the migration artifacts disagree on the runtime: spec web/deployment_spec.yaml:32: container web-frontend: env HC_V2K_SERVICE_MANAGER="true" (service-manager runtime); dockerfile web/Dockerfile:4: anthos-migrate.gcr.io/v2k-run-embedded:v1.4.0 is before v1.8 (legacy runtime only) (legacy runtime); fix the artifact that was edited or belongs to another workload, or set runtime in the config\n',
    });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('the premises: what each Dockerfile above says on its own', () => {
    const dir = scratch({
      legacy: LEGACY_DOCKERFILE,
      plain: PLAIN_DOCKERFILE,
      untold: UNTOLD_DOCKERFILE,
    });
    expect(dockerfileEvidenceOf(join(dir, 'legacy'))).toMatchObject({ kind: 'legacy' });
    expect(dockerfileEvidenceOf(join(dir, 'plain'))).toMatchObject({ kind: 'plain' });
    expect(dockerfileEvidenceOf(join(dir, 'untold'))).toBeInstanceOf(Error);
    expect(BARE_SPEC).not.toContain('HC_V2K_SERVICE_MANAGER');
    expect(BARE_SPEC).not.toContain('Probe:');
  });
});
