import { parseImageReference } from '../../src/image/reference';
import { keyMatches } from '../../src/preflight/pull-secrets';
import { preflightResults } from './harness';

/**
 * Which stored credentials the kubelet uses for an image (pkg/credentialprovider
 * keyring.go, URLsMatch): same host, a `*.` label matching exactly one label, same
 * port, and the key's path a prefix of the repository's, path segment by segment.
 */
describe('keyMatches: the kubelet matches a docker config key to an image', () => {
  test.each([
    ['gcr.io', 'gcr.io/p/app:v1', true],
    ['GCR.io', 'gcr.io/p/app:v1', true],
    ['https://gcr.io', 'gcr.io/p/app:v1', true],
    ['http://gcr.io/', 'gcr.io/p/app:v1', true],
    ['gcr.io', 'us.gcr.io/p/app:v1', false],
    ['us.gcr.io', 'gcr.io/p/app:v1', false],
    ['gcr.io/p', 'gcr.io/p/app:v1', true],
    ['gcr.io/p/', 'gcr.io/p/app:v1', true],
    ['gcr.io/p//', 'gcr.io/p/app:v1', true],
    ['gcr.io/p/app', 'gcr.io/p/app:v1', true],
    ['gcr.io/p', 'gcr.io/pp/app:v1', false],
    ['gcr.io/p/app/more', 'gcr.io/p/app:v1', false],
    ['https://index.docker.io/v1/', 'nginx:1', true],
    ['https://index.docker.io/v1/', 'acme/app:1', true],
    ['docker.io', 'docker.io/acme/app:1', true],
    ['registry-1.docker.io/v2', 'acme/app:1', true],
    ['docker.io/acme', 'acme/app:1', true],
    ['docker.io/other', 'acme/app:1', false],
    ['*.example.com', 'a.example.com/x:1', true],
    ['*.example.com', 'example.com/x:1', false],
    ['*.example.com', 'a.b.example.com/x:1', false],
    ['*.example.com', 'aexample.com/x:1', false],
    ['*.example.com/team', 'a.example.com/team/x:1', true],
    ['*.example.com/team', 'a.example.com/other/x:1', false],
    ['registry:5000', 'registry:5000/x:1', true],
    ['registry', 'registry:5000/x:1', false],
    ['registry:5000', 'registry:5001/x:1', false],
    ['localhost:5000', 'localhost/x:1', false],
    ['http://localhost:5000/v2', 'localhost:5000/x:1', true],
    ['*.example.com:5000', 'a.example.com:5000/x:1', true],
    ['*.example.com:5000', 'a.example.com/x:1', false],
  ])('%s for %s: %s', (key, image, expected) => {
    expect(keyMatches(key, parseImageReference(image))).toBe(expected);
  });
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const auths = (registry: string) => JSON.stringify({ auths: { [registry]: { auth: b64('u:p') } } });

const deployment = (
  name: string,
  image: string,
  extra = '',
  namespace = 'shop',
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${extra}      containers:
      - name: app
        image: ${image}
`;

const pulling = (secret: string) => `      imagePullSecrets:\n      - name: ${secret}\n`;

const secret = (name: string, body: string, namespace = 'shop') => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: ${namespace}
${body}`;

/** The pull findings (not the plaintext ones the inline Secrets also get), per workload. */
function pullChecks(docs: string[], extra: Record<string, unknown> = {}): string[] {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    platform: 'generic',
    ...extra,
  };
  return preflightResults(config, docs.join('---\n'))
    .filter((r) => String(r.tags?.check).startsWith('pull-'))
    .map((r) => `${r.resourceRef?.name}: ${r.tags?.check} ${r.severity}`);
}

const QUAY = 'quay.io/acme/app:v1';
const JSON_TYPE = 'type: kubernetes.io/dockerconfigjson\n';

describe('preflight: which pull Secrets the package or the target gives a workload', () => {
  test('a docker-config Secret of the pods covers its registry, from data (base64) or stringData', () => {
    expect(
      pullChecks([
        deployment('from-data', QUAY, pulling('data-key')),
        secret('data-key', `${JSON_TYPE}data:\n  .dockerconfigjson: ${b64(auths('quay.io'))}\n`),
        deployment('from-string', QUAY, pulling('string-key')),
        secret(
          'string-key',
          `${JSON_TYPE}stringData:\n  .dockerconfigjson: '${auths('https://quay.io/v1/')}'\n`,
        ),
        deployment('from-dockercfg', QUAY, pulling('cfg-key')),
        secret(
          'cfg-key',
          `type: kubernetes.io/dockercfg\nstringData:\n  .dockercfg: '${JSON.stringify({ 'quay.io': { auth: b64('u:p') } })}'\n`,
        ),
      ]),
    ).toEqual([]);
  });

  test('stringData wins over data, as the API server merges it', () => {
    expect(
      pullChecks([
        deployment('other-in-string', QUAY, pulling('both')),
        secret(
          'both',
          `${JSON_TYPE}data:\n  .dockerconfigjson: ${b64(auths('quay.io'))}\nstringData:\n  .dockerconfigjson: '${auths('ghcr.io')}'\n`,
        ),
      ]),
    ).toEqual(['other-in-string: pull-not-covered warning']);
  });

  test('a Secret whose credentials are for another registry, unreadable or absent covers nothing, and is no unknown Secret', () => {
    expect(
      pullChecks([
        deployment('other', QUAY, pulling('other-key')),
        secret(
          'other-key',
          `${JSON_TYPE}stringData:\n  .dockerconfigjson: '${auths('ghcr.io')}'\n`,
        ),
        deployment('cfg-as-json', QUAY, pulling('cfg-as-json-key')),
        // A .dockerconfigjson holds its registries under auths: top-level keys are none.
        secret(
          'cfg-as-json-key',
          `${JSON_TYPE}stringData:\n  .dockerconfigjson: '${JSON.stringify({ 'quay.io': {} })}'\n`,
        ),
        deployment('broken', QUAY, pulling('broken-key')),
        secret('broken-key', `${JSON_TYPE}stringData:\n  .dockerconfigjson: '{"auths":'\n`),
        deployment('no-auths', QUAY, pulling('no-auths-key')),
        secret(
          'no-auths-key',
          `${JSON_TYPE}stringData:\n  .dockerconfigjson: '{"auths":"quay.io"}'\n`,
        ),
        deployment('empty', QUAY, pulling('empty-key')),
        secret('empty-key', `${JSON_TYPE}data: {}\n`),
      ]),
    ).toEqual([
      'other: pull-not-covered warning',
      'cfg-as-json: pull-not-covered warning',
      'broken: pull-not-covered warning',
      'no-auths: pull-not-covered warning',
      'empty: pull-not-covered warning',
    ]);
  });

  test('what is not a pull Secret the cluster will have is unknown: another type, another namespace, local config', () => {
    const body = `data:\n  .dockerconfigjson: ${b64(auths('quay.io'))}\n`;
    expect(
      pullChecks([
        deployment('opaque', QUAY, pulling('opaque-key')),
        secret('opaque-key', `type: Opaque\n${body}`),
        deployment('elsewhere', QUAY, pulling('elsewhere-key')),
        secret('elsewhere-key', `${JSON_TYPE}${body}`, 'billing'),
        deployment('local', QUAY, pulling('local-key')),
        secret('local-key', `${JSON_TYPE}${body}`).replace(
          '  namespace: shop\n',
          '  namespace: shop\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
        ),
      ]),
    ).toEqual([
      'opaque: pull-secret-unknown warning',
      'elsewhere: pull-secret-unknown warning',
      'local: pull-secret-unknown warning',
    ]);
  });

  test("the ServiceAccount's pull Secrets count, and a target Secret listing the ServiceAccount", () => {
    const sa = (name: string, secretName?: string) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: shop
${secretName ? `imagePullSecrets:\n- name: ${secretName}\n- {}\n` : ''}`;
    expect(
      pullChecks(
        [
          deployment('via-sa', QUAY, '      serviceAccountName: puller\n'),
          sa('puller', 'quay-key'),
          secret(
            'quay-key',
            `${JSON_TYPE}stringData:\n  .dockerconfigjson: '${auths('quay.io')}'\n`,
          ),
          deployment('via-target', QUAY, '      serviceAccountName: listed\n'),
          sa('listed'),
          deployment('neither', QUAY, '      serviceAccountName: bare\n'),
          sa('bare'),
        ],
        {
          pullSecrets: [{ name: 'declared', registries: ['quay.io'], serviceAccounts: ['listed'] }],
        },
      ),
    ).toEqual(['neither: pull-not-covered warning']);
  });

  test('a target Secret is assumed in every namespace; one the pods reference covers its registries there', () => {
    expect(
      pullChecks(
        [
          deployment('a', QUAY, pulling('declared')),
          deployment('b', QUAY, pulling('declared'), 'billing'),
        ],
        { pullSecrets: [{ name: 'declared', registries: ['quay.io/acme'] }] },
      ),
    ).toEqual([]);
  });

  test('an ExternalSecret that templates a docker config: its target name (or its own) and the registries of its template', () => {
    const external = (
      name: string,
      target: string,
      body: string,
    ) => `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: ${name}
  namespace: shop
spec:
  target:
${target}    template:
      type: kubernetes.io/dockerconfigjson
      data:
        .dockerconfigjson: '${body}'
`;
    const template = (registry: string) =>
      `{"auths":{"${registry}":{"username":"{{ .user }}","password":"{{ .password }}"}}}`;
    expect(
      pullChecks([
        deployment('named', QUAY, pulling('quay-pull')),
        external('es-1', '    name: quay-pull\n', template('https://quay.io')),
        deployment('own-name', QUAY, pulling('es-2')),
        external('es-2', '', template('quay.io')),
        deployment('other-registry', QUAY, pulling('es-3')),
        external('es-3', '', template('ghcr.io')),
        deployment('not-credentials', QUAY, pulling('es-4')),
        external('es-4', '', '{"auths":{"quay.io":{"note":"x"}}}'),
      ]),
    ).toEqual([
      'other-registry: pull-not-covered warning',
      'not-credentials: pull-not-covered warning',
    ]);
  });
});
