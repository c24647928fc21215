import { parseAllDocuments } from 'yaml';
import { grantName } from '../../src/preflight/cross-project';
import { runText } from '../support/run';
import { deploymentYaml } from '../support/workloads';
import { preflightResults } from './harness';

const NODES = 'serviceAccount:gke-nodes@project-b.iam.gserviceaccount.com';
const READER = 'roles/artifactregistry.reader';

const config = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Preflight',
  platform: 'gke',
  gcpProjectId: 'project-b',
  nodeServiceAccount: 'gke-nodes@project-b.iam.gserviceaccount.com',
  ...extra,
});

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${image}
`;

const policyMember = (spec: string) => `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: grant
${spec}`;

describe('preflight cross-project: the emitted IAMPolicyMember name', () => {
  // The hashes are sha256("<member>\0<role>")[0:8], computed apart from the code.
  test('image-pull-, the full resource name with separators as "-", and the member-and-role hash', () => {
    expect(grantName(NODES, READER, 'projects/p/locations/us/repositories/gcr.io')).toBe(
      'image-pull-projects-p-locations-us-repositories-gcr.io-9d398220',
    );
    expect(
      grantName(
        'serviceAccount:other@project-b.iam.gserviceaccount.com',
        READER,
        'projects/p/locations/us/repositories/gcr.io',
      ),
    ).toBe('image-pull-projects-p-locations-us-repositories-gcr.io-6ed1a3a6');
    expect(
      grantName(NODES, 'roles/storage.objectViewer', 'projects/p/locations/us/repositories/gcr.io'),
    ).toBe('image-pull-projects-p-locations-us-repositories-gcr.io-2523d856');
  });

  test('a run of characters a name cannot hold becomes one "-"', () => {
    expect(
      grantName(NODES, READER, 'projects/example.com:p/locations/us/repositories/my__repo'),
    ).toBe('image-pull-projects-example.com-p-locations-us-repositories-my-repo-9d398220');
  });

  test('a long repository is cut to 240 characters, without a trailing separator, before the hash', () => {
    const prefix = 'image-pull-projects-p-locations-us-repositories-';
    expect(prefix).toHaveLength(48);
    // Characters 237 to 239 of the name are the "---": the cut leaves them at the end.
    const repository = `${'a'.repeat(189)}---${'b'.repeat(50)}`;
    const name = grantName(NODES, READER, `projects/p/locations/us/repositories/${repository}`);
    expect(name).toBe(`${prefix}${'a'.repeat(189)}-9d398220`);
    expect(name.length).toBeLessThanOrEqual(253);
    const dotted = `${'a'.repeat(191)}.${'b'.repeat(50)}`;
    expect(grantName(NODES, READER, `projects/p/locations/us/repositories/${dotted}`)).toBe(
      `${prefix}${'a'.repeat(191)}-9d398220`,
    );
  });
});

describe('preflight cross-project findings', () => {
  test('without gcpProjectId: a warning that names the image project, since preflight cannot tell', () => {
    const r = runText(
      'preflight',
      config({ gcpProjectId: undefined }),
      deployment('gcr.io/project-a/app:v1'),
    );
    expect(r.results.map((x) => [x.severity, x.message, x.field?.path, x.tags])).toEqual([
      [
        'warning',
        "image gcr.io/project-a/app:v1 is in project project-a; GKE nodes read only their own project's registries, and the target does not name the cluster's project. Fix: set gcpProjectId (and gcpProjectNumber) in the target so preflight can tell",
        'spec.template.spec.containers[0].image',
        {
          line: '14',
          column: '16',
          check: 'gcr-cross-project',
          fix: 'set gcpProjectId (and gcpProjectNumber) in the target so preflight can tell',
          project: 'project-a',
        },
      ],
    ]);
  });

  test('an image in the cluster project needs no grant', () => {
    const r = runText('preflight', config(), deployment('gcr.io/project-b/app:v1'));
    expect(r.results).toEqual([]);
    expect(r.ok).toBe(true);
  });

  const granted = (spec: string) =>
    preflightResults(
      config(),
      deployment('europe-west1-docker.pkg.dev/project-a/migrated/app:v1') + policyMember(spec),
    );
  const repository = 'projects/project-a/locations/europe-west1/repositories/migrated';
  const grantSpec = (member: string, role: string, kind: string, external: string) => `spec:
  member: ${member}
  role: ${role}
  resourceRef:
    apiVersion: artifactregistry.cnrm.cloud.google.com/v1beta1
    kind: ${kind}
    external: ${external}
`;

  test('an IAMPolicyMember with that member, role and repository is the grant', () => {
    const r = granted(grantSpec(NODES, READER, 'ArtifactRegistryRepository', repository));
    expect(r).toEqual([]);
  });

  test.each([
    [
      'another member',
      grantSpec(
        'serviceAccount:x@project-b.iam.gserviceaccount.com',
        READER,
        'ArtifactRegistryRepository',
        repository,
      ),
    ],
    [
      'another role',
      grantSpec(NODES, 'roles/artifactregistry.writer', 'ArtifactRegistryRepository', repository),
    ],
    ['another kind', grantSpec(NODES, READER, 'StorageBucket', repository)],
    [
      'another repository',
      grantSpec(NODES, READER, 'ArtifactRegistryRepository', `${repository}-2`),
    ],
    ['no spec', ''],
    ['a scalar spec', 'spec: grant\n'],
    ['no resourceRef', `spec:\n  member: ${NODES}\n  role: ${READER}\n`],
    [
      'a scalar resourceRef',
      `spec:\n  member: ${NODES}\n  role: ${READER}\n  resourceRef: ${repository}\n`,
    ],
  ])('an IAMPolicyMember with %s is not the grant: the pull is still an error', (_, spec) => {
    // (A malformed one is also a schema error of its own, reported on the IAMPolicyMember.)
    const onWeb = granted(spec).filter((x) => x.resourceRef?.name === 'web');
    expect(onWeb.map((x) => [x.severity, x.tags?.check])).toEqual([
      ['error', 'artifact-registry-cross-project'],
    ]);
    expect(onWeb[0].message).toContain(
      `its nodes pull as ${NODES}, which needs ${READER} on Artifact Registry repository ${repository}, or the pods fail`,
    );
  });

  test('with emitIamPolicyMember the emitted grant is the one the finding names, on the repository', () => {
    const r = runText(
      'preflight',
      config({ emitIamPolicyMember: true }),
      deployment('europe-west1-docker.pkg.dev/project-a/migrated/app:v1'),
    );
    const emitted = parseAllDocuments(r.output)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
      .filter((d) => d.kind === 'IAMPolicyMember');
    const name = grantName(NODES, READER, repository);
    expect(emitted).toEqual([
      {
        apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
        kind: 'IAMPolicyMember',
        metadata: { name },
        spec: {
          member: NODES,
          role: READER,
          resourceRef: {
            apiVersion: 'artifactregistry.cnrm.cloud.google.com/v1beta1',
            kind: 'ArtifactRegistryRepository',
            external: repository,
          },
        },
      },
    ]);
    expect(r.results.map((x) => [x.severity, x.message])).toEqual([
      [
        'info',
        `image europe-west1-docker.pkg.dev/project-a/migrated/app:v1 is in project project-a, the cluster in project project-b: IAMPolicyMember ${name} grants ${NODES} ${READER} on Artifact Registry repository ${repository}. Fix: apply the IAMPolicyMember with Config Connector before the workload`,
      ],
    ]);
  });
});

describe('preflight cross-project: grants emitted and counted', () => {
  const IMAGE = 'europe-west1-docker.pkg.dev/project-a/migrated/app:v1';
  const REPOSITORY = 'projects/project-a/locations/europe-west1/repositories/migrated';
  const workload = (name: string, namespace: string | undefined, image = IMAGE) =>
    `---\n${deploymentYaml(name, namespace, image)}`;
  const emittedGrants = (output: string) =>
    parseAllDocuments(output)
      .map(
        (d) =>
          d.toJS() as {
            kind: string;
            metadata: { name: string; namespace?: string; annotations?: unknown };
            spec?: unknown;
          },
      )
      .filter((d) => d.kind === 'IAMPolicyMember');

  test('the emitted IAMPolicyMember lives in the namespace of the workload that needs it', () => {
    const r = runText('preflight', config({ emitIamPolicyMember: true }), workload('web', 'shop'));
    const name = grantName(NODES, READER, REPOSITORY);
    expect(emittedGrants(r.output).map((d) => d.metadata)).toEqual([{ name, namespace: 'shop' }]);
    expect(
      r.results.map((x) => [x.severity, x.resourceRef?.name, x.tags?.iamPolicyMember]),
    ).toEqual([['info', 'web', name]]);
  });

  test('one grant per member, role and repository: the second workload pulling the same image is covered by the first one emitted', () => {
    const r = runText(
      'preflight',
      config({ emitIamPolicyMember: true }),
      workload('web', 'shop') + workload('api', 'shop') + workload('batch', 'jobs'),
    );
    const name = grantName(NODES, READER, REPOSITORY);
    // IAM grants are project-wide: the one IAMPolicyMember covers every namespace's pulls.
    expect(emittedGrants(r.output).map((d) => d.metadata)).toEqual([{ name, namespace: 'shop' }]);
    expect(r.results.map((x) => [x.severity, x.resourceRef?.name, x.tags?.check])).toEqual([
      ['info', 'web', 'artifact-registry-cross-project'],
    ]);
    expect(r.ok).toBe(true);
  });

  test('a local-config IAMPolicyMember is no grant: the real one is emitted beside it, and nothing counts the local one', () => {
    const local = `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: local-grant
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  member: ${NODES}
  role: ${READER}
  resourceRef:
    apiVersion: artifactregistry.cnrm.cloud.google.com/v1beta1
    kind: ArtifactRegistryRepository
    external: ${REPOSITORY}
`;
    const withEmit = runText(
      'preflight',
      config({ emitIamPolicyMember: true }),
      workload('web', undefined) + local,
    );
    const name = grantName(NODES, READER, REPOSITORY);
    expect(emittedGrants(withEmit.output).map((d) => d.metadata.name)).toEqual([
      'local-grant',
      name,
    ]);
    expect(withEmit.results.map((x) => [x.severity, x.tags?.iamPolicyMember])).toEqual([
      ['info', name],
    ]);
    const without = preflightResults(config(), workload('web', undefined) + local);
    expect(without.map((x) => [x.severity, x.tags?.check, x.tags?.member])).toEqual([
      ['error', 'artifact-registry-cross-project', NODES],
    ]);
  });

  test('a real IAMPolicyMember in the package covers every workload pulling from that repository, in any namespace', () => {
    const granted = `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: real-grant
spec:
  member: ${NODES}
  role: ${READER}
  resourceRef:
    apiVersion: artifactregistry.cnrm.cloud.google.com/v1beta1
    kind: ArtifactRegistryRepository
    external: ${REPOSITORY}
`;
    expect(
      preflightResults(config(), workload('web', 'shop') + workload('api', 'jobs') + granted),
    ).toEqual([]);
  });

  test('several undeclared pull Secrets are all named, and make the missing grant a warning', () => {
    const text = workload('web', undefined).replace(
      '      containers:\n',
      '      imagePullSecrets: [{name: key-a}, {name: key-b}]\n      containers:\n',
    );
    const cross = preflightResults(config(), text).filter(
      (x) => x.tags?.check === 'artifact-registry-cross-project',
    );
    expect(cross.map((x) => x.severity)).toEqual(['warning']);
    expect(cross[0].message).toContain(
      `or the pods fail with "pull access denied" unless pull Secret key-a, key-b (not declared in the target) holds a key that can read it. Fix: `,
    );
  });

  test('with the project number only, the member is the Compute Engine default account and the fix offers the IAMPolicyMember', () => {
    const r = preflightResults(
      config({ nodeServiceAccount: undefined, gcpProjectNumber: 123456789012 }),
      workload('web', undefined),
    );
    const member = 'serviceAccount:123456789012-compute@developer.gserviceaccount.com';
    expect(r.map((x) => [x.severity, x.tags?.member, x.tags?.fix])).toEqual([
      [
        'error',
        member,
        `gcloud artifacts repositories add-iam-policy-binding migrated --location=europe-west1 --project=project-a --member=${member} --role=roles/artifactregistry.reader; or set emitIamPolicyMember: true to add the grant as a Config Connector IAMPolicyMember; already granted: list europe-west1-docker.pkg.dev/project-a/migrated in nodeReadableRegistries`,
      ],
    ]);
  });

  test('with neither account nor number, emitIamPolicyMember cannot name the member: nothing is emitted, the finding says how to find the number', () => {
    const r = runText(
      'preflight',
      config({ nodeServiceAccount: undefined, emitIamPolicyMember: true }),
      workload('web', undefined),
    );
    expect(emittedGrants(r.output)).toEqual([]);
    expect(r.results.map((x) => [x.severity, x.tags?.member, x.tags?.fix])).toEqual([
      [
        'error',
        'serviceAccount:PROJECT_NUMBER-compute@developer.gserviceaccount.com',
        "gcloud artifacts repositories add-iam-policy-binding migrated --location=europe-west1 --project=project-a --member=serviceAccount:PROJECT_NUMBER-compute@developer.gserviceaccount.com --role=roles/artifactregistry.reader; PROJECT_NUMBER is project-b's: gcloud projects describe project-b '--format=value(projectNumber)' (or set gcpProjectNumber); already granted: list europe-west1-docker.pkg.dev/project-a/migrated in nodeReadableRegistries",
      ],
    ]);
  });
});

describe('preflight cross-project: what else is not the grant', () => {
  const REPOSITORY = 'projects/project-a/locations/europe-west1/repositories/migrated';
  const IMAGE = 'europe-west1-docker.pkg.dev/project-a/migrated/app:v1';
  const spec = (member = NODES) => `spec:
  member: ${member}
  role: ${READER}
  resourceRef:
    apiVersion: artifactregistry.cnrm.cloud.google.com/v1beta1
    kind: ArtifactRegistryRepository
    external: ${REPOSITORY}
`;

  test('an object of another kind holding the same member, role and resource grants nothing', () => {
    const other = `---
apiVersion: example.com/v1
kind: PullGrantRequest
metadata:
  name: grant
${spec()}`;
    const r = preflightResults(config(), deployment(IMAGE) + other);
    expect(r.map((x) => [x.severity, x.tags?.check])).toEqual([
      ['error', 'artifact-registry-cross-project'],
    ]);
  });

  test('an IAMPolicyMember already of the emitted name but of another grant is not emitted twice', () => {
    const name = grantName(NODES, READER, REPOSITORY);
    const stale = `---
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: ${name}
${spec('serviceAccount:old@project-b.iam.gserviceaccount.com')}`;
    const r = runText(
      'preflight',
      config({ emitIamPolicyMember: true }),
      deployment(IMAGE) + stale,
    );
    const named = parseAllDocuments(r.output)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
      .filter((d) => d.kind === 'IAMPolicyMember' && d.metadata.name === name);
    expect(named).toHaveLength(1);
  });

  test('a domain-scoped project: the nodeReadableRegistries prefix is its image path', () => {
    const r = preflightResults(config(), deployment('gcr.io/example.com/legacy-app/ledger:3.1'));
    expect(r.map((x) => [x.severity, x.tags?.check])).toEqual([['error', 'gcr-cross-project']]);
    expect(r[0].tags?.fix).toMatch(
      /; already granted: list gcr\.io\/example\.com\/legacy-app in nodeReadableRegistries$/,
    );
  });
});
