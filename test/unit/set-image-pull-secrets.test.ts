import { parse, parseAllDocuments } from 'yaml';
import {
  LEGACY_DEPLOYMENT,
  PLAIN_DEPLOYMENT,
  SERVICE,
  SERVICE_MANAGER_DEPLOYMENT,
  stream,
} from '../support/workloads';
import { runText } from '../support/run';

const config = (body: Record<string, unknown>) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetImagePullSecrets',
  ...body,
});

function docs(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown>)
    .filter((d) => d !== null);
}

function pullSecrets(doc: Record<string, unknown>): unknown {
  return (doc as { spec: { template: { spec: { imagePullSecrets?: unknown } } } }).spec.template
    .spec.imagePullSecrets;
}

describe('set-image-pull-secrets', () => {
  test('appends refs in order, keeps existing ones and never duplicates', () => {
    const input = LEGACY_DEPLOYMENT.replace(
      '      volumes:\n',
      '      imagePullSecrets:\n      - name: existing\n      - name: b\n      volumes:\n',
    );
    const { output, ok } = runText(
      'set-image-pull-secrets',
      config({ names: ['a', 'b', 'c'] }),
      input,
    );
    expect(ok).toBe(true);
    expect(pullSecrets(docs(output)[0])).toEqual([
      { name: 'existing' },
      { name: 'b' },
      { name: 'a' },
      { name: 'c' },
    ]);
    expect(
      runText('set-image-pull-secrets', config({ names: ['a', 'b', 'c'] }), output).output,
    ).toBe(output);
  });

  test('registries limit the change to pods pulling from them', () => {
    const input = stream(LEGACY_DEPLOYMENT, PLAIN_DEPLOYMENT, SERVICE_MANAGER_DEPLOYMENT);
    const { output } = runText(
      'set-image-pull-secrets',
      config({ names: ['gcr'], registries: ['gcr.io/source-project'] }),
      input,
    );
    const [legacy, plain, sm] = docs(output);
    expect(pullSecrets(legacy)).toEqual([{ name: 'gcr' }]);
    expect(pullSecrets(plain)).toBeUndefined();
    // eu.gcr.io is another registry host than gcr.io
    expect(pullSecrets(sm)).toBeUndefined();
  });

  test('merges into an existing ServiceAccount by name and creates a missing one per namespace', () => {
    const sa =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nimagePullSecrets:\n- name: keep-me\n';
    const input = stream(LEGACY_DEPLOYMENT, sa, SERVICE_MANAGER_DEPLOYMENT);
    const { output } = runText(
      'set-image-pull-secrets',
      config({ names: ['gcr'], serviceAccounts: ['default'], pods: false }),
      input,
    );
    const all = docs(output);
    expect(pullSecrets(all[0])).toBeUndefined();
    expect(all[1]).toMatchObject({ imagePullSecrets: [{ name: 'keep-me' }, { name: 'gcr' }] });
    const created = all.find(
      (d) =>
        d.kind === 'ServiceAccount' && (d.metadata as { namespace?: string }).namespace === 'shop',
    );
    expect(created).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'shop' },
      imagePullSecrets: [{ name: 'gcr' }],
    });
    const again = runText(
      'set-image-pull-secrets',
      config({ names: ['gcr'], serviceAccounts: ['default'], pods: false }),
      output,
    );
    expect(again.output).toBe(output);
  });

  test('emits an ExternalSecret without any credential in the output', () => {
    const { output, ok } = runText(
      'set-image-pull-secrets',
      config({
        names: ['gcr-json-key'],
        externalSecret: {
          secretStoreRef: { name: 'gcp-sm', kind: 'ClusterSecretStore' },
          remoteKey: 'm4a-install-json',
          server: 'gcr.io',
        },
      }),
      stream(LEGACY_DEPLOYMENT, SERVICE),
    );
    expect(ok).toBe(true);
    const es = docs(output).find((d) => d.kind === 'ExternalSecret') as Record<string, unknown>;
    expect(es).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      metadata: { name: 'gcr-json-key' },
      spec: {
        secretStoreRef: { name: 'gcp-sm', kind: 'ClusterSecretStore' },
        target: { name: 'gcr-json-key', template: { type: 'kubernetes.io/dockerconfigjson' } },
        data: [{ secretKey: 'password', remoteRef: { key: 'm4a-install-json' } }],
      },
    });
    const template = (es as { spec: { target: { template: { data: Record<string, string> } } } })
      .spec.target.template.data['.dockerconfigjson'];
    expect(template).toContain('"gcr.io"');
    expect(template).toContain('{{ .password | toJson }}');
    expect(output).not.toMatch(/kind: Secret\b/);
  });

  test('ExternalSecret apiVersion: v1 gives no warning; v1beta1 is emitted with one warning naming ESO 0.17', () => {
    const body = (apiVersion?: string) =>
      config({
        names: ['gcr-json-key'],
        externalSecret: {
          ...(apiVersion ? { apiVersion } : {}),
          secretStoreRef: { name: 'gcp-sm', kind: 'ClusterSecretStore' },
          remoteKey: 'm4a-install-json',
          server: 'gcr.io',
        },
      });
    const input = stream(LEGACY_DEPLOYMENT, SERVICE);
    for (const apiVersion of [undefined, 'external-secrets.io/v1']) {
      const v1 = runText('set-image-pull-secrets', body(apiVersion), input);
      expect(v1.ok).toBe(true);
      expect(v1.results.filter((r) => r.severity !== 'info')).toEqual([]);
    }
    const beta = runText('set-image-pull-secrets', body('external-secrets.io/v1beta1'), input);
    expect(beta.ok).toBe(true);
    expect(docs(beta.output).find((d) => d.kind === 'ExternalSecret')).toMatchObject({
      apiVersion: 'external-secrets.io/v1beta1',
    });
    expect(beta.results.filter((r) => r.severity === 'warning')).toEqual([
      {
        severity: 'warning',
        message:
          'external-secrets.io/v1beta1 is not served by External Secrets Operator 0.17.0 and later (only external-secrets.io/v1 is): applying it there fails with "no matches for kind ExternalSecret"; keep it only for a cluster on ESO 0.16 or earlier',
        field: { path: 'externalSecret.apiVersion', currentValue: 'external-secrets.io/v1beta1' },
      },
    ]);
    // No workload selected: nothing emitted, nothing to warn about.
    const none = runText('set-image-pull-secrets', body('external-secrets.io/v1beta1'), SERVICE);
    expect(none.results.filter((r) => r.severity === 'warning')).toEqual([]);
  });

  test('local-config resources are never changed', () => {
    const input = LEGACY_DEPLOYMENT.replace(
      '  name: web\nspec:',
      '  name: web\n  annotations:\n    config.kubernetes.io/local-config: "true"\nspec:',
    );
    const { output } = runText('set-image-pull-secrets', config({ names: ['gcr'] }), input);
    expect(output).toBe(input);
  });

  test('a bad secret name is refused naming the field', () => {
    const { ok, results, output } = runText(
      'set-image-pull-secrets',
      config({ names: ['Bad Name;'] }),
      SERVICE,
    );
    expect(ok).toBe(false);
    expect(results[0]).toMatchObject({ severity: 'error', field: { path: 'names[0]' } });
    expect(output).toBe(SERVICE);
  });

  test('the ConfigMap form takes comma-separated lists', () => {
    const cm = parse('apiVersion: v1\nkind: ConfigMap\ndata:\n  names: a, b\n  pods: "true"\n');
    const { output, ok } = runText('set-image-pull-secrets', cm, LEGACY_DEPLOYMENT);
    expect(ok).toBe(true);
    expect(pullSecrets(docs(output)[0])).toEqual([{ name: 'a' }, { name: 'b' }]);
  });
});
