import { preflightResults } from './harness';

/** The pull findings' fix texts for one Pod in namespace shop running `image`. */
function fixes(image: string, pullSecrets: unknown[]): string[] {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: shop
spec:
  containers:
  - name: app
    image: ${image}
`;
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    platform: 'generic',
    pullSecrets,
  };
  return preflightResults(config, text)
    .filter((r) => r.tags?.check === 'pull-not-covered')
    .map((r) => r.message.split('. Fix: ')[1]);
}

const createQuay =
  "create a basic-auth pull Secret: kubectl create secret docker-registry registry-credentials -n shop --docker-server=quay.io --docker-username=USER --docker-password=PASSWORD, reference it from the pods and declare it in the target's pullSecrets (or list quay.io in publicRegistries)";
const referenceOf = (name: string) =>
  `reference pull Secret ${name} from the pods (retarget set-image-pull-secrets, names: [${name}]) or from ServiceAccount default: kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"${name}"}}]' (appends; if the ServiceAccount has no imagePullSecrets yet: kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"${name}"}]}]')`;

describe('the fix of an uncovered pull names only a declared Secret for the image registry', () => {
  test('a declared Secret for another registry is not offered: the fix creates one', () => {
    expect(fixes('quay.io/acme/app:1', [{ name: 'ghcr-pull', registries: ['ghcr.io'] }])).toEqual([
      createQuay,
    ]);
  });

  test('a declared Secret for several registries, one of them the image registry, is offered', () => {
    expect(
      fixes('quay.io/acme/app:1', [{ name: 'multi-pull', registries: ['ghcr.io', 'quay.io'] }]),
    ).toEqual([referenceOf('multi-pull')]);
  });

  test('of two declared Secrets, the one for the image registry is offered, wherever it is listed', () => {
    const ghcr = { name: 'ghcr-pull', registries: ['ghcr.io'] };
    const quay = { name: 'quay-pull', registries: ['quay.io/acme'] };
    expect(fixes('quay.io/acme/app:1', [ghcr, quay])).toEqual([referenceOf('quay-pull')]);
    expect(fixes('quay.io/acme/app:1', [quay, ghcr])).toEqual([referenceOf('quay-pull')]);
    expect(fixes('quay.io/other/app:1', [quay, ghcr])).toEqual([createQuay]);
  });
});
