import { controlsOf, policyMinor } from '../../src/preflight/pod-security';
import { preflightResults } from './harness';

/**
 * What each Pod Security control reports, exactly: the field (as the API server's error
 * names it), the line of the offending node, the message and the fix. The verdicts follow
 * the admission plugin (k8s.io/pod-security-admission, policy/check_*.go); the upstream
 * fixtures in pod-security.test.ts state which pods each level accepts, this file states
 * what a platform engineer reads when one is refused.
 */

type Level = 'baseline' | 'restricted';

interface Finding {
  control: string | undefined;
  check: string | undefined;
  field: string | undefined;
  line: string | undefined;
  message: string;
}

function findings(
  level: Level | 'privileged' | undefined,
  version: string | undefined,
  text: string,
  extra: Record<string, unknown> = {},
): Finding[] {
  const config: Record<string, unknown> = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    metadata: { name: 'pod-security' },
    ...extra,
  };
  if (level) config.podSecurity = level;
  if (version) config.podSecurityVersion = version;
  return preflightResults(config, text)
    .filter((r) => String(r.tags?.check).startsWith('pod-security-'))
    .map((r) => ({
      control: r.tags?.control,
      check: r.tags?.check,
      field: r.field?.path,
      line: r.tags?.line,
      message: r.message,
    }));
}

/** The 1-based line of the first line holding `needle` (the oracle for the reported line). */
function lineOf(text: string, needle: string): string {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line holds ${needle}`);
  return String(i + 1);
}

const VERSION_TEXT: Record<string, string> = {
  latest: 'v1.37, latest',
  'v1.99': 'v1.99, evaluated as v1.37, the newest the admission plugin defines',
};

/** The expected finding of `control` at `level` and `version`. */
function expected(
  level: Level,
  version: string,
  control: string,
  field: string,
  line: string,
  text: string,
  fix: string,
): Finding {
  const controlLevel = CONTROL_LEVEL[control];
  return {
    control,
    check: `pod-security-${controlLevel}`,
    field,
    line,
    message: `${text}: Pod Security "${level}" (${VERSION_TEXT[version] ?? version}) rejects the pods (control ${control}). Fix: ${fix}`,
  };
}

/** The level of each control, from the plugin's check definitions. */
const CONTROL_LEVEL: Record<string, Level> = {
  appArmorProfile: 'baseline',
  capabilities_baseline: 'baseline',
  hostNamespaces: 'baseline',
  hostPathVolumes: 'baseline',
  hostPorts: 'baseline',
  hostProbesAndHostLifecycle: 'baseline',
  privileged: 'baseline',
  procMount: 'baseline',
  seLinuxOptions: 'baseline',
  seccompProfile_baseline: 'baseline',
  sysctls: 'baseline',
  windowsHostProcess: 'baseline',
  allowPrivilegeEscalation: 'restricted',
  capabilities_restricted: 'restricted',
  procMount_restricted: 'restricted',
  restrictedVolumes: 'restricted',
  runAsNonRoot: 'restricted',
  runAsUser: 'restricted',
  seccompProfile_restricted: 'restricted',
};

/**
 * A Pod that passes restricted at every version: `spec` lines go before the containers
 * (indented two spaces), `container` lines into the container `app` (four), `sc` lines
 * into its securityContext (six), `annotations` under metadata.annotations (four).
 */
function pod({
  spec = '',
  podSc = '',
  container = '',
  sc = '',
  annotations = '',
  more = '',
}: {
  spec?: string;
  podSc?: string;
  container?: string;
  sc?: string;
  annotations?: string;
  more?: string;
} = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: p
${annotations ? `  annotations:\n${annotations}` : ''}spec:
${spec}  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
${podSc}  containers:
  - name: app
    image: registry.k8s.io/pause:3.9
${container}    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
${sc}${more}`;
}

const C = 'spec.containers[0]';

describe('a compliant pod', () => {
  test.each(['baseline', 'restricted'] as const)('passes %s at v1.0, v1.24 and latest', (level) => {
    for (const version of ['v1.0', 'v1.24', 'latest']) {
      expect(findings(level, version, pod())).toEqual([]);
    }
  });

  test('no level, or privileged, checks nothing', () => {
    const text = pod({ spec: '  hostNetwork: true\n' });
    expect(findings(undefined, undefined, text)).toEqual([]);
    expect(findings('privileged', 'latest', text)).toEqual([]);
    expect(findings('baseline', undefined, text).map((f) => f.control)).toEqual(['hostNamespaces']);
  });
});

describe('baseline controls, exactly as reported', () => {
  const at = (control: string, field: string, line: string, text: string, fix: string) =>
    expected('baseline', 'latest', control, field, line, text, fix);

  test('hostNamespaces: each of hostNetwork, hostPID, hostIPC set to true; false is fine', () => {
    const text = pod({ spec: '  hostNetwork: true\n  hostPID: false\n  hostIPC: true\n' });
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'hostNamespaces',
        'spec.hostNetwork',
        lineOf(text, 'hostNetwork'),
        'the pod sets hostNetwork=true (host namespaces)',
        'remove hostNetwork',
      ),
      at(
        'hostNamespaces',
        'spec.hostIPC',
        lineOf(text, 'hostIPC'),
        'the pod sets hostIPC=true (host namespaces)',
        'remove hostIPC',
      ),
    ]);
    const pid = pod({ spec: '  hostPID: true\n' });
    expect(findings('baseline', 'latest', pid).map((f) => f.field)).toEqual(['spec.hostPID']);
  });

  test('privileged: true is refused, false is not', () => {
    const text = pod({ sc: '      privileged: true\n' });
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'privileged',
        `${C}.securityContext.privileged`,
        lineOf(text, 'privileged'),
        'container "app" must not set securityContext.privileged=true',
        'remove securityContext.privileged (add only the capabilities the process needs)',
      ),
    ]);
    expect(findings('baseline', 'latest', pod({ sc: '      privileged: false\n' }))).toEqual([]);
  });

  test('capabilities_baseline: the 13 default capabilities pass, any other is refused as written', () => {
    const defaults = [
      'AUDIT_WRITE',
      'CHOWN',
      'DAC_OVERRIDE',
      'FOWNER',
      'FSETID',
      'KILL',
      'MKNOD',
      'NET_BIND_SERVICE',
      'SETFCAP',
      'SETGID',
      'SETPCAP',
      'SETUID',
      'SYS_CHROOT',
    ];
    const ok = pod({ sc: `        add: [${defaults.join(', ')}]\n` });
    expect(findings('baseline', 'latest', ok)).toEqual([]);
    const text = pod({ sc: '        add: [CHOWN, SYS_ADMIN, chown]\n' });
    const fix = (cap: string) =>
      `remove ${cap} from securityContext.capabilities.add (baseline allows ${defaults.join(', ')})`;
    const line = lineOf(text, 'add:');
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'capabilities_baseline',
        `${C}.securityContext.capabilities.add[1]`,
        line,
        'container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add (non-default capabilities)',
        fix('SYS_ADMIN'),
      ),
      at(
        'capabilities_baseline',
        `${C}.securityContext.capabilities.add[2]`,
        line,
        'container "app" must not include "chown" in securityContext.capabilities.add (non-default capabilities)',
        fix('chown'),
      ),
    ]);
  });

  test('a volume without a name is named ""', () => {
    const text = pod({ spec: '  volumes:\n  - hostPath: {path: /srv}\n' });
    expect(findings('baseline', 'latest', text).map((f) => f.message.split(': Pod')[0])).toEqual([
      `volume "" mounts the node's /srv (hostPath volumes)`,
    ]);
    expect(findings('restricted', 'latest', text).map((f) => f.message.split(': Pod')[0])).toEqual([
      `volume "" uses restricted volume type "hostPath" (the node's /srv)`,
    ]);
  });

  test('hostPathVolumes: the volume is named with its path, or "(no path)"', () => {
    const text = pod({
      spec: '  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log\n  - name: bare\n    hostPath: {}\n  - name: scratch\n    emptyDir: {}\n',
    });
    const fix =
      'replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim';
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'hostPathVolumes',
        'spec.volumes[0].hostPath',
        lineOf(text, 'path: /var/log'),
        `volume "logs" mounts the node's /var/log (hostPath volumes)`,
        fix,
      ),
      at(
        'hostPathVolumes',
        'spec.volumes[1].hostPath',
        lineOf(text, 'hostPath: {}'),
        `volume "bare" mounts the node's (no path) (hostPath volumes)`,
        fix,
      ),
    ]);
  });

  test('hostPorts: a non-zero hostPort, in any container kind; 0 or unset is none', () => {
    const text = pod({
      container:
        '    ports:\n    - containerPort: 80\n    - containerPort: 81\n      hostPort: 0\n    - containerPort: 82\n      hostPort: 8082\n',
    });
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'hostPorts',
        `${C}.ports[2].hostPort`,
        lineOf(text, 'hostPort: 8082'),
        'container "app" uses hostPort 8082',
        'remove hostPort and expose the port through a Service',
      ),
    ]);
    const init = `${pod()}  initContainers:
  - name: init
    image: registry.k8s.io/pause:3.9
    ports:
    - containerPort: 53
      hostPort: 53
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
`;
    expect(findings('restricted', 'latest', init).map((f) => [f.field, f.message])).toEqual([
      [
        'spec.initContainers[0].ports[0].hostPort',
        expected(
          'restricted',
          'latest',
          'hostPorts',
          '',
          '',
          'container "init" uses hostPort 53',
          'remove hostPort and expose the port through a Service',
        ).message,
      ],
    ]);
  });

  test('hostProbesAndHostLifecycle: a host on any probe or lifecycle handler, httpGet or tcpSocket', () => {
    const text = pod({
      container: `    livenessProbe:
      httpGet:
        host: 10.0.0.1
        port: 80
    readinessProbe:
      tcpSocket:
        host: db.local
        port: 5432
    startupProbe:
      httpGet:
        port: 80
      tcpSocket:
        host: ""
        port: 80
    lifecycle:
      postStart:
        httpGet:
          host: 10.0.0.2
          port: 80
      preStop:
        tcpSocket:
          host: 10.0.0.3
          port: 80
`,
    });
    const probeFix = (action: string) =>
      `remove ${action}.host: the kubelet then connects to the pod's own IP`;
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'hostProbesAndHostLifecycle',
        `${C}.livenessProbe.httpGet.host`,
        lineOf(text, 'host: 10.0.0.1'),
        'container "app" uses probe host "10.0.0.1" (livenessProbe.httpGet.host)',
        probeFix('httpGet'),
      ),
      at(
        'hostProbesAndHostLifecycle',
        `${C}.readinessProbe.tcpSocket.host`,
        lineOf(text, 'host: db.local'),
        'container "app" uses probe host "db.local" (readinessProbe.tcpSocket.host)',
        probeFix('tcpSocket'),
      ),
      at(
        'hostProbesAndHostLifecycle',
        `${C}.lifecycle.postStart.httpGet.host`,
        lineOf(text, 'host: 10.0.0.2'),
        'container "app" uses lifecycle handler host "10.0.0.2" (lifecycle.postStart.httpGet.host)',
        probeFix('httpGet'),
      ),
      at(
        'hostProbesAndHostLifecycle',
        `${C}.lifecycle.preStop.tcpSocket.host`,
        lineOf(text, 'host: 10.0.0.3'),
        'container "app" uses lifecycle handler host "10.0.0.3" (lifecycle.preStop.tcpSocket.host)',
        probeFix('tcpSocket'),
      ),
    ]);
    const startup = pod({
      container: '    startupProbe:\n      httpGet:\n        host: s\n        port: 1\n',
    });
    expect(findings('baseline', 'latest', startup).map((f) => f.field)).toEqual([
      `${C}.startupProbe.httpGet.host`,
    ]);
    const lifecycleOnly = pod({
      container: '    lifecycle:\n      preStop:\n        exec:\n          command: [sh]\n',
    });
    expect(findings('baseline', 'latest', lifecycleOnly)).toEqual([]);
  });

  test('appArmorProfile: fields other than RuntimeDefault or Localhost, and the beta annotations', () => {
    const text = pod({
      annotations: [
        '    container.apparmor.security.beta.kubernetes.io/app: unconfined',
        '    container.apparmor.security.beta.kubernetes.io/a: runtime/default',
        '    container.apparmor.security.beta.kubernetes.io/b: localhost/profile',
        "    container.apparmor.security.beta.kubernetes.io/c: ''",
        '    example.com/apparmor: unconfined',
        '',
      ].join('\n'),
      podSc: '    appArmorProfile:\n      localhostProfile: p\n',
      sc: '      appArmorProfile:\n        type: Unconfined\n',
    });
    expect(findings('baseline', 'latest', text)).toEqual(
      [
        at(
          'appArmorProfile',
          'spec.securityContext.appArmorProfile.type',
          lineOf(text, 'localhostProfile: p'),
          'the pod must not set AppArmor profile type to "" (forbidden AppArmor profile)',
          'use appArmorProfile.type RuntimeDefault or Localhost, or remove it',
        ),
        at(
          'appArmorProfile',
          `${C}.securityContext.appArmorProfile.type`,
          lineOf(text, 'type: Unconfined'),
          'container "app" must not set AppArmor profile type to "Unconfined" (forbidden AppArmor profile)',
          'use appArmorProfile.type RuntimeDefault or Localhost, or remove it',
        ),
        at(
          'appArmorProfile',
          'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
          lineOf(text, '/app: unconfined'),
          'annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" is a forbidden AppArmor profile',
          'use runtime/default or localhost/PROFILE (or securityContext.appArmorProfile)',
        ),
      ].sort((a, b) => Number(a.line) - Number(b.line)),
    );
    // The type's own line, not the profile's first key.
    const second = pod({
      sc: '      appArmorProfile:\n        localhostProfile: p\n        type: Unconfined\n',
    });
    expect(findings('baseline', 'latest', second).map((f) => f.line)).toEqual([
      lineOf(second, 'type: Unconfined'),
    ]);
    for (const type of ['RuntimeDefault', 'Localhost']) {
      const ok = pod({ sc: `      appArmorProfile:\n        type: ${type}\n` });
      expect(findings('baseline', 'latest', ok)).toEqual([]);
    }
  });

  test('seLinuxOptions: the allowed types of the version, user and role never', () => {
    const text = pod({
      podSc: '    seLinuxOptions:\n      type: container_t\n      level: s0:c1\n',
      sc: '      seLinuxOptions:\n        type: spc_t\n        user: system_u\n        role: system_r\n',
    });
    // A map's node starts at its first key.
    const line = lineOf(text, 'type: spc_t');
    expect(findings('baseline', 'v1.30', text)).toEqual([
      expected(
        'baseline',
        'v1.30',
        'seLinuxOptions',
        `${C}.securityContext.seLinuxOptions`,
        line,
        'container "app" sets forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set',
        'remove seLinuxOptions.user and .role; type may only be container_t, container_init_t, container_kvm_t or unset',
      ),
    ]);
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'seLinuxOptions',
        `${C}.securityContext.seLinuxOptions`,
        line,
        'container "app" sets forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set',
        'remove seLinuxOptions.user and .role; type may only be container_t, container_init_t, container_kvm_t, container_engine_t or unset',
      ),
    ]);
    const roleOnly = pod({ podSc: '    seLinuxOptions:\n      role: r\n' });
    expect(findings('baseline', 'latest', roleOnly).map((f) => f.message.split(':')[0])).toEqual([
      'the pod sets forbidden securityContext.seLinuxOptions',
    ]);
    expect(findings('baseline', 'latest', roleOnly)[0].message).toContain(
      'seLinuxOptions: role may not be set: Pod Security',
    );
    for (const type of [
      'container_t',
      'container_init_t',
      'container_kvm_t',
      'container_engine_t',
      '""',
    ]) {
      const ok = pod({ sc: `      seLinuxOptions:\n        type: ${type}\n        level: s0\n` });
      expect({ type, found: findings('baseline', 'latest', ok) }).toEqual({ type, found: [] });
    }
  });

  test('procMount: anything but Default, in a user namespace allowed by baseline from v1.35', () => {
    const text = pod({ sc: '      procMount: Unmasked\n' });
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'procMount',
        `${C}.securityContext.procMount`,
        lineOf(text, 'procMount'),
        'container "app" must not set securityContext.procMount to "Unmasked"',
        'remove securityContext.procMount (Default)',
      ),
    ]);
    expect(findings('baseline', 'latest', pod({ sc: '      procMount: Default\n' }))).toEqual([]);
    const userNs = pod({ spec: '  hostUsers: false\n', sc: '      procMount: Unmasked\n' });
    expect(findings('baseline', 'latest', userNs)).toEqual([]);
    expect(findings('baseline', 'v1.34', userNs).map((f) => f.control)).toEqual(['procMount']);
    const hostUsers = pod({ spec: '  hostUsers: true\n', sc: '      procMount: Unmasked\n' });
    expect(findings('baseline', 'latest', hostUsers).map((f) => f.control)).toEqual(['procMount']);
    expect(findings('restricted', 'latest', userNs).map((f) => f.control)).toEqual([
      'procMount_restricted',
    ]);
  });

  test('seccompProfile_baseline up to v1.18: the alpha annotations of the pod and of its containers', () => {
    const text = pod({
      annotations: [
        '    seccomp.security.alpha.kubernetes.io/pod: unconfined',
        '    container.seccomp.security.alpha.kubernetes.io/app: localhost/x',
        '    container.seccomp.security.alpha.kubernetes.io/gone: unconfined',
        '',
      ].join('\n'),
    });
    expect(findings('baseline', 'v1.18', text)).toEqual([
      expected(
        'baseline',
        'v1.18',
        'seccompProfile_baseline',
        'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]',
        lineOf(text, 'alpha.kubernetes.io/pod:'),
        'forbidden seccomp annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
        'use runtime/default or localhost/PROFILE',
      ),
    ]);
    const container = pod({
      annotations: '    container.seccomp.security.alpha.kubernetes.io/app: unconfined\n',
    });
    expect(findings('baseline', 'v1.18', container).map((f) => f.field)).toEqual([
      'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/app"]',
    ]);
    for (const value of ['runtime/default', 'docker/default', 'localhost/p']) {
      const ok = pod({ annotations: `    seccomp.security.alpha.kubernetes.io/pod: ${value}\n` });
      expect({ value, found: findings('baseline', 'v1.18', ok) }).toEqual({ value, found: [] });
    }
  });

  test('seccompProfile_baseline from v1.19: the field, Unconfined or without a type', () => {
    const text = pod({
      podSc: '',
      sc: '      seccompProfile:\n        type: Unconfined\n',
    });
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'seccompProfile_baseline',
        `${C}.securityContext.seccompProfile.type`,
        lineOf(text, 'type: Unconfined'),
        'container "app" must not set securityContext.seccompProfile.type to "Unconfined"',
        'use seccompProfile.type RuntimeDefault (or Localhost)',
      ),
    ]);
    const untyped = pod({ sc: '      seccompProfile:\n        localhostProfile: p\n' });
    expect(findings('baseline', 'latest', untyped)).toEqual([
      at(
        'seccompProfile_baseline',
        `${C}.securityContext.seccompProfile.type`,
        lineOf(untyped, 'localhostProfile: p'),
        'container "app" must not set securityContext.seccompProfile.type to ""',
        'use seccompProfile.type RuntimeDefault (or Localhost)',
      ),
    ]);
    const second = pod({
      sc: '      seccompProfile:\n        localhostProfile: p\n        type: Unconfined\n',
    });
    expect(findings('baseline', 'latest', second).map((f) => f.line)).toEqual([
      lineOf(second, 'type: Unconfined'),
    ]);
    const local = pod({ sc: '      seccompProfile:\n        type: Localhost\n' });
    expect(findings('baseline', 'latest', local)).toEqual([]);
  });

  test('sysctls: the safe set of each version (check_sysctls.go), every other name refused', () => {
    // The plugin's safe sysctls and the version each joined the set.
    const SAFE: [string, number][] = [
      ['kernel.shm_rmid_forced', 0],
      ['net.ipv4.ip_local_port_range', 0],
      ['net.ipv4.tcp_syncookies', 0],
      ['net.ipv4.ping_group_range', 0],
      ['net.ipv4.ip_unprivileged_port_start', 0],
      ['net.ipv4.ip_local_reserved_ports', 27],
      ['net.ipv4.tcp_keepalive_time', 29],
      ['net.ipv4.tcp_fin_timeout', 29],
      ['net.ipv4.tcp_keepalive_intvl', 29],
      ['net.ipv4.tcp_keepalive_probes', 29],
      ['net.ipv4.tcp_rmem', 32],
      ['net.ipv4.tcp_wmem', 32],
      ['net.ipv4.tcp_slow_start_after_idle', 37],
      ['net.ipv4.tcp_notsent_lowat', 37],
    ];
    const text = pod({
      podSc: `    sysctls:\n${SAFE.map(([name]) => `    - name: ${name}\n      value: "1"\n`).join('')}    - value: "1"\n`,
    });
    for (const minor of [0, 26, 27, 28, 29, 31, 32, 36, 37]) {
      const version = `v1.${minor}`;
      const refused = findings('baseline', version, text).map((f) => f.field);
      const expectedFields = SAFE.flatMap(([, since], i) =>
        since > minor ? [`spec.securityContext.sysctls[${i}]`] : [],
      );
      expect({ version, refused }).toEqual({
        version,
        refused: [...expectedFields, `spec.securityContext.sysctls[${SAFE.length}]`],
      });
    }
    const one = pod({
      podSc: '    sysctls:\n    - name: net.core.somaxconn\n      value: "1024"\n',
    });
    expect(findings('baseline', 'latest', one)).toEqual([
      at(
        'sysctls',
        'spec.securityContext.sysctls[0]',
        lineOf(one, 'net.core.somaxconn'),
        'the pod sets sysctl net.core.somaxconn, outside the safe set of this policy version (forbidden sysctls)',
        'remove the sysctl (or allow it on the nodes and run the pod in a privileged namespace)',
      ),
    ]);
  });

  test('windowsHostProcess: hostProcess true on the pod or a container; false is fine', () => {
    const text = pod({
      podSc: '    windowsOptions:\n      hostProcess: true\n',
      sc: '      windowsOptions:\n        hostProcess: false\n',
    });
    expect(findings('baseline', 'latest', text)).toEqual([
      at(
        'windowsHostProcess',
        'spec.securityContext.windowsOptions.hostProcess',
        lineOf(text, 'hostProcess: true'),
        'the pod must not set securityContext.windowsOptions.hostProcess=true',
        'remove windowsOptions.hostProcess',
      ),
    ]);
    const named = pod({ sc: '      windowsOptions:\n        gmsaCredentialSpecName: g\n' });
    expect(findings('baseline', 'latest', named)).toEqual([]);
  });
});

describe('restricted controls, exactly as reported', () => {
  const at = (control: string, field: string, line: string, text: string, fix: string) =>
    expected('restricted', 'latest', control, field, line, text, fix);

  /** A pod whose container `app` has exactly `container` (its securityContext included). */
  const bare = (container: string, podSc = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
${podSc}  containers:
  - name: app
    image: registry.k8s.io/pause:3.9
${container}`;

  test('a container without a securityContext: each restricted field it lacks, at the container', () => {
    const text = bare(
      '',
      '  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: RuntimeDefault\n',
    );
    const line = lineOf(text, '- name: app');
    expect(findings('restricted', 'latest', text)).toEqual([
      at(
        'allowPrivilegeEscalation',
        `${C}.securityContext.allowPrivilegeEscalation`,
        line,
        'container "app" must set securityContext.allowPrivilegeEscalation=false',
        'set securityContext.allowPrivilegeEscalation: false',
      ),
      at(
        'capabilities_restricted',
        `${C}.securityContext.capabilities.drop`,
        line,
        'container "app" must set securityContext.capabilities.drop=["ALL"]',
        'set securityContext.capabilities.drop: [ALL]',
      ),
    ]);
  });

  test('runAsNonRoot: the pod false, a container false, or neither true', () => {
    const podFalse = bare(
      '    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [ALL]\n',
      '  securityContext:\n    runAsNonRoot: false\n    seccompProfile:\n      type: RuntimeDefault\n',
    );
    expect(findings('restricted', 'latest', podFalse)).toEqual([
      at(
        'runAsNonRoot',
        'spec.securityContext.runAsNonRoot',
        lineOf(podFalse, 'runAsNonRoot: false'),
        'the pod must not set securityContext.runAsNonRoot=false',
        'set securityContext.runAsNonRoot: true and run as a non-root uid',
      ),
      at(
        'runAsNonRoot',
        `${C}.securityContext.runAsNonRoot`,
        lineOf(podFalse, 'allowPrivilegeEscalation: false'),
        'the pod or container "app" must set securityContext.runAsNonRoot=true',
        'set securityContext.runAsNonRoot: true (on the pod or the container) and run as a non-root uid',
      ),
    ]);
    // The container's own true covers it whatever the pod says.
    const containerTrue = podFalse.replace(
      'drop: [ALL]\n',
      'drop: [ALL]\n      runAsNonRoot: true\n',
    );
    expect(findings('restricted', 'latest', containerTrue).map((f) => f.field)).toEqual([
      'spec.securityContext.runAsNonRoot',
    ]);
    const containerFalse = pod({ sc: '      runAsNonRoot: false\n' });
    expect(findings('restricted', 'latest', containerFalse)).toEqual([
      at(
        'runAsNonRoot',
        `${C}.securityContext.runAsNonRoot`,
        lineOf(containerFalse, 'runAsNonRoot: false'),
        'container "app" must not set securityContext.runAsNonRoot=false',
        'set securityContext.runAsNonRoot: true (on the pod or the container) and run as a non-root uid',
      ),
    ]);
    const unset = bare(
      '    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [ALL]\n',
      '  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n',
    );
    expect(findings('restricted', 'latest', unset).map((f) => [f.control, f.field])).toEqual([
      ['runAsNonRoot', `${C}.securityContext.runAsNonRoot`],
    ]);
  });

  test('runAsUser: 0 on the pod or a container, from v1.23; another uid is fine', () => {
    const text = pod({ podSc: '    runAsUser: 0\n', sc: '      runAsUser: 1000\n' });
    expect(findings('restricted', 'latest', text)).toEqual([
      at(
        'runAsUser',
        'spec.securityContext.runAsUser',
        lineOf(text, 'runAsUser: 0'),
        'the pod must not set runAsUser=0',
        'set runAsUser to a non-zero uid',
      ),
    ]);
    const container = pod({ sc: '      runAsUser: 0\n' });
    expect(findings('restricted', 'latest', container).map((f) => f.message.split(':')[0])).toEqual(
      ['container "app" must not set runAsUser=0'],
    );
  });

  test('seccompProfile_restricted: set on the pod, or on every container the pod leaves unset', () => {
    const noPod = bare(
      '    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [ALL]\n',
      '  securityContext:\n    runAsNonRoot: true\n',
    );
    expect(findings('restricted', 'latest', noPod)).toEqual([
      at(
        'seccompProfile_restricted',
        `${C}.securityContext.seccompProfile.type`,
        lineOf(noPod, 'allowPrivilegeEscalation: false'),
        'the pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
        'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
      ),
    ]);
    const containerSet = noPod.replace(
      'drop: [ALL]\n',
      'drop: [ALL]\n      seccompProfile:\n        type: Localhost\n',
    );
    expect(findings('restricted', 'latest', containerSet)).toEqual([]);
    // An invalid pod profile is refused and covers no container.
    const podBad = pod({ podSc: '' }).replace('type: RuntimeDefault', 'type: Unconfined');
    expect(findings('restricted', 'latest', podBad).map((f) => [f.control, f.field])).toEqual([
      ['seccompProfile_restricted', 'spec.securityContext.seccompProfile.type'],
      ['seccompProfile_restricted', `${C}.securityContext.seccompProfile.type`],
    ]);
    // Restricted replaces the baseline control: one finding, not two.
    const containerBad = pod({ sc: '      seccompProfile:\n        type: Unconfined\n' });
    for (const version of ['v1.19', 'v1.24', 'latest']) {
      expect(findings('restricted', version, containerBad).map((f) => f.control)).toEqual([
        'seccompProfile_restricted',
      ]);
    }
  });

  test('capabilities_restricted: drop ALL exactly, add NET_BIND_SERVICE only; it replaces the baseline control', () => {
    const controls = (level: Level, version: string, text: string) =>
      findings(level, version, text).map((f) => f.control);
    const text = pod({ sc: '        add: [NET_BIND_SERVICE, SYS_TIME]\n' });
    expect(findings('restricted', 'latest', text)).toEqual([
      at(
        'capabilities_restricted',
        `${C}.securityContext.capabilities.add[1]`,
        lineOf(text, 'add:'),
        'container "app" must not include "SYS_TIME" in securityContext.capabilities.add (restricted allows NET_BIND_SERVICE only)',
        'remove SYS_TIME from securityContext.capabilities.add',
      ),
    ]);
    // A capability neither level allows is refused once, by restricted, which replaces
    // capabilities_baseline from v1.22 (when it entered) on.
    const sysAdmin = pod({ sc: '        add: [SYS_ADMIN]\n' });
    expect(controls('restricted', 'v1.21', sysAdmin)).toEqual(['capabilities_baseline']);
    for (const version of ['v1.22', 'v1.24', 'v1.25', 'latest']) {
      expect(controls('restricted', version, sysAdmin)).toEqual(['capabilities_restricted']);
    }
    // CHOWN is a baseline default but not restricted's: refused once, by restricted.
    const chown = pod({ sc: '        add: [CHOWN]\n' });
    for (const version of ['v1.22', 'v1.24', 'v1.25', 'latest']) {
      expect(findings('restricted', version, chown).map((f) => f.control)).toEqual([
        'capabilities_restricted',
      ]);
    }
    const noDrop = pod({}).replace('        drop: [ALL]\n', '        drop: [NET_RAW]\n');
    expect(findings('restricted', 'latest', noDrop)).toEqual([
      at(
        'capabilities_restricted',
        `${C}.securityContext.capabilities.drop`,
        lineOf(noDrop, 'drop: [NET_RAW]'),
        'container "app" must set securityContext.capabilities.drop=["ALL"]',
        'set securityContext.capabilities.drop: [ALL]',
      ),
    ]);
    // ALL among other drops counts.
    const dropMore = pod({}).replace('        drop: [ALL]\n', '        drop: [NET_RAW, ALL]\n');
    expect(findings('restricted', 'latest', dropMore)).toEqual([]);
    const emptyCaps = pod({}).replace(
      '      capabilities:\n        drop: [ALL]\n',
      '      capabilities: {}\n',
    );
    expect(findings('restricted', 'latest', emptyCaps).map((f) => f.line)).toEqual([
      lineOf(emptyCaps, 'capabilities: {}'),
    ]);
    const noCaps = pod({}).replace('      capabilities:\n        drop: [ALL]\n', '');
    expect(findings('restricted', 'latest', noCaps).map((f) => f.line)).toEqual([
      lineOf(noCaps, 'allowPrivilegeEscalation: false'),
    ]);
  });

  test('allowPrivilegeEscalation: only false passes', () => {
    const text = pod({}).replace(
      'allowPrivilegeEscalation: false',
      'allowPrivilegeEscalation: true',
    );
    expect(findings('restricted', 'latest', text)).toEqual([
      at(
        'allowPrivilegeEscalation',
        `${C}.securityContext.allowPrivilegeEscalation`,
        lineOf(text, 'allowPrivilegeEscalation: true'),
        'container "app" must set securityContext.allowPrivilegeEscalation=false',
        'set securityContext.allowPrivilegeEscalation: false',
      ),
    ]);
    // The line is the field's own, wherever it stands in the securityContext.
    const last = pod({}).replace(
      '      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [ALL]\n',
      '      capabilities:\n        drop: [ALL]\n      allowPrivilegeEscalation: true\n',
    );
    expect(findings('restricted', 'latest', last).map((f) => f.line)).toEqual([
      lineOf(last, 'allowPrivilegeEscalation: true'),
    ]);
    const unset = pod({}).replace('      allowPrivilegeEscalation: false\n', '');
    expect(findings('restricted', 'latest', unset).map((f) => f.line)).toEqual([
      lineOf(unset, '      capabilities:'),
    ]);
  });

  test('restrictedVolumes: every inline source restricted allows, and one that is not; it replaces hostPathVolumes', () => {
    const allowed = [
      'configMap: {name: c}',
      'csi: {driver: d}',
      'downwardAPI: {}',
      'emptyDir: {}',
      'ephemeral: {volumeClaimTemplate: {spec: {}}}',
      'image: {reference: registry.k8s.io/pause:3.9}',
      'persistentVolumeClaim: {claimName: c}',
      'projected: {sources: []}',
      'secret: {secretName: s}',
      'nfs: null',
    ];
    const ok = pod({
      spec: `  volumes:\n${allowed.map((s, i) => `  - name: v${i}\n    ${s}\n`).join('')}  - name: none\n`,
    });
    expect(findings('restricted', 'latest', ok)).toEqual([]);
    // The plugin lets a volume pass when any source it sets is allowed (that a volume
    // sets one source only is the API server's validation, not admission's).
    const twoSources = pod({
      spec: '  volumes:\n  - name: both\n    emptyDir: {}\n    nfs: {server: 10.0.0.2, path: /x}\n',
    });
    expect(findings('restricted', 'latest', twoSources)).toEqual([]);
    const text = pod({
      spec: '  volumes:\n  - name: share\n    nfs:\n      server: 10.0.0.2\n      path: /exports\n  - name: host\n    hostPath:\n      path: /data\n',
    });
    const fix =
      'use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volume (a PersistentVolume for network storage)';
    expect(findings('restricted', 'latest', text)).toEqual([
      at(
        'restrictedVolumes',
        'spec.volumes[0]',
        lineOf(text, '- name: share'),
        'volume "share" uses restricted volume type "nfs"',
        fix,
      ),
      at(
        'restrictedVolumes',
        'spec.volumes[1]',
        lineOf(text, '- name: host'),
        `volume "host" uses restricted volume type "hostPath" (the node's /data)`,
        fix,
      ),
    ]);
  });
});

describe('the versions the controls entered (the plugin at each boundary)', () => {
  const controls = (level: Level, version: string, text: string) =>
    findings(level, version, text).map((f) => f.control);
  const bareContainer = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: registry.k8s.io/pause:3.9
`;

  test('a bare pod at restricted: runAsNonRoot always, allowPrivilegeEscalation from v1.8, seccomp from v1.19, capabilities from v1.22', () => {
    expect(controls('restricted', 'v1.0', bareContainer)).toEqual(['runAsNonRoot']);
    expect(controls('restricted', 'v1.7', bareContainer)).toEqual(['runAsNonRoot']);
    expect(controls('restricted', 'v1.8', bareContainer)).toEqual([
      'allowPrivilegeEscalation',
      'runAsNonRoot',
    ]);
    expect(controls('restricted', 'v1.18', bareContainer)).toEqual([
      'allowPrivilegeEscalation',
      'runAsNonRoot',
    ]);
    expect(controls('restricted', 'v1.19', bareContainer)).toEqual([
      'allowPrivilegeEscalation',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    expect(controls('restricted', 'v1.21', bareContainer)).toEqual([
      'allowPrivilegeEscalation',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    expect(controls('restricted', 'v1.22', bareContainer)).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    expect(controls('baseline', 'latest', bareContainer)).toEqual([]);
  });

  test('runAsUser 0 in a user namespace: refused up to v1.34, allowed from v1.35', () => {
    const text = pod({ spec: '  hostUsers: false\n', podSc: '    runAsUser: 0\n' });
    expect(controls('restricted', 'v1.22', text)).toEqual([]);
    expect(controls('restricted', 'v1.23', text)).toEqual(['runAsUser']);
    expect(controls('restricted', 'v1.34', text)).toEqual(['runAsUser']);
    expect(controls('restricted', 'v1.35', text)).toEqual([]);
    const hostUsers = pod({ podSc: '    runAsUser: 0\n' });
    expect(controls('restricted', 'v1.35', hostUsers)).toEqual(['runAsUser']);
  });

  test('runAsNonRoot false in a user namespace: allowed from v1.35', () => {
    const text = pod({ spec: '  hostUsers: false\n' }).replace(
      'runAsNonRoot: true',
      'runAsNonRoot: false',
    );
    expect(controls('restricted', 'v1.34', text)).toEqual(['runAsNonRoot', 'runAsNonRoot']);
    expect(controls('restricted', 'v1.35', text)).toEqual([]);
  });

  test('a Windows pod is spared the Linux-only restricted controls from v1.25, not runAsNonRoot', () => {
    const win = `apiVersion: v1
kind: Pod
metadata:
  name: win
spec:
  os:
    name: windows
  containers:
  - name: app
    image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`;
    expect(controls('restricted', 'v1.24', win)).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    expect(controls('restricted', 'v1.25', win)).toEqual(['runAsNonRoot']);
    const linux = win.replace('name: windows', 'name: linux');
    expect(controls('restricted', 'v1.25', linux)).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    const noName = win
      .replace('    name: windows\n', '    {}\n')
      .replace('  os:\n    {}\n', '  os: {}\n');
    expect(controls('restricted', 'v1.25', noName)).toHaveLength(4);
  });

  test('procMount_restricted enters at v1.35 and replaces procMount', () => {
    const text = pod({ sc: '      procMount: Unmasked\n' });
    expect(controls('restricted', 'v1.34', text)).toEqual(['procMount']);
    expect(controls('restricted', 'v1.35', text)).toEqual(['procMount_restricted']);
    expect(controls('restricted', 'latest', pod({ sc: '      procMount: Default\n' }))).toEqual([]);
  });

  test('hostPath at restricted is one restrictedVolumes finding at every version', () => {
    const text = pod({ spec: '  volumes:\n  - name: h\n    hostPath:\n      path: /x\n' });
    for (const version of ['v1.0', 'v1.24', 'latest']) {
      expect(controls('restricted', version, text)).toEqual(['restrictedVolumes']);
    }
    expect(controls('baseline', 'v1.0', text)).toEqual(['hostPathVolumes']);
  });
});

describe('policy versions and the control table', () => {
  test('policyMinor: latest or unset is the newest, v1.N is N, past the newest is the newest', () => {
    expect(policyMinor(undefined)).toBe(37);
    expect(policyMinor('latest')).toBe(37);
    expect(policyMinor('v1.0')).toBe(0);
    expect(policyMinor('v1.5')).toBe(5);
    expect(policyMinor('v1.10')).toBe(10);
    expect(policyMinor('v1.36')).toBe(36);
    expect(policyMinor('v1.37')).toBe(37);
    expect(policyMinor('v1.38')).toBe(37);
    expect(policyMinor('v1.100')).toBe(37);
  });

  test.each(['v1.05', 'v1.', 'v1', '1.25', 'v2.0', 'v1.25.1', 'xv1.25', 'v1.25x', 'Latest', ''])(
    'policyMinor refuses %j',
    (version) => {
      expect(() => policyMinor(version)).toThrow(
        new Error(`podSecurityVersion ${version} is not "latest" or "v1.N"`),
      );
    },
  );

  test("controlsOf: each level's controls and the versions each changed (the plugin's registry)", () => {
    expect(controlsOf('baseline')).toEqual([
      { id: 'appArmorProfile', since: [0] },
      { id: 'capabilities_baseline', since: [0] },
      { id: 'hostNamespaces', since: [0] },
      { id: 'hostPathVolumes', since: [0] },
      { id: 'hostPorts', since: [0] },
      { id: 'hostProbesAndHostLifecycle', since: [34] },
      { id: 'privileged', since: [0] },
      { id: 'procMount', since: [0, 35] },
      { id: 'seLinuxOptions', since: [0, 31] },
      { id: 'seccompProfile_baseline', since: [0, 19] },
      { id: 'sysctls', since: [0, 27, 29, 32, 37] },
      { id: 'windowsHostProcess', since: [0] },
    ]);
    expect(controlsOf('restricted')).toEqual([
      { id: 'allowPrivilegeEscalation', since: [8, 25] },
      { id: 'capabilities_restricted', since: [22, 25] },
      { id: 'procMount_restricted', since: [35] },
      { id: 'restrictedVolumes', since: [0] },
      { id: 'runAsNonRoot', since: [0, 35] },
      { id: 'runAsUser', since: [23, 35] },
      { id: 'seccompProfile_restricted', since: [19, 25] },
    ]);
  });
});
