import { preflightResults } from './harness';

const config = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Preflight',
  platform: 'generic',
};

const FIX = (name: string) =>
  `remove Secret ${name} from the package and rotate the credential; create the Secret in the cluster (kubectl create secret docker-registry) and declare it in the target's pullSecrets, or emit it as an ExternalSecret (set-image-pull-secrets externalSecret)`;

function plaintext(text: string) {
  return preflightResults(config, text)
    .filter((r) => r.tags?.check === 'plaintext-registry-credentials')
    .map((r) => ({
      resource: `${r.resourceRef?.kind}/${r.resourceRef?.name}`,
      severity: r.severity,
      field: r.field?.path,
      line: r.tags?.line,
      message: r.message,
      secret: r.tags?.secret,
    }));
}

describe('preflight plaintext-registry-credentials', () => {
  test('every docker-config key with a value, in data or stringData, whatever the type; the message names no content', () => {
    const found = plaintext(`apiVersion: v1
kind: Secret
metadata:
  name: typed-opaque
type: Opaque
data:
  other: c2VjcmV0
  .dockercfg: eyJhIjp7fX0=
stringData:
  .dockerconfigjson: '{"auths":{"quay.io":{"auth":"dXNlcjpwYXNz"}}}'
`);
    expect(found).toEqual([
      {
        resource: 'Secret/typed-opaque',
        severity: 'error',
        field: 'data[".dockercfg"]',
        line: '8',
        message: `Secret typed-opaque holds registry credentials in plaintext (data[".dockercfg"]): anyone who can read this package or its history can use them. Fix: ${FIX('typed-opaque')}`,
        secret: 'typed-opaque',
      },
      {
        resource: 'Secret/typed-opaque',
        severity: 'error',
        field: 'stringData[".dockerconfigjson"]',
        line: '10',
        message: `Secret typed-opaque holds registry credentials in plaintext (stringData[".dockerconfigjson"]): anyone who can read this package or its history can use them. Fix: ${FIX('typed-opaque')}`,
        secret: 'typed-opaque',
      },
    ]);
    expect(JSON.stringify(found)).not.toContain('dXNlcjpwYXNz');
  });

  test.each([
    ['an empty value', `data:\n  .dockerconfigjson: ''\n`],
    ['a null value', `data:\n  .dockerconfigjson: null\n`],
    ['a key without a value', `stringData:\n  .dockercfg:\n`],
    ['a value that is not a scalar', `stringData:\n  .dockercfg: {auths: {}}\n`],
    ['data that is not a map', `data: .dockerconfigjson\n`],
    ['a key that is not a scalar', `data:\n  ? [.dockerconfigjson]\n  : c2VjcmV0\n`],
    ['other keys only', `data:\n  token: c2VjcmV0\n  .dockerconfig: c2VjcmV0\n`],
  ])('a Secret with %s holds no credential', (_, body) => {
    expect(plaintext(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${body}`)).toEqual([]);
  });

  test("only a core v1 Secret: a ConfigMap or another group's Secret kind is not one", () => {
    const data = `data:\n  .dockerconfigjson: eyJhdXRocyI6e319\n`;
    expect(
      plaintext(
        [
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${data}`,
          `apiVersion: example.com/v1\nkind: Secret\nmetadata:\n  name: s\n${data}`,
        ].join('---\n'),
      ),
    ).toEqual([]);
  });
});
