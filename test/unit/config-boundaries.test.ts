import { ConfigError } from '../../src/errors';
import { loadConfig } from '../../src/config/load';
import type { ConfigKind } from '../../src/config/schemas';
import { CASES } from '../support/config-boundary-values';

/**
 * Config validation at every boundary, from an independent list of values: each value
 * is written here by hand from the format's own definition (Kubernetes DNS-1123 names,
 * IAM ARN format, AWS regions and account ids, Google Cloud project ids and numbers, the
 * TokenRequest expirationSeconds minimum of 10 minutes, Linux user names), never computed
 * from src/config/schemas.ts, so a loosened or tightened pattern fails here.
 */
const BASE: Record<ConfigKind, Record<string, unknown>> = {
  SetImagePullSecrets: { names: ['gcr-json-key'] },
  SetFsGroup: { fsGroup: 1000 },
  LinkKubernetesInfoSecrets: {},
  SetAwsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/app' },
  Retarget: {},
  Preflight: {},
  PortDataVolumes: { platform: 'gke' },
  SetGcpWorkloadIdentity: {
    projectId: 'cluster-project',
    gcpServiceAccount: 'orders-vm@app-project.iam.gserviceaccount.com',
  },
};

function accepts(kind: ConfigKind, field: string, value: unknown): boolean {
  const config: Record<string, unknown> = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind,
    ...structuredClone(BASE[kind]),
  };
  const path = field.split('.');
  let at = config;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[path.at(-1)!] = value;
  try {
    loadConfig(kind, config);
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return false;
  }
}

describe('config boundaries (independent values)', () => {
  test.each(CASES)('%s %s = %j: valid %s', (kind, field, value, valid) => {
    expect(accepts(kind, field, value)).toBe(valid);
  });

  test('the Retarget sections hold the same boundaries as the functions', () => {
    expect(accepts('Retarget', 'fsGroup', 0)).toBe(false);
    expect(accepts('Retarget', 'fsGroup', 1)).toBe(true);
    const aws = (extra: Record<string, unknown>) => ({
      roleArn: 'arn:aws:iam::123456789012:role/app',
      ...extra,
    });
    expect(accepts('Retarget', 'awsWorkloadIdentity', aws({ expirationSeconds: 599 }))).toBe(false);
    expect(accepts('Retarget', 'awsWorkloadIdentity', aws({ expirationSeconds: 600 }))).toBe(true);
    expect(accepts('Retarget', 'imagePullSecrets', ['Upper'])).toBe(false);
    expect(accepts('Retarget', 'imagePullSecrets', ['lower'])).toBe(true);
  });
});
