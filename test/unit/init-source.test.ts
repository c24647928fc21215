import { parse } from 'yaml';
import { renderInitConfig } from '../../src/init/render';
import { scanSource } from '../../src/init/source';

const provider = (name: string, spec: unknown) => ({
  path: 'source-provider.yaml',
  value: {
    apiVersion: 'anthos-migrate.cloud.google.com/v1beta2',
    kind: 'SourceProvider',
    metadata: { name },
    spec,
  },
});
const migration = (spec: unknown, apiVersion = 'anthos-migrate.cloud.google.com/v1') => ({
  path: 'migration-object.yaml',
  value: { apiVersion, kind: 'Migration', metadata: { name: 'm' }, spec },
});
const v1 = (name: string, vm: string) =>
  migration({ sourceSnapshotTemplate: { spec: { sourceProviderRef: { name }, sourceId: vm } } });

describe('init: where the migrated VM ran', () => {
  test.each([
    [
      'Compute Engine',
      { gce: { project: 'acme-vms', serviceAccount: { secretRef: { name: 'k' } } } },
      { cloud: 'gce', project: 'acme-vms' },
    ],
    ['Anthos clusters on AWS', { localAws: { region: 'us-east-1' } }, { cloud: 'aws' }],
    ['VMware', { localVmware: {} }, { cloud: 'vmware' }],
    [
      'AWS behind Migrate to VMs',
      { migrateForCE: { management: { cloudDetails: { platform: 'aws' } } } },
      { cloud: 'aws' },
    ],
    [
      'Azure behind Migrate to VMs',
      { migrateForCE: { management: { cloudDetails: { platform: 'azure' } } } },
      { cloud: 'azure' },
    ],
    ['something else', { other: {} }, { cloud: 'unknown' }],
  ])('%s', (_, spec, expected) => {
    expect(scanSource([v1('src', 'vm-1'), provider('src', spec)])).toEqual({
      ...expected,
      provider: 'src',
      vm: 'vm-1',
      where: ['migration-object.yaml', 'source-provider.yaml'],
    });
  });

  test('the Migration names its provider: another SourceProvider in the folder is not taken', () => {
    const found = scanSource([
      provider('other', { localAws: {} }),
      v1('src', 'vm-1'),
      provider('src', { gce: { project: 'acme-vms' } }),
    ]);
    expect(found).toMatchObject({ cloud: 'gce', provider: 'src' });
  });

  test('v1beta2 Migration alone: the VM and provider name, no cloud (a name is no evidence)', () => {
    const found = scanSource([
      migration(
        { sourceSnapshot: { sourceProvider: 'my-ce-src', sourceId: 'db' } },
        'anthos-migrate.cloud.google.com/v1beta2',
      ),
    ]);
    expect(found).toEqual({
      cloud: 'unknown',
      provider: 'my-ce-src',
      vm: 'db',
      where: ['migration-object.yaml'],
    });
  });

  test('no Migration, one SourceProvider: it is the source; none of either: unknown', () => {
    expect(scanSource([provider('src', { gce: {} })])).toMatchObject({ cloud: 'gce' });
    expect(scanSource([])).toBeUndefined();
    // Objects of other groups are not the migration's.
    expect(
      scanSource([
        { path: 'x', value: { apiVersion: 'v1', kind: 'SourceProvider', spec: { gce: {} } } },
      ]),
    ).toBeUndefined();
  });
});

describe('init: the identity proposal from untrusted artifacts', () => {
  const scan = (source: unknown) =>
    ({
      dir: 'in',
      files: [],
      workloads: [{ id: 'Deployment/app', name: 'app' }],
      images: [],
      runtimes: [],
      dataVolumes: [],
      persistentVolumes: [],
      source,
    }) as unknown as Parameters<typeof renderInitConfig>[0];

  test('a newline or shell word in a SourceProvider or Migration never reaches the file', () => {
    const text = renderInitConfig(
      scan({
        cloud: 'gce',
        project: 'acme-vms\ninjected: true',
        vm: "vm'; rm -rf / #",
        provider: 'src\nalso: 1',
        where: ['a.yaml\nmore: 2'],
      }),
      'in',
    );
    const config = parse(text) as Record<string, unknown>;
    expect(Object.keys(config).sort()).toEqual([
      'apiVersion',
      'gcpWorkloadIdentity',
      'kind',
      'metadata',
      'runtime',
    ]);
    // Only the placeholders: nothing of the hostile values became a key or a value.
    expect(Object.keys(config.gcpWorkloadIdentity as object).sort()).toEqual([
      'gcpServiceAccount',
      'principal',
      'projectId',
      'serviceAccountName',
    ]);
    expect(text).not.toContain('rm -rf');
    expect(text).toContain('gcpServiceAccount: "TODO: NAME@PROJECT_ID.iam.gserviceaccount.com"');
  });

  test('same scan, same bytes; the lookup names the VM and its project, quoted for the shell', () => {
    const s = scan({
      cloud: 'gce',
      project: 'acme-vms',
      vm: 'web-1',
      provider: 'src',
      where: ['m.yaml'],
    });
    const text = renderInitConfig(s, 'in');
    expect(renderInitConfig(s, 'in')).toBe(text);
    expect(text).toContain(
      "gcloud compute instances list --project=acme-vms --filter=name=web-1 '--format=value(serviceAccounts[].email)'",
    );
    expect(text).toMatch(/^gcpWorkloadIdentity:$/m);
    expect(text).not.toMatch(/^awsWorkloadIdentity:/m);
    expect(text).toContain('#   platform: gke ');
  });
});
