import { StreamResourceSet } from '../../src/io/stream-set';
import type { Resource } from '../../src/krm/resource';
import {
  cloudOf,
  csiSource,
  diskSourceOf,
  distinct,
  pinningOf,
  regionOfZone,
  zoneKeyOf,
} from '../../src/storage/persistent-volume';
import { parseDocumentStream } from '../../src/yaml/document-stream';

/**
 * How a PersistentVolume dumped from the processing cluster is read, form by form, as
 * kubernetes/csi-translation-lib reads it (plugins/gce_pd.go, plugins/aws_ebs.go): the
 * disk, its project, zone or region, and the zones and regions the volume is pinned to.
 */
function pv(spec: string, metadata = ''): Resource {
  const text = `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data\n${metadata}${spec}`;
  const [resource] = new StreamResourceSet([parseDocumentStream(text, 'pv.yaml')]).resources;
  return resource;
}

/** The source without its YAML node (checked apart: it is the map the source was read from). */
function source(resource: Resource) {
  const found = diskSourceOf(resource);
  if (!found) return found;
  const { node, ...rest } = found;
  expect(
    node.get('fsType') ?? node.get('pdName') ?? node.get('volumeID') ?? node.get('driver'),
  ).toBeDefined();
  return rest;
}

describe('diskSourceOf: the disk behind a PersistentVolume', () => {
  test.each<[string, string, unknown]>([
    [
      'in-tree Compute Engine disk with every common field',
      'spec:\n  gcePersistentDisk:\n    pdName: d1\n    fsType: xfs\n    readOnly: true\n    partition: 2\n',
      {
        cloud: 'gce',
        inTree: true,
        key: 'gcePersistentDisk',
        field: 'spec.gcePersistentDisk',
        disk: 'd1',
        fsType: 'xfs',
        readOnly: true,
        partition: 2,
      },
    ],
    [
      'in-tree Compute Engine disk, bare',
      'spec:\n  gcePersistentDisk:\n    pdName: d1\n',
      {
        cloud: 'gce',
        inTree: true,
        key: 'gcePersistentDisk',
        field: 'spec.gcePersistentDisk',
        disk: 'd1',
      },
    ],
    [
      'in-tree EBS volume with its zone in the volume id',
      'spec:\n  awsElasticBlockStore:\n    volumeID: aws://us-east-1a/vol-0123456789abcdef0\n    fsType: ext4\n',
      {
        cloud: 'aws',
        inTree: true,
        key: 'awsElasticBlockStore',
        field: 'spec.awsElasticBlockStore',
        disk: 'vol-0123456789abcdef0',
        zone: 'us-east-1a',
        fsType: 'ext4',
      },
    ],
    [
      'in-tree EBS volume, plain id',
      'spec:\n  awsElasticBlockStore:\n    volumeID: vol-0abc\n',
      {
        cloud: 'aws',
        inTree: true,
        key: 'awsElasticBlockStore',
        field: 'spec.awsElasticBlockStore',
        disk: 'vol-0abc',
      },
    ],
    [
      'in-tree EBS volume, aws:/// with no zone',
      'spec:\n  awsElasticBlockStore:\n    volumeID: aws:///vol-0abc\n',
      {
        cloud: 'aws',
        inTree: true,
        key: 'awsElasticBlockStore',
        field: 'spec.awsElasticBlockStore',
        disk: 'vol-0abc',
      },
    ],
    [
      'in-tree EBS id that is no aws:// URL: taken whole',
      'spec:\n  awsElasticBlockStore:\n    volumeID: xaws://us-east-1a/vol-0abc\n',
      {
        cloud: 'aws',
        inTree: true,
        key: 'awsElasticBlockStore',
        field: 'spec.awsElasticBlockStore',
        disk: 'xaws://us-east-1a/vol-0abc',
      },
    ],
    [
      'in-tree EBS id with more after the volume: taken whole',
      'spec:\n  awsElasticBlockStore:\n    volumeID: aws://us-east-1a/vol-0abcz\n',
      {
        cloud: 'aws',
        inTree: true,
        key: 'awsElasticBlockStore',
        field: 'spec.awsElasticBlockStore',
        disk: 'aws://us-east-1a/vol-0abcz',
      },
    ],
    [
      'PD CSI, zonal handle',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/p1/zones/us-central1-c/disks/d2\n    readOnly: true\n',
      {
        cloud: 'gce',
        inTree: false,
        key: 'csi',
        field: 'spec.csi',
        disk: 'd2',
        project: 'p1',
        zone: 'us-central1-c',
        readOnly: true,
      },
    ],
    [
      'PD CSI, regional handle with an unspecified project',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/UNSPECIFIED/regions/us-central1/disks/d3\n    fsType: ext4\n',
      {
        cloud: 'gce',
        inTree: false,
        key: 'csi',
        field: 'spec.csi',
        disk: 'd3',
        region: 'us-central1',
        fsType: 'ext4',
      },
    ],
    [
      'EBS CSI',
      'spec:\n  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-0123\n    fsType: xfs\n',
      {
        cloud: 'aws',
        inTree: false,
        key: 'csi',
        field: 'spec.csi',
        disk: 'vol-0123',
        fsType: 'xfs',
      },
    ],
  ])('%s', (_name, spec, expected) => {
    expect(source(pv(spec))).toEqual(expected);
  });

  test.each([
    ['no spec', ''],
    ['an NFS volume', 'spec:\n  nfs:\n    server: s\n    path: /x\n'],
    ['a Compute Engine disk with no name', 'spec:\n  gcePersistentDisk:\n    fsType: ext4\n'],
    ['an EBS volume with no id', 'spec:\n  awsElasticBlockStore:\n    fsType: ext4\n'],
    ['a CSI volume with no handle', 'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n'],
    ['an EBS CSI volume with no handle', 'spec:\n  csi:\n    driver: ebs.csi.aws.com\n'],
    [
      'another CSI driver',
      'spec:\n  csi:\n    driver: filestore.csi.storage.gke.io\n    volumeHandle: modeInstance/z/n/s\n',
    ],
    [
      'a PD handle of another shape',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: d2\n',
    ],
    [
      'a PD handle with more before it',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: x/projects/p/zones/z/disks/d\n',
    ],
    [
      'a PD handle with more after it',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/p/zones/z/disks/d/x\n',
    ],
    [
      'a PD handle with an empty part',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects//zones/z/disks/d\n',
    ],
    [
      'a PD handle of another collection',
      'spec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/p/global/z/disks/d\n',
    ],
  ])('%s: no disk', (_name, spec) => {
    expect(diskSourceOf(pv(spec))).toBeUndefined();
  });

  test('the common fields only when they say something: no readOnly unless true, a positive partition', () => {
    const base = 'spec:\n  gcePersistentDisk:\n    pdName: d\n';
    expect(source(pv(`${base}    readOnly: false\n    partition: 0\n`))).toEqual({
      cloud: 'gce',
      inTree: true,
      key: 'gcePersistentDisk',
      field: 'spec.gcePersistentDisk',
      disk: 'd',
    });
    expect(source(pv(`${base}    readOnly: "true"\n    partition: "1"\n`))).not.toHaveProperty(
      'readOnly',
    );
    expect(source(pv(`${base}    partition: "1"\n`))).not.toHaveProperty('partition');
    expect(source(pv(`${base}    partition: -1\n`))).not.toHaveProperty('partition');
    expect(source(pv(`${base}    partition: 1\n`))).toHaveProperty('partition', 1);
    expect(source(pv(`${base}    fsType: ""\n`))).not.toHaveProperty('fsType');
  });

  test.each([
    ['spec: [x]\n', 'spec'],
    ['spec:\n  gcePersistentDisk: x\n', 'spec.gcePersistentDisk'],
    ['spec:\n  gcePersistentDisk:\n    pdName: 3\n', 'spec.gcePersistentDisk.pdName'],
    [
      'spec:\n  gcePersistentDisk:\n    pdName: d\n    fsType: [x]\n',
      'spec.gcePersistentDisk.fsType',
    ],
    [
      'spec:\n  gcePersistentDisk:\n    pdName: d\n    readOnly: [x]\n',
      'spec.gcePersistentDisk.readOnly',
    ],
    [
      'spec:\n  gcePersistentDisk:\n    pdName: d\n    partition: {a: 1}\n',
      'spec.gcePersistentDisk.partition',
    ],
    ['spec:\n  awsElasticBlockStore: x\n', 'spec.awsElasticBlockStore'],
    ['spec:\n  awsElasticBlockStore:\n    volumeID: 3\n', 'spec.awsElasticBlockStore.volumeID'],
    ['spec:\n  csi: x\n', 'spec.csi'],
    ['spec:\n  csi:\n    driver: 3\n    volumeHandle: h\n', 'spec.csi.driver'],
    ['spec:\n  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: 3\n', 'spec.csi.volumeHandle'],
  ])('a mistyped field is a located error: %j', (spec, field) => {
    expect(() => diskSourceOf(pv(spec))).toThrow(expect.objectContaining({ field }));
  });
});

describe('pinningOf: the zones and regions a volume is pinned to', () => {
  const affinity = (expressions: string) =>
    `spec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n${expressions}`;
  const view = (resource: Resource) => {
    const p = pinningOf(resource);
    for (const placement of [...p.zones, ...p.regions]) expect(placement.node).toBeDefined();
    return {
      zones: p.zones.map((z) => [z.value, z.field]),
      regions: p.regions.map((r) => [r.value, r.field]),
    };
  };
  const VALUES = 'spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions';

  test('every zone key and region key, In only, string values only', () => {
    const resource = pv(
      affinity(
        [
          '        - {key: topology.kubernetes.io/zone, operator: In, values: [z1, 7, {a: b}]}',
          '        - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [z2]}',
          '        - {key: topology.gke.io/zone, operator: In, values: [z3]}',
          '        - {key: topology.ebs.csi.aws.com/zone, operator: In, values: [z4]}',
          '        - {key: topology.kubernetes.io/region, operator: In, values: [r1]}',
          '        - {key: failure-domain.beta.kubernetes.io/region, operator: In, values: [r2]}',
          '        - {key: topology.kubernetes.io/zone, operator: NotIn, values: [no1]}',
          '        - {key: kubernetes.io/hostname, operator: In, values: [node-1]}',
          '        - {operator: In, values: [no-key]}',
          '        - {key: topology.kubernetes.io/zone, operator: In}',
          '        - {key: topology.kubernetes.io/zone, values: [no-operator]}',
          '',
        ].join('\n'),
      ),
    );
    expect(view(resource)).toEqual({
      zones: [
        ['z1', `${VALUES}[0].values`],
        ['z2', `${VALUES}[1].values`],
        ['z3', `${VALUES}[2].values`],
        ['z4', `${VALUES}[3].values`],
      ],
      regions: [
        ['r1', `${VALUES}[4].values`],
        ['r2', `${VALUES}[5].values`],
      ],
    });
  });

  test('terms after the first, and labels: each zone label and region label, multi-zone split on __', () => {
    const resource = pv(
      `${affinity('        - {key: topology.kubernetes.io/zone, operator: In, values: [a1]}\n')}      - matchExpressions:\n        - {key: topology.kubernetes.io/region, operator: In, values: [ra]}\n`,
      [
        '  labels:',
        '    topology.kubernetes.io/zone: l1__l2',
        '    failure-domain.beta.kubernetes.io/zone: l3',
        '    topology.kubernetes.io/region: lr1',
        '    failure-domain.beta.kubernetes.io/region: lr2',
        '    topology.gke.io/zone: 5',
        '    app: web',
        '',
      ].join('\n'),
    );
    const T = 'spec.nodeAffinity.required.nodeSelectorTerms';
    expect(view(resource)).toEqual({
      zones: [
        ['a1', `${T}[0].matchExpressions[0].values`],
        ['l1', 'metadata.labels["topology.kubernetes.io/zone"]'],
        ['l2', 'metadata.labels["topology.kubernetes.io/zone"]'],
        ['l3', 'metadata.labels["failure-domain.beta.kubernetes.io/zone"]'],
      ],
      regions: [
        ['ra', `${T}[1].matchExpressions[0].values`],
        ['lr1', 'metadata.labels["topology.kubernetes.io/region"]'],
        ['lr2', 'metadata.labels["failure-domain.beta.kubernetes.io/region"]'],
      ],
    });
  });

  test.each([
    ['nothing', 'spec:\n  capacity: {storage: 1Gi}\n', ''],
    ['no spec', '', ''],
    ['an affinity with no required', 'spec:\n  nodeAffinity: {}\n', ''],
    ['required with no terms', 'spec:\n  nodeAffinity:\n    required: {}\n', ''],
    [
      'a term with no expressions',
      'spec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - {}\n',
      '',
    ],
    ['labels with no zone', '', '  labels:\n    app: web\n'],
  ])('%s: no pin', (_name, spec, metadata) => {
    expect(view(pv(spec, metadata))).toEqual({ zones: [], regions: [] });
  });

  test.each([
    ['spec:\n  nodeAffinity: [x]\n', '', 'spec.nodeAffinity'],
    ['spec:\n  nodeAffinity:\n    required: [x]\n', '', 'spec.nodeAffinity.required'],
    [
      'spec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms: {}\n',
      '',
      'spec.nodeAffinity.required.nodeSelectorTerms',
    ],
    [
      'spec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms: [x]\n',
      '',
      'spec.nodeAffinity.required.nodeSelectorTerms[0]',
    ],
    [affinity('        - {key: [x], operator: In}\n'), '', `${VALUES}[0].key`],
    [affinity('        - {key: k, operator: [In]}\n'), '', `${VALUES}[0].operator`],
    [
      affinity('        - {key: topology.kubernetes.io/zone, operator: In, values: z}\n'),
      '',
      `${VALUES}[0].values`,
    ],
    [affinity('        - x\n'), '', `${VALUES}[0]`],
    [
      'spec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions: {}\n',
      '',
      VALUES,
    ],
    ['', '  labels: [x]\n', 'metadata.labels'],
    ['spec: [x]\n', '', 'spec'],
  ])('a mistyped field is a located error: %j', (spec, metadata, field) => {
    expect(() => pinningOf(pv(spec, metadata))).toThrow(expect.objectContaining({ field }));
  });
});

describe('zones, regions, clouds and the CSI form', () => {
  test.each([
    ['us-central1-a', 'us-central1'],
    ['europe-west10-b', 'europe-west10'],
    ['northamerica-northeast1-c', 'northamerica-northeast1'],
    ['us-central1-ab', 'us-central1-ab'],
    ['us-east-1a', 'us-east-1'],
    ['ap-southeast-12b', 'ap-southeast-12'],
    ['us-gov-west-1a', 'us-gov-west-1'],
    ['us-east-1ab', 'us-east-1ab'],
    ['x-1-a', 'x-1-a'],
    ['central1-a', 'central1-a'],
    ['local', 'local'],
    // A line break is no zone: nothing before it is taken for one.
    ['x\nus-central1-a', 'x\nus-central1-a'],
    ['x\nus-east-1a', 'x\nus-east-1a'],
  ])('regionOfZone(%j) is %j', (zone, region) => {
    expect(regionOfZone(zone)).toBe(region);
  });

  test.each([
    ['gke', 'gce'],
    ['gke-autopilot', 'gce'],
    ['eks', 'aws'],
    ['anthos-aws', 'aws'],
    ['generic', undefined],
    [undefined, undefined],
  ])('cloudOf(%s) is %s', (platform, cloud) => {
    expect(cloudOf(platform)).toBe(cloud);
  });

  test('zoneKeyOf: the PD driver reports topology.gke.io/zone; EBS takes the well-known label', () => {
    expect(zoneKeyOf('gce')).toBe('topology.gke.io/zone');
    expect(zoneKeyOf('aws')).toBe('topology.kubernetes.io/zone');
  });

  test.each<[string, Parameters<typeof csiSource>, Record<string, unknown>]>([
    [
      'a Compute Engine disk with its project and zone',
      ['gce', { disk: 'd', project: 'p', zone: 'z' }, {}],
      {
        driver: 'pd.csi.storage.gke.io',
        volumeHandle: 'projects/p/zones/z/disks/d',
        fsType: 'ext4',
      },
    ],
    [
      'neither known: UNSPECIFIED, as csi-translation-lib writes',
      ['gce', { disk: 'd' }, { fsType: 'xfs', readOnly: true, partition: 3 }],
      {
        driver: 'pd.csi.storage.gke.io',
        volumeHandle: 'projects/UNSPECIFIED/zones/UNSPECIFIED/disks/d',
        fsType: 'xfs',
        readOnly: true,
        volumeAttributes: { partition: '3' },
      },
    ],
    [
      'an EBS volume: the handle is its id',
      ['aws', { disk: 'vol-1', project: 'p', zone: 'z' }, { readOnly: false, partition: 0 }],
      { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1', fsType: 'ext4' },
    ],
  ])('csiSource: %s', (_name, args, csi) => {
    expect(csiSource(...args)).toStrictEqual(csi);
  });

  test('distinct keeps the first of each, in order', () => {
    expect(distinct(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
    expect(distinct([])).toEqual([]);
  });
});

describe('pinningOf: metadata that is no map', () => {
  test('is a located error naming metadata', () => {
    const [resource] = new StreamResourceSet([
      parseDocumentStream(
        'apiVersion: v1\nkind: PersistentVolume\nmetadata: [x]\nspec: {}\n',
        'pv.yaml',
      ),
    ]).resources;
    expect(() => pinningOf(resource)).toThrow(expect.objectContaining({ field: 'metadata' }));
  });
});
