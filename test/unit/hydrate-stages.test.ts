import { loadConfig } from '../../src/config/load';
import type { RetargetConfig } from '../../src/config/types';
import { ConfigError } from '../../src/errors';
import { stagesOf } from '../../src/transforms/hydrate';

// What each stage of hydrate is given by one Retarget config, written from the README's
// account of the sections (shared targeting, link on by default, data volumes and preflight
// from the target), not read from the code.

const retarget = (body: Record<string, unknown>): RetargetConfig =>
  loadConfig<RetargetConfig>('Retarget', {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Retarget',
    ...body,
  });

const LINK_DEFAULTS = {
  source: '/kubernetes-info/secrets',
  target: '/var/run/secrets',
  runtime: 'auto',
};
const SELECTOR = { names: ['web'] };
const PATHS = [{ kind: 'Rollout', path: 'spec.template.spec' }];
const ROLE = 'arn:aws:iam::123456789012:role/app';

describe('hydrate: the config each stage gets', () => {
  test('an empty config: the link step alone, with its defaults and nothing else', () => {
    // Strictly: no key left over with an undefined value for an option nobody set.
    expect(stagesOf(retarget({}))).toStrictEqual({ link: LINK_DEFAULTS });
    expect(stagesOf(retarget({ linkKubernetesInfoSecrets: true }))).toEqual({
      link: LINK_DEFAULTS,
    });
    expect(stagesOf(retarget({ linkKubernetesInfoSecrets: false }))).toEqual({});
  });

  test('the short forms: a list of names, a number', () => {
    const stages = stagesOf(
      retarget({ imagePullSecrets: ['a', 'b'], fsGroup: 1, linkKubernetesInfoSecrets: false }),
    );
    expect(stages).toEqual({
      imagePullSecrets: { names: ['a', 'b'], pods: true },
      fsGroup: { fsGroup: 1, override: false, dataVolumes: 'set' },
    });
  });

  test('the long forms keep every option', () => {
    const stages = stagesOf(
      retarget({
        imagePullSecrets: { names: ['a'], pods: false, serviceAccounts: ['default'] },
        fsGroup: { fsGroup: 7, override: true, fsGroupChangePolicy: 'Always' },
        linkKubernetesInfoSecrets: { source: '/kubernetes-info/other' },
      }),
    );
    expect(stages).toEqual({
      imagePullSecrets: { names: ['a'], pods: false, serviceAccounts: ['default'] },
      fsGroup: { fsGroup: 7, override: true, fsGroupChangePolicy: 'Always', dataVolumes: 'set' },
      link: { ...LINK_DEFAULTS, source: '/kubernetes-info/other' },
    });
  });

  test('selector and pod template paths reach every stage that changes pods; runtime only the runtime-aware ones', () => {
    const stages = stagesOf(
      retarget({
        selector: SELECTOR,
        podTemplatePaths: PATHS,
        runtime: 'legacy',
        containerRuntimes: { web: 'plain' },
        imagePullSecrets: ['a'],
        fsGroup: 5,
        awsWorkloadIdentity: { roleArn: ROLE, initSystem: 'sysv' },
      }),
    );
    const targeting = { selector: SELECTOR, podTemplatePaths: PATHS };
    const runtime = { runtime: 'legacy', containerRuntimes: { web: 'plain' } };
    expect(stages.imagePullSecrets).toEqual({ names: ['a'], pods: true, ...targeting });
    expect(stages.fsGroup).toEqual({
      fsGroup: 5,
      override: false,
      dataVolumes: 'set',
      ...targeting,
    });
    // The link step takes the AWS section's init system when it names none.
    expect(stages.link).toEqual({ ...LINK_DEFAULTS, initSystem: 'sysv', ...runtime, ...targeting });
    expect(stages.aws).toMatchObject({
      roleArn: ROLE,
      initSystem: 'sysv',
      ...runtime,
      ...targeting,
    });
    expect(Object.keys(stages).sort()).toEqual(['aws', 'fsGroup', 'imagePullSecrets', 'link']);
  });

  test("the link section's own init system wins over the AWS section's; none at all is none", () => {
    const own = stagesOf(
      retarget({
        linkKubernetesInfoSecrets: { initSystem: 'systemd' },
        awsWorkloadIdentity: { roleArn: ROLE, initSystem: 'upstart' },
      }),
    );
    expect(own.link).toEqual({ ...LINK_DEFAULTS, initSystem: 'systemd' });
    const none = stagesOf(retarget({ awsWorkloadIdentity: { roleArn: ROLE } }));
    expect(none.link).toEqual(LINK_DEFAULTS);
  });

  test('dataVolumes: platform, project and a single zone come from the target; its own values win', () => {
    const target = { platform: 'gke', gcpProjectId: 'target-proj', zones: ['europe-west1-b'] };
    expect(stagesOf(retarget({ target, dataVolumes: {} })).dataVolumes).toEqual({
      platform: 'gke',
      project: 'target-proj',
      zone: 'europe-west1-b',
      mode: 'attach',
    });
    expect(
      stagesOf(
        retarget({
          target,
          dataVolumes: {
            platform: 'gke-autopilot',
            project: 'own-project',
            zone: 'europe-west1-c',
          },
        }),
      ).dataVolumes,
    ).toEqual({
      platform: 'gke-autopilot',
      project: 'own-project',
      zone: 'europe-west1-c',
      mode: 'attach',
    });
    // Two zones: the volume's zone is not the cluster's to choose.
    const regional = { ...target, zones: ['europe-west1-b', 'europe-west1-c'] };
    expect(stagesOf(retarget({ target: regional, dataVolumes: {} })).dataVolumes).toEqual({
      platform: 'gke',
      project: 'target-proj',
      mode: 'attach',
    });
    // No target: only what the section says.
    expect(
      stagesOf(retarget({ dataVolumes: { platform: 'eks', mode: 'provision' } })).dataVolumes,
    ).toEqual({ platform: 'eks', mode: 'provision' });
  });

  test('a dataVolumes section the stage refuses is named under dataVolumes', () => {
    // Valid as a Retarget section (platform may come from the target), refused by the stage.
    const config = retarget({ dataVolumes: { mode: 'provision' } });
    expect(() => stagesOf(config)).toThrow(ConfigError);
    expect(() => stagesOf(config)).toThrow(/^dataVolumes\.platform: /);
  });

  test('target turns preflight on, over every workload (no selector), with the runtime and pod template paths', () => {
    const stages = stagesOf(
      retarget({
        selector: SELECTOR,
        podTemplatePaths: PATHS,
        runtime: 'plain',
        linkKubernetesInfoSecrets: false,
        target: { platform: 'eks', awsAccountId: '123456789012' },
      }),
    );
    expect(Object.keys(stages)).toEqual(['preflight']);
    expect(stages.preflight).toMatchObject({
      platform: 'eks',
      awsAccountId: '123456789012',
      podTemplatePaths: PATHS,
      runtime: 'plain',
    });
    expect(stages.preflight).not.toHaveProperty('selector');
  });

  test('the stage configs are copies: a stage that edits its config cannot change another', () => {
    const config = retarget({ selector: SELECTOR, imagePullSecrets: ['a'], fsGroup: 1 });
    const stages = stagesOf(config);
    expect(stages.imagePullSecrets!.selector).not.toBe(config.selector);
    expect(stages.fsGroup!.selector).not.toBe(stages.imagePullSecrets!.selector);
  });
});

describe('hydrate: the gcpWorkloadIdentity stage and the target', () => {
  const GSA = 'app-runner@prod-cluster.iam.gserviceaccount.com';
  const problemsOf = (body: Record<string, unknown>): string[] => {
    const config = retarget(body);
    try {
      stagesOf(config);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.map((p) => `${p.field}: ${p.message}`);
      throw e;
    }
    return [];
  };

  test('the cluster fields come from the target; the same value written twice, in either form, is no conflict', () => {
    const stages = stagesOf(
      retarget({
        linkKubernetesInfoSecrets: false,
        gcpWorkloadIdentity: { gcpServiceAccount: GSA, projectNumber: 123456789012 },
        target: {
          platform: 'gke-autopilot',
          gcpProjectId: 'prod-cluster',
          gcpProjectNumber: '123456789012',
        },
      }),
    );
    expect(stages.gcp).toMatchObject({
      gcpServiceAccount: GSA,
      platform: 'gke-autopilot',
      projectId: 'prod-cluster',
      projectNumber: 123456789012,
    });
  });

  test('without a target the section names the cluster itself: nothing to differ from', () => {
    expect(
      problemsOf({
        gcpWorkloadIdentity: {
          gcpServiceAccount: GSA,
          projectId: 'prod-cluster',
          projectNumber: '123456789012',
          platform: 'gke',
        },
      }),
    ).toEqual([]);
  });

  test('a generic target (no platform checks) takes a GKE section', () => {
    const stages = stagesOf(
      retarget({
        gcpWorkloadIdentity: { gcpServiceAccount: GSA, projectId: 'prod-cluster' },
        target: { platform: 'generic' },
      }),
    );
    expect(stages.gcp).toMatchObject({ gcpServiceAccount: GSA, projectId: 'prod-cluster' });
    expect(stages.gcp).not.toHaveProperty('platform', 'generic');
  });

  test.each([
    [
      'platform',
      { platform: 'gke' },
      { platform: 'gke-autopilot' },
      "gcpWorkloadIdentity.platform: gke differs from the target's gke-autopilot: both name the cluster; set it once",
    ],
    [
      'projectId',
      { projectId: 'other-project' },
      { gcpProjectId: 'prod-cluster' },
      "gcpWorkloadIdentity.projectId: other-project differs from the target's prod-cluster: both name the cluster; set it once",
    ],
    [
      'projectNumber',
      { projectId: 'prod-cluster', projectNumber: 123456789012 },
      { gcpProjectNumber: '210987654321' },
      "gcpWorkloadIdentity.projectNumber: 123456789012 differs from the target's 210987654321: both name the cluster; set it once",
    ],
  ])('a %s that differs from the target is a config error', (_, own, target, problem) => {
    expect(
      problemsOf({
        gcpWorkloadIdentity: { gcpServiceAccount: GSA, projectId: 'prod-cluster', ...own },
        target: { platform: 'gke', ...target },
      }),
    ).toEqual([problem]);
  });
});
