import { join } from 'node:path';
import type { ContainerKind } from '../config/types';
import { describeEvidence, KIND_LABEL } from '../runtime/evidence';
import type { Resource } from '../krm/resource';
import {
  diskSourceOf,
  distinct,
  EBS_DRIVER,
  GCE_PD_DRIVER,
  pinningOf,
} from '../storage/persistent-volume';
import type { DiskSource } from '../storage/persistent-volume';
import { proposeDataVolumes } from '../storage/propose';
import { commandLine } from '../preflight/command-line';
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
 * The data volumes' section is proposed from the PersistentVolumes found but left commented
 * out: it needs the target platform, which no artifact reveals. The identity mechanism is
 * proposed from where the VM ran (see `identitySection`).
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
    ...(scan.source?.cloud === 'gce'
      ? [
          '#   (no retarget dockerfile step: GKE Workload Identity needs no change in the image;',
          '#   with awsWorkloadIdentity uncommented, also:',
          `#   retarget dockerfile -c ${configPath} ${join(displayDir, 'Dockerfile')} --in-place)`,
        ]
      : [`#   retarget dockerfile -c ${configPath} ${join(displayDir, 'Dockerfile')} --in-place`]),
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
  const conflicts = scan.runtimes.filter((r) => r.conflict);
  for (const r of scan.runtimes) out.push(...runtimeComment(r));
  if (!scan.runtimes.length) {
    out.push('#   no workload container found: auto decides per container');
    out.push('runtime: auto');
    return out;
  }
  // Used only when nothing conflicts, when every runtime has its kind.
  const kinds = new Set(scan.runtimes.map((r) => r.kind as ContainerKind));
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
    for (const r of scan.runtimes) out.push(`  ${yamlString(r.container)}: ${r.kind}`);
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
  const out = ['', ...sourceComment(scan)];
  if (scan.source?.cloud === 'gce') {
    // The VM called Google APIs as its service account: GKE Workload Identity is the proposal,
    // and no AWS role is asked for (the AWS section stays commented out, as the alternative).
    out.push(...gcpSection(scan, true));
    out.push(
      '',
      '# Or, for services that call AWS, uncomment and fill:',
      ...awsSection(scan).map((line) => `# ${line}`),
    );
    return out;
  }
  out.push(...awsSection(scan));
  out.push('', ...gcpSection(scan, false));
  return out;
}

/** What the artifacts say about where the VM ran, and so which identity its services had. */
function sourceComment(scan: InitScan): string[] {
  const source = scan.source;
  const ecr = scan.images.some((i) => i.registry.startsWith('Amazon ECR'));
  const hint = ecr ? ['# The images are in Amazon ECR: the cluster likely runs on AWS.'] : [];
  if (!source || source.cloud === 'unknown') {
    const vm = safeName(source?.vm) ? `VM ${source.vm}` : 'the VM';
    return [
      `# Identity: the artifacts do not say where ${vm} ran${source ? ' (no SourceProvider in the folder)' : ''}.`,
      ...hint,
      '# AWS workload identity for the migrated services.',
    ];
  }
  const provider = safeName(source.provider) ? source.provider : '';
  const files = source.where.filter(safePath).join(', ');
  const evidence = `SourceProvider${provider ? ` ${provider}` : ''}${files ? `; ${files}` : ''}`;
  switch (source.cloud) {
    case 'gce': {
      const project = safeProject(source.project) ? source.project : undefined;
      return [
        `# Identity: the VM ran on Compute Engine${project ? ` in project ${project}` : ''} (${evidence}):`,
        "# its services called Google APIs as the VM's service account through the metadata server.",
        '# On GKE the same is Workload Identity Federation for GKE (set-gcp-workload-identity)',
        ...(project
          ? [
              `# and, with the account still in ${project}, a cluster in another project needs the grant`,
              '# made there (preflight prints it).',
            ]
          : []),
      ];
    }
    case 'aws':
      return [
        `# Identity: the VM ran on AWS (${evidence}):`,
        "# its services used the instance profile's role. On EKS or GKE on AWS that is IRSA",
        '# (below), or EKS Pod Identity on EKS.',
        ...hint,
      ];
    default:
      return [
        `# Identity: the VM ran on ${source.cloud === 'azure' ? 'Azure' : 'VMware'} (${evidence}): it had no cloud identity the`,
        '# migration carries over. For services that call AWS:',
        ...hint,
      ];
  }
}

function awsSection(scan: InitScan): string[] {
  const kinds = new Set(scan.runtimes.map((r) => r.kind));
  const legacy = kinds.has('legacy');
  const out = [
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
    '# fsGroup: 2000             # TODO: the token group gid, when serviceUsers are set',
  );
  return out;
}

/** The GCE service account placeholder: refused by the schema (naming the field) until filled. */
export function gcpServiceAccountTodo(project: string | undefined): string {
  // A domain-scoped project example.com:name writes its accounts under name.example.com.
  const host = project?.includes(':')
    ? `${project.split(':')[1]}.${project.split(':')[0]}`
    : (project ?? 'PROJECT_ID');
  return `TODO: NAME@${host}.iam.gserviceaccount.com`;
}

/**
 * The gcpWorkloadIdentity: section, commented out: the function that reads it
 * (set-gcp-workload-identity) and the cluster's project are for the user to confirm.
 */
function gcpSection(scan: InitScan, proposed: boolean): string[] {
  const source = scan.source;
  const named = source?.project;
  const project = safeProject(named) ? named : undefined;
  const vm = safeName(source?.vm) ? source.vm : undefined;
  const sa = serviceAccount(scan);
  const lookup = vm
    ? commandLine(
        'gcloud',
        'compute',
        'instances',
        'list',
        ...(project ? [`--project=${project}`] : []),
        `--filter=name=${vm}`,
        '--format=value(serviceAccounts[].email)',
      )
    : "gcloud compute instances describe VM --zone=ZONE --format='value(serviceAccounts[].email)'";
  const section = [
    'gcpWorkloadIdentity:',
    `  gcpServiceAccount: ${yamlString(gcpServiceAccountTodo(project))}`,
    `  #   TODO: the service account the VM ran as: ${lookup}`,
    '  #   Not PROJECT_NUMBER-compute@developer.gserviceaccount.com: that default account usually',
    '  #   holds Editor on its project; create a dedicated one with only the roles the services use.',
    '  principal: service-account   # or direct: roles granted to the Kubernetes ServiceAccount itself, no annotation',
    "  projectId: TARGET_PROJECT_ID  # TODO: the cluster's project (its pool: TARGET_PROJECT_ID.svc.id.goog)",
    `  serviceAccountName: ${yamlString(sa.name)}`,
    '  # emitIamPolicyMember: true   # the roles/iam.workloadIdentityUser grant as a Config Connector IAMPolicyMember',
  ];
  // Proposed, the section is live with placeholders the schema refuses, as the AWS role is:
  // hydrate names the field to fill instead of running without the identity.
  if (proposed)
    return [
      '# TODO(identity): fill the VM service account and the cluster project (hydrate refuses the placeholders):',
      ...section,
    ];
  return [
    '# Or, for a VM whose services called Google APIs as its service account, on GKE',
    '# (Workload Identity Federation for GKE, function set-gcp-workload-identity):',
    ...section.map((line) => `# ${line}`),
  ];
}

/** Values from the artifacts that reach a comment: only plain names (no newline can break out). */
function safeName(value: string | undefined): value is string {
  return value !== undefined && /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value);
}

function safeProject(value: string | undefined): value is string {
  return (
    value !== undefined &&
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(
      value,
    )
  );
}

function safePath(value: string): boolean {
  return /^[^\n\r]+$/.test(value);
}

function serviceAccount(scan: InitScan): { name: string; existing: boolean } {
  const existing = scan.workloads.find((w) => w.serviceAccountName)?.serviceAccountName;
  if (existing && existing !== 'default') return { name: existing, existing: true };
  return { name: configName(scan), existing: false };
}

function dataVolumesSection(scan: InitScan): string[] {
  const out = ['', '# Data volumes found:'];
  const pvs = scan.persistentVolumes;
  if (!scan.dataVolumes.length && !pvs.length) {
    out.push('#   none (no PersistentVolumeClaim, no claim volume, no plan dataVolumes)');
    return out;
  }
  for (const v of [...new Set(scan.dataVolumes)]) out.push(`#   ${v}`);
  for (const pv of pvs) out.push(`#   ${describeVolume(pv.resource, pv.file)}`);
  const sources = pvs.map((pv) => sourceOf(pv.resource)).filter((s) => s !== undefined);
  // The target is unknown here: propose for the cloud the disks are on (a copy keeps its name).
  const platform = sources.length && sources.every((s) => s.cloud === 'aws') ? 'eks' : 'gke';
  const gce = sources.some((s) => s.cloud === 'gce');
  const proposal = proposeDataVolumes(
    pvs.map((pv) => pv.resource),
    { platform },
  );
  if (!proposal) {
    out.push(
      '# TODO(data volumes): no PersistentVolume in the spec names a Compute Engine disk or an EBS',
      '# volume, so port-data-volumes has nothing to rewrite: on the target each claim gets a new,',
      '# empty volume from its storage class.',
      '# Make sure it can bind there (storage class, access mode) and copy the data (above) into it.',
    );
    return out;
  }
  out.push(
    '# TODO(data volumes), required before deploying: as generated, each PersistentVolume names a',
    '# disk of the processing cluster; applied elsewhere its claim never binds, or binds that disk.',
    '# Uncomment the section below, fill its TODO values (hydrate refuses them, naming the field)',
    '# and choose a mode:',
    '#   attach     the target attaches the disk or its copy; hydrate prints, as info results, the',
    '#              commands that copy it (snapshot and disk create on GKE, import to EBS on AWS)',
    '#   provision  the PersistentVolumes are dropped and each claim provisions a new, empty volume',
    '#              (storageClassName) that you restore the data into',
    '# platform, project and zone may come from target: instead (delete them here then).',
    '# dataVolumes:',
    `#   platform: ${JSON.stringify(PLATFORM_TODO)}`,
    '#   mode: attach                   # attach | provision',
    ...(gce
      ? [
          "#   project: TARGET_PROJECT_ID     # TODO(gke): the cluster's project, where the disk is attached (delete on AWS)",
        ]
      : []),
    "#   # zone: TARGET_ZONE            # the target zone, when not each disk's own (below)",
    "#   # storageClassName: standard-rwo  # provision: the claims' class (unset: the cluster's default)",
    '#   volumes:',
  );
  const imageProjects = distinct(scan.images.flatMap((i) => (i.project ? [i.project] : [])));
  const volumes = proposal.volumes as Record<string, Record<string, string | undefined>>;
  for (const [name, entry] of Object.entries(volumes)) {
    const source = sources.find((s) => s.name === name);
    out.push(`#     ${yamlString(name)}:`);
    out.push(
      entry.disk
        ? `#       disk: ${yamlString(entry.disk)}  # ${source?.cloud === 'aws' ? 'the volume now; in another zone: TODO the id of its copy (hydrate prints the commands)' : 'the disk now; GKE: its copy keeps the name. AWS: TODO the vol-… id of the imported EBS volume'}`
        : '#       disk: TODO_DISK  # TODO: the disk on the target (EKS: the vol-… id of the imported EBS volume)',
    );
    out.push(
      entry.zone
        ? `#       zone: ${yamlString(entry.zone)}  # the disk's zone now: TODO the target's, if another`
        : '#       zone: TODO_ZONE  # TODO: the zone of the disk on the target',
    );
    if (entry.sourceProject) {
      out.push(`#       sourceProject: ${yamlString(entry.sourceProject)}  # from the CSI handle`);
    } else if (source?.cloud === 'gce') {
      out.push(
        "#       sourceProject: SOURCE_PROJECT_ID  # TODO: the processing cluster's project (the in-tree source names none): the copy commands read it",
      );
      if (imageProjects.length)
        out.push(
          `#         # the images are in ${imageProjects.join(', ')}: the processing cluster's project, if it pushed there`,
        );
    }
  }
  if (gce) {
    out.push(
      '#   # staging: {gcsBucket: GCS_BUCKET, s3Bucket: S3_BUCKET}  # AWS: the buckets the disk image passes through',
    );
  }
  return out;
}

/** Fails the schema (naming dataVolumes.platform) until it is filled. */
const PLATFORM_TODO = 'TODO: gke | gke-autopilot | eks | anthos-aws';

const CLOUD_LABEL = { gce: 'Compute Engine disk', aws: 'EBS volume' } as const;

function sourceOf(pv: Resource): (DiskSource & { name: string; zones: string[] }) | undefined {
  try {
    const source = diskSourceOf(pv);
    if (!source) return undefined;
    const zones = source.zone ? [source.zone] : distinct(pinningOf(pv).zones.map((z) => z.value));
    return { ...source, name: pv.name, zones };
  } catch {
    return undefined; // a malformed volume is preflight's to report
  }
}

/** What a PersistentVolume says about its disk: the evidence the proposal is made from. */
function describeVolume(pv: Resource, file: string): string {
  const head = `PersistentVolume ${pv.name} (${file})`;
  const source = sourceOf(pv);
  if (!source) return `${head}: no Compute Engine or EBS disk (left as it is)`;
  const form = source.inTree
    ? `in-tree ${source.key}`
    : `CSI ${source.cloud === 'gce' ? GCE_PD_DRIVER : EBS_DRIVER}`;
  const zone = source.zone
    ? `zone ${source.zone} (${source.cloud === 'aws' ? 'its volume id' : 'the handle'})`
    : source.zones.length
      ? `zone ${source.zones.join(', ')} (nodeAffinity or zone labels)`
      : source.region
        ? `region ${source.region} (regional disk)`
        : 'no zone';
  const project =
    source.cloud === 'aws'
      ? ''
      : source.project
        ? `, project ${source.project} (the handle)`
        : ', project not named (the in-tree source names none)';
  return `${head}: ${CLOUD_LABEL[source.cloud]} ${source.disk} (${form}), ${zone}${project}`;
}

function targetSection(scan: InitScan): string[] {
  const project = scan.images.find((i) => i.project)?.project;
  // A Compute Engine VM most likely moves to GKE; otherwise the seed's AWS target.
  const platform = scan.source?.cloud === 'gce' ? 'gke' : 'eks';
  return [
    '',
    "# TODO(target): describe the target cluster to run preflight as hydrate's last stage",
    '# (it then fails, writing nothing, on what would fail there). Uncomment and fill:',
    '# target:',
    `#   platform: ${platform}                  # gke | gke-autopilot | anthos-aws | eks | generic`,
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
