import { StreamResourceSet } from '../../src/io/stream-set';
import type { Resource } from '../../src/krm/resource';
import { parseDocumentStream, renderDocumentStream } from '../../src/yaml/document-stream';
import type { DocumentStream } from '../../src/yaml/document-stream';
import { FieldTypeError } from '../../src/yaml/edit';
import {
  ensureConfigMap,
  ensureEnv,
  ensureVolume,
  ensureVolumeMount,
  sameJson,
} from '../../src/workload/pod-edit';
import { containersOf, podSpecOf } from '../../src/workload/pod-specs';
import type { ContainerRef, PodSpecRef } from '../../src/workload/pod-specs';

/*
 * The edits every transform makes to a pod: each says what it did (added, replaced,
 * unchanged), changes nothing (not even the changed flag, so the file is not rewritten)
 * when the value is already there in any key order, keeps a list item's comment when it
 * replaces it, and names the field of a mistyped list.
 */

function load(text: string) {
  const stream = parseDocumentStream(text, 'in.yaml');
  const set = new StreamResourceSet([stream]);
  return { set, resources: set.resources, stream };
}

interface PodRefs {
  pod: PodSpecRef;
  container: ContainerRef;
  resource: Resource;
  /** The stream as the file would be written. */
  text: () => string;
}

function podOf(text: string): PodRefs {
  const { resources, stream } = load(text);
  const resource = resources[0];
  const pod = podSpecOf(resource)!;
  return {
    pod,
    container: containersOf(pod)[0],
    resource,
    text: () => renderDocumentStream(stream as DocumentStream),
  };
}

const POD = (container = '', pod = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${pod}  containers:\n  - name: app\n    image: app:1\n${container}`;

const located = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof FieldTypeError) return error.message;
    throw error;
  }
  return 'no error';
};

describe('ensureEnv (any named list item)', () => {
  test('absent: appended, the list created', () => {
    const { container, resource, text } = podOf(POD());
    expect(ensureEnv(container, 'A', '1')).toBe('added');
    expect(resource.changed).toBe(true);
    expect(text()).toBe(POD('    env:\n    - name: A\n      value: "1"\n'));
  });

  test('there in another key order: unchanged, nothing touched', () => {
    const input = POD('    env:\n    - value: "1"\n      name: A\n');
    const { container, resource, text } = podOf(input);
    expect(ensureEnv(container, 'A', '1')).toBe('unchanged');
    expect(resource.changed).toBe(false);
    expect(text()).toBe(input);
  });

  test.each([
    [
      'first',
      '    env:\n    # why A\n    - name: A\n      value: old\n    - name: B\n      value: b\n',
    ],
    [
      'second',
      '    env:\n    - name: B\n      value: b\n    # why A\n    - name: A\n      value: old\n',
    ],
  ])('a different value (%s item): replaced in place, its comment kept', (_n, env) => {
    const { container, resource, text } = podOf(POD(env));
    expect(ensureEnv(container, 'A', 'new')).toBe('replaced');
    expect(resource.changed).toBe(true);
    expect(text()).toBe(POD(env.replace('      value: old\n', '      value: new\n')));
  });

  test('a valueFrom of the same name is replaced by the literal', () => {
    const { container, resource, text } = podOf(
      POD(
        '    env:\n    - name: A\n      valueFrom:\n        fieldRef: {fieldPath: metadata.name}\n',
      ),
    );
    expect(ensureEnv(container, 'A', 'x')).toBe('replaced');
    expect(resource.changed).toBe(true);
    expect(text()).toBe(POD('    env:\n    - name: A\n      value: x\n'));
  });

  test('mistyped: the list or an item, located', () => {
    expect(located(() => ensureEnv(podOf(POD('    env: {A: 1}\n')).container, 'A', '1'))).toBe(
      'spec.containers[0].env: expected a list, found a map',
    );
    expect(located(() => ensureEnv(podOf(POD('    env: [A]\n')).container, 'A', '1'))).toBe(
      'spec.containers[0].env[0]: expected a map, found string',
    );
  });
});

describe('ensureVolume', () => {
  const VOLUME = { name: 'v', configMap: { name: 'cm' } };
  test('added, then unchanged when written back in another order, replaced when different', () => {
    const { pod, resource, text } = podOf(POD());
    expect(ensureVolume(pod, VOLUME)).toBe('added');
    expect(resource.changed).toBe(true);
    // Appended after what the pod spec holds.
    expect(text()).toBe(`${POD()}  volumes:\n  - name: v\n    configMap:\n      name: cm\n`);
    const again = podOf(POD('', '  volumes:\n  - configMap: {name: cm}\n    name: v\n'));
    expect(ensureVolume(again.pod, VOLUME)).toBe('unchanged');
    expect(again.resource.changed).toBe(false);
    const other = podOf(POD('', '  volumes:\n  - name: v\n    emptyDir: {}\n'));
    expect(ensureVolume(other.pod, VOLUME)).toBe('replaced');
    expect(other.text()).toBe(POD('', '  volumes:\n  - name: v\n    configMap:\n      name: cm\n'));
  });

  test('volumes mistyped: located', () => {
    expect(located(() => ensureVolume(podOf(POD('', '  volumes: {}\n')).pod, VOLUME))).toBe(
      'spec.volumes: expected a list, found a map',
    );
  });
});

describe('ensureVolumeMount (matched on the mount path)', () => {
  const MOUNT = { name: 'v', mountPath: '/etc/x.conf', subPath: 'x.conf', readOnly: true };
  test('absent: the list created and the mount added', () => {
    const { container, resource, text } = podOf(POD());
    expect(ensureVolumeMount(container, MOUNT)).toBe('added');
    expect(resource.changed).toBe(true);
    expect(text()).toBe(
      POD(
        '    volumeMounts:\n    - name: v\n      mountPath: /etc/x.conf\n      subPath: x.conf\n      readOnly: true\n',
      ),
    );
  });

  test('the same volume at another path is another mount', () => {
    const { container } = podOf(POD('    volumeMounts:\n    - name: v\n      mountPath: /data\n'));
    expect(ensureVolumeMount(container, MOUNT)).toBe('added');
    expect(container.node.toJSON().volumeMounts).toEqual([
      { name: 'v', mountPath: '/data' },
      MOUNT,
    ]);
  });

  test.each([0, 1])('there (item %i) in another key order: unchanged, nothing touched', (at) => {
    const mine =
      '    - readOnly: true\n      subPath: x.conf\n      mountPath: /etc/x.conf\n      name: v\n';
    const other = '    - name: d\n      mountPath: /data\n';
    const input = POD(`    volumeMounts:\n${at ? other + mine : mine + other}`);
    const { container, resource, text } = podOf(input);
    expect(ensureVolumeMount(container, MOUNT)).toBe('unchanged');
    expect(resource.changed).toBe(false);
    expect(text()).toBe(input);
  });

  test.each([0, 1])('at that path with other fields (item %i): replaced in place', (at) => {
    const mine = '    - name: v\n      mountPath: /etc/x.conf\n';
    const other = '    - name: d\n      mountPath: /data\n';
    const { container, resource } = podOf(
      POD(`    volumeMounts:\n${at ? other + mine : mine + other}`),
    );
    expect(ensureVolumeMount(container, MOUNT)).toBe('replaced');
    expect(resource.changed).toBe(true);
    const mounts = container.node.toJSON().volumeMounts;
    expect(mounts).toHaveLength(2);
    expect(mounts[at]).toEqual(MOUNT);
  });

  test('volumeMounts mistyped: located', () => {
    expect(
      located(() => ensureVolumeMount(podOf(POD('    volumeMounts: x\n')).container, MOUNT)),
    ).toBe('spec.containers[0].volumeMounts: expected a list, found string');
  });
});

describe('ensureConfigMap', () => {
  const DEPLOY = (ns?: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n${ns ? `  namespace: ${ns}\n` : ''}`;
  const CM = (ns: string, data: string) =>
    `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ${ns}\n${data}`;

  test.each([
    [undefined, { name: 'cm' }],
    ['shop', { name: 'cm', namespace: 'shop' }],
  ])('absent (namespace %s): created with exactly these fields', (ns, metadata) => {
    const { set, resources } = load(DEPLOY(ns));
    const cm = ensureConfigMap(set, 'cm', ns, { 'a.conf': 'x\n' }, resources[0]);
    expect(cm.node.toJSON()).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: { 'a.conf': 'x\n' },
    });
    expect(set.resources).toHaveLength(2);
  });

  test('one of that name in another namespace is not it', () => {
    const { set, resources } = load(DEPLOY('shop') + CM('other', 'data:\n  a.conf: old\n'));
    const cm = ensureConfigMap(set, 'cm', 'shop', { 'a.conf': 'x\n' }, resources[0]);
    expect(cm).not.toBe(resources[1]);
    expect(resources[1].node.toJSON().data).toEqual({ 'a.conf': 'old' });
  });

  test('there: its keys brought up to date, other keys kept', () => {
    const { set, resources } = load(
      DEPLOY('shop') + CM('shop', 'data:\n  keep: k\n  a.conf: old\n'),
    );
    const cm = ensureConfigMap(set, 'cm', 'shop', { 'a.conf': 'x\n' }, resources[0]);
    expect(cm).toBe(resources[1]);
    expect(set.resources).toHaveLength(2);
    expect(cm.node.toJSON().data).toEqual({ keep: 'k', 'a.conf': 'x\n' });
    expect(cm.changed).toBe(true);
  });

  test('there with no data: data created', () => {
    const { set, resources } = load(DEPLOY('shop') + CM('shop', ''));
    const cm = ensureConfigMap(set, 'cm', 'shop', { 'a.conf': 'x\n' }, resources[0]);
    expect(cm.node.toJSON().data).toEqual({ 'a.conf': 'x\n' });
  });

  test.each([
    ['data: [a]\n', 'data: expected a map, found a list'],
    ['data:\n  a.conf: {x: 1}\n', 'data.a.conf: expected a string, found a map'],
  ])('there with %j: located', (data, message) => {
    const { set, resources } = load(DEPLOY('shop') + CM('shop', data));
    expect(located(() => ensureConfigMap(set, 'cm', 'shop', { 'a.conf': 'x' }, resources[0]))).toBe(
      message,
    );
  });
});

describe('sameJson', () => {
  test.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, true],
    [{ b: 1, a: 2, c: 3 }, { c: 3, a: 2, b: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 2, b: 1 }, false],
    [[1, 2], [2, 1], false],
    [[{ y: 1, x: 2 }], [{ x: 2, y: 1 }], true],
  ])('%j and %j: %s', (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
  });
});
