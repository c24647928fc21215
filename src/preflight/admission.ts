import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { Severity } from '../krm/results';
import { containerKind } from '../workload/container-kind';
import { containersOf } from '../workload/pod-specs';
import type { ContainerRef } from '../workload/pod-specs';
import type { PreflightContext } from './context';
import { fieldPath } from './field-path';
import type { CheckId } from './finding';
import type { Workload } from './workloads';

/** Capabilities the Pod Security Standards baseline lets a container add. */
const BASELINE_CAPABILITIES = new Set([
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
/** Autopilot also allows SYS_PTRACE (and NET_ADMIN when the cluster opts in). */
const AUTOPILOT_CAPABILITIES = new Set([...BASELINE_CAPABILITIES, 'SYS_PTRACE']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set([
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const LEGACY_FIX =
  'this is the legacy Migrate for Anthos runtime, which needs privileged mode and the /sys/fs/cgroup hostPath: regenerate the artifacts with the simplified Linux service manager (v2kServiceManager: true in the migration plan), whose containers need neither';

interface Violation {
  control: string;
  message: string;
  field: string;
  node?: Node;
  fix: string;
  severity?: Severity;
}

/**
 * Admission: what the Pod Security Standards level enforced on the namespace
 * (baseline, restricted) and GKE Autopilot's policy reject. A Deployment is accepted
 * but its pods are not, so the rollout never makes progress.
 */
export function checkAdmission(ctx: PreflightContext, workloads: readonly Workload[]): void {
  const level = ctx.config.podSecurity;
  const autopilot = ctx.config.platform === 'gke-autopilot';
  if (!autopilot && (!level || level === 'privileged')) return;
  for (const workload of workloads) {
    ctx.safely(workload.resource, () => {
      const pod = new PodFacts(workload, ctx);
      const report = (check: CheckId, violations: Violation[], why: string) => {
        for (const v of violations) {
          ctx.report(workload.resource, {
            check,
            severity: v.severity ?? 'error',
            message: `${v.message}: ${why}`,
            fix: pod.legacy && /privileged|host-path/.test(v.control) ? LEGACY_FIX : v.fix,
            field: v.field,
            node: v.node,
            tags: { control: v.control },
          });
        }
      };
      if (autopilot) report('autopilot', pod.autopilot(), 'GKE Autopilot rejects the pods');
      if (level === 'baseline' || level === 'restricted') {
        report('pod-security-baseline', pod.baseline(), `Pod Security "${level}" rejects the pods`);
      }
      if (level === 'restricted') {
        report(
          'pod-security-restricted',
          pod.restricted(),
          'Pod Security "restricted" rejects the pods',
        );
      }
    });
  }
}

/** The security-relevant fields of one pod template, read once. */
class PodFacts {
  readonly containers: ContainerRef[];
  readonly legacy: boolean;
  private readonly spec: YAMLMap;
  private readonly field: string;
  private readonly podSc?: YAMLMap;

  constructor(
    private readonly workload: Workload,
    ctx: PreflightContext,
  ) {
    this.spec = workload.pod.node;
    this.field = workload.pod.field;
    const sc = this.spec.get('securityContext', true);
    this.podSc = isMap(sc) ? sc : undefined;
    this.containers = containersOf(workload.pod, ['containers', 'initContainers']);
    this.legacy = this.containers.some(
      (c) => containerKind(c, ctx.config.runtime, ctx.config.containerRuntimes) === 'legacy',
    );
  }

  baseline(): Violation[] {
    return [
      ...this.hostNamespaces(),
      ...this.privileged(),
      ...this.addedCapabilities(BASELINE_CAPABILITIES, 'the baseline set'),
      ...this.hostPaths(() => false),
      ...this.hostPorts(),
      ...this.hostProcess(),
      ...this.appArmor(),
      ...this.seLinux(),
      ...this.procMount(),
      ...this.unconfinedSeccomp(),
      ...this.sysctls(),
    ];
  }

  autopilot(): Violation[] {
    // Autopilot allows hostPath only read-only under /var/log.
    const readOnlyLogs = (path: string, readOnly: boolean) =>
      readOnly && /^\/var\/log(\/|$)/.test(path);
    return [
      ...this.hostNamespaces(),
      ...this.privileged(),
      ...this.addedCapabilities(
        AUTOPILOT_CAPABILITIES,
        "Autopilot's set (baseline + SYS_PTRACE; NET_ADMIN needs --workload-policies=allow-net-admin)",
      ),
      ...this.hostPaths(readOnlyLogs),
      ...this.hostPorts().map((v) => ({ ...v, severity: 'warning' as const })),
    ];
  }

  restricted(): Violation[] {
    const out: Violation[] = [];
    this.forEach('volumes', this.spec, this.field, (volume, field) => {
      const type = volume.items
        .map((p) => (isScalar(p.key) ? String(p.key.value) : ''))
        .find((k) => k !== 'name');
      if (type && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type)) {
        out.push({
          control: 'volume-types',
          message: `volume ${String(volume.get('name'))} is a ${type} volume`,
          field,
          node: volume,
          fix: 'use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes',
        });
      }
    });
    const podNonRoot = this.podSc?.get('runAsNonRoot') === true;
    const podSeccomp = this.seccompType(this.podSc);
    const podSeccompOk = podSeccomp === 'RuntimeDefault' || podSeccomp === 'Localhost';
    if (this.podSc?.get('runAsUser') === 0) {
      out.push(
        this.scViolation(
          'run-as-user',
          'the pod runs as user 0',
          `${this.field}.securityContext.runAsUser`,
          this.podSc,
          'set runAsUser to a non-zero uid',
        ),
      );
    }
    for (const c of this.containers) {
      const sc = this.sc(c);
      const scField = `${c.field}.securityContext`;
      if (sc?.get('allowPrivilegeEscalation') !== false) {
        out.push(
          this.scViolation(
            'privilege-escalation',
            `container ${c.name} does not set allowPrivilegeEscalation: false`,
            `${scField}.allowPrivilegeEscalation`,
            sc ?? c.node,
            'set securityContext.allowPrivilegeEscalation: false',
          ),
        );
      }
      const nonRoot = sc?.get('runAsNonRoot');
      if (nonRoot === false || (nonRoot !== true && !podNonRoot)) {
        out.push(
          this.scViolation(
            'run-as-non-root',
            `container ${c.name} does not set runAsNonRoot: true (nor does the pod)`,
            `${scField}.runAsNonRoot`,
            sc ?? c.node,
            'set securityContext.runAsNonRoot: true and run as a non-root uid',
          ),
        );
      }
      if (sc?.get('runAsUser') === 0) {
        out.push(
          this.scViolation(
            'run-as-user',
            `container ${c.name} runs as user 0`,
            `${scField}.runAsUser`,
            sc,
            'set runAsUser to a non-zero uid',
          ),
        );
      }
      const seccomp = this.seccompType(sc);
      if (
        seccomp === undefined
          ? !podSeccompOk
          : seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost'
      ) {
        out.push(
          this.scViolation(
            'seccomp',
            `container ${c.name} has no RuntimeDefault or Localhost seccomp profile`,
            `${scField}.seccompProfile.type`,
            sc ?? c.node,
            'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
          ),
        );
      }
      const caps = sc?.get('capabilities', true);
      const drop = isMap(caps) ? caps.get('drop', true) : undefined;
      if (!isSeq(drop) || !drop.items.some((i) => isScalar(i) && i.value === 'ALL')) {
        out.push(
          this.scViolation(
            'capabilities',
            `container ${c.name} does not drop ALL capabilities`,
            `${scField}.capabilities.drop`,
            sc ?? c.node,
            'set securityContext.capabilities.drop: [ALL]',
          ),
        );
      }
    }
    out.push(...this.addedCapabilities(new Set(['NET_BIND_SERVICE']), 'NET_BIND_SERVICE only'));
    return out;
  }

  private hostNamespaces(): Violation[] {
    return ['hostNetwork', 'hostPID', 'hostIPC']
      .filter((key) => this.spec.get(key) === true)
      .map((key) => ({
        control: 'host-namespaces',
        message: `the pod sets ${key}: true`,
        field: `${this.field}.${key}`,
        node: this.spec.get(key, true) as Node,
        fix: `remove ${key}`,
      }));
  }

  private privileged(): Violation[] {
    return this.containers
      .filter((c) => this.sc(c)?.get('privileged') === true)
      .map((c) => ({
        control: 'privileged',
        message: `container ${c.name} is privileged`,
        field: `${c.field}.securityContext.privileged`,
        node: this.sc(c)!.get('privileged', true) as Node,
        fix: 'remove securityContext.privileged (add only the capabilities the process needs)',
      }));
  }

  private addedCapabilities(allowed: ReadonlySet<string>, allowedText: string): Violation[] {
    const out: Violation[] = [];
    for (const c of this.containers) {
      const caps = this.sc(c)?.get('capabilities', true);
      const add = isMap(caps) ? caps.get('add', true) : undefined;
      if (!isSeq(add)) continue;
      add.items.forEach((item, i) => {
        const cap = isScalar(item) ? String(item.value).replace(/^CAP_/, '') : '';
        if (allowed.has(cap)) return;
        out.push({
          control: 'capabilities',
          message: `container ${c.name} adds capability ${cap}, outside ${allowedText}`,
          field: `${c.field}.securityContext.capabilities.add[${i}]`,
          node: item as Node,
          fix: `remove ${cap} from securityContext.capabilities.add`,
        });
      });
    }
    return out;
  }

  private hostPaths(allowed: (path: string, readOnly: boolean) => boolean): Violation[] {
    const out: Violation[] = [];
    this.forEach('volumes', this.spec, this.field, (volume, field) => {
      const hostPath = volume.get('hostPath', true);
      if (!isMap(hostPath)) return;
      const name = String(volume.get('name'));
      const path = String(hostPath.get('path') ?? '');
      const mounts = this.containers.flatMap((c) => {
        const list = c.node.get('volumeMounts', true);
        return isSeq(list)
          ? list.items.filter((m): m is YAMLMap => isMap(m) && m.get('name') === name)
          : [];
      });
      const readOnly = mounts.every((m) => m.get('readOnly') === true);
      if (allowed(path, readOnly)) return;
      out.push({
        control: 'host-path',
        message: `volume ${name} mounts the node's ${path || '(no path)'} (hostPath)`,
        field: `${field}.hostPath`,
        node: hostPath,
        fix: 'replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim',
      });
    });
    return out;
  }

  private hostPorts(): Violation[] {
    const out: Violation[] = [];
    for (const c of this.containers) {
      this.forEach('ports', c.node, c.field, (port, field) => {
        const hostPort = port.get('hostPort');
        if (typeof hostPort === 'number' && hostPort !== 0) {
          out.push({
            control: 'host-ports',
            message: `container ${c.name} binds host port ${hostPort}`,
            field: `${field}.hostPort`,
            node: port.get('hostPort', true) as Node,
            fix: 'remove hostPort and expose the port through a Service',
          });
        }
      });
    }
    return out;
  }

  private hostProcess(): Violation[] {
    return this.scs()
      .filter(({ sc }) => sc.getIn(['windowsOptions', 'hostProcess']) === true)
      .map(({ sc, field, who }) => ({
        control: 'host-process',
        message: `${who} is a Windows HostProcess container`,
        field: `${field}.windowsOptions.hostProcess`,
        node: sc.getIn(['windowsOptions', 'hostProcess'], true) as Node,
        fix: 'remove windowsOptions.hostProcess',
      }));
  }

  private appArmor(): Violation[] {
    const out: Violation[] = this.scs()
      .filter(({ sc }) => {
        const type = sc.getIn(['appArmorProfile', 'type']);
        return type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost';
      })
      .map(({ sc, field, who }) => ({
        control: 'apparmor',
        message: `${who} sets AppArmor profile ${String(sc.getIn(['appArmorProfile', 'type']))}`,
        field: `${field}.appArmorProfile.type`,
        node: sc.getIn(['appArmorProfile', 'type'], true) as Node,
        fix: 'use appArmorProfile.type RuntimeDefault or Localhost',
      }));
    // The pod template's metadata sits beside its spec (a Pod's is the resource's own).
    const metaPath = [...this.field.split('.').slice(0, -1), 'metadata'];
    const metadata = this.workload.resource.node.getIn(metaPath, true);
    const annotations = isMap(metadata) ? metadata.get('annotations', true) : undefined;
    if (isMap(annotations)) {
      for (const pair of annotations.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const value = isScalar(pair.value) ? String(pair.value.value) : '';
        if (
          key.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
          value !== 'runtime/default' &&
          !value.startsWith('localhost/')
        ) {
          out.push({
            control: 'apparmor',
            message: `annotation ${key} is ${value}`,
            field: fieldPath([...metaPath, 'annotations', key]),
            node: pair.value as Node,
            fix: 'use runtime/default or localhost/PROFILE',
          });
        }
      }
    }
    return out;
  }

  private seLinux(): Violation[] {
    return this.scs()
      .filter(({ sc }) => {
        const options = sc.get('seLinuxOptions', true);
        if (!isMap(options)) return false;
        const type = options.get('type');
        return (
          (type !== undefined && type !== '' && !SELINUX_TYPES.has(String(type))) ||
          Boolean(options.get('user')) ||
          Boolean(options.get('role'))
        );
      })
      .map(({ sc, field, who }) => ({
        control: 'selinux',
        message: `${who} sets a custom SELinux user, role or type`,
        field: `${field}.seLinuxOptions`,
        node: sc.get('seLinuxOptions', true) as Node,
        fix: 'drop seLinuxOptions.user/role; type may only be container_t, container_init_t, container_kvm_t or container_engine_t',
      }));
  }

  private procMount(): Violation[] {
    return this.containers
      .filter((c) => {
        const value = this.sc(c)?.get('procMount');
        return value !== undefined && value !== 'Default';
      })
      .map((c) => ({
        control: 'proc-mount',
        message: `container ${c.name} sets procMount ${String(this.sc(c)!.get('procMount'))}`,
        field: `${c.field}.securityContext.procMount`,
        node: this.sc(c)!.get('procMount', true) as Node,
        fix: 'remove procMount (Default)',
      }));
  }

  private unconfinedSeccomp(): Violation[] {
    return this.scs()
      .filter(({ sc }) => this.seccompType(sc) === 'Unconfined')
      .map(({ sc, field, who }) => ({
        control: 'seccomp',
        message: `${who} runs without seccomp (Unconfined)`,
        field: `${field}.seccompProfile.type`,
        node: sc.get('seccompProfile', true) as Node,
        fix: 'use seccompProfile.type RuntimeDefault',
      }));
  }

  private sysctls(): Violation[] {
    const out: Violation[] = [];
    const sysctls = this.podSc?.get('sysctls', true);
    if (!isSeq(sysctls)) return out;
    sysctls.items.forEach((item, i) => {
      const name = isMap(item) ? String(item.get('name')) : '';
      if (!SAFE_SYSCTLS.has(name)) {
        out.push({
          control: 'sysctls',
          message: `the pod sets sysctl ${name}, which is not in the safe set`,
          field: `${this.field}.securityContext.sysctls[${i}]`,
          node: item as Node,
          fix: 'remove the sysctl or set it on the nodes',
        });
      }
    });
    return out;
  }

  private sc(container: ContainerRef): YAMLMap | undefined {
    const sc = container.node.get('securityContext', true);
    return isMap(sc) ? sc : undefined;
  }

  /** The pod's security context and each container's, with where they are. */
  private scs(): { sc: YAMLMap; field: string; who: string }[] {
    const out: { sc: YAMLMap; field: string; who: string }[] = [];
    if (this.podSc)
      out.push({ sc: this.podSc, field: `${this.field}.securityContext`, who: 'the pod' });
    for (const c of this.containers) {
      const sc = this.sc(c);
      if (sc) out.push({ sc, field: `${c.field}.securityContext`, who: `container ${c.name}` });
    }
    return out;
  }

  private seccompType(sc: YAMLMap | undefined): string | undefined {
    const type = sc?.getIn(['seccompProfile', 'type']);
    return typeof type === 'string' ? type : undefined;
  }

  private scViolation(
    control: string,
    message: string,
    field: string,
    node: Node,
    fix: string,
  ): Violation {
    return { control, message, field, node, fix };
  }

  private forEach(
    key: string,
    parent: YAMLMap,
    field: string,
    fn: (item: YAMLMap, field: string) => void,
  ): void {
    const list = parent.get(key, true);
    if (!isSeq(list)) return;
    list.items.forEach((item, i) => {
      if (isMap(item)) fn(item, `${field}.${key}[${i}]`);
    });
  }
}
