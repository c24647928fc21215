import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fixturesAvailable, missingRealFixtures, runText, specCases } from '../support/run';

/**
 * Generated specs (the project's own generator shapes, and the real ones in ../shared
 * when present) hydrated with awsWorkloadIdentity and no serviceAccountName: the
 * role goes to a ServiceAccount of the workload's own, never to the namespace's default,
 * and every object retarget creates sits in the workload's namespace.
 */
const ROLE = 'arn:aws:iam::123456789012:role/migrated';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const config = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Retarget',
  imagePullSecrets: {
    names: ['gcr-json-key'],
    serviceAccounts: ['pull'],
    externalSecret: {
      secretStoreRef: { name: 'gcp-store' },
      remoteKey: 'gcr-json-key',
      server: 'quay.io',
    },
  },
  fsGroup: 1234,
  awsWorkloadIdentity: { roleArn: ROLE, initSystem: 'systemd' },
  target: {
    platform: 'gke',
    gcpProjectId: 'target-project',
    gcpProjectNumber: '123456789012',
    emitIamPolicyMember: true,
    skip: ['schema', 'pod-security-baseline'],
  },
};

/** The generated spec, placed in a namespace (the generator writes none). */
function inNamespace(text: string, namespace: string): string {
  return text.replace(/^metadata:\n/gm, `metadata:\n  namespace: ${namespace}\n`);
}

describe('least privilege on generated specs', () => {
  if (!fixturesAvailable()) missingRealFixtures('the real generated specs');
  test.each(specCases().map((c) => [c.name, c.spec]))('%s', (_name, path) => {
    const file = basename(path);
    const input = inNamespace(readFileSync(path, 'utf8'), 'migrated');
    const { output, ok, results } = runText('hydrate', config, input, file);
    expect(results.filter((r) => r.severity === 'error')).toEqual([]);
    expect(ok).toBe(true);
    const before = parseAllDocuments(input).length;
    const docs = parseAllDocuments(output)
      .map((d) => d.toJS() as Obj)
      .filter(Boolean);
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    expect(deployments).toHaveLength(1);
    const name = deployments[0].metadata.name as string;
    expect(deployments[0].spec.template.spec.serviceAccountName).toBe(name);
    const sas = docs.filter((d) => d.kind === 'ServiceAccount');
    expect(sas.map((s) => s.metadata.name).sort()).toEqual([name, 'pull'].sort());
    expect(sas.find((s) => s.metadata.name === 'default')).toBeUndefined();
    expect(sas.find((s) => s.metadata.name === name)?.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': ROLE,
    });
    // Everything retarget created: in the workload's namespace.
    const created = parseAllDocuments(output)
      .slice(before - 1)
      .map((d) => d.toJS() as Obj)
      .filter((d) => d && d.kind);
    const kinds = created.map((d) => d.kind as string);
    expect(kinds).toEqual(
      expect.arrayContaining(['ServiceAccount', 'ExternalSecret', 'IAMPolicyMember']),
    );
    if (file.startsWith('mfa')) expect(kinds).toContain('ConfigMap');
    for (const d of created) {
      if (d.kind === 'Service') continue;
      expect([d.kind, d.metadata.name, d.metadata.namespace]).toEqual([
        d.kind,
        d.metadata.name,
        'migrated',
      ]);
    }
    expect(runText('hydrate', config, output, file).output).toBe(output);
  });
});
