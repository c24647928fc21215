import { join } from 'node:path';
import type { ContainerKind } from '../config/types';
import { describeEvidence, KIND_LABEL } from '../runtime/evidence';
import type { InitScan, ScannedRuntime } from './scan';

/** The role ARN placeholder: fails the schema (naming the field) until it is filled. */
export const ROLE_ARN_TODO = 'TODO: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME';

/**
 * The commented Retarget config `retarget init` writes: what the artifacts reveal is
 * filled in, with the evidence in comments; what they cannot reveal is a `TODO` comment
 * (or, for the role ARN, a placeholder the schema refuses, so hydrate names the field
 * until it is filled). It is valid as written once the ARN is filled: hydrate runs on the
 * folder with no other edit. Same scan, same bytes.
 *
 * Extension points for later stages: the data-volume and identity-mechanism sections are
 * written as TODO comments from here (see `dataVolumesSection` and `identitySection`).
 */
export function renderInitConfig(
  scan: InitScan,
  displayDir: string,
  configPath = join(displayDir, 'retarget.yaml'),
): string {
  const out: string[] = [];
  const name = configName(scan);
  out.push(
    `# retarget.yaml, written by \`retarget init\` from the migration artifacts in ${displayDir}`,
    '# Fill in each TODO, then:',
    `#   retarget hydrate -c ${configPath} ${displayDir} -o hydrated/`,
    `#   retarget dockerfile -c ${configPath} ${join(displayDir, 'Dockerfile')} --in-place`,
    '# The artifacts read (migration artifacts are left out of the hydrated output):',
    ...scan.files.map((f) => `#   ${f.path}: ${f.what}`),
    'apiVersion: fn.retarget.dev/v1alpha1',
    'kind: Retarget',
    'metadata:',
    `  name: ${yamlString(name)}`,
    '  annotations:',
    '    # a config, not a resource: hydrating the folder never emits it',
    '    config.kubernetes.io/local-config: "true"',
  );
  out.push(...runtimeSection(scan));
  out.push(...pullSection(scan));
  out.push(...identitySection(scan));
  out.push(...dataVolumesSection(scan));
  out.push(...targetSection(scan));
  return `${out.join('\n')}\n`;
}

function configName(scan: InitScan): string {
  const first = scan.workloads[0]?.name;
  return first && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(first) ? first : 'migrated-workload';
}

function runtimeSection(scan: InitScan): string[] {
  const out = ['', '# Runtime (decides the token path and the link step):'];
  const decided = scan.runtimes.filter((r) => r.kind);
  const conflicts = scan.runtimes.filter((r) => r.conflict);
  for (const r of scan.runtimes) out.push(...runtimeComment(r));
  if (!scan.runtimes.length) {
    out.push('#   no workload container found: auto decides per container');
    out.push('runtime: auto');
    return out;
  }
  const kinds = new Set(decided.map((r) => r.kind as ContainerKind));
  if (conflicts.length) {
    out.push(
      '# TODO(runtime): the artifacts disagree (above); fix the one that was edited, or set',
      '# runtime (legacy | service-manager | plain) here to decide. Until then hydrate fails.',
      'runtime: auto',
    );
  } else if (kinds.size === 1) {
    out.push(`runtime: ${[...kinds][0]}`);
  } else {
    out.push('runtime: auto', 'containerRuntimes:');
    for (const r of decided) out.push(`  ${yamlString(r.container)}: ${r.kind}`);
  }
  return out;
}

function runtimeComment(r: ScannedRuntime): string[] {
  const who = `${r.workload} container ${r.container}`;
  if (r.conflict) return [`#   ${who}: ${r.conflict}`];
  if (!r.decidedBy)
    return [`#   ${who}: ${KIND_LABEL.plain} (no runtime signature in any artifact)`];
  const lines = [
    `#   ${who}: ${KIND_LABEL[r.kind ?? 'plain']}, decided by ${describeEvidence(r.decidedBy)}`,
  ];
  for (const e of r.agreeing) lines.push(`#     agreeing: ${describeEvidence(e)}`);
  return lines;
}

function pullSection(scan: InitScan): string[] {
  const out = ['', '# Pull access: where each image comes from.'];
  for (const i of scan.images) out.push(`#   ${i.image}: ${i.registry} (${i.where})`);
  if (scan.images.some((i) => i.registry.startsWith('a skaffold artifact'))) {
    out.push(
      '# TODO(image): applied without skaffold, the spec needs the pushed reference in place of the',
      '# artifact name (skaffold render -d REGISTRY prints the manifests with it).',
    );
  }
  const projects = [...new Set(scan.images.map((i) => i.project).filter((p) => p !== undefined))];
  if (projects.length) {
    out.push(
      `# A cluster in project ${projects.join(', ')} pulls these with its nodes' service account.`,
      '# TODO(pull access): any other cluster needs a pull Secret (docker-registry, user _json_key)',
      '# or, on GKE in another project, an IAM grant for its nodes (preflight prints it): name',
      '# the Secret the target cluster has:',
    );
  } else {
    out.push(
      '# TODO(pull access): name the pull Secret the target cluster has for these registries, if any:',
    );
  }
  out.push('# imagePullSecrets: [registry-pull-secret]');
  return out;
}

function identitySection(scan: InitScan): string[] {
  const kinds = new Set(scan.runtimes.map((r) => r.kind));
  const legacy = kinds.has('legacy');
  const out = [
    '',
    '# AWS workload identity for the migrated services.',
    'awsWorkloadIdentity:',
    '  # TODO: the IAM role the services assume (its trust policy names the ServiceAccount below)',
    `  roleArn: ${yamlString(ROLE_ARN_TODO)}`,
  ];
  const sa = serviceAccount(scan);
  out.push(
    `  # The ServiceAccount the identity stage binds the workload to and annotates with the role${sa.existing ? ' (the one the spec already uses)' : ' (created if absent; a dedicated one rather than "default", so only this workload gets the role)'}:`,
    `  serviceAccountName: ${yamlString(sa.name)}`,
  );
  if (legacy) {
    out.push(
      "  # TODO(init system): the legacy runtime boots the VM's own init, which starts the services",
      '  # without the container env; the artifacts do not say which init the VM has. Set one:',
      '  # systemd | sysv-pam (SysV/Upstart services started through su) | sysv | upstart',
      '  # initSystem: systemd',
      '  # services: [NAME]        # sysv / upstart: the init scripts or jobs that need the variables',
      '  # serviceUsers: [USER]    # non-root service users that must read the token (needs fsGroup)',
    );
  } else if (kinds.has('service-manager')) {
    out.push(
      '  # No initSystem needed: the service-manager runtime passes the container env to every service.',
      '  # serviceUsers: [USER]    # non-root service users that must read the token (needs fsGroup)',
    );
  }
  out.push(
    '  # region: eu-west-1       # optional: AWS_REGION and AWS_DEFAULT_REGION',
    '  # mechanism: pod-identity  # EKS Pod Identity (the default on new EKS clusters) instead of IRSA:',
    '  # clusterName: CLUSTER     # no annotation; retarget prints the association command per ServiceAccount',
    '# TODO(identity mechanism): GKE Workload Identity is not written by retarget yet.',
    '# fsGroup: 2000             # TODO: the token group gid, when serviceUsers are set',
  );
  return out;
}

function serviceAccount(scan: InitScan): { name: string; existing: boolean } {
  const existing = scan.workloads.find((w) => w.serviceAccountName)?.serviceAccountName;
  if (existing && existing !== 'default') return { name: existing, existing: true };
  const name = configName(scan);
  return { name: name === 'migrated-workload' ? 'migrated-workload' : name, existing: false };
}

function dataVolumesSection(scan: InitScan): string[] {
  const out = ['', '# Data volumes found:'];
  if (!scan.dataVolumes.length) {
    out.push('#   none (no PersistentVolumeClaim, no claim volume, no plan dataVolumes)');
    return out;
  }
  for (const v of [...new Set(scan.dataVolumes)]) out.push(`#   ${v}`);
  out.push(
    '# TODO(data volumes): make sure each claim can bind on the target cluster (storage class,',
    '# access mode) and that the data was copied; a dataVolumes: section will describe them here.',
  );
  return out;
}

function targetSection(scan: InitScan): string[] {
  const project = scan.images.find((i) => i.project)?.project;
  return [
    '',
    "# TODO(target): describe the target cluster to run preflight as hydrate's last stage",
    '# (it then fails, writing nothing, on what would fail there). Uncomment and fill:',
    '# target:',
    '#   platform: eks                  # gke | gke-autopilot | anthos-aws | eks | generic',
    `#   gcpProjectId: TARGET_PROJECT_ID  # GKE: the cluster's project${project ? ` (images are in ${project}: another project is a cross-project pull)` : ''}`,
    '#   gcpProjectNumber: "123456789012"',
    '#   podSecurity: baseline          # privileged | baseline | restricted',
    '#   pullSecrets: [{name: registry-pull-secret, registries: [gcr.io]}]',
  ];
}

/** A YAML scalar: plain when it cannot be read as anything else, else double-quoted (JSON). */
function yamlString(value: string): string {
  return /^[A-Za-z][A-Za-z0-9._/-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value)
    ? value
    : JSON.stringify(value);
}
