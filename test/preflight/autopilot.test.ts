import { preflightResults } from './harness';

const ALLOWLIST =
  'or, for a partner or verified open-source workload, install its WorkloadAllowlist with an AllowlistSynchronizer';

function autopilot(text: string) {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    platform: 'gke-autopilot',
  };
  return preflightResults(config, text)
    .filter((r) => r.tags?.check === 'autopilot')
    .map((r) => ({
      control: r.tags?.control,
      severity: r.severity,
      field: r.field?.path,
      message: r.message,
    }));
}

const pod = (spec: string, annotations = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
${annotations}spec:
${spec}`;
const app = (extra = '') =>
  `  containers:\n  - name: app\n    image: registry.k8s.io/pause:3.9\n${extra}`;

const REJECTS = ': GKE Autopilot rejects the pods. Fix: ';

describe('preflight GKE Autopilot constraints', () => {
  test.each(['hostNetwork', 'hostPID', 'hostIPC'])('%s: true is a host namespace', (key) => {
    expect(autopilot(pod(`  ${key}: true\n${app()}`))).toEqual([
      {
        control: 'host-namespaces',
        severity: 'error',
        field: `spec.${key}`,
        message: `the pod sets ${key}: true; Autopilot prohibits host namespaces${REJECTS}remove ${key} (${ALLOWLIST})`,
      },
    ]);
    expect(autopilot(pod(`  ${key}: false\n${app()}`))).toEqual([]);
  });

  test("capabilities: the default set and SYS_PTRACE pass; another is refused with the allowlist's way out", () => {
    const caps = (list: string) =>
      app(`    securityContext:\n      capabilities:\n        add: [${list}]\n`);
    expect(autopilot(pod(caps('CHOWN, SYS_PTRACE, NET_BIND_SERVICE')))).toEqual([]);
    expect(autopilot(pod(caps('SYS_ADMIN')))).toEqual([
      {
        control: 'capabilities',
        severity: 'error',
        field: 'spec.containers[0].securityContext.capabilities.add[0]',
        message: `container "app" adds capability SYS_ADMIN, outside Autopilot's set (the default set and SYS_PTRACE)${REJECTS}remove SYS_ADMIN from securityContext.capabilities.add (${ALLOWLIST})`,
      },
    ]);
  });

  test('privileged: false is fine', () => {
    expect(autopilot(pod(app('    securityContext:\n      privileged: false\n')))).toEqual([]);
  });

  describe('hostPath', () => {
    const volume = (path: string) =>
      `  volumes:\n  - name: logs\n    hostPath:\n      path: ${path}\n`;
    const mount = (readOnly: string) =>
      `    volumeMounts:\n    - name: logs\n      mountPath: /logs\n${readOnly}`;

    test.each(['/var/log', '/var/log/app'])('%s mounted read-only is allowed', (path) => {
      expect(autopilot(pod(app(mount('      readOnly: true\n')) + volume(path)))).toEqual([]);
    });

    test('under /var/log but writable, by every container that mounts it so', () => {
      const two = `  containers:\n  - name: a\n    image: registry.k8s.io/pause:3.9\n${mount('')}  - name: b\n    image: registry.k8s.io/pause:3.9\n${mount('      readOnly: false\n')}  - name: c\n    image: registry.k8s.io/pause:3.9\n${mount('      readOnly: true\n')}`;
      expect(autopilot(pod(two + volume('/var/log')))).toEqual([
        {
          control: 'host-path',
          severity: 'error',
          field: 'spec.volumes[0].hostPath',
          message: `volume logs mounts the node's /var/log writable (container "a", container "b"); Autopilot allows hostPath only read-only under /var/log${REJECTS}set readOnly: true on every volumeMount of the volume`,
        },
      ]);
    });

    test.each([
      ['/var/logs', '/var/logs'],
      ['/var', '/var'],
      ["''", '(no path)'],
    ])('%s is not under /var/log', (path, shown) => {
      expect(autopilot(pod(app(mount('      readOnly: true\n')) + volume(path)))).toEqual([
        {
          control: 'host-path',
          severity: 'error',
          field: 'spec.volumes[0].hostPath',
          message: `volume logs mounts the node's ${shown} (hostPath); Autopilot allows hostPath only read-only under /var/log${REJECTS}replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim (${ALLOWLIST})`,
        },
      ]);
    });
  });

  describe('host ports', () => {
    const ports = (hostPort: number) =>
      app(`    ports:\n    - containerPort: 80\n      hostPort: ${hostPort}\n`);
    const ANNOTATED =
      '  annotations:\n    autopilot.gke.io/host-port-assignment: \'{"min":9000,"max":9999}\'\n';

    test('a Pod annotated for host port assignment gets a random one; hostPort 0 is none', () => {
      expect(autopilot(pod(ports(8080), ANNOTATED))).toEqual([]);
      expect(autopilot(pod(ports(0)))).toEqual([]);
    });

    test('a Pod without the annotation', () => {
      expect(autopilot(pod(ports(8080)))).toEqual([
        {
          control: 'host-ports',
          severity: 'error',
          field: 'spec.containers[0].ports[0].hostPort',
          message: `container "app" binds host port 8080; Autopilot gives a host port only as a random port to a Pod annotated autopilot.gke.io/host-port-assignment${REJECTS}remove hostPort and expose the port through a Service`,
        },
      ]);
    });

    test.each(['Deployment', 'DaemonSet', 'Job'])('the pods of a %s, even annotated', (kind) => {
      const spec = `      ${ports(8080).trimEnd().split('\n').join('\n      ')}\n`;
      const text = `apiVersion: ${kind === 'Job' ? 'batch/v1' : 'apps/v1'}
kind: ${kind}
metadata:
  name: w
spec:
${kind === 'Job' ? '' : '  selector:\n    matchLabels: {app: w}\n'}  template:
    metadata:
      labels: {app: w}
      annotations:
        autopilot.gke.io/host-port-assignment: '{"min":9000,"max":9999}'
    spec:
${kind === 'Job' ? '        restartPolicy: Never\n' : ''}${spec}`;
      expect(autopilot(text).map((f) => f.message.split(REJECTS)[0])).toEqual([
        `container "app" binds host port 8080; Autopilot gives a host port only as a random port to a Pod annotated autopilot.gke.io/host-port-assignment, never to the pods of a ${kind}`,
      ]);
    });
  });
});
