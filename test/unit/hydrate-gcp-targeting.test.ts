import { loadConfig } from '../../src/config/load';
import type { RetargetConfig } from '../../src/config/types';
import { stagesOf } from '../../src/transforms/hydrate';

// The shared targeting (selector, pod template paths) reaches the GKE Workload Identity
// stage as it reaches every stage that edits pods: a selector that leaves a workload out
// must leave its ServiceAccount and pods alone on GKE too. The runtime does not matter to
// this stage (the metadata server serves every container kind alike).

const retarget = (body: Record<string, unknown>): RetargetConfig =>
  loadConfig<RetargetConfig>('Retarget', {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Retarget',
    ...body,
  });

const GSA = 'app-runner@prod-cluster.iam.gserviceaccount.com';
const SELECTOR = { names: ['web'], namespaces: ['shop'] };
const PATHS = [{ kind: 'Rollout', path: 'spec.template.spec' }];

test('gcpWorkloadIdentity gets the selector and pod template paths, not the runtime', () => {
  const config = retarget({
    selector: SELECTOR,
    podTemplatePaths: PATHS,
    runtime: 'legacy',
    linkKubernetesInfoSecrets: false,
    gcpWorkloadIdentity: { gcpServiceAccount: GSA, projectId: 'prod-cluster' },
  });
  const gcp = stagesOf(config).gcp!;
  expect(gcp).toMatchObject({
    gcpServiceAccount: GSA,
    projectId: 'prod-cluster',
    selector: SELECTOR,
    podTemplatePaths: PATHS,
  });
  expect(gcp).not.toHaveProperty('runtime');
  // Its own copy: a stage that edits its config cannot change another's.
  expect(gcp.selector).not.toBe(config.selector);
});

test('with no selector nor paths the gcp stage has none (every workload)', () => {
  const gcp = stagesOf(
    retarget({ gcpWorkloadIdentity: { gcpServiceAccount: GSA, projectId: 'prod-cluster' } }),
  ).gcp!;
  expect(gcp).not.toHaveProperty('selector');
  expect(gcp).not.toHaveProperty('podTemplatePaths');
});
