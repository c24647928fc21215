import { scanSource } from '../../src/init/source';

/**
 * Where the migrated VM ran, from every shape the processing cluster's objects come in
 * (GoogleCloudPlatform/migrate-to-containers examples/crds/*.yaml): which Migration and
 * SourceProvider count, and what each spec says of the cloud. Complements
 * init-source.test.ts, which has one case per cloud.
 */
const GROUP = 'anthos-migrate.cloud.google.com';
const provider = (name: unknown, spec?: unknown, path = 'sp.yaml') => ({
  path,
  value: {
    apiVersion: `${GROUP}/v1`,
    kind: 'SourceProvider',
    metadata: { name },
    ...(spec === undefined ? {} : { spec }),
  },
});
const migration = (spec: unknown, path = 'm.yaml') => ({
  path,
  value: { apiVersion: `${GROUP}/v1beta2`, kind: 'Migration', metadata: { name: 'm' }, spec },
});
const v1beta2 = (sourceProvider?: unknown, sourceId?: unknown, path?: string) =>
  migration({ sourceSnapshot: { sourceProvider, sourceId } }, path);

describe('scanSource: which objects count', () => {
  test('nothing of the group, or no object at all: no source', () => {
    expect(scanSource([])).toBeUndefined();
    expect(
      scanSource([
        { path: 'a', value: 'not an object' },
        { path: 'b', value: { kind: 'Migration', spec: { sourceSnapshot: { sourceId: 'vm' } } } },
        { path: 'c', value: { apiVersion: 7, kind: 'SourceProvider', spec: { gce: {} } } },
        { path: 'd', value: { apiVersion: 'example.com/v1', kind: 'Migration', spec: {} } },
        { path: 'e', value: { apiVersion: `x${GROUP}/v1`, kind: 'SourceProvider', spec: {} } },
        {
          path: 'f',
          value: { apiVersion: GROUP, kind: 'SourceProvider', metadata: { name: 'p' } },
        },
      ]),
    ).toEqual({ cloud: 'unknown', provider: 'p', where: ['f'] });
  });

  test('a SourceProvider is no Migration and a Migration no SourceProvider', () => {
    // Kind decides: a Migration-shaped SourceProvider names no VM, and the reverse no cloud.
    expect(
      scanSource([
        {
          path: 'sp.yaml',
          value: {
            apiVersion: `${GROUP}/v1`,
            kind: 'SourceProvider',
            metadata: { name: 'src' },
            spec: { sourceSnapshot: { sourceProvider: 'other', sourceId: 'vm-9' }, gce: {} },
          },
        },
      ]),
    ).toEqual({ cloud: 'gce', provider: 'src', where: ['sp.yaml'] });
    expect(
      scanSource([
        migration({ gce: { project: 'acme-vms' }, sourceSnapshot: { sourceId: 'vm-1' } }),
      ]),
    ).toEqual({ cloud: 'unknown', vm: 'vm-1', where: ['m.yaml'] });
  });

  test('the first Migration that names a VM or a provider; its provider by name among several', () => {
    expect(
      scanSource([
        migration({}, 'empty.yaml'),
        v1beta2(undefined, 'vm-1', 'vm-only.yaml'),
        v1beta2('late', 'vm-2', 'late.yaml'),
        provider('late', { localAws: {} }, 'late-sp.yaml'),
      ]),
    ).toEqual({
      // It names no provider: the only SourceProvider in the folder is its source.
      cloud: 'aws',
      provider: 'late',
      vm: 'vm-1',
      where: ['vm-only.yaml', 'late-sp.yaml'],
    });
    expect(
      scanSource([
        migration({}, 'empty.yaml'),
        v1beta2('src', undefined, 'p-only.yaml'),
        provider('other', { localAws: {} }, 'other.yaml'),
        provider('src', { localVmware: {} }, 'src.yaml'),
      ]),
    ).toEqual({ cloud: 'vmware', provider: 'src', where: ['p-only.yaml', 'src.yaml'] });
  });

  test('a Migration naming a provider that is not there: no cloud, even with one SourceProvider', () => {
    expect(scanSource([v1beta2('gone', 'vm-1'), provider('other', { gce: {} })])).toEqual({
      cloud: 'unknown',
      provider: 'gone',
      vm: 'vm-1',
      where: ['m.yaml'],
    });
  });

  test('a Migration naming no provider: the only SourceProvider is its source; of two, neither', () => {
    expect(scanSource([v1beta2(undefined, 'vm-1'), provider('src', { gce: {} })])).toEqual({
      cloud: 'gce',
      provider: 'src',
      vm: 'vm-1',
      where: ['m.yaml', 'sp.yaml'],
    });
    expect(
      scanSource([
        v1beta2(undefined, 'vm-1'),
        provider('a', { gce: {} }, 'a.yaml'),
        provider('b', { localAws: {} }, 'b.yaml'),
      ]),
    ).toEqual({ cloud: 'unknown', vm: 'vm-1', where: ['m.yaml'] });
    expect(
      scanSource([provider('a', { gce: {} }, 'a.yaml'), provider('b', {}, 'b.yaml')]),
    ).toBeUndefined();
  });

  test('one file holding both objects is named once; a provider with no string name has none', () => {
    expect(
      scanSource([v1beta2('src', 'vm-1', 'x.yaml'), provider('src', { gce: {} }, 'x.yaml')]),
    ).toEqual({
      cloud: 'gce',
      provider: 'src',
      vm: 'vm-1',
      where: ['x.yaml'],
    });
    expect(scanSource([provider(7, { localAws: {} })])).toEqual({
      cloud: 'aws',
      where: ['sp.yaml'],
    });
    expect(
      scanSource([
        {
          path: 'sp.yaml',
          value: { apiVersion: `${GROUP}/v1`, kind: 'SourceProvider', spec: { gce: {} } },
        },
      ]),
    ).toEqual({ cloud: 'gce', where: ['sp.yaml'] });
  });

  test('the v1 and v1beta2 Migration shapes; names and ids that are no strings are left out', () => {
    expect(
      scanSource([
        migration({
          sourceSnapshot: { sourceProvider: 'a', sourceId: 'vm-a' },
          sourceSnapshotTemplate: { spec: { sourceProviderRef: { name: 'b' }, sourceId: 'vm-b' } },
        }),
      ]),
    ).toEqual({ cloud: 'unknown', provider: 'a', vm: 'vm-a', where: ['m.yaml'] });
    expect(
      scanSource([
        migration({
          sourceSnapshotTemplate: { spec: { sourceProviderRef: { name: 'b' }, sourceId: 'vm-b' } },
        }),
      ]),
    ).toEqual({ cloud: 'unknown', provider: 'b', vm: 'vm-b', where: ['m.yaml'] });
    expect(scanSource([v1beta2(5, 'vm-1')])).toEqual({
      cloud: 'unknown',
      vm: 'vm-1',
      where: ['m.yaml'],
    });
    expect(scanSource([v1beta2('src', 6)])).toEqual({
      cloud: 'unknown',
      provider: 'src',
      where: ['m.yaml'],
    });
    expect(scanSource([v1beta2(5, 6)])).toBeUndefined();
    expect(
      scanSource([migration({ sourceSnapshotTemplate: { spec: { sourceProviderRef: 'b' } } })]),
    ).toBeUndefined();
    expect(scanSource([migration(undefined)])).toBeUndefined();
  });
});

describe('scanSource: the cloud each SourceProvider spec names', () => {
  test.each<[string, unknown, unknown]>([
    ['gce with a project', { gce: { project: 'acme-vms' } }, { cloud: 'gce', project: 'acme-vms' }],
    ['gce with a project that is no string', { gce: { project: 12 } }, { cloud: 'gce' }],
    ['gce, empty', { gce: {} }, { cloud: 'gce' }],
    ['localAws', { localAws: {} }, { cloud: 'aws' }],
    ['aws', { aws: { region: 'us-east-1' } }, { cloud: 'aws' }],
    ['aws, null', { aws: null }, { cloud: 'aws' }],
    ['localVmware', { localVmware: {} }, { cloud: 'vmware' }],
    ['vmware', { vmware: {} }, { cloud: 'vmware' }],
    [
      'Migrate to VMs on AWS',
      { migrateForCE: { management: { cloudDetails: { platform: 'aws' } } } },
      { cloud: 'aws' },
    ],
    [
      'Migrate to VMs on Azure',
      { migrateForCE: { management: { cloudDetails: { platform: 'azure' } } } },
      { cloud: 'azure' },
    ],
    [
      'Migrate to VMs on VMware',
      { migrateForCE: { management: { cloudDetails: { platform: 'vmware' } } } },
      { cloud: 'vmware' },
    ],
    [
      'Migrate to VMs, another platform',
      { migrateForCE: { management: { cloudDetails: { platform: 'gcp' } } } },
      { cloud: 'unknown' },
    ],
    [
      'Migrate to VMs, no platform',
      { migrateForCE: { management: { cloudDetails: {} } } },
      { cloud: 'unknown' },
    ],
    ['Migrate to VMs, no cloudDetails', { migrateForCE: { management: {} } }, { cloud: 'unknown' }],
    ['Migrate to VMs, no management', { migrateForCE: {} }, { cloud: 'unknown' }],
    ['an empty spec', {}, { cloud: 'unknown' }],
    ['no spec', undefined, { cloud: 'unknown' }],
    ['gce wins over the others', { gce: {}, localAws: {}, vmware: {} }, { cloud: 'gce' }],
    ['aws before vmware', { vmware: {}, aws: {} }, { cloud: 'aws' }],
  ])('%s', (_name, spec, cloud) => {
    expect(scanSource([provider('src', spec)])).toEqual({
      ...(cloud as object),
      provider: 'src',
      where: ['sp.yaml'],
    });
  });
});
