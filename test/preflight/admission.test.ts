import { preflightResults } from './harness';

/**
 * Admission as preflight reports it: the Pod Security level and version named in each
 * message, the legacy runtime's fix on the findings about the host access it needs, the
 * pod's metadata read where the workload keeps it, and GKE Autopilot's verdicts softened
 * to warnings only when the package installs an allowlist.
 */

interface Seen {
  check: string | undefined;
  severity: string;
  field: string | undefined;
  line: string | undefined;
  message: string;
  tags: Record<string, string>;
}

function admission(config: Record<string, unknown>, text: string): Seen[] {
  return preflightResults(
    { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', ...config },
    text,
  )
    .filter((r) => r.tags?.check === 'autopilot' || String(r.tags?.check).startsWith('pod-'))
    .map((r) => {
      // The rest of the tags: those the admission check adds (column and fix are the report's).
      const tags = Object.fromEntries(
        Object.entries(r.tags ?? {}).filter(
          ([k]) => !['line', 'column', 'check', 'fix'].includes(k),
        ),
      );
      return {
        check: r.tags?.check,
        severity: r.severity,
        field: r.field?.path,
        line: r.tags?.line,
        message: r.message,
        tags,
      };
    });
}

const LEGACY_FIX =
  'this is the legacy Migrate for Anthos runtime, which needs privileged mode and the /sys/fs/cgroup hostPath: regenerate the artifacts with the simplified Linux service manager (v2kServiceManager: true in the migration plan), whose containers need neither';

/**
 * A Deployment whose pod mounts the cgroup hostPath, runs `app` privileged with a host
 * port; `init` carries the Migrate for Anthos entrypoint when `legacy`.
 */
function deployment({ legacy = true, annotations = '' } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchLabels: {app: d}
  template:
    metadata:
      labels: {app: d}
${annotations}    spec:
      volumes:
      - name: cgroup
        hostPath:
          path: /sys/fs/cgroup
      initContainers:
      - name: init
        image: registry.k8s.io/pause:3.9
${legacy ? '        command: [/.v2k.go]\n' : ''}      containers:
      - name: app
        image: registry.k8s.io/pause:3.9
        securityContext:
          privileged: true
        ports:
        - containerPort: 80
          hostPort: 80
`;
}

const T = 'spec.template.spec';

describe('Pod Security findings name the level and the version evaluated', () => {
  const hostNetworkPod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: true
  containers:
  - name: app
    image: registry.k8s.io/pause:3.9
`;
  test.each([
    [undefined, 'v1.37, latest', 'v1.37'],
    ['latest', 'v1.37, latest', 'v1.37'],
    ['v1.30', 'v1.30', 'v1.30'],
    ['v1.0', 'v1.0', 'v1.0'],
    ['v1.99', 'v1.99, evaluated as v1.37, the newest the admission plugin defines', 'v1.37'],
  ])('podSecurityVersion %s', (asked, text, version) => {
    const config: Record<string, unknown> = { podSecurity: 'baseline' };
    if (asked) config.podSecurityVersion = asked;
    expect(admission(config, hostNetworkPod)).toEqual([
      {
        check: 'pod-security-baseline',
        severity: 'error',
        field: 'spec.hostNetwork',
        line: '6',
        message: `the pod sets hostNetwork=true (host namespaces): Pod Security "baseline" (${text}) rejects the pods (control hostNamespaces). Fix: remove hostNetwork`,
        tags: { control: 'hostNamespaces', level: 'baseline', version },
      },
    ]);
  });

  test('at restricted, a baseline control keeps its own check name and the level enforced', () => {
    const seen = admission({ podSecurity: 'restricted' }, hostNetworkPod).filter(
      (s) => s.tags.control === 'hostNamespaces',
    );
    expect(seen.map((s) => [s.check, s.tags.level, s.message.split(': Pod Security ')[1]])).toEqual(
      [
        [
          'pod-security-baseline',
          'restricted',
          '"restricted" (v1.37, latest) rejects the pods (control hostNamespaces). Fix: remove hostNetwork',
        ],
      ],
    );
  });
});

describe("the legacy runtime's fix, on the host access it needs", () => {
  test('baseline: privileged and the hostPath get the legacy fix, the host port its own', () => {
    expect(
      admission({ podSecurity: 'baseline', podSecurityVersion: 'v1.30' }, deployment()),
    ).toEqual([
      {
        check: 'pod-security-baseline',
        severity: 'error',
        field: `${T}.volumes[0].hostPath`,
        line: '15',
        message: `volume "cgroup" mounts the node's /sys/fs/cgroup (hostPath volumes): Pod Security "baseline" (v1.30) rejects the pods (control hostPathVolumes). Fix: ${LEGACY_FIX}`,
        tags: { control: 'hostPathVolumes', level: 'baseline', version: 'v1.30' },
      },
      {
        check: 'pod-security-baseline',
        severity: 'error',
        field: `${T}.containers[0].securityContext.privileged`,
        line: '24',
        message: `container "app" must not set securityContext.privileged=true: Pod Security "baseline" (v1.30) rejects the pods (control privileged). Fix: ${LEGACY_FIX}`,
        tags: { control: 'privileged', level: 'baseline', version: 'v1.30' },
      },
      {
        check: 'pod-security-baseline',
        severity: 'error',
        field: `${T}.containers[0].ports[0].hostPort`,
        line: '27',
        message:
          'container "app" uses hostPort 80: Pod Security "baseline" (v1.30) rejects the pods (control hostPorts). Fix: remove hostPort and expose the port through a Service',
        tags: { control: 'hostPorts', level: 'baseline', version: 'v1.30' },
      },
    ]);
  });

  test('restricted: a hostPath volume gets the legacy fix, another restricted volume its own', () => {
    const text = deployment().replace(
      '      initContainers:',
      '      - name: share\n        nfs: {server: 10.0.0.2, path: /x}\n      initContainers:',
    );
    const volumes = admission({ podSecurity: 'restricted' }, text).filter(
      (s) => s.tags.control === 'restrictedVolumes',
    );
    expect(volumes.map((s) => [s.field, s.message.split('. Fix: ')[1]])).toEqual([
      [`${T}.volumes[0]`, LEGACY_FIX],
      [
        `${T}.volumes[1]`,
        'use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volume (a PersistentVolume for network storage)',
      ],
    ]);
  });

  test('without the legacy runtime, each finding keeps its own fix', () => {
    const fixes = admission({ podSecurity: 'baseline' }, deployment({ legacy: false })).map(
      (s) => s.message.split('. Fix: ')[1],
    );
    expect(fixes).toEqual([
      'replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim',
      'remove securityContext.privileged (add only the capabilities the process needs)',
      'remove hostPort and expose the port through a Service',
    ]);
  });

  test('the legacy entrypoint on a regular container counts as well as on an init container', () => {
    const text = deployment({ legacy: false }).replace(
      '          privileged: true\n',
      '          privileged: true\n        command: [/.v2k.go]\n',
    );
    const fixes = admission({ podSecurity: 'baseline' }, text).map(
      (s) => s.message.split('. Fix: ')[1],
    );
    expect(fixes).toEqual([
      LEGACY_FIX,
      LEGACY_FIX,
      'remove hostPort and expose the port through a Service',
    ]);
  });

  test('the runtime set in the config decides too', () => {
    const fixes = admission(
      { podSecurity: 'baseline', runtime: 'legacy' },
      deployment({ legacy: false }),
    ).map((s) => s.message.split('. Fix: ')[1]);
    expect(fixes).toEqual([
      LEGACY_FIX,
      LEGACY_FIX,
      'remove hostPort and expose the port through a Service',
    ]);
  });
});

describe("the pod's metadata, where the workload keeps it", () => {
  const APPARMOR = '        container.apparmor.security.beta.kubernetes.io/app: unconfined\n';

  test("a Deployment: the template's annotations", () => {
    const text = deployment({ legacy: false, annotations: `      annotations:\n${APPARMOR}` });
    const seen = admission({ podSecurity: 'baseline' }, text).filter(
      (s) => s.tags.control === 'appArmorProfile',
    );
    expect(seen.map((s) => [s.field, s.line])).toEqual([
      [
        'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
        '12',
      ],
    ]);
  });

  test("a CronJob: the job template's pod template", () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: localhost/x
            seccomp.security.alpha.kubernetes.io/pod: unconfined
        spec:
          restartPolicy: Never
          containers:
          - name: app
            image: registry.k8s.io/pause:3.9
`;
    expect(
      admission({ podSecurity: 'baseline', podSecurityVersion: 'v1.18' }, text).map((s) => [
        s.tags.control,
        s.field,
      ]),
    ).toEqual([
      [
        'seccompProfile_baseline',
        'spec.jobTemplate.spec.template.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]',
      ],
    ]);
  });

  test('a template without metadata: no annotation read, the rest checked', () => {
    const text = deployment({ legacy: false }).replace(
      '    metadata:\n      labels: {app: d}\n',
      '',
    );
    expect(admission({ podSecurity: 'baseline' }, text).map((s) => s.tags.control)).toEqual([
      'hostPathVolumes',
      'privileged',
      'hostPorts',
    ]);
  });

  test('template metadata of the wrong type is one schema error at that field', () => {
    const text = deployment({ legacy: false }).replace(
      '    metadata:\n      labels: {app: d}\n',
      '    metadata: [labels]\n',
    );
    const results = preflightResults(
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', podSecurity: 'baseline' },
      text,
    ).filter((r) => r.tags?.check === 'schema');
    expect(results.map((r) => r.field?.path)).toEqual(['spec.template.metadata']);
  });
});

describe('GKE Autopilot, with and without an allowlist', () => {
  const REJECTS = ': GKE Autopilot rejects the pods';
  const allowlist = (kind: string, name: string, apiVersion = 'auto.gke.io/v1', local = false) =>
    `---
apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
${local ? '  annotations:\n    config.kubernetes.io/local-config: "true"\n' : ''}spec: {}
`;

  test('no allowlist: errors, with the legacy fix on host access', () => {
    expect(admission({ platform: 'gke-autopilot' }, deployment())).toEqual([
      {
        check: 'autopilot',
        severity: 'error',
        field: `${T}.volumes[0].hostPath`,
        line: '15',
        message: `volume cgroup mounts the node's /sys/fs/cgroup (hostPath); Autopilot allows hostPath only read-only under /var/log${REJECTS}. Fix: ${LEGACY_FIX}`,
        tags: { control: 'host-path' },
      },
      {
        check: 'autopilot',
        severity: 'error',
        field: `${T}.containers[0].securityContext.privileged`,
        line: '24',
        message: `container "app" is privileged; Autopilot rejects privileged containers${REJECTS}. Fix: ${LEGACY_FIX}`,
        tags: { control: 'privileged' },
      },
      {
        check: 'autopilot',
        severity: 'error',
        field: `${T}.containers[0].ports[0].hostPort`,
        line: '27',
        message: `container "app" binds host port 80; Autopilot gives a host port only as a random port to a Pod annotated autopilot.gke.io/host-port-assignment, never to the pods of a Deployment${REJECTS}. Fix: remove hostPort and expose the port through a Service`,
        tags: { control: 'host-ports' },
      },
    ]);
  });

  test("without the legacy runtime, the fix is the control's own", () => {
    const fixes = admission({ platform: 'gke-autopilot' }, deployment({ legacy: false })).map(
      (s) => s.message.split('. Fix: ')[1],
    );
    expect(fixes).toEqual([
      'replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim (or, for a partner or verified open-source workload, install its WorkloadAllowlist with an AllowlistSynchronizer)',
      'remove securityContext.privileged and add only the capabilities the process needs (or, for a partner or verified open-source workload, install its WorkloadAllowlist with an AllowlistSynchronizer)',
      'remove hostPort and expose the port through a Service',
    ]);
  });

  test('installed allowlists turn the errors into warnings naming them', () => {
    const text =
      deployment() +
      allowlist('AllowlistSynchronizer', 'sync') +
      allowlist('WorkloadAllowlist', 'list');
    const seen = admission({ platform: 'gke-autopilot' }, text);
    expect(seen.map((s) => s.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(seen[1].message).toBe(
      `container "app" is privileged; Autopilot rejects privileged containers: GKE Autopilot rejects the pods unless an allowlist of AllowlistSynchronizer/sync, WorkloadAllowlist/list matches this workload. Fix: ${LEGACY_FIX}`,
    );
  });

  test('an allowlist that is local config, of another API group or another kind installs nothing', () => {
    const text =
      deployment() +
      allowlist('AllowlistSynchronizer', 'local', 'auto.gke.io/v1', true) +
      allowlist('WorkloadAllowlist', 'other', 'example.com/v1') +
      allowlist('Allowlist', 'kind');
    const seen = admission({ platform: 'gke-autopilot' }, text);
    expect(seen.map((s) => s.severity)).toEqual(['error', 'error', 'error']);
    expect(seen.every((s) => s.message.includes(`${REJECTS}. Fix: `))).toBe(true);
  });

  test('Autopilot and a Pod Security level: both verdicts, each once', () => {
    const seen = admission(
      { platform: 'gke-autopilot', podSecurity: 'baseline' },
      deployment({ legacy: false }),
    );
    expect(seen.map((s) => [s.check, s.tags.control])).toEqual([
      ['autopilot', 'host-path'],
      ['pod-security-baseline', 'hostPathVolumes'],
      ['autopilot', 'privileged'],
      ['pod-security-baseline', 'privileged'],
      ['autopilot', 'host-ports'],
      ['pod-security-baseline', 'hostPorts'],
    ]);
  });

  test('another platform checks no Autopilot constraint', () => {
    expect(admission({ platform: 'gke' }, deployment())).toEqual([]);
  });
});
