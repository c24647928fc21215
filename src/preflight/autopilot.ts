import type { Node, YAMLMap } from 'yaml';
import type { Severity } from '../krm/results';
import { child, mapItems, readMap, readSeq, readString } from '../yaml/edit';
import { BASELINE_CAPABILITIES } from './pod-security';
import { bool, integer, strings, who } from './pod-view';
import type { PodView } from './pod-view';

/**
 * GKE Autopilot's default security constraints, as Google documents them
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-security,
 * "Security constraints"; https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-overview,
 * "Host options restrictions"): a pod breaking one is rejected unless an installed
 * WorkloadAllowlist matches it
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/about-autopilot-privileged-workloads).
 */
export interface AutopilotViolation {
  /** privileged, host-namespaces, host-path, capabilities, host-ports */
  control: string;
  message: string;
  field: string;
  node?: Node;
  fix: string;
  severity: Severity;
  hostAccess?: boolean;
}

/**
 * The capabilities Autopilot lets a container add: the container runtime's default set
 * (baseline's) and SYS_PTRACE. NET_RAW is refused by default; NET_ADMIN needs the
 * cluster's `--workload-policies=allow-net-admin`.
 */
const AUTOPILOT_CAPABILITIES = new Set([...BASELINE_CAPABILITIES, 'SYS_PTRACE']);

const ALLOWLIST =
  'or, for a partner or verified open-source workload, install its WorkloadAllowlist with an AllowlistSynchronizer';

/** Random host ports are assigned only to Pods (or custom controllers' pods) asking for them. */
const HOST_PORT_ASSIGNMENT = 'autopilot.gke.io/host-port-assignment';
const BUILT_IN_CONTROLLERS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'PodTemplate',
]);

/** What Autopilot rejects in a pod of a workload of `kind`. */
export function autopilotViolations(pod: PodView, kind: string): AutopilotViolation[] {
  const out: AutopilotViolation[] = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (bool(pod.spec, key, `${pod.field}.${key}`) !== true) continue;
    out.push({
      control: 'host-namespaces',
      severity: 'error',
      message: `the pod sets ${key}: true; Autopilot prohibits host namespaces`,
      field: `${pod.field}.${key}`,
      node: child(pod.spec, key),
      fix: `remove ${key} (${ALLOWLIST})`,
    });
  }
  for (const c of pod.containers) {
    const field = `${c.field}.securityContext.privileged`;
    if (c.sc && bool(c.sc, 'privileged', field) === true) {
      out.push({
        control: 'privileged',
        severity: 'error',
        message: `${who(c)} is privileged; Autopilot rejects privileged containers`,
        field,
        node: child(c.sc, 'privileged'),
        fix: `remove securityContext.privileged and add only the capabilities the process needs (${ALLOWLIST})`,
        hostAccess: true,
      });
    }
    const capsField = `${c.field}.securityContext.capabilities`;
    const caps = c.sc && readMap(c.sc, 'capabilities', capsField);
    for (const cap of caps ? strings(caps, 'add', `${capsField}.add`) : []) {
      if (AUTOPILOT_CAPABILITIES.has(cap.value)) continue;
      out.push({
        control: 'capabilities',
        severity: 'error',
        message: `${who(c)} adds capability ${cap.value}, outside Autopilot's set (the default set and SYS_PTRACE${
          cap.value === 'NET_ADMIN'
            ? '; NET_ADMIN needs the cluster flag --workload-policies=allow-net-admin'
            : ''
        })`,
        field: cap.field,
        node: cap.node,
        fix:
          cap.value === 'NET_ADMIN'
            ? 'gcloud container clusters update CLUSTER --workload-policies=allow-net-admin, or remove NET_ADMIN'
            : `remove ${cap.value} from securityContext.capabilities.add (${ALLOWLIST})`,
      });
    }
  }
  out.push(...hostPaths(pod));
  out.push(...hostPorts(pod, kind));
  return out;
}

/** hostPath volumes: only under /var/log, and only mounted read-only. */
function hostPaths(pod: PodView): AutopilotViolation[] {
  const out: AutopilotViolation[] = [];
  const listField = `${pod.field}.volumes`;
  mapItems(readSeq(pod.spec, 'volumes', listField), listField).forEach((volume, i) => {
    const field = `${listField}[${i}]`;
    const hostPath = readMap(volume, 'hostPath', `${field}.hostPath`);
    if (!hostPath) return;
    const name = readString(volume, 'name', `${field}.name`) ?? '';
    const path = readString(hostPath, 'path', `${field}.hostPath.path`) ?? '';
    const underLogs = /^\/var\/log(\/|$)/.test(path);
    const writable = underLogs ? writableMounts(pod, name) : [];
    if (underLogs && !writable.length) return;
    out.push({
      control: 'host-path',
      severity: 'error',
      message: underLogs
        ? `volume ${name} mounts the node's ${path} writable (${writable.join(', ')}); Autopilot allows hostPath only read-only under /var/log`
        : `volume ${name} mounts the node's ${path || '(no path)'} (hostPath); Autopilot allows hostPath only read-only under /var/log`,
      field: `${field}.hostPath`,
      node: hostPath,
      fix: underLogs
        ? 'set readOnly: true on every volumeMount of the volume'
        : `replace the hostPath volume with an emptyDir, a ConfigMap or a PersistentVolumeClaim (${ALLOWLIST})`,
      hostAccess: true,
    });
  });
  return out;
}

/** The containers mounting volume `name` without `readOnly: true`. */
function writableMounts(pod: PodView, name: string): string[] {
  return pod.containers.flatMap((c) => {
    const listField = `${c.field}.volumeMounts`;
    return mapItems(readSeq(c.node, 'volumeMounts', listField), listField)
      .map((m, i) => ({ m, f: `${listField}[${i}]` }))
      .filter(
        ({ m, f }) =>
          readString(m, 'name', `${f}.name`) === name &&
          bool(m, 'readOnly', `${f}.readOnly`) !== true,
      )
      .map(() => who(c));
  });
}

/**
 * Host ports: Autopilot assigns a random one only to a Pod (or a custom controller's pods)
 * annotated autopilot.gke.io/host-port-assignment, never to the pods of Deployments and
 * the other built-in controllers
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/autopilot-hostport).
 */
function hostPorts(pod: PodView, kind: string): AutopilotViolation[] {
  const assigned =
    !BUILT_IN_CONTROLLERS.has(kind) &&
    pod.annotations().some((a) => a.key === HOST_PORT_ASSIGNMENT);
  if (assigned) return [];
  const out: AutopilotViolation[] = [];
  for (const c of pod.containers) {
    const listField = `${c.field}.ports`;
    mapItems(readSeq(c.node, 'ports', listField), listField).forEach((port: YAMLMap, i) => {
      const field = `${listField}[${i}].hostPort`;
      const value = integer(port, 'hostPort', field);
      if (value === undefined || value === 0) return;
      out.push({
        control: 'host-ports',
        severity: 'error',
        message: `${who(c)} binds host port ${value}; Autopilot gives a host port only as a random port to a Pod annotated ${HOST_PORT_ASSIGNMENT}${
          BUILT_IN_CONTROLLERS.has(kind) ? `, never to the pods of a ${kind}` : ''
        }`,
        field,
        node: child(port, 'hostPort'),
        fix: 'remove hostPort and expose the port through a Service',
      });
    });
  }
  return out;
}
