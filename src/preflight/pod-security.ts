import type { Node, YAMLMap } from 'yaml';
import { ScalarNode } from '../yaml/classes';
import { child, mapItems, readMap, readSeq, readString } from '../yaml/edit';
import { bool, integer, strings, who } from './pod-view';
import type { ContainerView, PodView } from './pod-view';

/**
 * The Pod Security admission plugin (k8s.io/pod-security-admission, `policy/check_*.go`)
 * ported control by control: each control's versions, allowed values and relaxations are
 * the plugin's, so a pod this module passes is one the API server admits at that level
 * and version, and one it fails is one the API server rejects.
 *
 * Source: https://github.com/kubernetes/pod-security-admission (policy/), the staging
 * copy of kubernetes/kubernetes staging/src/k8s.io/pod-security-admission.
 */

export type PodSecurityLevel = 'baseline' | 'restricted';

/** The newest policy version the plugin defines (sysctls v1.37); `latest` means it. */
export const LATEST_POLICY_MINOR = 37;

/** The control ids, exactly the plugin's check ids. */
export type ControlId =
  | 'allowPrivilegeEscalation'
  | 'appArmorProfile'
  | 'capabilities_baseline'
  | 'capabilities_restricted'
  | 'hostNamespaces'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'hostProbesAndHostLifecycle'
  | 'privileged'
  | 'procMount'
  | 'procMount_restricted'
  | 'restrictedVolumes'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seLinuxOptions'
  | 'seccompProfile_baseline'
  | 'seccompProfile_restricted'
  | 'sysctls'
  | 'windowsHostProcess';

/** One field a control forbids. */
export interface PodSecurityViolation {
  control: ControlId;
  level: PodSecurityLevel;
  message: string;
  field: string;
  node?: Node;
  fix: string;
  /** Host access the legacy Migrate for Anthos runtime needs (privileged, hostPath). */
  hostAccess?: boolean;
}

type Found = Omit<PodSecurityViolation, 'control' | 'level'>;
type CheckPod = (pod: PodView) => Found[];

interface VersionedCheck {
  /** The first v1.N this version of the control applies to. */
  since: number;
  check: CheckPod;
  /** Baseline controls this restricted control replaces at these versions. */
  overrides?: readonly ControlId[];
}

interface Control {
  id: ControlId;
  level: PodSecurityLevel;
  versions: readonly VersionedCheck[];
}

/**
 * `latest` or `v1.N`; a version newer than the plugin's newest evaluates as the newest,
 * as the plugin does (`registry.go`: maxVersion).
 */
export function policyMinor(version: string | undefined): number {
  if (version === undefined || version === 'latest') return LATEST_POLICY_MINOR;
  const match = /^v1\.(0|[1-9][0-9]*)$/.exec(version);
  if (!match) throw new Error(`podSecurityVersion ${version} is not "latest" or "v1.N"`);
  return Math.min(Number(match[1]), LATEST_POLICY_MINOR);
}

/**
 * What the level at version v1.`minor` rejects in the pod: the fields of every control
 * that fails. Restricted runs the baseline controls too, except those a restricted
 * control overrides at that version (the plugin's `populate`).
 */
export function evaluatePodSecurity(
  pod: PodView,
  level: PodSecurityLevel,
  minor: number,
): PodSecurityViolation[] {
  const active = CONTROLS.flatMap((control) => {
    if (level === 'baseline' && control.level !== 'baseline') return [];
    const version = [...control.versions].reverse().find((v) => v.since <= minor);
    return version ? [{ control, version }] : [];
  });
  const overridden = new Set(active.flatMap(({ version }) => version.overrides ?? []));
  return active
    .filter(({ control }) => !overridden.has(control.id))
    .flatMap(({ control, version }) =>
      version.check(pod).map((found) => ({ ...found, control: control.id, level: control.level })),
    );
}

/** The controls of a level and the version each entered, for documentation and tests. */
export function controlsOf(level: PodSecurityLevel): { id: ControlId; since: number[] }[] {
  return CONTROLS.filter((c) => c.level === level).map((c) => ({
    id: c.id,
    since: c.versions.map((v) => v.since),
  }));
}

// ---- baseline ---------------------------------------------------------------------

/** check_hostNamespaces.go */
const hostNamespaces: CheckPod = (pod) =>
  (['hostNetwork', 'hostPID', 'hostIPC'] as const)
    .filter((key) => bool(pod.spec, key, `${pod.field}.${key}`) === true)
    .map((key) => ({
      message: `the pod sets ${key}=true (host namespaces)`,
      field: `${pod.field}.${key}`,
      node: child(pod.spec, key),
      fix: `remove ${key}`,
    }));

/** check_privileged.go */
const privileged: CheckPod = (pod) =>
  pod.containers
    .filter((c) => c.sc && bool(c.sc, 'privileged', scField(c, 'privileged')) === true)
    .map((c) => ({
      message: `${who(c)} must not set securityContext.privileged=true`,
      field: scField(c, 'privileged'),
      node: child(c.sc!, 'privileged'),
      fix: 'remove securityContext.privileged (add only the capabilities the process needs)',
      hostAccess: true,
    }));

/** check_capabilities_baseline.go: compared as written (`CAP_CHOWN` is not `CHOWN`). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
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
]);

const capabilitiesBaseline: CheckPod = (pod) =>
  addedCapabilities(pod.containers)
    .filter((cap) => !BASELINE_CAPABILITIES.has(cap.value))
    .map((cap) => ({
      message: `${who(cap.container)} must not include "${cap.value}" in securityContext.capabilities.add (non-default capabilities)`,
      field: cap.field,
      node: cap.node,
      fix: `remove ${cap.value} from securityContext.capabilities.add (baseline allows ${[...BASELINE_CAPABILITIES].join(', ')})`,
    }));

/** check_hostPathVolumes.go */
const hostPathVolumes: CheckPod = (pod) =>
  volumes(pod)
    .filter((v) => v.sources.includes('hostPath'))
    .map((v) => ({
      message: `volume ${JSON.stringify(v.name)} mounts the node's ${hostPathOf(v.node, v.field)} (hostPath volumes)`,
      field: `${v.field}.hostPath`,
      node: child(v.node, 'hostPath'),
      fix: 'replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim',
      hostAccess: true,
    }));

/** check_hostPorts.go */
const hostPorts: CheckPod = (pod) =>
  pod.containers.flatMap((c) => {
    const listField = `${c.field}.ports`;
    return mapList(c.node, 'ports', listField).flatMap(({ node, field }) => {
      const port = integer(node, 'hostPort', `${field}.hostPort`);
      return port === undefined || port === 0
        ? []
        : [
            {
              message: `${who(c)} uses hostPort ${port}`,
              field: `${field}.hostPort`,
              node: child(node, 'hostPort'),
              fix: 'remove hostPort and expose the port through a Service',
            },
          ];
    });
  });

/** check_hostProbesAndhostLifecycle.go (v1.34+): `host` on probes and lifecycle handlers. */
const hostProbesAndHostLifecycle: CheckPod = (pod) =>
  pod.containers.flatMap((c) => {
    const out: Found[] = [];
    const handlers: [string[], string][] = [
      [['livenessProbe'], 'probe'],
      [['readinessProbe'], 'probe'],
      [['startupProbe'], 'probe'],
      [['lifecycle', 'postStart'], 'lifecycle handler'],
      [['lifecycle', 'preStop'], 'lifecycle handler'],
    ];
    for (const [path, what] of handlers) {
      let node: YAMLMap | undefined = c.node;
      let field = c.field;
      for (const key of path) {
        field = `${field}.${key}`;
        node = node && readMap(node, key, field);
      }
      if (!node) continue;
      for (const action of ['httpGet', 'tcpSocket']) {
        const actionField = `${field}.${action}`;
        const handler = readMap(node, action, actionField);
        const host = handler && readString(handler, 'host', `${actionField}.host`);
        if (!handler || !host) continue;
        out.push({
          message: `${who(c)} uses ${what} host ${JSON.stringify(host)} (${path.join('.')}.${action}.host)`,
          field: `${actionField}.host`,
          node: child(handler, 'host'),
          fix: `remove ${action}.host: the kubelet then connects to the pod's own IP`,
        });
      }
    }
    return out;
  });

/** check_appArmorProfile.go: the fields and the beta annotations. */
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorProfile: CheckPod = (pod) => {
  const out: Found[] = [];
  for (const { sc, field, who: setter } of pod.contexts()) {
    const profile = readMap(sc, 'appArmorProfile', `${field}.appArmorProfile`);
    if (!profile) continue;
    const type = readString(profile, 'type', `${field}.appArmorProfile.type`) ?? '';
    if (type === 'RuntimeDefault' || type === 'Localhost') continue;
    out.push({
      message: `${setter} must not set AppArmor profile type to ${JSON.stringify(type)} (forbidden AppArmor profile)`,
      field: `${field}.appArmorProfile.type`,
      node: child(profile, 'type') ?? profile,
      fix: 'use appArmorProfile.type RuntimeDefault or Localhost, or remove it',
    });
  }
  for (const a of pod.annotations()) {
    if (!a.key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
    if (a.value === '' || a.value === 'runtime/default' || a.value.startsWith('localhost/')) {
      continue;
    }
    out.push({
      message: `annotation ${a.key}=${JSON.stringify(a.value)} is a forbidden AppArmor profile`,
      field: a.field,
      node: a.node,
      fix: 'use runtime/default or localhost/PROFILE (or securityContext.appArmorProfile)',
    });
  }
  return out;
};

/** check_seLinuxOptions.go: container_engine_t joined the allowed types in v1.31. */
const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

function seLinuxOptions(allowed: ReadonlySet<string>): CheckPod {
  return (pod) => {
    const out: Found[] = [];
    for (const { sc, field, who: setter } of pod.contexts()) {
      const optionsField = `${field}.seLinuxOptions`;
      const options = readMap(sc, 'seLinuxOptions', optionsField);
      if (!options) continue;
      const type = readString(options, 'type', `${optionsField}.type`) ?? '';
      const bad: string[] = [];
      if (!allowed.has(type)) bad.push(`type ${JSON.stringify(type)}`);
      for (const key of ['user', 'role']) {
        if (readString(options, key, `${optionsField}.${key}`)) bad.push(`${key} may not be set`);
      }
      if (!bad.length) continue;
      out.push({
        message: `${setter} sets forbidden securityContext.seLinuxOptions: ${bad.join('; ')}`,
        field: optionsField,
        node: options,
        fix: `remove seLinuxOptions.user and .role; type may only be ${[...allowed]
          .filter(Boolean)
          .join(', ')} or unset`,
      });
    }
    return out;
  };
}

/** check_procMount_baseline.go: from v1.35 any value in a user namespace (hostUsers: false). */
const procMount: CheckPod = (pod) =>
  pod.containers.flatMap((c) => {
    const value = c.sc && readString(c.sc, 'procMount', scField(c, 'procMount'));
    return value === undefined || value === 'Default'
      ? []
      : [
          {
            message: `${who(c)} must not set securityContext.procMount to ${JSON.stringify(value)}`,
            field: scField(c, 'procMount'),
            node: child(c.sc!, 'procMount'),
            fix: 'remove securityContext.procMount (Default)',
          },
        ];
  });

const procMount1_35: CheckPod = (pod) => (pod.userNamespace ? [] : procMount(pod));

/**
 * check_seccompProfile_baseline.go. Up to v1.18 the plugin reads the alpha annotations
 * (`runtime/default`, `docker/default`, `localhost/*`), from v1.19 the fields.
 */
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

const seccompBaseline1_0: CheckPod = (pod) => {
  const keys = new Set([
    SECCOMP_POD_ANNOTATION,
    ...pod.containers.map((c) => SECCOMP_CONTAINER_ANNOTATION + c.name),
  ]);
  return pod
    .annotations()
    .filter(
      (a) =>
        keys.has(a.key) &&
        a.value !== 'runtime/default' &&
        a.value !== 'docker/default' &&
        !a.value.startsWith('localhost/'),
    )
    .map((a) => ({
      message: `forbidden seccomp annotation ${a.key}=${JSON.stringify(a.value)}`,
      field: a.field,
      node: a.node,
      fix: 'use runtime/default or localhost/PROFILE',
    }));
};

function seccompType(sc: YAMLMap, field: string): { type: string; node: Node } | undefined {
  const profile = readMap(sc, 'seccompProfile', `${field}.seccompProfile`);
  if (!profile) return undefined;
  const type = readString(profile, 'type', `${field}.seccompProfile.type`) ?? '';
  return { type, node: child(profile, 'type') ?? profile };
}

const validSeccomp = (type: string): boolean => type === 'RuntimeDefault' || type === 'Localhost';

const seccompBaseline1_19: CheckPod = (pod) =>
  pod.contexts().flatMap(({ sc, field, who: setter }) => {
    const profile = seccompType(sc, field);
    return !profile || validSeccomp(profile.type)
      ? []
      : [
          {
            message: `${setter} must not set securityContext.seccompProfile.type to ${JSON.stringify(profile.type)}`,
            field: `${field}.seccompProfile.type`,
            node: profile.node,
            fix: 'use seccompProfile.type RuntimeDefault (or Localhost)',
          },
        ];
  });

/** check_sysctls.go: the safe set, per version. */
const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SYSCTLS_1_37 = [
  ...SYSCTLS_1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
];

function sysctls(safe: readonly string[]): CheckPod {
  const allowed = new Set(safe);
  return (pod) => {
    if (!pod.podSc) return [];
    const listField = `${pod.podScField}.sysctls`;
    return mapList(pod.podSc, 'sysctls', listField).flatMap(({ node, field }) => {
      const name = readString(node, 'name', `${field}.name`) ?? '';
      return allowed.has(name)
        ? []
        : [
            {
              message: `the pod sets sysctl ${name}, outside the safe set of this policy version (forbidden sysctls)`,
              field,
              node,
              fix: 'remove the sysctl (or allow it on the nodes and run the pod in a privileged namespace)',
            },
          ];
    });
  };
}

/** check_windowsHostProcess.go */
const windowsHostProcess: CheckPod = (pod) =>
  pod.contexts().flatMap(({ sc, field, who: setter }) => {
    const options = readMap(sc, 'windowsOptions', `${field}.windowsOptions`);
    const hostProcessField = `${field}.windowsOptions.hostProcess`;
    return options && bool(options, 'hostProcess', hostProcessField) === true
      ? [
          {
            message: `${setter} must not set securityContext.windowsOptions.hostProcess=true`,
            field: hostProcessField,
            node: child(options, 'hostProcess'),
            fix: 'remove windowsOptions.hostProcess',
          },
        ]
      : [];
  });

// ---- restricted -------------------------------------------------------------------

/** check_restrictedVolumes.go: the inline volume sources restricted allows. */
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const restrictedVolumes: CheckPod = (pod) =>
  volumes(pod)
    .filter((v) => !v.sources.some((s) => RESTRICTED_VOLUME_SOURCES.has(s)))
    .map((v) => {
      const type = v.sources[0] ?? 'unknown';
      return {
        message: `volume ${JSON.stringify(v.name)} uses restricted volume type "${type}"${
          type === 'hostPath' ? ` (the node's ${hostPathOf(v.node, v.field)})` : ''
        }`,
        field: v.field,
        node: v.node,
        fix: 'use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volume (a PersistentVolume for network storage)',
        hostAccess: type === 'hostPath',
      };
    });

/** check_allowPrivilegeEscalation.go */
const allowPrivilegeEscalation1_8: CheckPod = (pod) =>
  pod.containers
    .filter((c) => {
      const value =
        c.sc && bool(c.sc, 'allowPrivilegeEscalation', scField(c, 'allowPrivilegeEscalation'));
      return value !== false;
    })
    .map((c) => ({
      message: `${who(c)} must set securityContext.allowPrivilegeEscalation=false`,
      field: scField(c, 'allowPrivilegeEscalation'),
      node: (c.sc && child(c.sc, 'allowPrivilegeEscalation')) ?? c.sc ?? c.node,
      fix: 'set securityContext.allowPrivilegeEscalation: false',
    }));

/** check_runAsNonRoot.go: the pod's true covers containers that leave it unset. */
const runAsNonRoot1_0: CheckPod = (pod) => {
  const out: Found[] = [];
  const podValue = pod.podSc && bool(pod.podSc, 'runAsNonRoot', `${pod.podScField}.runAsNonRoot`);
  if (podValue === false) {
    out.push({
      message: 'the pod must not set securityContext.runAsNonRoot=false',
      field: `${pod.podScField}.runAsNonRoot`,
      node: child(pod.podSc!, 'runAsNonRoot'),
      fix: 'set securityContext.runAsNonRoot: true and run as a non-root uid',
    });
  }
  for (const c of pod.containers) {
    const value = c.sc && bool(c.sc, 'runAsNonRoot', scField(c, 'runAsNonRoot'));
    if (value === true || (value === undefined && podValue === true)) continue;
    out.push({
      message:
        value === false
          ? `${who(c)} must not set securityContext.runAsNonRoot=false`
          : `the pod or ${who(c)} must set securityContext.runAsNonRoot=true`,
      field: scField(c, 'runAsNonRoot'),
      node: (c.sc && child(c.sc, 'runAsNonRoot')) ?? c.sc ?? c.node,
      fix: 'set securityContext.runAsNonRoot: true (on the pod or the container) and run as a non-root uid',
    });
  }
  return out;
};

/** check_runAsUser.go (v1.23+) */
const runAsUser1_23: CheckPod = (pod) =>
  pod.contexts().flatMap(({ sc, field, who: setter }) =>
    integer(sc, 'runAsUser', `${field}.runAsUser`) === 0
      ? [
          {
            message: `${setter} must not set runAsUser=0`,
            field: `${field}.runAsUser`,
            node: child(sc, 'runAsUser'),
            fix: 'set runAsUser to a non-zero uid',
          },
        ]
      : [],
  );

/** check_seccompProfile_restricted.go: set, on the pod or every container. */
const seccompRestricted1_19: CheckPod = (pod) => {
  const out = seccompBaseline1_19(pod);
  const podProfile = pod.podSc && seccompType(pod.podSc, pod.podScField);
  const podSet = podProfile !== undefined && validSeccomp(podProfile.type);
  for (const c of pod.containers) {
    if (podSet || (c.sc && seccompType(c.sc, `${c.field}.securityContext`))) continue;
    out.push({
      message: `the pod or ${who(c)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      field: `${scField(c, 'seccompProfile')}.type`,
      node: c.sc ?? c.node,
      fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
    });
  }
  return out;
};

/** check_capabilities_restricted.go (v1.22+): drop ALL, add nothing but NET_BIND_SERVICE. */
const capabilitiesRestricted1_22: CheckPod = (pod) => {
  const out: Found[] = [];
  for (const c of pod.containers) {
    const capsField = scField(c, 'capabilities');
    const caps = c.sc && readMap(c.sc, 'capabilities', capsField);
    const drop = caps ? strings(caps, 'drop', `${capsField}.drop`) : [];
    if (!drop.some((d) => d.value === 'ALL')) {
      out.push({
        message: `${who(c)} must set securityContext.capabilities.drop=["ALL"]`,
        field: `${capsField}.drop`,
        node: (caps && child(caps, 'drop')) ?? caps ?? c.sc ?? c.node,
        fix: 'set securityContext.capabilities.drop: [ALL]',
      });
    }
  }
  for (const cap of addedCapabilities(pod.containers)) {
    if (cap.value === 'NET_BIND_SERVICE') continue;
    out.push({
      message: `${who(cap.container)} must not include "${cap.value}" in securityContext.capabilities.add (restricted allows NET_BIND_SERVICE only)`,
      field: cap.field,
      node: cap.node,
      fix: `remove ${cap.value} from securityContext.capabilities.add`,
    });
  }
  return out;
};

/** From v1.25, restricted's Linux-only controls let Windows pods (`spec.os.name: windows`) be. */
const exceptWindows =
  (check: CheckPod): CheckPod =>
  (pod) =>
    pod.windows ? [] : check(pod);

/** From v1.35, a pod in a user namespace (`hostUsers: false`) may run as uid 0. */
const exceptUserNamespace =
  (check: CheckPod): CheckPod =>
  (pod) =>
    pod.userNamespace ? [] : check(pod);

/** The plugin's checks, by id, with the version each form entered. */
const CONTROLS: readonly Control[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ since: 0, check: appArmorProfile }] },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    versions: [{ since: 0, check: capabilitiesBaseline }],
  },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: 0, check: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: 0, check: hostPorts }] },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    versions: [{ since: 34, check: hostProbesAndHostLifecycle }],
  },
  { id: 'privileged', level: 'baseline', versions: [{ since: 0, check: privileged }] },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { since: 0, check: procMount },
      { since: 35, check: procMount1_35 },
    ],
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { since: 0, check: seLinuxOptions(SELINUX_TYPES_1_0) },
      { since: 31, check: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { since: 0, check: seccompBaseline1_0 },
      { since: 19, check: seccompBaseline1_19 },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { since: 0, check: sysctls(SYSCTLS_1_0) },
      { since: 27, check: sysctls(SYSCTLS_1_27) },
      { since: 29, check: sysctls(SYSCTLS_1_29) },
      { since: 32, check: sysctls(SYSCTLS_1_32) },
      { since: 37, check: sysctls(SYSCTLS_1_37) },
    ],
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    versions: [{ since: 0, check: windowsHostProcess }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { since: 8, check: allowPrivilegeEscalation1_8 },
      { since: 25, check: exceptWindows(allowPrivilegeEscalation1_8) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { since: 22, check: capabilitiesRestricted1_22, overrides: ['capabilities_baseline'] },
      {
        since: 25,
        check: exceptWindows(capabilitiesRestricted1_22),
        overrides: ['capabilities_baseline'],
      },
    ],
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    versions: [{ since: 35, check: procMount, overrides: ['procMount'] }],
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    versions: [{ since: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { since: 0, check: runAsNonRoot1_0 },
      { since: 35, check: exceptUserNamespace(runAsNonRoot1_0) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { since: 23, check: runAsUser1_23 },
      { since: 35, check: exceptUserNamespace(runAsUser1_23) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { since: 19, check: seccompRestricted1_19, overrides: ['seccompProfile_baseline'] },
      {
        since: 25,
        check: exceptWindows(seccompRestricted1_19),
        overrides: ['seccompProfile_baseline'],
      },
    ],
  },
];

// ---- helpers ----------------------------------------------------------------------

function scField(c: ContainerView, key: string): string {
  return `${c.field}.securityContext.${key}`;
}

function mapList(parent: YAMLMap, key: string, field: string): { node: YAMLMap; field: string }[] {
  return mapItems(readSeq(parent, key, field), field).map((node, i) => ({
    node,
    field: `${field}[${i}]`,
  }));
}

/** Every string in `capabilities.add` of every container. */
function addedCapabilities(
  containers: readonly ContainerView[],
): { container: ContainerView; value: string; node: Node; field: string }[] {
  return containers.flatMap((container) => {
    const capsField = scField(container, 'capabilities');
    const caps = container.sc && readMap(container.sc, 'capabilities', capsField);
    return caps
      ? strings(caps, 'add', `${capsField}.add`).map((cap) => ({ container, ...cap }))
      : [];
  });
}

/**
 * Each volume with its sources: the keys besides `name` whose value is not null. The API
 * server defaults a volume without a source to an emptyDir (SetDefaults_Volume) before
 * admission sees it.
 */
function volumes(
  pod: PodView,
): { node: YAMLMap; field: string; name: string; sources: string[] }[] {
  return mapList(pod.spec, 'volumes', `${pod.field}.volumes`).map(({ node, field }) => {
    const sources = node.items.flatMap((pair) => {
      const key = pair.key instanceof ScalarNode ? String(pair.key.value) : String(pair.key);
      return key !== 'name' && child(node, key) !== undefined ? [key] : [];
    });
    return {
      node,
      field,
      name: readString(node, 'name', `${field}.name`) ?? '',
      sources: sources.length ? sources : ['emptyDir'],
    };
  });
}

function hostPathOf(volume: YAMLMap, field: string): string {
  const hostPath = readMap(volume, 'hostPath', `${field}.hostPath`);
  return (hostPath && readString(hostPath, 'path', `${field}.hostPath.path`)) || '(no path)';
}
