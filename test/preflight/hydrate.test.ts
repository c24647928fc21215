import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { stagesOf } from '../../src/transforms/hydrate';
import { loadConfig } from '../../src/config/load';
import type { RetargetConfig } from '../../src/config/types';
import { FIXTURES, describeReal, runText } from '../support/run';

function retarget(extra: string): unknown {
  return parse(`apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: quickstart
imagePullSecrets: [gcr-json-key]
fsGroup: 2000
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/quickstart
  initSystem: systemd
  serviceAccountName: quickstart
${extra}`);
}

const ANTHOS_AWS_TARGET = `target:
  platform: anthos-aws
  pullSecrets:
  - name: gcr-json-key
    registries: [gcr.io]
`;

describe('hydrate runs preflight last, from target:', () => {
  test('target becomes a Preflight stage with the shared runtime settings, and no selector', () => {
    const config = loadConfig<RetargetConfig>(
      'Retarget',
      parse(`apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
runtime: legacy
selector: {names: [app]}
podTemplatePaths: [{kind: Rollout, path: spec.template.spec}]
target: {platform: gke, gcpProjectNumber: "123456789012"}
`),
    );
    const stages = stagesOf(config);
    expect(stages.preflight).toEqual({
      platform: 'gke',
      gcpProjectNumber: '123456789012',
      emitIamPolicyMember: false,
      runtime: 'legacy',
      podTemplatePaths: [{ kind: 'Rollout', path: 'spec.template.spec' }],
    });
    expect(
      stagesOf(
        loadConfig<RetargetConfig>('Retarget', {
          apiVersion: 'fn.retarget.dev/v1alpha1',
          kind: 'Retarget',
        }),
      ).preflight,
    ).toBeUndefined();
  });
});

describeReal('hydrate + preflight on the real fixtures', () => {
  const mfa = () => readFileSync(join(FIXTURES, 'mfa__deployment_spec.yaml'), 'utf8');

  test('what the transforms write passes the workload identity and pull checks', () => {
    const run = runText('hydrate', retarget(ANTHOS_AWS_TARGET), mfa(), 'deployment_spec.yaml');
    expect(run.ok).toBe(true);
    expect(run.results.filter((r) => r.tags?.check)).toEqual([]);
  });

  test('preflight sees the hydrated resources: without the link step it says so', () => {
    const run = runText(
      'hydrate',
      retarget(`linkKubernetesInfoSecrets: false\n${ANTHOS_AWS_TARGET}`),
      mfa(),
      'deployment_spec.yaml',
    );
    expect(run.ok).toBe(true);
    expect(
      run.results.filter((r) => r.tags?.check).map((r) => [r.severity, r.tags?.check]),
    ).toEqual([['warning', 'kubernetes-info-link-missing']]);
  });

  test('an error finding fails hydrate: no output, the finding located in the input', () => {
    const run = runText(
      'hydrate',
      retarget('target:\n  platform: gke-autopilot\n  gcpProjectId: kuchima03\n'),
      mfa(),
      'deployment_spec.yaml',
    );
    expect(run.ok).toBe(false);
    expect(
      run.results
        .filter((r) => r.severity === 'error')
        .map((r) => [r.tags?.check, r.tags?.control, r.file?.path]),
    ).toEqual([
      ['autopilot', 'privileged', 'deployment_spec.yaml'],
      ['autopilot', 'host-path', 'deployment_spec.yaml'],
    ]);
  });

  test('emitIamPolicyMember adds the grant to the hydrated output; twice == once', () => {
    const config = retarget(
      'target:\n  platform: gke\n  gcpProjectId: project-b\n  gcpProjectNumber: 123456789012\n  emitIamPolicyMember: true\n  pullSecrets: []\n',
    );
    // gcr-json-key is referenced but not declared: the grant is what makes the pull work.
    const once = runText('hydrate', config, mfa(), 'deployment_spec.yaml');
    expect(once.ok).toBe(true);
    const members = parseAllDocuments(once.output)
      .map(
        (d) => d.toJS() as { kind?: string; spec?: { resourceRef?: { external?: string } } } | null,
      )
      .filter((v) => v?.kind === 'IAMPolicyMember');
    expect(members.map((m) => m?.spec?.resourceRef?.external)).toEqual([
      'projects/kuchima03/locations/us/repositories/gcr.io',
    ]);
    const twice = runText('hydrate', config, once.output, 'deployment_spec.yaml');
    expect(twice.output).toBe(once.output);
  });
});
