import { isMap, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { autopilotViolations } from '../../src/preflight/autopilot';
import { PodView } from '../../src/preflight/pod-view';
import { FieldTypeError } from '../../src/yaml/edit';

/**
 * GKE Autopilot's constraints on one pod, read directly (autopilot.test.ts runs them
 * through preflight): what each constraint refuses, for which workload kinds, and the
 * field a wrong type is reported at.
 * Source: https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-security
 * ("Security constraints") and https://cloud.google.com/kubernetes-engine/docs/how-to/autopilot-hostport.
 */

const ALLOWLIST =
  'or, for a partner or verified open-source workload, install its WorkloadAllowlist with an AllowlistSynchronizer';

/** The map at `key` of `parent` (a test input error otherwise). */
function mapAt(parent: unknown, key: string): YAMLMap {
  const node: unknown = isMap(parent) ? parent.get(key, true) : undefined;
  if (!isMap(node)) throw new Error(`no map at ${key}`);
  return node;
}

/** The document's root map. */
function rootOf(text: string): YAMLMap {
  const root = parseDocument(text).contents;
  if (!isMap(root)) throw new Error('the document is not a map');
  return root;
}

function view(text: string): PodView {
  const root = rootOf(text);
  return new PodView(mapAt(root, 'spec'), 'spec', mapAt(root, 'metadata'), ['metadata']);
}

const pod = (spec: string, container = '', annotations = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
${annotations ? `  annotations:\n${annotations}` : ''}spec:
${spec}  containers:
  - name: app
    image: registry.k8s.io/pause:3.9
${container}`;

/** The 1-based line of the `nth` line holding `needle`; a map's node starts at its first key. */
function lineOf(text: string, needle: string, nth = 1): number {
  const lines = text.split('\n');
  const at = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (at.length < nth) throw new Error(`no line ${nth} holds ${needle}`);
  return at[nth - 1];
}

function violations(text: string, kind = 'Pod') {
  return autopilotViolations(view(text), kind).map((v) => ({
    control: v.control,
    field: v.field,
    line: v.node ? text.slice(0, v.node.range?.[0]).split('\n').length : undefined,
    message: v.message,
    fix: v.fix,
    severity: v.severity,
    hostAccess: v.hostAccess ?? false,
  }));
}

describe('Autopilot constraints on a pod', () => {
  test('a plain pod passes', () => {
    expect(violations(pod(''))).toEqual([]);
  });

  test('host namespaces: each key set true, at its own line', () => {
    const text = pod('  hostPID: true\n  hostIPC: false\n');
    expect(violations(text)).toEqual([
      {
        control: 'host-namespaces',
        field: 'spec.hostPID',
        line: lineOf(text, 'hostPID: true'),
        message: 'the pod sets hostPID: true; Autopilot prohibits host namespaces',
        fix: `remove hostPID (${ALLOWLIST})`,
        severity: 'error',
        hostAccess: false,
      },
    ]);
  });

  test('privileged containers, of every kind, are host access', () => {
    const text = `${pod('', '    securityContext:\n      privileged: true\n')}  initContainers:
  - name: init
    securityContext:
      privileged: true
`;
    expect(violations(text)).toEqual([
      {
        control: 'privileged',
        field: 'spec.initContainers[0].securityContext.privileged',
        line: lineOf(text, 'privileged: true', 2),
        message: 'container "init" is privileged; Autopilot rejects privileged containers',
        fix: `remove securityContext.privileged and add only the capabilities the process needs (${ALLOWLIST})`,
        severity: 'error',
        hostAccess: true,
      },
      {
        control: 'privileged',
        field: 'spec.containers[0].securityContext.privileged',
        line: lineOf(text, 'privileged: true'),
        message: 'container "app" is privileged; Autopilot rejects privileged containers',
        fix: `remove securityContext.privileged and add only the capabilities the process needs (${ALLOWLIST})`,
        severity: 'error',
        hostAccess: true,
      },
    ]);
  });

  test('capabilities: every default one and SYS_PTRACE pass; NET_ADMIN names the cluster flag', () => {
    const defaults =
      'AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT, SYS_PTRACE';
    const caps = (list: string) =>
      pod('', `    securityContext:\n      capabilities:\n        add: [${list}]\n`);
    expect(violations(caps(defaults))).toEqual([]);
    expect(violations(caps('NET_ADMIN, NET_RAW'))).toEqual([
      {
        control: 'capabilities',
        field: 'spec.containers[0].securityContext.capabilities.add[0]',
        line: lineOf(caps('NET_ADMIN, NET_RAW'), 'add:'),
        message:
          'container "app" adds capability NET_ADMIN, outside Autopilot\'s set (the default set and SYS_PTRACE; NET_ADMIN needs the cluster flag --workload-policies=allow-net-admin)',
        fix: 'gcloud container clusters update CLUSTER --workload-policies=allow-net-admin, or remove NET_ADMIN',
        severity: 'error',
        hostAccess: false,
      },
      {
        control: 'capabilities',
        field: 'spec.containers[0].securityContext.capabilities.add[1]',
        line: lineOf(caps('NET_ADMIN, NET_RAW'), 'add:'),
        message:
          'container "app" adds capability NET_RAW, outside Autopilot\'s set (the default set and SYS_PTRACE)',
        fix: `remove NET_RAW from securityContext.capabilities.add (${ALLOWLIST})`,
        severity: 'error',
        hostAccess: false,
      },
    ]);
    expect(
      violations(pod('', '    securityContext:\n      capabilities:\n        drop: [ALL]\n')),
    ).toEqual([]);
  });

  describe('hostPath', () => {
    const withVolume = (volume: string, mounts: string) =>
      pod(`  volumes:\n${volume}`, `    volumeMounts:\n${mounts}`);

    test('a path that only contains /var/log is not under it', () => {
      const text = withVolume(
        '  - name: logs\n    hostPath:\n      path: /x/var/log\n',
        '    - name: logs\n      mountPath: /logs\n      readOnly: true\n',
      );
      expect(violations(text)).toEqual([
        {
          control: 'host-path',
          field: 'spec.volumes[0].hostPath',
          line: lineOf(text, 'path: /x/var/log'),
          message:
            "volume logs mounts the node's /x/var/log (hostPath); Autopilot allows hostPath only read-only under /var/log",
          fix: `replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim (${ALLOWLIST})`,
          severity: 'error',
          hostAccess: true,
        },
      ]);
    });

    test('a writable mount of another volume does not count; a writable one of this volume does', () => {
      const volumes =
        '  - name: logs\n    hostPath:\n      path: /var/log\n  - name: tmp\n    emptyDir: {}\n';
      const ok = withVolume(
        volumes,
        '    - name: logs\n      mountPath: /logs\n      readOnly: true\n    - name: tmp\n      mountPath: /tmp\n',
      );
      expect(violations(ok)).toEqual([]);
      const writable = withVolume(volumes, '    - name: logs\n      mountPath: /logs\n');
      expect(violations(writable)).toEqual([
        {
          control: 'host-path',
          field: 'spec.volumes[0].hostPath',
          line: lineOf(writable, 'path: /var/log'),
          message:
            'volume logs mounts the node\'s /var/log writable (container "app"); Autopilot allows hostPath only read-only under /var/log',
          fix: 'set readOnly: true on every volumeMount of the volume',
          severity: 'error',
          hostAccess: true,
        },
      ]);
    });

    test('a hostPath without a path or a name', () => {
      const text = pod('  volumes:\n  - hostPath: {}\n');
      expect(violations(text).map((v) => v.message)).toEqual([
        "volume  mounts the node's (no path) (hostPath); Autopilot allows hostPath only read-only under /var/log",
      ]);
    });

    test('an unmounted /var/log hostPath is not writable', () => {
      expect(
        violations(pod('  volumes:\n  - name: logs\n    hostPath: {path: /var/log}\n')),
      ).toEqual([]);
    });
  });

  describe('host ports', () => {
    const ANNOTATION = '    autopilot.gke.io/host-port-assignment: \'{"min":9000,"max":9999}\'\n';
    const text = pod('', '    ports:\n    - containerPort: 80\n      hostPort: 8080\n', ANNOTATION);

    test.each([
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'ReplicationController',
      'Job',
      'CronJob',
      'PodTemplate',
    ])('the pods of a %s never get a random one', (kind) => {
      expect(violations(text, kind)).toEqual([
        {
          control: 'host-ports',
          field: 'spec.containers[0].ports[0].hostPort',
          line: lineOf(text, 'hostPort: 8080'),
          message: `container "app" binds host port 8080; Autopilot gives a host port only as a random port to a Pod annotated autopilot.gke.io/host-port-assignment, never to the pods of a ${kind}`,
          fix: 'remove hostPort and expose the port through a Service',
          severity: 'error',
          hostAccess: false,
        },
      ]);
    });

    test('a port without a hostPort, or with hostPort 0, binds none', () => {
      const ports = pod(
        '',
        '    ports:\n    - containerPort: 80\n    - containerPort: 81\n      hostPort: 0\n',
      );
      expect(violations(ports, 'Deployment')).toEqual([]);
    });

    test("an annotated Pod, or a custom controller's annotated pods, get one", () => {
      expect(violations(text, 'Pod')).toEqual([]);
      expect(violations(text, 'Rollout')).toEqual([]);
    });

    test('without the annotation (another one does not count), a Pod is refused', () => {
      const other = text.replace('autopilot.gke.io/host-port-assignment', 'example.com/ports');
      expect(violations(other, 'Pod').map((v) => v.message)).toEqual([
        'container "app" binds host port 8080; Autopilot gives a host port only as a random port to a Pod annotated autopilot.gke.io/host-port-assignment',
      ]);
    });
  });
});

describe('a field Autopilot reads, of the wrong type, is an error at that field', () => {
  test.each([
    ['  hostNetwork: 1\n', '', 'spec.hostNetwork', 'a boolean'],
    ['  hostIPC: "true"\n', '', 'spec.hostIPC', 'a boolean'],
    [
      '',
      '    securityContext:\n      privileged: 1\n',
      'spec.containers[0].securityContext.privileged',
      'a boolean',
    ],
    [
      '',
      '    securityContext:\n      capabilities: [ALL]\n',
      'spec.containers[0].securityContext.capabilities',
      'a map',
    ],
    [
      '',
      '    securityContext:\n      capabilities:\n        add: CHOWN\n',
      'spec.containers[0].securityContext.capabilities.add',
      'a list',
    ],
    ['  volumes: {}\n', '', 'spec.volumes', 'a list'],
    ['  volumes: [v]\n', '', 'spec.volumes[0]', 'a map'],
    ['  volumes:\n  - hostPath: /x\n', '', 'spec.volumes[0].hostPath', 'a map'],
    ['  volumes:\n  - name: 1\n    hostPath: {path: /x}\n', '', 'spec.volumes[0].name', 'a string'],
    [
      '  volumes:\n  - name: v\n    hostPath: {path: 1}\n',
      '',
      'spec.volumes[0].hostPath.path',
      'a string',
    ],
    [
      '  volumes:\n  - name: v\n    hostPath: {path: /var/log}\n',
      '    volumeMounts: {}\n',
      'spec.containers[0].volumeMounts',
      'a list',
    ],
    [
      '  volumes:\n  - name: v\n    hostPath: {path: /var/log}\n',
      '    volumeMounts: [v]\n',
      'spec.containers[0].volumeMounts[0]',
      'a map',
    ],
    [
      '  volumes:\n  - name: v\n    hostPath: {path: /var/log}\n',
      '    volumeMounts:\n    - name: 1\n',
      'spec.containers[0].volumeMounts[0].name',
      'a string',
    ],
    [
      '  volumes:\n  - name: v\n    hostPath: {path: /var/log}\n',
      '    volumeMounts:\n    - name: v\n      readOnly: "true"\n',
      'spec.containers[0].volumeMounts[0].readOnly',
      'a boolean',
    ],
    ['', '    ports: 80\n', 'spec.containers[0].ports', 'a list'],
    ['', '    ports: [80]\n', 'spec.containers[0].ports[0]', 'a map'],
    [
      '',
      '    ports:\n    - hostPort: "80"\n',
      'spec.containers[0].ports[0].hostPort',
      'an integer',
    ],
  ])('%j %j', (spec, container, field, expected) => {
    let error: unknown;
    try {
      autopilotViolations(view(pod(spec, container)), 'Pod');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FieldTypeError);
    expect({
      field: (error as FieldTypeError).field,
      expected: (error as FieldTypeError).expected,
    }).toEqual({
      field,
      expected,
    });
  });
});
