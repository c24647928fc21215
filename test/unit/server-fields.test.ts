import { StreamResourceSet } from '../../src/io/stream-set';
import { transformFiles } from '../../src/pipeline/file-mode';
import { findFunction } from '../../src/pipeline/functions';
import {
  isServerFinalizer,
  serverFieldsOf,
  stripServerFields,
} from '../../src/storage/server-fields';
import { parseDocumentStream, renderDocumentStream } from '../../src/yaml/document-stream';
import { runText } from '../support/run';

/**
 * The fields the processing cluster's API server and controllers wrote into its
 * PersistentVolumes and claims: preflight names each (server-populated-metadata) with why it
 * must not reach another cluster, and port-data-volumes removes them, and nothing else.
 * The list is the one in functions/port-data-volumes/README.md ("What it removes").
 */
const FULL = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: data
  resourceVersion: "17"
  uid: 0a1b
  selfLink: /api/v1/persistentvolumes/data
  generation: 2
  managedFields: []
  deletionTimestamp: "2026-01-01T00:00:00Z"
  deletionGracePeriodSeconds: 0
  creationTimestamp: "2025-01-01T00:00:00Z"
  annotations:
    pv.kubernetes.io/bind-completed: "yes"
    pv.kubernetes.io/bound-by-controller: "yes"
    pv.kubernetes.io/provisioned-by: pd.csi.storage.gke.io
    pv.kubernetes.io/migrated-to: pd.csi.storage.gke.io
    volume.kubernetes.io/selected-node: node-1
    volume.kubernetes.io/storage-provisioner: pd.csi.storage.gke.io
    volume.beta.kubernetes.io/storage-provisioner: pd.csi.storage.gke.io
    kubectl.kubernetes.io/last-applied-configuration: "{}"
  finalizers:
  - kubernetes.io/pv-protection
  - kubernetes.io/pvc-protection
  - external-provisioner.volume.kubernetes.io/finalizer
  - external-attacher/pd-csi-storage-gke-io
  - example.com/keep
spec:
  capacity: {storage: 1Gi}
  claimRef:
    name: data
    namespace: app
    uid: 9f
    resourceVersion: "3"
  csi:
    driver: pd.csi.storage.gke.io
    volumeHandle: projects/source-proj/zones/us-central1-a/disks/d
status:
  phase: Bound
`;

const annotation = (key: string) => `metadata.annotations["${key}"]`;

/** [field, severity, why]: what each server-written field does on the target. */
const EXPECTED: [string, 'error' | 'warning', string][] = [
  [
    'metadata.resourceVersion',
    'error',
    'kubectl apply fails on create ("resourceVersion should not be set on objects to be created")',
  ],
  [
    'metadata.uid',
    'warning',
    'the processing cluster\'s uid: an update or delete with it as precondition fails ("Precondition failed: UID in precondition")',
  ],
  [
    'metadata.selfLink',
    'warning',
    'names the object on the processing cluster (the field is deprecated and ignored)',
  ],
  ['metadata.generation', 'warning', 'a server counter of the processing cluster'],
  [
    'metadata.managedFields',
    'warning',
    "the processing cluster's field ownership: server-side apply takes it as the new owners'",
  ],
  [
    'metadata.deletionTimestamp',
    'warning',
    'the object was being deleted on the processing cluster',
  ],
  [
    'metadata.deletionGracePeriodSeconds',
    'warning',
    'the object was being deleted on the processing cluster',
  ],
  [
    annotation('pv.kubernetes.io/bind-completed'),
    'error',
    'the PV controller takes the claim as already bound and skips binding it (the claim goes Lost when the volume does not name it)',
  ],
  [
    annotation('pv.kubernetes.io/bound-by-controller'),
    'warning',
    'the PV controller takes the binding for its own and may undo it',
  ],
  [
    annotation('pv.kubernetes.io/provisioned-by'),
    'warning',
    'a provisioner of that name deletes the disk when the volume is released with reclaim policy Delete',
  ],
  [
    annotation('pv.kubernetes.io/migrated-to'),
    'warning',
    "the processing cluster's CSI migration state",
  ],
  [
    annotation('volume.kubernetes.io/selected-node'),
    'error',
    'names a node of the processing cluster: the claim waits for it and is never provisioned',
  ],
  [
    annotation('volume.kubernetes.io/storage-provisioner'),
    'warning',
    "the processing cluster's provisioner for the claim",
  ],
  [
    annotation('volume.beta.kubernetes.io/storage-provisioner'),
    'warning',
    "the processing cluster's provisioner for the claim",
  ],
  [
    annotation('kubectl.kubernetes.io/last-applied-configuration'),
    'warning',
    "kubectl apply computes what to delete from the processing cluster's last configuration",
  ],
  [
    'spec.claimRef.uid',
    'error',
    "the processing cluster's claim: the volume is taken as bound to a claim that is gone (Released) and never binds",
  ],
  ['spec.claimRef.resourceVersion', 'warning', "a version of the processing cluster's claim"],
];

const PORT = 'port-data-volumes (dataVolumes: in a Retarget config)';

function parse(text: string) {
  const stream = parseDocumentStream(text, 'in.yaml');
  const set = new StreamResourceSet([stream]);
  return { stream, resources: set.resources };
}

describe('server-written fields: what preflight names', () => {
  test('a PersistentVolume with every one: each field, its severity and why, in order', () => {
    const { results } = runText(
      'preflight',
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'gke' },
      FULL,
    );
    const found = results.filter((r) => r.tags?.check === 'server-populated-metadata');
    expect(found.map((r) => [r.field?.path, r.severity, r.message])).toEqual(
      EXPECTED.map(([field, severity, why]) => [
        field,
        severity,
        `${field} was written by the processing cluster's API server: ${why}. Fix: delete ${field} (${PORT} removes it)`,
      ]),
    );
  });

  test('any other resource: only the metadata fields, never its annotations or spec', () => {
    const text = FULL.replace('kind: PersistentVolume', 'kind: ConfigMap');
    const [resource] = parse(text).resources;
    const found = serverFieldsOf(resource, false);
    expect(found.map((f) => [f.field, f.severity, f.why])).toEqual(EXPECTED.slice(0, 7));
    // Each finding points at the node holding the value (its line in the results).
    expect(found.map((f) => String((f.node as { value?: unknown }).value))).toEqual([
      '17',
      '0a1b',
      '/api/v1/persistentvolumes/data',
      '2',
      'undefined',
      '2026-01-01T00:00:00Z',
      '0',
    ]);
  });

  test('storage without annotations, spec or claimRef, and a resource without metadata: nothing to find', () => {
    const { resources } = parse(
      [
        'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: a\n',
        'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: b\n  annotations: {other: x}\nspec:\n  capacity: {storage: 1Gi}\n',
        'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: c\nspec:\n  claimRef: {name: n, namespace: ns}\n',
        'apiVersion: v1\nkind: PersistentVolume\nspec:\n  claimRef: {uid: u}\n',
      ].join('---\n'),
    );
    expect(resources).toHaveLength(4);
    for (const r of resources) expect(serverFieldsOf(r, true)).toEqual([]);
  });
});

describe('server-written fields: what port-data-volumes removes', () => {
  test('every one, and nothing else: the exact output and the info naming each field', () => {
    const { output, results } = runText(
      'port-data-volumes',
      {
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'PortDataVolumes',
        platform: 'gke',
        project: 'source-proj',
      },
      FULL,
    );
    expect(output).toBe(`apiVersion: v1
kind: PersistentVolume
metadata:
  name: data
  finalizers:
  - example.com/keep
spec:
  capacity: {storage: 1Gi}
  claimRef:
    name: data
    namespace: app
  csi:
    driver: pd.csi.storage.gke.io
    volumeHandle: projects/source-proj/zones/us-central1-a/disks/d
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: topology.gke.io/zone
          operator: In
          values:
          - us-central1-a
`);
    expect(results.map((r) => r.message)).toContain(
      `removed server-populated fields: ${[
        ...EXPECTED.slice(0, 7).map(([f]) => f),
        'metadata.creationTimestamp',
        ...EXPECTED.slice(7, 15).map(([f]) => f),
        'metadata.finalizers',
        ...EXPECTED.slice(15).map(([f]) => f),
        'status',
      ].join(', ')}`,
    );
  });

  test.each([
    [
      "the generator's own null creationTimestamp and empty status stay; a resource untouched keeps its bytes",
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name:    data   # spaced\n  creationTimestamp: null\nspec: {}\nstatus: {}\n',
      [],
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name:    data   # spaced\n  creationTimestamp: null\nspec: {}\nstatus: {}\n',
    ],
    [
      'other annotations and finalizers stay, and their maps and lists with them',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    a: b\n    pv.kubernetes.io/bind-completed: "yes"\n  finalizers:\n  - example.com/keep\n  - 7\n  - kubernetes.io/pvc-protection\n',
      [annotation('pv.kubernetes.io/bind-completed'), 'metadata.finalizers'],
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    a: b\n  finalizers:\n  - example.com/keep\n  - 7\n',
    ],
    [
      'empty lists and maps the package wrote itself stay when nothing is removed from them',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations: {}\n  finalizers: []\n  uid: u\n',
      ['metadata.uid'],
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations: {}\n  finalizers: []\n',
    ],
    [
      'a status that is a list or a scalar is no empty status: removed',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nstatus: []\n',
      ['status'],
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n',
    ],
    [
      'a status that is a scalar',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nstatus: Bound\n',
      ['status'],
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n',
    ],
    [
      'no metadata at all: the claimRef and status still go',
      'apiVersion: v1\nkind: PersistentVolume\nspec:\n  claimRef: {name: n, uid: u}\nstatus: {phase: Bound}\n',
      ['spec.claimRef.uid', 'status'],
      'apiVersion: v1\nkind: PersistentVolume\nspec:\n  claimRef: {name: n}\n',
    ],
  ])('%s', (_name, input, removed, output) => {
    const { stream, resources } = parse(input);
    expect(stripServerFields(resources[0])).toEqual(removed);
    expect(renderDocumentStream(stream)).toBe(output);
  });
});

describe('isServerFinalizer', () => {
  test.each([
    ['kubernetes.io/pv-protection', true],
    ['kubernetes.io/pvc-protection', true],
    ['external-provisioner.volume.kubernetes.io/finalizer', true],
    ['external-attacher/ebs-csi-aws-com', true],
    ['external-attacher/', true],
    ['x/external-attacher/', false],
    ['example.com/external-attacher', false],
    ['kubernetes.io/pv-protection-x', false],
    [7, false],
    [undefined, false],
  ])('%j: %s', (value, server) => {
    expect(isServerFinalizer(value)).toBe(server);
  });
});

describe('server-written fields: mistyped places and what counts as a change', () => {
  test.each([
    ['metadata: [x]\n', 'metadata'],
    ['metadata:\n  name: d\n  annotations: [x]\n', 'metadata.annotations'],
    ['metadata:\n  name: d\nspec: [x]\n', 'spec'],
    ['metadata:\n  name: d\nspec:\n  claimRef: [x]\n', 'spec.claimRef'],
  ])('preflight reads a mistyped %j as a located error', (body, field) => {
    const [resource] = parse(`apiVersion: v1\nkind: PersistentVolume\n${body}`).resources;
    expect(() => serverFieldsOf(resource, true)).toThrow(expect.objectContaining({ field }));
  });

  test.each([
    ['metadata: [x]\n', 'metadata'],
    ['metadata:\n  name: d\n  annotations: [x]\n', 'metadata.annotations'],
    ['metadata:\n  name: d\n  finalizers: {a: b}\n', 'metadata.finalizers'],
    ['metadata:\n  name: d\nspec: [x]\n', 'spec'],
    ['metadata:\n  name: d\nspec:\n  claimRef: [x]\n', 'spec.claimRef'],
  ])('port-data-volumes reads a mistyped %j as a located error', (body, field) => {
    const [resource] = parse(`apiVersion: v1\nkind: PersistentVolume\n${body}`).resources;
    expect(() => stripServerFields(resource)).toThrow(expect.objectContaining({ field }));
  });

  test('a volume with nothing to remove is left alone: not counted as changed', () => {
    const text =
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: nfs\nspec:\n  nfs: {server: s, path: /x}\n';
    const fn = findFunction('port-data-volumes');
    if (!fn) throw new Error('no port-data-volumes');
    const outcome = transformFiles(
      fn,
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'PortDataVolumes', platform: 'gke' },
      'config.yaml',
      [{ path: 'pv.yaml', outputName: 'pv.yaml', text }],
    );
    expect(outcome.files[0].text).toBe(text);
    expect(outcome.summary).toEqual({ changed: 0, created: 0, unchanged: 1 });
    const [resource] = parse(text).resources;
    expect(stripServerFields(resource)).toEqual([]);
    expect(resource.changed).toBe(false);
  });
});
