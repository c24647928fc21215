import { LineCounter, parseAllDocuments } from 'yaml';
import type { YAMLMap } from 'yaml';
import { loadConfig } from '../../src/config/load';
import type { PreflightConfig } from '../../src/config/types';
import { Resource } from '../../src/krm/resource';
import { PreflightContext } from '../../src/preflight/context';
import { attachedSecretNames, knownPullSecrets } from '../../src/preflight/pull-secrets';
import { workloadsOf } from '../../src/preflight/workloads';

/**
 * The pull Secrets preflight counts on (src/preflight/pull-secrets.ts), as a table: the
 * target's declared ones and the package's docker-config Secrets and ExternalSecrets, with
 * the registry keys read as the kubelet reads a docker config (scheme, `/v1/` and trailing
 * slashes dropped, Docker Hub's aliases as docker.io), and nothing else counted.
 */
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function context(yaml: string, config: Record<string, unknown> = {}): PreflightContext {
  const lineCounter = new LineCounter();
  const resources = parseAllDocuments(yaml, { lineCounter }).map(
    (doc) => new Resource(doc.contents as YAMLMap, doc, { path: 'in.yaml' }),
  );
  return new PreflightContext(
    {
      resources,
      add: () => {
        throw new Error('nothing is added');
      },
      remove: () => {
        throw new Error('nothing is removed');
      },
    },
    loadConfig<PreflightConfig>('Preflight', {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Preflight',
      ...config,
    }),
  );
}

const secret = (name: string, body: string, namespace = 'shop') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${body}`;
const externalSecret = (name: string, spec: string) =>
  `apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${spec}`;

const AUTHS = JSON.stringify({
  auths: {
    'https://gcr.io/v1/': { auth: 'x' },
    'http://Index.Docker.io/v2': { auth: 'x' },
    'registry.example.com:5000/team//': { auth: 'x' },
  },
});

describe('knownPullSecrets: every pull Secret the cluster will have', () => {
  test('declared in the target, and in the package, each as a platform engineer reads it', () => {
    const yaml = [
      secret(
        'json-data',
        `type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(AUTHS)}\n`,
      ),
      secret(
        'cfg-string',
        `type: kubernetes.io/dockercfg\nstringData:\n  .dockercfg: '{"quay.io": {"auth": "x"}}'\n`,
        'tools',
      ),
      // stringData wins over data, as the API server merges it in
      secret(
        'both',
        `type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths": {"ghcr.io": {}}}'\ndata:\n  .dockerconfigjson: ${b64(AUTHS)}\n`,
      ),
      secret('no-data', 'type: kubernetes.io/dockerconfigjson\n'),
      secret(
        'not-json',
        `type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64('{')}\n`,
      ),
      secret(
        'auths-null',
        `type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths": null}'\n`,
      ),
      secret(
        'auths-text',
        `type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths": "gcr.io"}'\n`,
      ),
      secret(
        'no-auths',
        `type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"gcr.io": {}}'\n`,
      ),
      secret(
        'opaque',
        `type: Opaque\nstringData:\n  .dockerconfigjson: '{"auths": {"gcr.io": {}}}'\n`,
      ),
      secret('typeless', `stringData:\n  .dockerconfigjson: '{"auths": {"gcr.io": {}}}'\n`),
      secret(
        'wrong-key',
        `type: kubernetes.io/dockercfg\nstringData:\n  .dockerconfigjson: '{"gcr.io": {}}'\n`,
      ),
      secret(
        'local',
        `type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths": {"gcr.io": {}}}'\n`,
      ).replace(
        'metadata:\n',
        'metadata:\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
      ),
      externalSecret(
        'es',
        `  target:\n    name: pull\n    template:\n      type: kubernetes.io/dockerconfigjson\n      data:\n        .dockerconfigjson: '{"auths":{"gcr.io/p":{"username":"_json_key","password":"{{ .key }}"},"https://europe-docker.pkg.dev/v1/":{ "auth":"{{ .a }}"}}}'\n`,
      ),
      externalSecret(
        'es-unnamed',
        `  target:\n    template:\n      type: kubernetes.io/dockercfg\n      data:\n        .dockercfg: '{"quay.io":{"email":"a@b"}}'\n`,
      ),
      externalSecret(
        'es-no-body',
        `  target:\n    template:\n      type: kubernetes.io/dockerconfigjson\n`,
      ),
      externalSecret(
        'es-map-body',
        `  target:\n    template:\n      type: kubernetes.io/dockerconfigjson\n      data:\n        .dockerconfigjson: {auths: {}}\n`,
      ),
      externalSecret('es-opaque', `  target:\n    template:\n      type: Opaque\n`),
      externalSecret('es-typeless', `  target:\n    name: x\n    template: {}\n`),
      externalSecret('es-no-template', `  target:\n    name: x\n`),
      externalSecret(
        'es-name-number',
        `  target:\n    name: 5\n    template:\n      type: kubernetes.io/dockerconfigjson\n`,
      ),
      'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: es-spec-list\nspec: []\n',
      'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: es-spec-text\nspec: text\n',
    ].join('---\n');
    const ctx = context(yaml, {
      pullSecrets: [
        {
          name: 'declared',
          registries: ['gcr.io', 'docker.io/team'],
          serviceAccounts: ['builder'],
        },
        { name: 'declared-bare', registries: ['quay.io'] },
      ],
    });
    expect(knownPullSecrets(ctx)).toEqual([
      {
        name: 'declared',
        registries: ['gcr.io', 'docker.io/team'],
        serviceAccounts: ['builder'],
        source: 'target',
      },
      { name: 'declared-bare', registries: ['quay.io'], serviceAccounts: [], source: 'target' },
      {
        name: 'json-data',
        namespace: 'shop',
        registries: ['gcr.io', 'docker.io', 'registry.example.com:5000/team'],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'cfg-string',
        namespace: 'tools',
        registries: ['quay.io'],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'both',
        namespace: 'shop',
        registries: ['ghcr.io'],
        serviceAccounts: [],
        source: 'Secret',
      },
      // a docker-config Secret with nothing readable holds no registry, but it is there
      { name: 'no-data', namespace: 'shop', registries: [], serviceAccounts: [], source: 'Secret' },
      {
        name: 'not-json',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'auths-null',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'auths-text',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'no-auths',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'wrong-key',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'Secret',
      },
      {
        name: 'pull',
        namespace: 'shop',
        registries: ['gcr.io/p', 'europe-docker.pkg.dev'],
        serviceAccounts: [],
        source: 'ExternalSecret',
      },
      {
        name: 'es-unnamed',
        namespace: 'shop',
        registries: ['quay.io'],
        serviceAccounts: [],
        source: 'ExternalSecret',
      },
      {
        name: 'es-no-body',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'ExternalSecret',
      },
      {
        name: 'es-map-body',
        namespace: 'shop',
        registries: [],
        serviceAccounts: [],
        source: 'ExternalSecret',
      },
    ]);
  });

  test('the target declares none: only the package', () => {
    expect(knownPullSecrets(context(secret('s', 'type: Opaque\n')))).toEqual([]);
  });

  test('a declared Secret is copied, not shared with the config', () => {
    const ctx = context('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n', {
      pullSecrets: [{ name: 'declared', registries: ['gcr.io'], serviceAccounts: ['a'] }],
    });
    const [known] = knownPullSecrets(ctx);
    known.registries.push('x.io');
    known.serviceAccounts.push('b');
    expect(ctx.config.pullSecrets).toEqual([
      { name: 'declared', registries: ['gcr.io'], serviceAccounts: ['a'] },
    ]);
  });
});

describe('attachedSecretNames: what the pods get', () => {
  test("the pod's own, its ServiceAccount's, and declared Secrets listing that account; names that are not strings are no names", () => {
    const yaml = [
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n  namespace: shop\nimagePullSecrets:\n- name: from-sa\n- name: 7\n- {}\n- just-a-string\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: builder\n      imagePullSecrets:\n      - name: own\n      - name: from-sa\n      - name: null\n      - name: [a]\n      containers:\n      - name: app\n        image: gcr.io/p/app:1\n',
    ].join('---\n');
    const ctx = context(yaml, {
      pullSecrets: [
        { name: 'declared', registries: ['gcr.io'], serviceAccounts: ['builder'] },
        { name: 'other', registries: ['gcr.io'], serviceAccounts: ['someone-else'] },
      ],
    });
    const [workload] = workloadsOf(ctx);
    expect(attachedSecretNames(workload, knownPullSecrets(ctx))).toEqual([
      'own',
      'from-sa',
      'declared',
    ]);
  });

  test('imagePullSecrets that is not a list gives no names', () => {
    const ctx = context(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  imagePullSecrets: {name: own}\n  containers:\n  - name: app\n    image: gcr.io/p/app:1\n',
    );
    const [workload] = workloadsOf(ctx);
    expect(attachedSecretNames(workload, [])).toEqual([]);
  });
});
