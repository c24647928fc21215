import { LineCounter, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { Resource } from '../../src/krm/resource';
import type { ResourceOrigin } from '../../src/krm/resource';
import { attachArtifactEvidence, RuntimeConflictError } from '../../src/runtime/evidence';
import type { RuntimeEvidence } from '../../src/runtime/evidence';
import {
  ContainerRuntimeConflict,
  containerKind,
  specEvidence,
} from '../../src/workload/container-kind';
import { containersOf, podSpecOf } from '../../src/workload/pod-specs';
import type { ContainerRef } from '../../src/workload/pod-specs';

/*
 * What the deployment spec says about a container's runtime, signature by signature, with
 * the exact evidence (reason and location) that messages and `retarget dockerfile` show,
 * and how the artifacts beside the spec join the decision.
 */

/** A Pod with one container (`container` indented as a list item) and `volumes`. */
function pod(container: string, volumes = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${container}${volumes}`;
}

function containerOf(
  text: string,
  origin: Omit<ResourceOrigin, 'lineCounter'> & { lines?: boolean } = {
    path: 'spec.yaml',
    lines: true,
  },
): ContainerRef {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const resource = new Resource(doc.contents as YAMLMap, doc, {
    ...(origin.path === undefined ? {} : { path: origin.path }),
    ...(origin.lines ? { lineCounter } : {}),
  });
  const spec = podSpecOf(resource);
  if (!spec) throw new Error('no pod spec');
  return containersOf(spec)[0];
}

const evidenceOf = (container: string, volumes = '') =>
  specEvidence(containerOf(pod(container, volumes)));

const CGROUP_VOLUME = '  volumes:\n  - name: cg\n    hostPath:\n      path: /sys/fs/cgroup\n';
const CGROUP_MOUNT = '    volumeMounts:\n    - name: cg\n      mountPath: /sys/fs/cgroup\n';
const PRIVILEGED = '    securityContext:\n      privileged: true\n';

describe('the evidence of each signature, with its reason and line', () => {
  test.each([
    [
      'the service-manager switch',
      '  - name: app\n    env:\n    - name: HC_V2K_SERVICE_MANAGER\n      value: "true"\n',
      'service-manager',
      'env HC_V2K_SERVICE_MANAGER="true"',
    ],
    [
      'the switch written unquoted',
      '  - name: app\n    env:\n    - name: OTHER\n    - name: HC_V2K_SERVICE_MANAGER\n      value: true\n',
      'service-manager',
      'env HC_V2K_SERVICE_MANAGER="true"',
    ],
    [
      'a /gamma readiness probe',
      '  - name: app\n    readinessProbe:\n      exec:\n        command: [/gamma, probe]\n',
      'service-manager',
      'probe /gamma',
    ],
    [
      'a startup probe of the m2c CLI runtime',
      '  - name: app\n    startupProbe:\n      exec:\n        command: [/ko-app/service-manager-runtime, probe]\n',
      'service-manager',
      'probe /ko-app/service-manager-runtime',
    ],
    [
      'a /code/ready.sh liveness probe',
      '  - name: app\n    livenessProbe:\n      exec:\n        command: [/code/ready.sh]\n',
      'legacy',
      'probe /code/ready.sh',
    ],
    [
      'privileged with the cgroup hostPath mount',
      `  - name: app\n${PRIVILEGED}${CGROUP_MOUNT}`,
      'legacy',
      'privileged with the /sys/fs/cgroup hostPath mount',
    ],
    [
      'the entrypoint as command',
      '  - name: app\n    command: [/.v2k.go]\n',
      'legacy',
      'command /.v2k.go',
    ],
    [
      'the entrypoint as an argument (after a wrapper)',
      '  - name: app\n    command: [/bin/tini]\n    args: [--, /.v2k.go]\n',
      'legacy',
      'command /.v2k.go',
    ],
  ])('%s', (_name, container, kind, reason) => {
    expect(evidenceOf(container, CGROUP_VOLUME)).toEqual({
      source: 'spec',
      kind,
      allows: [kind],
      reason: `container app: ${reason}`,
      where: 'spec.yaml:7',
    });
  });

  test('a probe of each runtime, or none of these, gives no evidence from the probes', () => {
    const both =
      '  - name: app\n    readinessProbe:\n      exec:\n        command: [/code/ready.sh]\n    livenessProbe:\n      exec:\n        command: [/gamma]\n';
    expect(evidenceOf(both)).toBeUndefined();
    expect(evidenceOf(`${both}    command: [/.v2k.go]\n`)?.reason).toBe(
      'container app: command /.v2k.go',
    );
  });
});

describe('what is no signature', () => {
  test.each([
    [
      'the switch on another variable',
      '  - name: app\n    env:\n    - name: OTHER\n      value: "true"\n',
    ],
    [
      'the switch off',
      '  - name: app\n    env:\n    - name: HC_V2K_SERVICE_MANAGER\n      value: "false"\n',
    ],
    ['the switch with no value', '  - name: app\n    env:\n    - name: HC_V2K_SERVICE_MANAGER\n'],
    [
      'the switch with a null value',
      '  - name: app\n    env:\n    - name: HC_V2K_SERVICE_MANAGER\n      value: null\n',
    ],
    ['an env list with a scalar in it', '  - name: app\n    env:\n    - junk\n    - name: OTHER\n'],
    ['env as a map', '  - name: app\n    env:\n      HC_V2K_SERVICE_MANAGER: "true"\n'],
    ['the entrypoint with a suffix', '  - name: app\n    command: [/.v2k.go.sh]\n'],
    ['the entrypoint inside a map in the command', '  - name: app\n    command: [{x: /.v2k.go}]\n'],
    [
      'a probe command as a string',
      '  - name: app\n    readinessProbe:\n      exec:\n        command: /gamma\n',
    ],
    ['a probe exec as a list', '  - name: app\n    readinessProbe:\n      exec: [/gamma]\n'],
    ['a probe as a string', '  - name: app\n    readinessProbe: /gamma\n'],
    [
      'a probe whose program is a map',
      '  - name: app\n    readinessProbe:\n      exec:\n        command: [{a: 1}, /gamma]\n',
    ],
  ])('%s', (_name, container) => {
    expect(evidenceOf(container, CGROUP_VOLUME)).toBeUndefined();
  });

  test.each([
    [
      'not privileged',
      `  - name: app\n    securityContext:\n      privileged: false\n${CGROUP_MOUNT}`,
      CGROUP_VOLUME,
    ],
    [
      'privileged given as a string',
      `  - name: app\n    securityContext:\n      privileged: "true"\n${CGROUP_MOUNT}`,
      CGROUP_VOLUME,
    ],
    [
      'a securityContext that is a scalar',
      `  - name: app\n    securityContext: privileged\n${CGROUP_MOUNT}`,
      CGROUP_VOLUME,
    ],
    ['no volumes', `  - name: app\n${PRIVILEGED}${CGROUP_MOUNT}`, ''],
    [
      'volumes as a map',
      `  - name: app\n${PRIVILEGED}${CGROUP_MOUNT}`,
      '  volumes:\n    cg:\n      hostPath: {path: /sys/fs/cgroup}\n',
    ],
    [
      'mounts as a map',
      `  - name: app\n${PRIVILEGED}    volumeMounts:\n      cg: /sys/fs/cgroup\n`,
      CGROUP_VOLUME,
    ],
    [
      'the cgroup path mounted from an emptyDir',
      `  - name: app\n${PRIVILEGED}${CGROUP_MOUNT}`,
      '  volumes:\n  - name: cg\n    emptyDir: {}\n',
    ],
    [
      'a hostPath volume mounted elsewhere',
      `  - name: app\n${PRIVILEGED}    volumeMounts:\n    - name: cg\n      mountPath: /host/cgroup\n`,
      CGROUP_VOLUME,
    ],
    [
      'the cgroup mount naming no volume, a hostPath volume of another name',
      `  - name: app\n${PRIVILEGED}${CGROUP_MOUNT}`,
      '  volumes:\n  - name: other\n    hostPath:\n      path: /sys/fs/cgroup\n',
    ],
    [
      'junk mounts and volumes',
      `  - name: app\n${PRIVILEGED}    volumeMounts:\n    - junk\n    - name: cg\n      mountPath: /tmp\n`,
      '  volumes:\n  - junk\n  - name: cg\n    hostPath: {path: /sys/fs/cgroup}\n',
    ],
  ])('privileged with no cgroup hostPath mount: %s', (_name, container, volumes) => {
    expect(evidenceOf(container, volumes)).toBeUndefined();
  });

  test('the cgroup hostPath among other volumes and mounts is found', () => {
    const container = `  - name: app\n${PRIVILEGED}    volumeMounts:\n    - junk\n    - name: data\n      mountPath: /data\n    - name: cg\n      mountPath: /sys/fs/cgroup\n`;
    const volumes =
      '  volumes:\n  - junk\n  - name: data\n    hostPath: {path: /data}\n  - name: cg\n    hostPath:\n      path: /sys/fs/cgroup\n';
    expect(evidenceOf(container, volumes)?.kind).toBe('legacy');
  });
});

describe('where the evidence was found', () => {
  const text = pod('  - name: app\n    command: [/.v2k.go]\n');
  test('a resource read from no file has no location', () => {
    expect(specEvidence(containerOf(text, {}))).not.toHaveProperty('where');
  });
  test('a file without line positions gives the file alone', () => {
    expect(specEvidence(containerOf(text, { path: 'a/spec.yaml' }))?.where).toBe('a/spec.yaml');
  });
  test('a container node built in memory (no source range) gives the file alone', () => {
    const ref = containerOf(text);
    const built = ref.pod.resource.doc.createNode({
      name: 'app',
      command: ['/.v2k.go'],
    }) as YAMLMap;
    expect(specEvidence({ ...ref, node: built })?.where).toBe('spec.yaml');
  });
});

describe('the decision with the artifacts beside the spec', () => {
  const plan = (kind: 'legacy' | 'service-manager'): RuntimeEvidence => ({
    source: 'plan',
    kind,
    allows: [kind],
    reason: `v2kServiceManager: ${kind === 'service-manager'}`,
    where: 'migration.yaml',
  });
  const dockerfile: RuntimeEvidence = {
    source: 'dockerfile',
    kind: 'service-manager',
    allows: ['legacy', 'service-manager'],
    reason: 'runtime image v1.15.0',
    where: 'Dockerfile:1',
  };
  const withArtifacts = (container: string, artifacts: RuntimeEvidence[]): ContainerRef => {
    const ref = containerOf(pod(container));
    attachArtifactEvidence(ref.pod.resource, artifacts);
    return ref;
  };
  const PLAIN = '  - name: app\n    image: nginx\n';
  const V2K = '  - name: app\n    command: [/.v2k.go]\n';

  test('no evidence anywhere is a plain container; the spec alone decides', () => {
    expect(containerKind(containerOf(pod(PLAIN)), 'auto', undefined)).toBe('plain');
    expect(containerKind(containerOf(pod(V2K)), 'auto', {})).toBe('legacy');
  });

  test('a plain spec takes the plan', () => {
    expect(containerKind(withArtifacts(PLAIN, [plan('legacy')]), 'auto', undefined)).toBe('legacy');
    expect(containerKind(withArtifacts(PLAIN, [dockerfile]), 'auto', undefined)).toBe(
      'service-manager',
    );
  });

  test('the spec is stronger than a Dockerfile that allows its answer', () => {
    expect(containerKind(withArtifacts(V2K, [dockerfile]), 'auto', undefined)).toBe('legacy');
  });

  test('a plan that contradicts the spec is a located conflict naming every piece', () => {
    const ref = withArtifacts(V2K, [plan('service-manager')]);
    let caught: unknown;
    try {
      containerKind(ref, 'auto', undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContainerRuntimeConflict);
    const conflict = caught as ContainerRuntimeConflict;
    expect(conflict.field).toBe('spec.containers[0]');
    expect(conflict.node).toBe(ref.node);
    expect(conflict.conflict).toBeInstanceOf(RuntimeConflictError);
    const reason =
      'the migration artifacts disagree on the runtime: spec spec.yaml:7: container app: command /.v2k.go (legacy runtime); plan migration.yaml: v2kServiceManager: true (service-manager runtime); fix the artifact that was edited or belongs to another workload, or set runtime in the config';
    expect(conflict.reason).toBe(reason);
    expect(conflict.message).toBe('spec.containers[0]: expected one runtime, found a map');
  });

  test('two plans that disagree, with a plain spec, are a conflict too', () => {
    expect(() =>
      containerKind(
        withArtifacts(PLAIN, [plan('legacy'), plan('service-manager')]),
        'auto',
        undefined,
      ),
    ).toThrow(ContainerRuntimeConflict);
  });

  test('the config overrules the artifacts: per container, then for all', () => {
    const ref = withArtifacts(V2K, [plan('service-manager')]);
    expect(containerKind(ref, 'auto', { app: 'plain' })).toBe('plain');
    expect(containerKind(ref, 'plain', { other: 'legacy' })).toBe('plain');
    expect(containerKind(ref, 'service-manager', undefined)).toBe('service-manager');
  });
});
