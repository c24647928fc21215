import { parseAllDocuments } from 'yaml';
import { findFunction } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';
import { runText } from '../support/run';

/*
 * set-image-pull-secrets: the objects it writes beside the pods, whole (the ExternalSecret
 * the External Secrets operator renders into a kubernetes.io/dockerconfigjson Secret, the
 * ServiceAccounts per namespace), and which pods it picks by registry.
 */

const FN = 'set-image-pull-secrets';
const config = (body: Record<string, unknown>) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetImagePullSecrets',
  ...body,
});
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML
const all = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);

function pod(name: string, namespace: string | undefined, lines: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    ...lines,
    '',
  ].join('\n');
}
const pulling = (image: string) => ['  containers:', '  - name: app', `    image: ${image}`];

describe('set-image-pull-secrets: the ExternalSecret', () => {
  const es = {
    secretName: 'pull',
    secretStoreRef: { name: 'vault' },
    remoteKey: 'registry/key',
    remoteProperty: 'password',
    server: 'registry.example.com:5000',
    username: 'deployer',
    refreshInterval: '15m',
  };

  test('all of it, in the namespace of the workloads, named by secretName', () => {
    const { ok, output } = runText(
      FN,
      config({ names: ['first', 'pull'], externalSecret: es }),
      pod('a', 'ns', pulling('registry.example.com:5000/app:1')),
    );
    expect(ok).toBe(true);
    expect(all(output)[1]).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'pull', namespace: 'ns' },
      spec: {
        refreshInterval: '15m',
        secretStoreRef: { name: 'vault', kind: 'SecretStore' },
        target: {
          name: 'pull',
          creationPolicy: 'Owner',
          template: {
            type: 'kubernetes.io/dockerconfigjson',
            data: {
              '.dockerconfigjson':
                '{"auths":{"registry.example.com:5000":{"username":"deployer","password":{{ .password | toJson }},"auth":{{ printf "%s:%s" "deployer" .password | b64enc | toJson }}}}}',
            },
          },
        },
        data: [{ secretKey: 'password', remoteRef: { key: 'registry/key', property: 'password' } }],
      },
    });
  });

  test('defaults: the first name, _json_key, 1h, no property; one per namespace, none where one exists', () => {
    const rest = { secretStoreRef: es.secretStoreRef, remoteKey: es.remoteKey, server: es.server };
    const existing = [
      'apiVersion: external-secrets.io/v1',
      'kind: ExternalSecret',
      'metadata:',
      '  name: first',
      '  namespace: b',
      '',
    ].join('\n');
    const input = [
      pod('a', undefined, pulling('registry.example.com:5000/app:1')),
      pod('b', 'b', pulling('registry.example.com:5000/app:1')),
      existing,
    ].join('---\n');
    const { ok, output } = runText(FN, config({ names: ['first'], externalSecret: rest }), input);
    expect(ok).toBe(true);
    const made = all(output).filter((d) => d.kind === 'ExternalSecret');
    expect(made.map((d) => d.metadata)).toEqual([
      { name: 'first', namespace: 'b' },
      { name: 'first' },
    ]);
    expect(made[0].spec).toBeUndefined();
    expect(made[1].spec.refreshInterval).toBe('1h');
    expect(made[1].spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'registry/key' } },
    ]);
    expect(made[1].spec.target.template.data['.dockerconfigjson']).toContain(
      '"username":"_json_key"',
    );
  });
});

describe('set-image-pull-secrets: which pods', () => {
  const registries = ['registry.example.com:5000'];

  test('an init container pulling from the registry is enough', () => {
    const input = pod('a', undefined, [
      '  initContainers:',
      '  - name: init',
      '    image: registry.example.com:5000/init:1',
      ...pulling('docker.io/library/nginx:1'),
    ]);
    const { output } = runText(FN, config({ names: ['pull'], registries }), input);
    expect(all(output)[0].spec.imagePullSecrets).toEqual([{ name: 'pull' }]);
  });

  test('no container of the registry, or no image at all: the pod is left alone', () => {
    for (const lines of [
      pulling('docker.io/library/nginx:1'),
      ['  containers:', '  - name: app'],
    ]) {
      const input = pod('a', undefined, lines);
      const { ok, output } = runText(FN, config({ names: ['pull'], registries }), input);
      expect(ok).toBe(true);
      expect(output).toBe(input);
    }
  });

  test('ServiceAccounts: one per namespace of the selected pods, none for pods not selected', () => {
    const input = [
      pod('a', 'x', pulling('registry.example.com:5000/app:1')),
      pod('b', 'x', pulling('registry.example.com:5000/app:1')),
      pod('c', 'y', pulling('docker.io/library/nginx:1')),
    ].join('---\n');
    const { output } = runText(
      FN,
      config({ names: ['pull'], registries, serviceAccounts: ['runner'] }),
      input,
    );
    expect(
      all(output)
        .filter((d) => d.kind === 'ServiceAccount')
        .map((d) => [d.metadata, d.imagePullSecrets]),
    ).toEqual([[{ name: 'runner', namespace: 'x' }, [{ name: 'pull' }]]]);
  });
});

describe('set-image-pull-secrets: where the new objects go, and mistyped lists', () => {
  const kindsAndNames = (text: string) => all(text).map((d) => `${d.kind} ${d.metadata.name}`);

  test('a new ServiceAccount and ExternalSecret go into the file of the first workload of their namespace', () => {
    const a = pod('a', 'x', pulling('registry.example.com:5000/app:1'));
    const b = `${pod('b', 'x', pulling('registry.example.com:5000/app:1'))}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: x\n`;
    const fn = findFunction(FN)!;
    const cfg = config({
      names: ['pull'],
      serviceAccounts: ['runner'],
      externalSecret: { secretStoreRef: { name: 'vault' }, remoteKey: 'k', server: 'gcr.io' },
    });
    const outcome = transformFiles(fn, cfg, 'config.yaml', [
      { path: 'a.yaml', outputName: 'a.yaml', text: a },
      { path: 'b.yaml', outputName: 'b.yaml', text: b },
    ]);
    expect(outcome.ok).toBe(true);
    expect(outcome.files.map((f) => kindsAndNames(f.text))).toEqual([
      ['Pod a', 'ServiceAccount runner', 'ExternalSecret pull'],
      ['Pod b', 'Service s'],
    ]);
  });

  test.each([
    [
      "a pod's imagePullSecrets that is not a list",
      pod('a', undefined, [...pulling('gcr.io/p/app:1'), '  imagePullSecrets: pull']),
      { kind: 'Pod', name: 'a' },
      'spec.imagePullSecrets',
      'a list',
    ],
    [
      "an item of a pod's imagePullSecrets that is not a map",
      pod('a', undefined, [...pulling('gcr.io/p/app:1'), '  imagePullSecrets: [pull]']),
      { kind: 'Pod', name: 'a' },
      'spec.imagePullSecrets[0]',
      'a map',
    ],
    [
      "a ServiceAccount's imagePullSecrets that is not a list",
      [
        pod('a', undefined, pulling('gcr.io/p/app:1')),
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\nimagePullSecrets: {name: pull}\n',
      ].join('---\n'),
      { kind: 'ServiceAccount', name: 'runner' },
      'imagePullSecrets',
      'a list',
      { serviceAccounts: ['runner'], pods: false },
    ],
  ])(
    '%s is a located error, nothing changed',
    (_, input, ref, path, expected, extra: Record<string, unknown> = {}) => {
      const { ok, output, results } = runText(FN, config({ names: ['pull'], ...extra }), input);
      expect(ok).toBe(false);
      expect(output).toBe(input);
      expect(results).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(new RegExp(`^expected ${expected}, found `)),
          resourceRef: expect.objectContaining(ref),
          field: { path },
        }),
      ]);
    },
  );
});
