import { preflightResults } from './harness';

const pod = (containers: string, namespace?: string, spec = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
${spec}  containers:
${containers}`;
const container = (image: string, name = 'app') => `  - name: ${name}\n    image: ${image}\n`;

function pulls(text: string, extra: Record<string, unknown> = {}) {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    platform: 'generic',
    ...extra,
  };
  return preflightResults(config, text)
    .filter((r) => /^(pull-|image-|gcr-|artifact-|ecr-)/.test(String(r.tags?.check)))
    .map((r) => ({
      check: r.tags?.check,
      severity: r.severity,
      field: r.field?.path,
      message: r.message,
      registry: r.tags?.registry,
    }));
}

describe('preflight image coverage', () => {
  test('a container without an image, named or not', () => {
    expect(pulls(pod(`  - name: app\n  - {}\n`))).toEqual([
      {
        check: 'image-reference',
        severity: 'error',
        field: 'spec.containers[0].image',
        message: 'container app has no image. Fix: set image to REGISTRY/REPOSITORY:TAG',
        registry: undefined,
      },
      {
        check: 'image-reference',
        severity: 'error',
        field: 'spec.containers[1].image',
        message: 'container (unnamed) has no image. Fix: set image to REGISTRY/REPOSITORY:TAG',
        registry: undefined,
      },
    ]);
  });

  test("an image that is not a string is the schema check's, not a pull finding", () => {
    expect(pulls(pod(`  - name: app\n    image: 12\n`))).toEqual([]);
  });

  test('official Docker Hub images and the default public registries need no credentials; other Docker Hub images are an info', () => {
    expect(
      pulls(
        pod(
          container('nginx:1.27') +
            container('registry.k8s.io/pause:3.9', 'b') +
            container('gcr.io/distroless/static', 'c'),
        ),
      ),
    ).toEqual([]);
    expect(pulls(pod(container('acme/app:1')))).toEqual([
      {
        check: 'pull-not-covered',
        severity: 'info',
        field: 'spec.containers[0].image',
        message:
          'image acme/app:1 is pulled from Docker Hub without credentials: fine if the repository is public (anonymous pulls are rate-limited). Fix: for a private repository, add a docker-registry pull Secret for docker.io and declare it in the target',
        registry: 'docker.io',
      },
    ]);
  });

  test('publicRegistries adds prefixes that need no credentials', () => {
    expect(
      pulls(pod(container('quay.io/acme/app:1')), { publicRegistries: ['quay.io/acme'] }),
    ).toEqual([]);
    expect(
      pulls(pod(container('quay.io/other/app:1')), { publicRegistries: ['quay.io/acme'] }),
    ).toEqual([
      {
        check: 'pull-not-covered',
        severity: 'warning',
        field: 'spec.containers[0].image',
        message:
          "no pull Secret of the pods or of ServiceAccount default covers quay.io: the pull of quay.io/other/app:1 works only if the repository is public. Fix: create a basic-auth pull Secret: kubectl create secret docker-registry registry-credentials -n NAMESPACE --docker-server=quay.io --docker-username=USER --docker-password=PASSWORD, reference it from the pods and declare it in the target's pullSecrets (or list quay.io in publicRegistries)",
        registry: 'quay.io',
      },
    ]);
  });

  test('nodeReadableRegistries counts only where the nodes pull with their own credentials', () => {
    const image = pod(container('gcr.io/project-a/app:v1'));
    const target = {
      gcpProjectId: 'project-b',
      gcpProjectNumber: '123456789012',
      nodeReadableRegistries: ['gcr.io/project-a'],
    };
    expect(pulls(image, { ...target, platform: 'gke' })).toEqual([]);
    expect(
      pulls(image, { ...target, platform: 'generic' }).map((f) => [f.check, f.severity]),
    ).toEqual([['pull-not-covered', 'error']]);
  });

  test('a pull Secret declared for the registry but not referenced: the fix references it, in the pod namespace', () => {
    const found = pulls(pod(container('quay.io/acme/app:1'), 'shop'), {
      pullSecrets: [{ name: 'quay-pull', registries: ['quay.io'] }],
    });
    expect(found).toEqual([
      {
        check: 'pull-not-covered',
        severity: 'warning',
        field: 'spec.containers[0].image',
        message: `no pull Secret of the pods or of ServiceAccount default covers quay.io: the pull of quay.io/acme/app:1 works only if the repository is public. Fix: reference pull Secret quay-pull from the pods (retarget set-image-pull-secrets, names: [quay-pull]) or from ServiceAccount default: kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"quay-pull"}}]' (appends; if the ServiceAccount has no imagePullSecrets yet: kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"quay-pull"}]}]')`,
        registry: 'quay.io',
      },
    ]);
  });

  test('a package Secret for the registry in another namespace is not one the pod can use', () => {
    const secret = `---
apiVersion: v1
kind: Secret
metadata:
  name: quay-pull
  namespace: billing
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"quay.io":{"auth":"dTpw"}}}'
`;
    const found = pulls(pod(container('quay.io/acme/app:1'), 'shop') + secret);
    expect(found.map((f) => f.message.split('. Fix: ')[1])).toEqual([
      "create a basic-auth pull Secret: kubectl create secret docker-registry registry-credentials -n shop --docker-server=quay.io --docker-username=USER --docker-password=PASSWORD, reference it from the pods and declare it in the target's pullSecrets (or list quay.io in publicRegistries)",
    ]);
    const same = pulls(pod(container('quay.io/acme/app:1'), 'billing') + secret);
    expect(same.map((f) => f.message.split('. Fix: ')[1].slice(0, 32))).toEqual([
      'reference pull Secret quay-pull ',
    ]);
  });

  test('an unknown pull Secret of a pod without a namespace: where it must exist', () => {
    const found = pulls(
      pod(
        container('quay.io/acme/app:1'),
        undefined,
        '  imagePullSecrets:\n  - name: a\n  - name: b\n',
      ),
    );
    expect(found).toEqual([
      {
        check: 'pull-secret-unknown',
        severity: 'warning',
        field: 'spec.containers[0].image',
        message:
          'image quay.io/acme/app:1 can only be pulled with pull Secret a, b, which the target does not declare and the package does not create: the pull works only if it exists in the target namespace and holds credentials for quay.io. Fix: create it in the cluster and declare it in the target: pullSecrets: [{name: a, registries: [quay.io]}]',
        registry: 'quay.io',
      },
    ]);
  });

  test('a Google image with no node credentials: the JSON-key Secret to create, in the pod namespace', () => {
    const found = pulls(pod(container('europe-docker.pkg.dev/project-a/repo/app:1'), 'shop'));
    expect(found.map((f) => [f.check, f.severity, f.message])).toEqual([
      [
        'pull-not-covered',
        'error',
        `image europe-docker.pkg.dev/project-a/repo/app:1 is in a private Google registry, no pull Secret of the pods or of ServiceAccount default covers europe-docker.pkg.dev, and the target cluster's nodes have no Google credentials: the pull fails with "pull access denied". Fix: create a pull Secret from a service-account JSON key that can read project project-a: kubectl create secret docker-registry gcr-json-key -n shop --docker-server=europe-docker.pkg.dev --docker-username=_json_key --docker-password="$(cat KEY.json)", reference it from the pods or the ServiceAccount, and declare it in the target's pullSecrets`,
      ],
    ]);
  });
});
