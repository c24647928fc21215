import { parseAllDocuments } from 'yaml';
import { runText } from '../support/run';
import { deploymentYaml } from '../support/workloads';

const config = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Preflight',
  platform: 'gke',
  gcpProjectId: 'project-b',
  gcpProjectNumber: '123456789012',
  emitIamPolicyMember: true,
};

const deployment = (name: string, namespace?: string) => deploymentYaml(name, namespace);

function grants(text: string) {
  return parseAllDocuments(text)
    .map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; spec: unknown },
    )
    .filter((d) => d.kind === 'IAMPolicyMember');
}

describe('preflight: emitted IAMPolicyMember grants', () => {
  test("the grant lives in the workload's namespace, with the member, role and repository", () => {
    const r = runText('preflight', config, deployment('web', 'shop'));
    expect(r.ok).toBe(true);
    const [grant, ...more] = grants(r.output);
    expect(more).toEqual([]);
    expect(grant.metadata.namespace).toBe('shop');
    expect(grant.metadata.name).toMatch(
      /^image-pull-projects-project-a-locations-us-repositories-gcr\.io-[0-9a-f]{8}$/,
    );
    // gcr.io is served by Artifact Registry's gcr.io repository (multi-region us) in the
    // image's project: Config Connector names it by its full resource name.
    expect(grant.spec).toEqual({
      member: 'serviceAccount:123456789012-compute@developer.gserviceaccount.com',
      role: 'roles/artifactregistry.reader',
      resourceRef: {
        apiVersion: 'artifactregistry.cnrm.cloud.google.com/v1beta1',
        kind: 'ArtifactRegistryRepository',
        external: 'projects/project-a/locations/us/repositories/gcr.io',
      },
    });
  });

  test('a workload without a namespace gets a grant without one; one grant for the package (an IAM grant is project-wide)', () => {
    const bare = runText('preflight', config, deployment('web'));
    expect(grants(bare.output).map((g) => g.metadata.namespace)).toEqual([undefined]);
    const two = runText(
      'preflight',
      config,
      [deployment('a', 'shop'), deployment('b', 'shop'), deployment('c', 'billing')].join('---\n'),
    );
    // The node service account's access to the bucket does not depend on the namespace: the
    // first workload's namespace holds the one grant, and the finding names it.
    expect(grants(two.output).map((g) => g.metadata.namespace)).toEqual(['shop']);
    expect(two.results.map((r) => r.tags?.iamPolicyMember)).toEqual([
      grants(two.output)[0].metadata.name,
    ]);
  });
});
