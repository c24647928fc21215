import { parseDockerfile } from '../../src/dockerfile/parse';
import { patchDockerfile } from '../../src/dockerfile/patch';
import { dockerfileEvidence } from '../../src/dockerfile/runtime';
import { SourceError } from '../../src/errors';
import { artifactKind, planFileEvidence, specFileEvidence } from '../../src/runtime/artifacts';
import { decideRuntime, planEvidence, RuntimeConflictError } from '../../src/runtime/evidence';
import type { RuntimeEvidence } from '../../src/runtime/evidence';
import { optionsFromYaml } from '../dockerfile/harness';

const spec = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
${container}`;

const SM_ENV_AND_V2K = spec(`      - name: app
        image: gcr.io/p/app:1
        command: ["/.v2k.go"]
        env:
        - name: HC_V2K_SERVICE_MANAGER
          value: "true"
`);
const LEGACY_SPEC = spec(`      - name: app
        image: gcr.io/p/app:1
        readinessProbe:
          exec:
            command: [/code/ready.sh]
        securityContext:
          privileged: true
`);
const M2C_SPEC = spec(`      - name: app
        image: gcr.io/p/app:1
        livenessProbe:
          exec:
            command: [/ko-app/service-manager-runtime, probe]
`);
const RT = 'anthos-migrate.gcr.io/v2k-run-embedded';
const SM_DOCKERFILE = `FROM ${RT}:v1.15.0 as rt\nFROM c\nCOPY --from=rt / /\nADD services-config.yaml /.m4a/\nENTRYPOINT [ "/.v2k.go" ]\n`;
const V115_NO_SM = `FROM ${RT}:v1.15.0 as rt\nFROM c\nCOPY --from=rt / /\nADD blocklist.yaml /.m4a/blocklist.yaml\nENTRYPOINT [ "/.v2k.go" ]\n`;
const V13 = `FROM ${RT}:v1.3.0 as rt\nFROM c\nCOPY --from=rt / /\nENTRYPOINT [ "/.v2k.go" ]\n`;

const dockerfile = (text: string) => {
  const e = dockerfileEvidence(parseDockerfile(text), 'Dockerfile');
  if (e instanceof Error) throw e;
  return e;
};

describe('the spec', () => {
  test('HC_V2K_SERVICE_MANAGER=true decides next to the /.v2k.go entrypoint (one answer on both sides)', () => {
    const [e] = specFileEvidence(SM_ENV_AND_V2K, 'deployment_spec.yaml');
    expect(e).toMatchObject({ source: 'spec', kind: 'service-manager' });
    expect(e.where).toBe('deployment_spec.yaml:9');
    // The Dockerfile side, given the same spec, says the same.
    const infos: string[] = [];
    const options = optionsFromYaml(
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/a\n  initSystem: systemd\n',
    );
    options.evidence = [e];
    expect(
      patchDockerfile(SM_DOCKERFILE, options, 'Dockerfile', (r) => infos.push(r.message)),
    ).toBe(SM_DOCKERFILE);
    expect(infos[0]).toMatch(
      /^runtime: service-manager runtime, decided by spec deployment_spec.yaml:9: container app: env HC_V2K_SERVICE_MANAGER="true"/,
    );
  });

  test('the m2c CLI probe is the service manager; /code/ready.sh and privileged the legacy runtime', () => {
    expect(specFileEvidence(M2C_SPEC, 's.yaml').map((e) => e.kind)).toEqual(['service-manager']);
    expect(specFileEvidence(LEGACY_SPEC, 's.yaml').map((e) => e.kind)).toEqual(['legacy']);
  });
});

describe('the plan', () => {
  test.each([
    ['v1.9+ migration.yaml', { v2kServiceManager: false, global: {} }, 'legacy'],
    ['v1.9+ migration.yaml', { v2kServiceManager: true }, 'service-manager'],
    [
      'AppXGenerateArtifactsFlow dump',
      {
        apiVersion: 'anthos-migrate.cloud.google.com/v1beta2',
        kind: 'AppXGenerateArtifactsFlow',
        spec: { appXGenerateArtifactsConfig: 'v2kServiceManager: false\nimage:\n  name: x\n' },
      },
      'legacy',
    ],
    [
      'm2c CLI plan (probes only)',
      {
        image: { name: 'linux-system' },
        deployment: {
          probes: {
            livenessProbe: { exec: { command: ['/ko-app/service-manager-runtime', 'probe'] } },
          },
        },
      },
      'service-manager',
    ],
    ['a Tomcat plan says nothing', { tomcatServers: [] }, undefined],
  ])('%s', (_n, plan, kind) => {
    expect(planEvidence(plan)?.kind).toBe(kind);
  });
});

describe('deciding', () => {
  const plan = (flag: boolean): RuntimeEvidence =>
    planFileEvidence(`v2kServiceManager: ${flag}\n`, 'migration.yaml')[0];

  test('a v1.9+ image with v2kServiceManager: false is the legacy runtime', () => {
    const d = decideRuntime([dockerfile(SM_DOCKERFILE), plan(false)]);
    expect(d?.kind).toBe('legacy');
    expect(d?.decidedBy.source).toBe('plan');
    expect(decideRuntime([dockerfile(V115_NO_SM)])?.kind).toBe('legacy');
  });

  test('the strongest decides: config over spec over plan over Dockerfile', () => {
    const [legacySpec] = specFileEvidence(LEGACY_SPEC, 's.yaml');
    expect(decideRuntime([dockerfile(V115_NO_SM), legacySpec])?.decidedBy.source).toBe('spec');
    const config: RuntimeEvidence = {
      source: 'config',
      kind: 'plain',
      allows: ['plain'],
      reason: 'runtime: plain',
    };
    // The user's word decides even against the artifacts.
    expect(decideRuntime([legacySpec, plan(true), config])?.kind).toBe('plain');
  });

  test.each([
    [
      'plan true, spec privileged with /code/ready.sh',
      () => [plan(true), specFileEvidence(LEGACY_SPEC, 's.yaml')[0]],
    ],
    [
      'spec service manager, plan false',
      () => [specFileEvidence(SM_ENV_AND_V2K, 's.yaml')[0], plan(false)],
    ],
    ['plan true on a v1.3 image', () => [plan(true), dockerfile(V13)]],
    [
      'spec legacy, Dockerfile not the runtime',
      () => [specFileEvidence(LEGACY_SPEC, 's.yaml')[0], dockerfile('FROM tomcat:9\n')],
    ],
    [
      'two containers of the spec disagree',
      () => [...specFileEvidence(LEGACY_SPEC, 'a.yaml'), ...specFileEvidence(M2C_SPEC, 'b.yaml')],
    ],
  ])('contradiction: %s', (_n, pieces) => {
    expect(() => decideRuntime(pieces())).toThrow(RuntimeConflictError);
    try {
      decideRuntime(pieces());
    } catch (error) {
      expect((error as Error).message).toMatch(
        /^the migration artifacts disagree on the runtime: /,
      );
    }
  });

  test('retarget dockerfile: a contradiction is a located error, nothing written', () => {
    const options = optionsFromYaml(
      'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/a\n  initSystem: systemd\n',
    );
    options.evidence = [plan(true), ...specFileEvidence(LEGACY_SPEC, 'deployment_spec.yaml')];
    expect(() => patchDockerfile(V115_NO_SM, options, 'Dockerfile')).toThrow(SourceError);
    expect(() => patchDockerfile(V115_NO_SM, options, 'Dockerfile')).toThrow(
      /spec deployment_spec.yaml:9: container app: probe \/code\/ready.sh \(legacy runtime\); plan migration.yaml: v2kServiceManager: true/,
    );
  });
});

describe('artifact recognition', () => {
  test.each([
    [
      'migration.yaml (v1.9+)',
      { v2kServiceManager: false, global: { filters: [] } },
      'migration-plan',
    ],
    [
      'config.yaml (m2c CLI)',
      { global: {}, image: { name: 'x' }, deployment: {} },
      'migration-plan',
    ],
    ['Tomcat plan', { includeSensitiveData: false, tomcatServers: [] }, 'migration-plan'],
    [
      'GenerateArtifactsFlow',
      { apiVersion: 'anthos-migrate.cloud.google.com/v1beta2', kind: 'GenerateArtifactsFlow' },
      'migration-plan',
    ],
    [
      'Migration CR',
      { apiVersion: 'anthos-migrate.cloud.google.com/v1', kind: 'Migration' },
      'migration-object',
    ],
    ['skaffold', { apiVersion: 'skaffold/v2beta25', kind: 'Config' }, 'skaffold'],
    ['services-config.yaml', { version: 'v1beta1', env: [], applications: [] }, 'services-config'],
    ['blocklist.yaml', { service_list: [{ name: 'g', services: ['s'] }] }, 'blocklist'],
    ['logs.yaml', { logs: [{ path: '/var/log/x' }] }, 'logs'],
    ['a Deployment', { apiVersion: 'apps/v1', kind: 'Deployment' }, undefined],
    ['a ConfigMap without apiVersion', { kind: 'ConfigMap' }, undefined],
    ['something else', { foo: 1 }, undefined],
  ])('%s', (_n, value, kind) => {
    expect(artifactKind(value)).toBe(kind);
  });
});

test('retarget dockerfile: a config runtime that overrules an artifact says so', () => {
  const options = optionsFromYaml(
    'apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nruntime: plain\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/a\n  initSystem: systemd\n',
  );
  options.evidence = specFileEvidence(LEGACY_SPEC, 'deployment_spec.yaml');
  const infos: string[] = [];
  patchDockerfile(V115_NO_SM, options, 'Dockerfile', (r) => infos.push(r.message));
  expect(infos[0]).toBe(
    'runtime: plain container, decided by config: runtime: plain (plain container); overruled by the config: spec deployment_spec.yaml:9: container app: probe /code/ready.sh (legacy runtime); dockerfile Dockerfile:1: anthos-migrate.gcr.io/v2k-run-embedded:v1.15.0 without services-config.yaml (written only with v2kServiceManager: true) (legacy runtime)',
  );
});
