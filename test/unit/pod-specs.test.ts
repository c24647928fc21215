import { LineCounter, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { Resource } from '../../src/krm/resource';
import { FieldTypeError } from '../../src/yaml/edit';
import { containersOf, isWorkloadKind, podSpecOf } from '../../src/workload/pod-specs';

/*
 * Where each workload kind keeps its pod spec, from the Kubernetes API reference (any
 * apiVersion), the custom paths the config adds (matched by kind, and apiVersion when
 * given, before the built-in ones), and the containers read from a pod spec with their
 * fields as results name them.
 */

function resourceOf(text: string): Resource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return new Resource(doc.contents as YAMLMap, doc, { path: 'in.yaml', lineCounter });
}

/** A `kind` object with `{containers: [{name: KIND}]}` nested under the dotted `path`. */
function workload(kind: string, path: string, apiVersion = 'x/v1'): Resource {
  const keys = path.split('.');
  let body = `containers:\n- name: ${kind}\n`;
  for (const key of [...keys].reverse()) {
    body = `${key}:\n${body.replace(/^/gm, '  ')}`;
  }
  return resourceOf(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: w\n${body}`);
}

const BUILT_IN: [string, string][] = [
  ['Pod', 'spec'],
  ['PodTemplate', 'template.spec'],
  ['Deployment', 'spec.template.spec'],
  ['StatefulSet', 'spec.template.spec'],
  ['DaemonSet', 'spec.template.spec'],
  ['ReplicaSet', 'spec.template.spec'],
  ['ReplicationController', 'spec.template.spec'],
  ['Job', 'spec.template.spec'],
  ['CronJob', 'spec.jobTemplate.spec.template.spec'],
];

describe('the built-in workload kinds', () => {
  test.each(BUILT_IN)('%s: the pod spec at %s', (kind, path) => {
    const resource = workload(kind, path);
    const pod = podSpecOf(resource);
    expect(pod?.field).toBe(path);
    expect(pod?.resource).toBe(resource);
    expect(containersOf(pod!).map((c) => [c.name, c.field])).toEqual([
      [kind, `${path}.containers[0]`],
    ]);
    expect(isWorkloadKind(kind)).toBe(true);
  });

  test.each(BUILT_IN.filter(([, path]) => path.includes('.')))(
    '%s: each step of %s that is no map is located, one that is missing is no pod spec',
    (kind, path) => {
      const keys = path.split('.');
      for (let i = 1; i <= keys.length; i++) {
        const field = keys.slice(0, i).join('.');
        // The step at `field` is a list.
        const text = `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: w\n${nest(keys.slice(0, i - 1), `${keys[i - 1]}: [1]\n`)}`;
        let message = 'no error';
        try {
          podSpecOf(resourceOf(text));
        } catch (error) {
          if (!(error instanceof FieldTypeError)) throw error;
          message = error.message;
        }
        expect(message).toBe(`${field}: expected a map, found a list`);
        const missing = `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: w\n${nest(keys.slice(0, i - 1), 'other: 1\n')}`;
        expect(podSpecOf(resourceOf(missing))).toBeUndefined();
      }
    },
  );

  test('a Pod with no spec has no pod spec', () => {
    expect(
      podSpecOf(resourceOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n')),
    ).toBeUndefined();
  });

  test.each(['Service', 'ConfigMap', 'constructor', 'toString', 'hasOwnProperty', ''])(
    '%j is no workload kind',
    (kind) => {
      expect(isWorkloadKind(kind)).toBe(false);
      expect(podSpecOf(workload(kind || 'X', 'spec'))).toBeUndefined();
    },
  );
});

/** `keys` nested as block maps around `leaf`. */
function nest(keys: readonly string[], leaf: string): string {
  let body = leaf;
  for (const key of [...keys].reverse()) body = `${key}:\n${body.replace(/^/gm, '  ')}`;
  return body;
}

describe('custom pod template paths', () => {
  const ROLLOUT = { kind: 'Rollout', path: 'spec.template.spec' };
  test('a kind of its own, with no apiVersion: any apiVersion', () => {
    const pod = podSpecOf(workload('Rollout', 'spec.template.spec', 'argoproj.io/v1alpha1'), [
      ROLLOUT,
    ]);
    expect(pod?.field).toBe('spec.template.spec');
    expect(isWorkloadKind('Rollout', [ROLLOUT])).toBe(true);
    expect(isWorkloadKind('Rollout', [{ kind: 'Other', path: 'spec' }, ROLLOUT])).toBe(true);
    expect(isWorkloadKind('Rollout', [{ kind: 'Other', path: 'spec' }])).toBe(false);
    expect(isWorkloadKind('Rollout')).toBe(false);
    expect(podSpecOf(workload('Rollout', 'spec.template.spec'))).toBeUndefined();
  });

  test('with an apiVersion: that apiVersion only', () => {
    const paths = [{ kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', path: 'spec.pod' }];
    expect(podSpecOf(workload('Rollout', 'spec.pod', 'argoproj.io/v1alpha1'), paths)?.field).toBe(
      'spec.pod',
    );
    expect(podSpecOf(workload('Rollout', 'spec.pod', 'argoproj.io/v2'), paths)).toBeUndefined();
  });

  test('a path for a built-in kind goes before the built-in one; another kind leaves it alone', () => {
    const paths = [
      { kind: 'Job', path: 'spec.template.spec' },
      { kind: 'Deployment', apiVersion: 'example.com/v1', path: 'spec.pod' },
    ];
    expect(podSpecOf(workload('Deployment', 'spec.pod', 'example.com/v1'), paths)?.field).toBe(
      'spec.pod',
    );
    // Another apiVersion: the built-in path.
    expect(podSpecOf(workload('Deployment', 'spec.template.spec', 'apps/v1'), paths)?.field).toBe(
      'spec.template.spec',
    );
    // The first matching path is used, and a kind with none keeps its built-in path.
    expect(
      podSpecOf(workload('Pod', 'spec', 'v1'), [
        { kind: 'Pod', path: 'spec' },
        { kind: 'Pod', path: 'other' },
      ])?.field,
    ).toBe('spec');
    expect(
      podSpecOf(workload('CronJob', 'spec.jobTemplate.spec.template.spec'), paths)?.field,
    ).toBe('spec.jobTemplate.spec.template.spec');
  });

  test('each step of a custom path is named in its error', () => {
    const paths = [{ kind: 'Rollout', path: 'spec.a.b' }];
    const text = 'apiVersion: x/v1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  a: 5\n';
    expect(() => podSpecOf(resourceOf(text), paths)).toThrow(
      'spec.a: expected a map, found number',
    );
  });
});

describe('containersOf', () => {
  const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: init
  containers:
  - name: app
  - name: 5
  - image: x
`;
  test('the containers by default, with their names (none unless a string) and fields', () => {
    const pod = podSpecOf(resourceOf(POD))!;
    expect(containersOf(pod).map((c) => [c.name, c.list, c.field])).toEqual([
      ['app', 'containers', 'spec.containers[0]'],
      ['', 'containers', 'spec.containers[1]'],
      ['', 'containers', 'spec.containers[2]'],
    ]);
  });

  test('the lists asked for, in that order', () => {
    const pod = podSpecOf(resourceOf(POD))!;
    expect(containersOf(pod, ['initContainers', 'containers']).map((c) => c.field)).toEqual([
      'spec.initContainers[0]',
      'spec.containers[0]',
      'spec.containers[1]',
      'spec.containers[2]',
    ]);
    expect(containersOf(pod, ['initContainers'])[0]).toMatchObject({
      pod,
      name: 'init',
      list: 'initContainers',
    });
  });

  test('no list is no container; a list that is no list, or an item no map, is located', () => {
    const none = podSpecOf(
      resourceOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: {}\n'),
    )!;
    expect(containersOf(none, ['containers', 'initContainers'])).toEqual([]);
    const map = podSpecOf(
      resourceOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: {a: 1}\n'),
    )!;
    expect(() => containersOf(map)).toThrow('spec.containers: expected a list, found a map');
    const item = podSpecOf(
      resourceOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [x]\n'),
    )!;
    expect(() => containersOf(item)).toThrow('spec.containers[0]: expected a map, found string');
  });
});
