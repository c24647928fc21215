import { parseAllDocuments } from 'yaml';
import type { Result } from '../../src/krm/results';
import { findFunction } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';
import { runText } from '../support/run';

/**
 * port-data-volumes as a platform engineer reads its contract (functions/port-data-volumes/
 * README.md): which resources it touches, what each mode writes on the volume and its claim,
 * and each result with its exact message, resource, field and line. Inputs are small specs
 * in the shape migctl dumps; every expectation is written out here, not recorded.
 */

function run(cfg: Record<string, unknown>, text: string) {
  const { output, ok, results } = runText(
    'port-data-volumes',
    {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'PortDataVolumes',
      metadata: { name: 'd' },
      ...cfg,
    },
    text,
  );
  return { output, ok, results: results.map(show) };
}

/** `severity Kind/name field :line: message`, the parts of a result an engineer acts on. */
function show(r: Result): string {
  const field = r.field ? ` ${r.field.path}` : '';
  const line = r.tags?.line ? ` :${r.tags.line}` : '';
  return `${r.severity} ${r.resourceRef?.kind}/${r.resourceRef?.name}${field}${line}: ${r.message}`;
}

function docs(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

const specOf = (doc: Record<string, unknown>) => doc.spec as Record<string, unknown>;

/** A Compute Engine disk in the in-tree form, pinned to `zone` when given. */
function gcePv(name: string, disk: string, zone?: string, extra = ''): string {
  const pin = zone
    ? `  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: topology.kubernetes.io/zone\n          operator: In\n          values:\n          - ${zone}\n`
    : '';
  return `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${name}\nspec:\n  gcePersistentDisk:\n    pdName: ${disk}\n${pin}${extra}`;
}

function claim(name: string, spec: string, namespace?: string): string {
  const ns = namespace ? `  namespace: ${namespace}\n` : '';
  return `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\n${ns}${spec}`;
}

const join = (...parts: string[]) => parts.join('---\n');

const GKE = { platform: 'gke', project: 'dst-project', zone: 'us-east1-b' };
const CSI_GKE = (project: string, zone: string, disk: string) =>
  `projects/${project}/zones/${zone}/disks/${disk}`;
const GKE_AFFINITY = (zone: string) => ({
  required: {
    nodeSelectorTerms: [
      { matchExpressions: [{ key: 'topology.gke.io/zone', operator: 'In', values: [zone] }] },
    ],
  },
});
const AWS_AFFINITY = (zone: string) => ({
  required: {
    nodeSelectorTerms: [
      {
        matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }],
      },
    ],
  },
});

describe('which resources are the package storage', () => {
  test('only v1 PersistentVolumes and claims that are deployed; other kinds and local-config stay as they are', () => {
    const input = join(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  resourceVersion: "9"\n',
      'apiVersion: storage.example.com/v1\nkind: PersistentVolume\nmetadata:\n  name: other-api\n  resourceVersion: "9"\nspec:\n  gcePersistentDisk:\n    pdName: data\n',
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: local\n  resourceVersion: "9"\n  annotations:\n    config.kubernetes.io/local-config: "true"\nspec:\n  gcePersistentDisk:\n    pdName: data\n',
      'apiVersion: storage.example.com/v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: other-api\n  resourceVersion: "9"\nspec:\n  volumeName: other-api\n',
    );
    for (const mode of ['attach', 'provision']) {
      const { output, ok, results } = run({ ...GKE, mode }, input);
      expect({ ok, results }).toEqual({ ok: true, results: [] });
      expect(output).toBe(input);
    }
  });

  test('a resource with mistyped metadata is one error and is not ported', () => {
    const input = join(
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\n  namespace: [app]\n  resourceVersion: "9"\nspec:\n  gcePersistentDisk:\n    pdName: data\n',
      claim('data', 'spec:\n  volumeName: data-pv\n  storageClassName: ""\n', undefined).replace(
        'name: data\n',
        'name: data\n  labels: 5\n',
      ),
    );
    for (const mode of ['attach', 'provision']) {
      const { ok, results } = run({ ...GKE, mode }, input);
      expect(ok).toBe(false);
      expect(results).toEqual([
        'error PersistentVolume/data-pv metadata.namespace :5: expected a string, found a list',
        'error PersistentVolumeClaim/data metadata.labels :15: expected a map, found number',
      ]);
    }
  });
});

describe('provision mode', () => {
  test('a claim bound only by the volume claimRef is found among other claims, and keeps another class with a warning', () => {
    const input = join(
      claim('other', ''),
      gcePv('data-pv', 'data', undefined, '  claimRef:\n    name: data\n    namespace: app\n'),
      claim('data', 'spec:\n  storageClassName: standard\n', 'app'),
    );
    const { output, ok, results } = run({ platform: 'gke', mode: 'provision' }, input);
    expect(ok).toBe(true);
    expect(results).toEqual([
      'warning PersistentVolumeClaim/data spec.storageClassName :23: keeps storageClassName standard from the processing cluster; set storageClassName if the target has no such class',
      "info PersistentVolume/data-pv :6: dropped: claim data provisions a new, empty volume; restore the data of the processing cluster's volume (disk data) into it before the workload uses it",
    ]);
    expect(output).toBe(
      join(claim('other', ''), claim('data', 'spec:\n  storageClassName: standard\n', 'app')),
    );
  });

  test('every claim of a volume is named, a volume with no disk source is dropped all the same, an unbound volume is left with a warning', () => {
    const nfs =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: shared-pv\nspec:\n  nfs:\n    server: nfs.example.com\n    path: /exports\n  claimRef:\n    name: bare\n';
    const input = join(
      nfs,
      claim('a', 'spec:\n  volumeName: shared-pv\n'),
      claim('bare', ''),
      gcePv('loose-pv', 'loose'),
    );
    const { output, ok, results } = run(
      { platform: 'gke', mode: 'provision', storageClassName: 'fast' },
      input,
    );
    expect(ok).toBe(true);
    expect(results).toEqual([
      "info PersistentVolume/shared-pv :1: dropped: claim a, bare provisions a new, empty volume; restore the data of the processing cluster's volume into it before the workload uses it",
      'warning PersistentVolume/loose-pv :24: no claim of the package binds this PersistentVolume: left as it is (provision mode drops only the volumes of the claims it unpins)',
    ]);
    // The dropped first document leaves its separator: the stream still reads the same.
    expect(output).toBe(
      '---\n' +
        join(
          claim('a', 'spec:\n  storageClassName: fast\n'),
          claim('bare', ''),
          gcePv('loose-pv', 'loose'),
        ),
    );
  });

  test('a claim bound by claimRef alone, with nothing to change, stays byte for byte', () => {
    const data = claim(
      'data',
      'spec:\n  storageClassName:    standard   # the old class\n  resources: { requests: { storage: 8Gi } }\n',
    );
    const input = join(gcePv('data-pv', 'data', undefined, '  claimRef:\n    name: data\n'), data);
    const { output, results } = run({ platform: 'gke', mode: 'provision' }, input);
    expect(results).toHaveLength(2);
    expect(output).toBe(`---\n${data}`);
    // Nor is it counted as changed in the summary the CLI prints.
    const outcome = transformFiles(
      findFunction('port-data-volumes')!,
      {
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'PortDataVolumes',
        metadata: { name: 'd' },
        platform: 'gke',
        mode: 'provision',
      },
      'config.yaml',
      [{ path: 'in.yaml', outputName: 'in.yaml', text: input }],
    );
    expect(outcome.summary).toEqual({ changed: 0, created: 0, unchanged: 1 });
  });

  test('a claim with no class and no configured class is only unpinned', () => {
    const input = join(
      gcePv('data-pv', 'data'),
      claim('data', 'spec:\n  volumeName: data-pv\n  resources: {}\n'),
    );
    const { output, results } = run({ platform: 'eks', mode: 'provision' }, input);
    expect(results).toEqual([
      "info PersistentVolume/data-pv :1: dropped: claim data provisions a new, empty volume; restore the data of the processing cluster's volume (disk data) into it before the workload uses it",
    ]);
    expect(output).toBe('---\n' + claim('data', 'spec:\n  resources: {}\n'));
  });

  test('mistyped fields of a bound claim are located errors', () => {
    const input = join(
      gcePv('a-pv', 'a', undefined, '  claimRef:\n    name: a\n'),
      claim('a', 'spec: 5\n'),
      gcePv('b-pv', 'b', undefined, '  claimRef:\n    name: b\n'),
      claim('b', 'spec:\n  storageClassName: 5\n'),
    );
    const { ok, results } = run({ platform: 'gke', mode: 'provision' }, input);
    expect(ok).toBe(false);
    expect(results).toEqual([
      'error PersistentVolumeClaim/a spec :15: expected a map, found number',
      "info PersistentVolume/a-pv :1: dropped: claim a provisions a new, empty volume; restore the data of the processing cluster's volume (disk a) into it before the workload uses it",
      'error PersistentVolumeClaim/b spec.storageClassName :32: expected a string, found number',
      "info PersistentVolume/b-pv :17: dropped: claim b provisions a new, empty volume; restore the data of the processing cluster's volume (disk b) into it before the workload uses it",
    ]);
  });
});

describe('attach mode: what is ported', () => {
  test('a volume with no Compute Engine or EBS disk is left alone; a configured class goes on the claims bound by name only', () => {
    const nfs =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: nfs-pv\nspec:\n  nfs:\n    server: nfs.example.com\n    path: /exports\n';
    const input = join(
      nfs,
      claim('nfs', 'spec:\n  storageClassName: ""\n  volumeName: nfs-pv\n'),
      claim('dyn', 'spec:\n  storageClassName: fast\n'),
      claim('nospec', ''),
    );
    const { output, ok, results } = run({ ...GKE, storageClassName: 'standard-rwo' }, input);
    expect({ ok, results }).toEqual({ ok: true, results: [] });
    // The new value keeps the old one's quoting.
    expect(output).toBe(input.replace('storageClassName: ""', 'storageClassName: "standard-rwo"'));
  });

  test('a configured class on a claim whose spec or class is mistyped is a located error', () => {
    const input = join(
      claim('a', 'spec:\n  storageClassName: [x]\n  volumeName: a-pv\n'),
      claim('b', 'spec: 5\n'),
    );
    const { ok, results } = run({ ...GKE, storageClassName: 'standard-rwo' }, input);
    expect(ok).toBe(false);
    expect(results).toEqual([
      'error PersistentVolumeClaim/b spec :13: expected a map, found number',
      'error PersistentVolumeClaim/a spec.storageClassName :6: expected a string, found a list',
    ]);
  });

  test('several volumes, each on its own disk: no disk to share, no error', () => {
    const input = join(gcePv('a-pv', 'a', 'us-east1-b'), gcePv('b-pv', 'b', 'us-east1-b'));
    for (const extra of [
      {},
      { disk: 'shared', volumes: { 'a-pv': { disk: 'a' }, 'b-pv': { disk: 'b' } } },
    ]) {
      const { output, ok, results } = run(
        { ...GKE, sourceProject: 'dst-project', ...extra },
        input,
      );
      expect(ok).toBe(true);
      expect(results).toEqual([
        'info PersistentVolume/a-pv :1: nothing is copied: the target attaches disk a itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first',
        'info PersistentVolume/b-pv :17: nothing is copied: the target attaches disk b itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first',
      ]);
      expect(docs(output).map((d) => specOf(d).csi)).toEqual([
        {
          driver: 'pd.csi.storage.gke.io',
          volumeHandle: CSI_GKE('dst-project', 'us-east1-b', 'a'),
          fsType: 'ext4',
        },
        {
          driver: 'pd.csi.storage.gke.io',
          volumeHandle: CSI_GKE('dst-project', 'us-east1-b', 'b'),
          fsType: 'ext4',
        },
      ]);
    }
  });

  test('a regional persistent disk is an error on its handle, left as it is', () => {
    const input =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/src-project/regions/us-central1/disks/data\n';
    const { output, ok, results } = run(GKE, input);
    expect(ok).toBe(false);
    expect(results).toEqual([
      'error PersistentVolume/data-pv spec.csi.volumeHandle :1: regional persistent disk data (region us-central1): port-data-volumes rewrites zonal disks only',
    ]);
    expect(output).toBe(input);
  });

  test('an EBS CSI volume moved to GKE gets the PD CSI source, not just a new handle', () => {
    const input = join(
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  capacity:\n    storage: 8Gi\n  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-0123456789abcdef0\n    fsType: xfs\n  storageClassName: gp2\n',
      claim('data', 'spec:\n  volumeName: data-pv\n'),
    );
    const { output, ok, results } = run(
      { ...GKE, volumes: { 'data-pv': { disk: 'data-copy' } } },
      input,
    );
    expect(ok).toBe(true);
    expect(results).toEqual([
      'info PersistentVolume/data-pv :1: the data of EBS volume vol-0123456789abcdef0 has to be copied to a Compute Engine disk (no direct path: copy the files); then set volumes.data-pv.disk',
    ]);
    // The claim names no class: the volume keeps its own.
    expect(specOf(docs(output)[0])).toEqual({
      capacity: { storage: '8Gi' },
      csi: {
        driver: 'pd.csi.storage.gke.io',
        volumeHandle: CSI_GKE('dst-project', 'us-east1-b', 'data-copy'),
        fsType: 'xfs',
      },
      storageClassName: 'gp2',
      nodeAffinity: GKE_AFFINITY('us-east1-b'),
    });
  });

  test('the source keeps its place among the keys of spec, first or not', () => {
    const input =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  gcePersistentDisk:\n    pdName: data\n  capacity:\n    storage: 8Gi\n';
    const { output } = run({ ...GKE, sourceProject: 'dst-project' }, input);
    expect(output).toBe(
      `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/dst-project/zones/us-east1-b/disks/data\n    fsType: ext4\n  capacity:\n    storage: 8Gi\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: topology.gke.io/zone\n          operator: In\n          values:\n          - us-east1-b\n`,
    );
  });

  test('a nodeAffinity that already pins the target zone stays byte for byte, comments and flow style with it', () => {
    const input =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  nodeAffinity: # pinned by hand\n    required: {nodeSelectorTerms: [{matchExpressions: [{key: topology.gke.io/zone, operator: In, values: [us-east1-b]}]}]}\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/dst-project/zones/us-east1-b/disks/data\n    fsType: ext4\n';
    const { output, ok, results } = run(GKE, input);
    expect(ok).toBe(true);
    expect(results).toEqual([
      'info PersistentVolume/data-pv :1: nothing is copied: the target attaches disk data itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first',
    ]);
    expect(output).toBe(input);
  });

  test('a nodeAffinity that pins another zone is replaced in its place', () => {
    const input =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: topology.gke.io/zone, operator: In, values: [us-central1-c]}]}]}}\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/dst-project/zones/us-east1-b/disks/data\n    fsType: ext4\n';
    const { output } = run(GKE, input);
    expect(Object.keys(specOf(docs(output)[0]))).toEqual(['nodeAffinity', 'csi']);
    expect(specOf(docs(output)[0]).nodeAffinity).toEqual(GKE_AFFINITY('us-east1-b'));
  });

  test('zone and region labels of old in-tree volumes name the target', () => {
    const labels =
      '  labels:\n    failure-domain.beta.kubernetes.io/zone: us-east-1a\n    failure-domain.beta.kubernetes.io/region: us-east-1\n    topology.ebs.csi.aws.com/zone: us-east-1a\n    app: ledger\n';
    const input = `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\n${labels}spec:\n  awsElasticBlockStore:\n    volumeID: vol-0123456789abcdef0\n`;
    const { output, ok } = run({ platform: 'eks', zone: 'eu-west-1b' }, input);
    expect(ok).toBe(true);
    expect((docs(output)[0].metadata as Record<string, unknown>).labels).toEqual({
      'failure-domain.beta.kubernetes.io/zone': 'eu-west-1b',
      'failure-domain.beta.kubernetes.io/region': 'eu-west-1',
      'topology.ebs.csi.aws.com/zone': 'eu-west-1b',
      app: 'ledger',
    });
    expect(specOf(docs(output)[0]).nodeAffinity).toEqual(AWS_AFFINITY('eu-west-1b'));
  });

  test('a zone or region label that is not a string is a located error', () => {
    const pv = (name: string, label: string) =>
      `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${name}\n  labels:\n    ${label}: [x]\nspec:\n  gcePersistentDisk:\n    pdName: data\n`;
    const input = join(
      pv('a-pv', 'topology.kubernetes.io/zone'),
      pv('b-pv', 'failure-domain.beta.kubernetes.io/region'),
    );
    const { ok, results } = run(
      {
        ...GKE,
        sourceProject: 'dst-project',
        volumes: { 'a-pv': { disk: 'a' }, 'b-pv': { disk: 'b' } },
      },
      input,
    );
    expect(ok).toBe(false);
    expect(results.filter((r) => r.startsWith('error'))).toEqual([
      'error PersistentVolume/a-pv metadata.labels["topology.kubernetes.io/zone"] :6: expected a string, found a list',
      'error PersistentVolume/b-pv metadata.labels["failure-domain.beta.kubernetes.io/region"] :16: expected a string, found a list',
    ]);
  });
});

describe('attach mode: the claimRef and the class the binder compares', () => {
  const pv = (claimRef: string, extra = '') =>
    gcePv('data-pv', 'data', 'us-east1-b', `${extra}  claimRef:\n${claimRef}`);
  const cfg = { ...GKE, sourceProject: 'dst-project' };
  const nothing =
    'info PersistentVolume/data-pv :1: nothing is copied: the target attaches disk data itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first';

  test.each([
    ['names the claim as deployed: kept', '    name: data\n', undefined, { name: 'data' }],
    [
      'names it in its namespace: kept',
      '    name: data\n    namespace: app\n',
      'app',
      { name: 'data', namespace: 'app' },
    ],
    [
      'another name: renamed',
      '    name: old\n    namespace: app\n',
      'app',
      { name: 'data', namespace: 'app' },
    ],
    [
      'another namespace: moved',
      '    name: data\n    namespace: v2k-system\n',
      'app',
      { name: 'data', namespace: 'app' },
    ],
    [
      'no namespace, the claim has one: given it',
      '    name: data\n',
      'app',
      { name: 'data', namespace: 'app' },
    ],
  ])('a claimRef that %s', (_, ref, namespace, expected) => {
    const input = join(pv(ref), claim('data', 'spec:\n  volumeName: data-pv\n', namespace));
    const { output, ok, results } = run(cfg, input);
    expect({ ok, results }).toEqual({ ok: true, results: [nothing] });
    expect(specOf(docs(output)[0]).claimRef).toEqual(expected);
  });

  test.each([
    ['    name: old\n', '/old'],
    ['    namespace: v2k-system\n', 'v2k-system/'],
    ['    name: data\n    namespace: v2k-system\n', 'v2k-system/data'],
  ])('a claimRef (%j) to a claim that names no namespace is removed', (ref, was) => {
    const input = join(pv(ref), claim('data', 'spec:\n  volumeName: data-pv\n'));
    const { output, ok, results } = run(cfg, input);
    expect(ok).toBe(true);
    expect(results).toEqual([
      nothing,
      `info PersistentVolume/data-pv :1: removed spec.claimRef (${was} on the processing cluster): claim data names no namespace, so its volumeName binds the pair`,
    ]);
    expect(specOf(docs(output)[0]).claimRef).toBeUndefined();
  });

  test('a claimRef to a claim that is not in the package is kept as it is', () => {
    const input = pv('    name: gone\n    namespace: v2k-system\n');
    const { output, ok, results } = run(cfg, input);
    expect({ ok, results }).toEqual({ ok: true, results: [nothing] });
    expect(specOf(docs(output)[0]).claimRef).toEqual({ name: 'gone', namespace: 'v2k-system' });
  });

  test.each([
    ['claimRef: data', '  claimRef: data\n', 'spec.claimRef :16', 'a map, found string'],
    [
      'its name',
      '  claimRef:\n    name: [data]\n',
      'spec.claimRef.name :17',
      'a string, found a list',
    ],
    [
      'its namespace',
      '  claimRef:\n    name: data\n    namespace: {app: x}\n',
      'spec.claimRef.namespace :18',
      'a string, found a map',
    ],
  ])('a mistyped claimRef (%s) is a located error', (_, ref, where, what) => {
    const input = join(
      gcePv('data-pv', 'data', 'us-east1-b', ref),
      claim('data', 'spec:\n  volumeName: data-pv\n'),
    );
    const { ok, results } = run(cfg, input);
    expect(ok).toBe(false);
    expect(results.filter((r) => r.startsWith('error'))).toEqual([
      `error PersistentVolume/data-pv ${where}: expected ${what}`,
    ]);
  });

  // [case, the claim's class as written, the volume's, config, then each one's class after]
  test.each<[string, string | undefined, string | undefined, object, string | undefined, string]>([
    [
      'the claim has none and none is configured: the volume keeps its own',
      undefined,
      'standard',
      {},
      undefined,
      'standard',
    ],
    ['the claim has one: the volume takes it', '""', 'standard', {}, '', ''],
    [
      'one is configured: both take it',
      '""',
      'standard',
      { storageClassName: 'premium-rwo' },
      'premium-rwo',
      'premium-rwo',
    ],
    ['the volume has none, the claim has one', 'fast', undefined, {}, 'fast', 'fast'],
  ])('storageClassName: %s', (_, claimClass, pvClass, extra, claimAfter, pvAfter) => {
    const input = join(
      gcePv('data-pv', 'data', 'us-east1-b', pvClass ? `  storageClassName: ${pvClass}\n` : ''),
      claim(
        'data',
        `spec:\n${claimClass !== undefined ? `  storageClassName: ${claimClass}\n` : ''}  volumeName: data-pv\n`,
      ),
    );
    const { output, ok } = run({ ...cfg, ...extra }, input);
    expect(ok).toBe(true);
    const [volume, bound] = docs(output);
    expect(specOf(volume).storageClassName).toBe(pvAfter);
    expect(specOf(bound).storageClassName).toBe(claimAfter);
  });

  test('the volume of a claim bound by its claimRef alone takes the claim class', () => {
    const input = join(
      claim('other', 'spec:\n  storageClassName: slow\n'),
      gcePv(
        'data-pv',
        'data',
        'us-east1-b',
        '  storageClassName: standard\n  claimRef:\n    name: data\n    namespace: app\n',
      ),
      claim('data', 'spec:\n  storageClassName: fast\n', 'app'),
    );
    const { output, ok } = run(cfg, input);
    expect(ok).toBe(true);
    expect(specOf(docs(output)[1]).storageClassName).toBe('fast');
  });

  test('a mistyped class on the volume, or on its claim, is a located error on that resource', () => {
    const input = join(
      gcePv('a-pv', 'a', 'us-east1-b', '  storageClassName: [x]\n'),
      claim('a', 'spec:\n  storageClassName: ""\n  volumeName: a-pv\n'),
      gcePv('b-pv', 'b', 'us-east1-b', '  claimRef:\n    name: b\n'),
      claim('b', 'spec: 5\n'),
      gcePv('c-pv', 'c', 'us-east1-b'),
      claim('c', 'spec:\n  storageClassName: [x]\n  volumeName: c-pv\n'),
    );
    const { ok, results } = run(cfg, input);
    expect(ok).toBe(false);
    expect(results.filter((r) => r.startsWith('error'))).toEqual([
      'error PersistentVolumeClaim/b spec :48: expected a map, found number',
      'error PersistentVolume/a-pv spec.storageClassName :16: expected a string, found a list',
      'error PersistentVolumeClaim/c spec.storageClassName :71: expected a string, found a list',
    ]);
  });
});

describe('attach mode: what a volume needs, and the EBS volume id', () => {
  const EBS_PV =
    'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  awsElasticBlockStore:\n    volumeID: aws://us-east-1a/vol-0123456789abcdef0\n';

  test('a disk of the other cloud with nothing configured names every field to set', () => {
    const toGke = run({ platform: 'gke' }, EBS_PV);
    expect(toGke.ok).toBe(false);
    expect(toGke.results).toEqual([
      'info PersistentVolume/data-pv :1: the data of EBS volume vol-0123456789abcdef0 has to be copied to a Compute Engine disk (no direct path: copy the files); then set volumes.data-pv.disk',
      'error PersistentVolume/data-pv spec.awsElasticBlockStore :7: cannot attach EBS volume vol-0123456789abcdef0 on gke: set volumes.data-pv.disk (the Compute Engine disk the data is copied to), zone (or volumes.data-pv.zone), project (or volumes.data-pv.project)',
    ]);
    expect(toGke.output).toBe(EBS_PV);
    const toEks = run({ platform: 'anthos-aws' }, gcePv('data-pv', 'data'));
    expect(toEks.results).toEqual([
      "info PersistentVolume/data-pv :1: the data of Compute Engine disk data has to be copied to an EBS volume (export the disk as an image, copy it to S3, import it as an EBS snapshot, create the volume); set sourceProject, the disk's zone in the volume's nodeAffinity (it names none), staging.gcsBucket, staging.s3Bucket for the commands",
      'error PersistentVolume/data-pv spec.gcePersistentDisk :7: cannot attach Compute Engine disk data on anthos-aws: set volumes.data-pv.disk (the EBS volume the data is copied to), zone (or volumes.data-pv.zone)',
    ]);
  });

  test('on GKE a volume with no project anywhere needs one; the zone alone is not enough', () => {
    const { ok, results } = run(
      { platform: 'gke-autopilot', zone: 'us-east1-b' },
      gcePv('data-pv', 'data', 'us-east1-b'),
    );
    expect(ok).toBe(false);
    expect(results).toEqual([
      'info PersistentVolume/data-pv :1: nothing is copied: the target attaches disk data itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first',
      'error PersistentVolume/data-pv spec.gcePersistentDisk :7: cannot attach Compute Engine disk data on gke-autopilot: set project (or volumes.data-pv.project)',
    ]);
  });

  test.each([
    [
      'a configured disk',
      { disk: 'my-disk', volumes: { 'other-pv': { zone: 'us-east-1b' } } },
      'disk',
      'my-disk',
    ],
    [
      'a disk of this volume',
      { volumes: { 'data-pv': { disk: 'my-disk' } } },
      'volumes.data-pv.disk',
      'my-disk',
    ],
    ['7 hex digits', { disk: 'vol-0123456' }, 'disk', 'vol-0123456'],
    ['18 hex digits', { disk: 'vol-0123456789abcdef01' }, 'disk', 'vol-0123456789abcdef01'],
    ['a prefix', { disk: 'xvol-01234567' }, 'disk', 'xvol-01234567'],
    ['a suffix', { disk: 'vol-01234567-copy' }, 'disk', 'vol-01234567-copy'],
  ])(
    'an EBS target that is no volume id (%s) is an error naming the field',
    (_, extra, field, disk) => {
      const { output, ok, results } = run({ platform: 'eks', ...extra }, EBS_PV);
      expect(ok).toBe(false);
      expect(results.filter((r) => r.startsWith('error'))).toEqual([
        `error PersistentVolume/data-pv :1: ${field} must be an EBS volume id (vol-…) on eks, not ${disk}`,
      ]);
      expect(output).toBe(EBS_PV);
    },
  );

  test('an EBS volume id with upper-case digits, from the volume itself, is no volume id', () => {
    const input =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-0123456789ABCDEF0\n';
    const { ok, results } = run({ platform: 'eks', zone: 'us-east-1a' }, input);
    expect(ok).toBe(false);
    expect(results).toEqual([
      'error PersistentVolume/data-pv :1: disk must be an EBS volume id (vol-…) on eks, not vol-0123456789ABCDEF0',
    ]);
  });

  test.each([
    ['8 hex digits', 'vol-01234567'],
    ['17 hex digits', 'vol-0123456789abcdef0'],
    ['every hex digit', 'vol-0123456789abcdef'],
  ])('an EBS volume id of %s is attached', (_, disk) => {
    const { output, ok, results } = run(
      { platform: 'eks', volumes: { 'data-pv': { disk } } },
      EBS_PV,
    );
    expect({ ok, results }).toEqual({ ok: true, results: [] });
    expect(specOf(docs(output)[0])).toEqual({
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: disk, fsType: 'ext4' },
      nodeAffinity: AWS_AFFINITY('us-east-1a'),
    });
  });
});

describe('attach mode: the copy commands, per move', () => {
  const csiPv = (project: string, zone: string) =>
    `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: ${CSI_GKE(project, zone, 'data')}\n`;
  const ebsPv = (volumeID: string) =>
    `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  awsElasticBlockStore:\n    volumeID: ${volumeID}\n`;
  const ebsCsiPv =
    'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data-pv\nspec:\n  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-0123456789abcdef0\n';
  const staging = { gcsBucket: 'export-bucket', s3Bucket: 'import-bucket' };
  const VOL = 'vol-0fedcba9876543210';
  const needGce = (what: string) =>
    `the data of disk data has to be copied; set ${what} for the commands`;
  const needAws = (what: string) =>
    `the data of Compute Engine disk data has to be copied to an EBS volume (export the disk as an image, copy it to S3, import it as an EBS snapshot, create the volume); set ${what} for the commands`;
  const ZONE_NONE = "the disk's zone in the volume's nodeAffinity (it names none)";
  const NOTHING =
    'nothing is copied: the target attaches disk data itself; a ReadWriteOnce disk attaches to one node at a time, so stop what still uses it on the processing cluster first';
  const gceCommands = (from: [string, string], to: [string, string, string]) =>
    [
      `copy the data of disk data (project ${from[0]}, zone ${from[1]}) to disk ${to[2]} (project ${to[0]}, zone ${to[1]}) before the workload starts:`,
      `gcloud compute snapshots create ${to[2]}-snapshot --project=${to[0]} --source-disk=https://www.googleapis.com/compute/v1/projects/${from[0]}/zones/${from[1]}/disks/data`,
      `gcloud compute disks create ${to[2]} --project=${to[0]} --zone=${to[1]} --source-snapshot=${to[2]}-snapshot`,
    ].join('\n');
  const awsImport = (zone?: string) =>
    [
      `copy the data of Compute Engine disk data to an EBS volume${zone ? ` in ${zone}` : ''}, then set volumes.data-pv.disk to its id:`,
      'gcloud compute images create data-image --project=src-project --source-disk=data --source-disk-zone=us-central1-c',
      'gcloud compute images export --project=src-project --image=data-image --export-format=vmdk --destination-uri=gs://export-bucket/data.vmdk',
      'gcloud storage cp gs://export-bucket/data.vmdk s3://import-bucket/data.vmdk',
      "aws ec2 import-snapshot '--description=retarget data-pv' '--disk-container=Format=VMDK,UserBucket={S3Bucket=import-bucket,S3Key=data.vmdk}'",
      '# when the import task completes (aws ec2 describe-import-snapshot-tasks), with its SnapshotId:',
      `aws ec2 create-volume --volume-type gp3 --availability-zone ${zone ?? 'ZONE'} --snapshot-id SNAPSHOT_ID`,
    ].join('\n');

  test.each<[string, Record<string, unknown>, string, string | undefined]>([
    // Compute Engine to Compute Engine
    [
      'GKE, another disk, nothing known of the source',
      { ...GKE, disk: 'copy' },
      gcePv('data-pv', 'data'),
      needGce(`sourceProject, ${ZONE_NONE}`),
    ],
    [
      'GKE, another disk, the source project known',
      { ...GKE, disk: 'copy', sourceProject: 'src-project' },
      gcePv('data-pv', 'data'),
      needGce(ZONE_NONE),
    ],
    [
      'GKE, another zone, the source project unknown',
      GKE,
      gcePv('data-pv', 'data', 'us-central1-c'),
      needGce('sourceProject'),
    ],
    [
      'GKE, the target project unknown',
      { platform: 'gke', zone: 'us-east1-b', sourceProject: 'src-project' },
      gcePv('data-pv', 'data', 'us-central1-c'),
      needGce('project'),
    ],
    [
      'GKE, same zone, the source project unknown',
      { platform: 'gke', project: 'dst-project' },
      gcePv('data-pv', 'data', 'us-east1-b'),
      'the volume does not name the project of disk data: if it is not dst-project, set sourceProject (or volumes.data-pv.sourceProject) for the commands that copy it',
    ],
    [
      'GKE, a zone given, the source names none',
      { ...GKE, sourceProject: 'dst-project' },
      gcePv('data-pv', 'data'),
      NOTHING,
    ],
    [
      'GKE, the source project given, the target project not',
      { platform: 'gke', sourceProject: 'src-project' },
      gcePv('data-pv', 'data', 'us-east1-b'),
      NOTHING,
    ],
    [
      'GKE, another disk only',
      { ...GKE, sourceProject: 'dst-project', disk: 'copy' },
      gcePv('data-pv', 'data', 'us-east1-b'),
      gceCommands(['dst-project', 'us-east1-b'], ['dst-project', 'us-east1-b', 'copy']),
    ],
    [
      'GKE, another project only',
      { platform: 'gke', project: 'dst-project' },
      csiPv('src-project', 'us-east1-b'),
      gceCommands(['src-project', 'us-east1-b'], ['dst-project', 'us-east1-b', 'data']),
    ],
    [
      'GKE, another zone only',
      { platform: 'gke', zone: 'us-east1-b' },
      csiPv('src-project', 'us-central1-c'),
      gceCommands(['src-project', 'us-central1-c'], ['src-project', 'us-east1-b', 'data']),
    ],
    // Compute Engine to EBS
    [
      'EKS, every command, no zone yet',
      { platform: 'eks', sourceProject: 'src-project', staging },
      gcePv('data-pv', 'data', 'us-central1-c'),
      awsImport(),
    ],
    [
      'EKS, every command, in the target zone',
      { platform: 'eks', sourceProject: 'src-project', zone: 'us-east-1a', staging },
      gcePv('data-pv', 'data', 'us-central1-c'),
      awsImport('us-east-1a'),
    ],
    [
      'EKS, the volume given, no staging',
      { platform: 'eks', zone: 'us-east-1a', disk: VOL },
      gcePv('data-pv', 'data'),
      undefined,
    ],
    [
      'EKS, the volume given, only the GCS bucket',
      {
        platform: 'eks',
        zone: 'us-east-1a',
        disk: VOL,
        sourceProject: 'src-project',
        staging: { gcsBucket: 'export-bucket' },
      },
      gcePv('data-pv', 'data', 'us-central1-c'),
      needAws('staging.s3Bucket'),
    ],
    [
      'EKS, the volume given, only the S3 bucket',
      {
        platform: 'eks',
        zone: 'us-east-1a',
        disk: VOL,
        sourceProject: 'src-project',
        staging: { s3Bucket: 'import-bucket' },
      },
      gcePv('data-pv', 'data', 'us-central1-c'),
      needAws('staging.gcsBucket'),
    ],
    [
      'EKS, no volume yet, only the GCS bucket',
      {
        platform: 'eks',
        zone: 'us-east-1a',
        sourceProject: 'src-project',
        staging: { gcsBucket: 'export-bucket' },
      },
      gcePv('data-pv', 'data', 'us-central1-c'),
      needAws('staging.s3Bucket'),
    ],
    [
      'EKS, the source project unknown',
      { platform: 'eks', zone: 'us-east-1a', disk: VOL, staging },
      gcePv('data-pv', 'data', 'us-central1-c'),
      needAws('sourceProject'),
    ],
    [
      'EKS, the source zone unknown',
      { platform: 'eks', zone: 'us-east-1a', disk: VOL, sourceProject: 'src-project', staging },
      gcePv('data-pv', 'data'),
      needAws(ZONE_NONE),
    ],
    // EBS to EBS
    [
      'EKS, the volume in another zone',
      { platform: 'eks', zone: 'us-east-1b' },
      ebsPv('aws://us-east-1a/vol-0123456789abcdef0'),
      "EBS volume vol-0123456789abcdef0 is in us-east-1a; a volume attaches only in its own Availability Zone: copy it to us-east-1b, then set volumes.data-pv.disk to the new id:\naws ec2 create-snapshot --volume-id=vol-0123456789abcdef0 '--description=retarget data-pv'\naws ec2 create-volume --volume-type gp3 --availability-zone us-east-1b --snapshot-id SNAPSHOT_ID",
    ],
    [
      'EKS, a new volume in another zone',
      { platform: 'eks', zone: 'us-east-1b', disk: VOL },
      ebsPv('aws://us-east-1a/vol-0123456789abcdef0'),
      undefined,
    ],
    ['EKS, the volume names no zone', { platform: 'eks', zone: 'us-east-1b' }, ebsCsiPv, undefined],
    [
      'EKS, the same zone',
      { platform: 'eks', zone: 'us-east-1a' },
      ebsPv('aws://us-east-1a/vol-0123456789abcdef0'),
      undefined,
    ],
    ['EKS, no zone anywhere', { platform: 'eks' }, ebsPv('vol-0123456789abcdef0'), undefined],
  ])('%s', (_, cfg, input, copy) => {
    const { results } = run(cfg, input);
    expect(results.filter((r) => r.startsWith('info'))).toEqual(
      copy === undefined ? [] : [`info PersistentVolume/data-pv :1: ${copy}`],
    );
  });
});
