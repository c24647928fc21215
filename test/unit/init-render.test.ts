import { StreamResourceSet } from '../../src/io/stream-set';
import { gcpServiceAccountTodo, renderInitConfig, ROLE_ARN_TODO } from '../../src/init/render';
import type { InitScan, ScannedImage, ScannedRuntime } from '../../src/init/scan';
import type { ScannedSource } from '../../src/init/source';
import type { RuntimeEvidence } from '../../src/runtime/evidence';
import { parseDocumentStream } from '../../src/yaml/document-stream';

/**
 * What `retarget init` writes for what the artifacts reveal, section by section: each
 * runtime decision, registry, source cloud, ServiceAccount and data volume gives its exact
 * lines. The scans are built here, so every case the folders in testdata/artifacts do not
 * hold (a conflict, two runtimes, a VM on Azure, a mixed set of disks) is stated too.
 */
function scan(extra: Partial<InitScan> = {}): InitScan {
  return {
    dir: 'in',
    files: [],
    workloads: [{ id: 'Deployment/web', name: 'web' }],
    images: [],
    runtimes: [],
    dataVolumes: [],
    persistentVolumes: [],
    ...extra,
  };
}

/** The lines from the first one starting with `first` up to the blank line that ends its block. */
function block(text: string, first: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(first));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
}

const render = (extra: Partial<InitScan> = {}) => renderInitConfig(scan(extra), 'in');

const evidence = (
  source: RuntimeEvidence['source'],
  kind: RuntimeEvidence['kind'],
  reason: string,
  where?: string,
): RuntimeEvidence => ({ source, kind, allows: [kind], reason, ...(where ? { where } : {}) });

const runtime = (container: string, extra: Partial<ScannedRuntime>): ScannedRuntime => ({
  container,
  workload: 'Deployment/web',
  agreeing: [],
  ...extra,
});

const image = (name: string, registry: string, project?: string): ScannedImage => ({
  image: name,
  where: 'Deployment/web container app',
  registry,
  ...(project ? { project } : {}),
});

const source = (s: Partial<ScannedSource>): ScannedSource => ({
  cloud: 'unknown',
  where: [],
  ...s,
});

describe('init: the header and the config name', () => {
  test('with no -o, the commands name DIR/retarget.yaml; no workload: a generic name, auto runtime', () => {
    const text = renderInitConfig(scan({ workloads: [] }), 'in');
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# retarget.yaml, written by `retarget init` from the migration artifacts in in',
      '# Fill in each TODO, then:',
      '#   retarget hydrate -c in/retarget.yaml in -o hydrated/',
      '#   retarget dockerfile -c in/retarget.yaml in/Dockerfile --in-place',
    ]);
    expect(text).toContain('\n  name: migrated-workload\n');
    expect(block(text, '# Runtime')).toEqual([
      '# Runtime (decides the token path and the link step):',
      '#   no workload container found: auto decides per container',
      'runtime: auto',
    ]);
    expect(text.endsWith('\n')).toBe(true);
  });

  test('a config path given is the one the commands name; the files read are listed', () => {
    const text = renderInitConfig(
      scan({ files: [{ path: 'deployment_spec.yaml', what: 'Deployment/web' }] }),
      'art',
      'configs/web.yaml',
    );
    expect(text).toContain('\n#   retarget hydrate -c configs/web.yaml art -o hydrated/\n');
    expect(text).toContain(
      '\n# The artifacts read (migration artifacts are left out of the hydrated output):\n#   deployment_spec.yaml: Deployment/web\napiVersion: fn.retarget.dev/v1alpha1\n',
    );
  });

  test.each([
    ['web', 'web'],
    ['a', 'a'],
    ['db.v1-2', 'db.v1-2'],
    ['Web', 'migrated-workload'],
    ['xWeb', 'migrated-workload'],
    ['web-', 'migrated-workload'],
    ['-web', 'migrated-workload'],
    ['web_1', 'migrated-workload'],
  ])('workload %s: config and ServiceAccount named %s', (name, expected) => {
    const text = render({ workloads: [{ id: `Deployment/${name}`, name }] });
    expect(text).toContain(`\nmetadata:\n  name: ${expected}\n`);
    expect(text).toContain(`\n  serviceAccountName: ${expected}\n`);
  });
});

describe('init: the runtime section', () => {
  const legacy = evidence('spec', 'legacy', 'probe /code/ready.sh', 'deployment_spec.yaml:30');

  test('a conflict: its message, a TODO and auto (hydrate fails until it is settled)', () => {
    const text = render({
      runtimes: [
        runtime('app', { conflict: 'the migration artifacts disagree on the runtime: x; y' }),
        runtime('side', { kind: 'legacy', decidedBy: legacy }),
      ],
    });
    expect(block(text, '# Runtime')).toEqual([
      '# Runtime (decides the token path and the link step):',
      '#   Deployment/web container app: the migration artifacts disagree on the runtime: x; y',
      '#   Deployment/web container side: legacy runtime, decided by spec deployment_spec.yaml:30: probe /code/ready.sh (legacy runtime)',
      '# TODO(runtime): the artifacts disagree (above); fix the one that was edited, or set',
      '# runtime (legacy | service-manager | plain) here to decide. Until then hydrate fails.',
      'runtime: auto',
    ]);
  });

  test('no signature: a plain container; the agreeing evidence is listed under the deciding one', () => {
    expect(block(render({ runtimes: [runtime('app', { kind: 'plain' })] }), '# Runtime')).toEqual([
      '# Runtime (decides the token path and the link step):',
      '#   Deployment/web container app: plain container (no runtime signature in any artifact)',
      'runtime: plain',
    ]);
    const agreeing = evidence('dockerfile', 'legacy', 'v1.4 runtime image', 'Dockerfile:4');
    expect(
      block(
        render({
          runtimes: [
            runtime('app', {
              kind: 'legacy',
              decidedBy: legacy,
              agreeing: [agreeing, evidence('plan', 'legacy', 'v2kServiceManager: false')],
            }),
          ],
        }),
        '# Runtime',
      ),
    ).toEqual([
      '# Runtime (decides the token path and the link step):',
      '#   Deployment/web container app: legacy runtime, decided by spec deployment_spec.yaml:30: probe /code/ready.sh (legacy runtime)',
      '#     agreeing: dockerfile Dockerfile:4: v1.4 runtime image (legacy runtime)',
      '#     agreeing: plan: v2kServiceManager: false (legacy runtime)',
      'runtime: legacy',
    ]);
  });

  test('two runtimes: auto, and each container named (quoted only when YAML would misread it)', () => {
    const sm = evidence('spec', 'service-manager', 'env HC_V2K_SERVICE_MANAGER="true"');
    const text = render({
      runtimes: [
        runtime('main', { kind: 'legacy', decidedBy: legacy }),
        runtime('nginx', { kind: 'service-manager', decidedBy: sm }),
        runtime('yes', { kind: 'legacy', decidedBy: legacy }),
        runtime('off-side', { kind: 'plain' }),
        runtime('9lives', { kind: 'plain' }),
      ],
    });
    expect(text).toContain(
      '\nruntime: auto\ncontainerRuntimes:\n  main: legacy\n  nginx: service-manager\n  "yes": legacy\n  off-side: plain\n  "9lives": plain\n\n',
    );
  });
});

describe('init: where the images come from', () => {
  test('registries with projects: the nodes of a cluster there pull them; others need a Secret', () => {
    const text = render({
      images: [
        image('gcr.io/p-one/a:1', 'Container Registry gcr.io, project p-one', 'p-one'),
        image(
          'us-docker.pkg.dev/p-two/r/b:1',
          'Artifact Registry us-docker.pkg.dev, project p-two',
          'p-two',
        ),
        image('gcr.io/p-one/c:1', 'Container Registry gcr.io, project p-one', 'p-one'),
      ],
    });
    expect(block(text, '# Pull access')).toEqual([
      '# Pull access: where each image comes from.',
      '#   gcr.io/p-one/a:1: Container Registry gcr.io, project p-one (Deployment/web container app)',
      '#   us-docker.pkg.dev/p-two/r/b:1: Artifact Registry us-docker.pkg.dev, project p-two (Deployment/web container app)',
      '#   gcr.io/p-one/c:1: Container Registry gcr.io, project p-one (Deployment/web container app)',
      "# A cluster in project p-one, p-two pulls these with its nodes' service account.",
      '# TODO(pull access): any other cluster needs a pull Secret (docker-registry, user _json_key)',
      '# or, on GKE in another project, an IAM grant for its nodes (preflight prints it): name',
      '# the Secret the target cluster has:',
      '# imagePullSecrets: [registry-pull-secret]',
    ]);
  });

  test('a skaffold artifact among other images: the TODO to push it; no project: only the Secret', () => {
    const text = render({
      images: [
        image('quay.io/x/y:1', 'quay.io'),
        image(
          'linux-system',
          'a skaffold artifact name: `skaffold run -d REGISTRY` builds it and pushes it as REGISTRY/linux-system',
        ),
      ],
    });
    expect(block(text, '# Pull access')).toEqual([
      '# Pull access: where each image comes from.',
      '#   quay.io/x/y:1: quay.io (Deployment/web container app)',
      '#   linux-system: a skaffold artifact name: `skaffold run -d REGISTRY` builds it and pushes it as REGISTRY/linux-system (Deployment/web container app)',
      '# TODO(image): applied without skaffold, the spec needs the pushed reference in place of the',
      '# artifact name (skaffold render -d REGISTRY prints the manifests with it).',
      '# TODO(pull access): name the pull Secret the target cluster has for these registries, if any:',
      '# imagePullSecrets: [registry-pull-secret]',
    ]);
  });
});

describe('init: the identity proposal, by where the VM ran', () => {
  const ECR = image(
    '1.dkr.ecr.eu-west-1.amazonaws.com/a:1',
    'Amazon ECR, account 1, region eu-west-1',
  );

  test.each<[string, Partial<InitScan>, string[]]>([
    [
      'no processing-cluster object at all',
      {},
      [
        '# Identity: the artifacts do not say where the VM ran.',
        '# AWS workload identity for the migrated services.',
      ],
    ],
    [
      'a Migration naming its VM, no SourceProvider; images in ECR',
      { source: source({ vm: 'db-1' }), images: [image('quay.io/a:1', 'quay.io'), ECR] },
      [
        '# Identity: the artifacts do not say where VM db-1 ran (no SourceProvider in the folder).',
        '# The images are in Amazon ECR: the cluster likely runs on AWS.',
        '# AWS workload identity for the migrated services.',
      ],
    ],
    [
      'a VM name that is no plain name is not repeated; a one-letter name is',
      { source: source({ vm: 'DB 1' }) },
      [
        '# Identity: the artifacts do not say where the VM ran (no SourceProvider in the folder).',
        '# AWS workload identity for the migrated services.',
      ],
    ],
    [
      'a one-letter VM',
      { source: source({ vm: 'a' }) },
      [
        '# Identity: the artifacts do not say where VM a ran (no SourceProvider in the folder).',
        '# AWS workload identity for the migrated services.',
      ],
    ],
    [
      'AWS: the instance profile, IRSA or Pod Identity; the ECR hint',
      { source: source({ cloud: 'aws', provider: 'aws-src', where: ['sp.yaml'] }), images: [ECR] },
      [
        '# Identity: the VM ran on AWS (SourceProvider aws-src; sp.yaml):',
        "# its services used the instance profile's role. On EKS or GKE on AWS that is IRSA",
        '# (below), or EKS Pod Identity on EKS.',
        '# The images are in Amazon ECR: the cluster likely runs on AWS.',
      ],
    ],
    [
      'Azure: no identity carried over; a hostile provider name and file are left out',
      {
        source: source({ cloud: 'azure', provider: 'Az\nx: 1', where: ['a\nb.yaml', 'm.yaml'] }),
      },
      [
        '# Identity: the VM ran on Azure (SourceProvider; m.yaml): it had no cloud identity the',
        '# migration carries over. For services that call AWS:',
      ],
    ],
    [
      'VMware, nothing but the cloud',
      { source: source({ cloud: 'vmware' }) },
      [
        '# Identity: the VM ran on VMware (SourceProvider): it had no cloud identity the',
        '# migration carries over. For services that call AWS:',
      ],
    ],
  ])('%s', (_name, extra, lines) => {
    const text = render(extra);
    expect(block(text, '# Identity')).toEqual([
      ...lines,
      'awsWorkloadIdentity:',
      '  # TODO: the IAM role the services assume (its trust policy names the ServiceAccount below)',
      `  roleArn: "${ROLE_ARN_TODO}"`,
      '  # The ServiceAccount the identity stage binds the workload to and annotates with the role (created if absent; a dedicated one rather than "default", so only this workload gets the role):',
      '  serviceAccountName: web',
      '  # region: eu-west-1       # optional: AWS_REGION and AWS_DEFAULT_REGION',
      '  # mechanism: pod-identity  # EKS Pod Identity (the default on new EKS clusters) instead of IRSA:',
      '  # clusterName: CLUSTER     # no annotation; retarget prints the association command per ServiceAccount',
      '# fsGroup: 2000             # TODO: the token group gid, when serviceUsers are set',
    ]);
    expect(ROLE_ARN_TODO).toBe('TODO: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME');
    // The GKE alternative follows, commented out, with the generic lookup (no VM named).
    expect(text).toContain(
      '\n# Or, for a VM whose services called Google APIs as its service account, on GKE\n',
    );
  });

  test('Compute Engine: GKE Workload Identity proposed live, AWS commented out; the lookup names the VM', () => {
    const text = render({
      source: source({
        cloud: 'gce',
        provider: 'ce-src',
        project: 'acme-vms',
        vm: 'web-1',
        where: ['m.yaml', 'sp.yaml'],
      }),
    });
    expect(block(text, '# Identity')).toEqual([
      '# Identity: the VM ran on Compute Engine in project acme-vms (SourceProvider ce-src; m.yaml, sp.yaml):',
      "# its services called Google APIs as the VM's service account through the metadata server.",
      '# On GKE the same is Workload Identity Federation for GKE (set-gcp-workload-identity)',
      '# and, with the account still in acme-vms, a cluster in another project needs the grant',
      '# made there (preflight prints it).',
      '# TODO(identity): fill the VM service account and the cluster project (hydrate refuses the placeholders):',
      'gcpWorkloadIdentity:',
      '  gcpServiceAccount: "TODO: NAME@acme-vms.iam.gserviceaccount.com"',
      "  #   TODO: the service account the VM ran as: gcloud compute instances list --project=acme-vms --filter=name=web-1 '--format=value(serviceAccounts[].email)'",
      '  #   Not PROJECT_NUMBER-compute@developer.gserviceaccount.com: that default account usually',
      '  #   holds Editor on its project; create a dedicated one with only the roles the services use.',
      '  principal: service-account   # or direct: roles granted to the Kubernetes ServiceAccount itself, no annotation',
      "  projectId: TARGET_PROJECT_ID  # TODO: the cluster's project (its pool: TARGET_PROJECT_ID.svc.id.goog)",
      '  serviceAccountName: web',
      '  # emitIamPolicyMember: true   # the roles/iam.workloadIdentityUser grant as a Config Connector IAMPolicyMember',
    ]);
    expect(block(text, '# Or, for services that call AWS')).toEqual([
      '# Or, for services that call AWS, uncomment and fill:',
      '# awsWorkloadIdentity:',
      '#   # TODO: the IAM role the services assume (its trust policy names the ServiceAccount below)',
      `#   roleArn: "${ROLE_ARN_TODO}"`,
      '#   # The ServiceAccount the identity stage binds the workload to and annotates with the role (created if absent; a dedicated one rather than "default", so only this workload gets the role):',
      '#   serviceAccountName: web',
      '#   # region: eu-west-1       # optional: AWS_REGION and AWS_DEFAULT_REGION',
      '#   # mechanism: pod-identity  # EKS Pod Identity (the default on new EKS clusters) instead of IRSA:',
      '#   # clusterName: CLUSTER     # no annotation; retarget prints the association command per ServiceAccount',
      '# # fsGroup: 2000             # TODO: the token group gid, when serviceUsers are set',
    ]);
    expect(text.split('\n').slice(2, 6)).toEqual([
      '#   retarget hydrate -c in/retarget.yaml in -o hydrated/',
      '#   (no retarget dockerfile step: GKE Workload Identity needs no change in the image;',
      '#   with awsWorkloadIdentity uncommented, also:',
      '#   retarget dockerfile -c in/retarget.yaml in/Dockerfile --in-place)',
    ]);
    expect(block(text, '# TODO(target)')[3]).toBe(
      '#   platform: gke                  # gke | gke-autopilot | anthos-aws | eks | generic',
    );
  });

  test('Compute Engine with no project and no VM: no project named, the generic lookup', () => {
    const text = render({ source: source({ cloud: 'gce' }) });
    expect(block(text, '# Identity').slice(0, 3)).toEqual([
      '# Identity: the VM ran on Compute Engine (SourceProvider):',
      "# its services called Google APIs as the VM's service account through the metadata server.",
      '# On GKE the same is Workload Identity Federation for GKE (set-gcp-workload-identity)',
    ]);
    expect(text).toContain(
      '\n  gcpServiceAccount: "TODO: NAME@PROJECT_ID.iam.gserviceaccount.com"\n',
    );
    expect(text).toContain(
      "\n  #   TODO: the service account the VM ran as: gcloud compute instances describe VM --zone=ZONE --format='value(serviceAccounts[].email)'\n",
    );
    expect(text).not.toContain('in project');
    expect(text).not.toContain('undefined');
  });

  test.each([
    ['acme-vms', true],
    ['acme1x', true],
    ['example.com:acme-vms', true],
    ['x.com:acme-vms', true],
    ['example.x:acme-vms', true],
    ['corp.example.com:acme-vms', true],
    ['a-b.c-d:acme-vms', true],
    ['acme', false],
    ['Acme-vms', false],
    ['UPPER-acme-vms', false],
    ['acme-vms-', false],
    ['1acme-vms', false],
    ['ab:acme-vms', false],
    ['-x.com:acme-vms', false],
    ['x-.com:acme-vms', false],
    ['x.-com:acme-vms', false],
    ['x.com-:acme-vms', false],
    ['x..com:acme-vms', false],
    [`a${'b'.repeat(29)}`, true],
    [`a${'b'.repeat(30)}`, false],
  ])('the project %s is named: %s', (project, named) => {
    const text = render({ source: source({ cloud: 'gce', project, vm: 'web-1' }) });
    expect(text.includes(`Compute Engine in project ${project} (`)).toBe(named);
    expect(text.includes(`--project=${project} `)).toBe(named);
  });

  test.each([
    ['example.com:acme-vms', 'TODO: NAME@acme-vms.example.com.iam.gserviceaccount.com'],
    ['acme-vms', 'TODO: NAME@acme-vms.iam.gserviceaccount.com'],
    [undefined, 'TODO: NAME@PROJECT_ID.iam.gserviceaccount.com'],
  ])('the service account placeholder for project %s', (project, todo) => {
    expect(gcpServiceAccountTodo(project)).toBe(todo);
  });

  test('the ServiceAccount: the one the spec uses, unless it is default', () => {
    const named = render({
      workloads: [
        { id: 'Deployment/web', name: 'web' },
        { id: 'Deployment/api', name: 'api', serviceAccountName: 'api-sa' },
      ],
    });
    expect(named).toContain(
      '\n  # The ServiceAccount the identity stage binds the workload to and annotates with the role (the one the spec already uses):\n  serviceAccountName: api-sa\n',
    );
    const byDefault = render({
      workloads: [{ id: 'Deployment/web', name: 'web', serviceAccountName: 'default' }],
    });
    expect(byDefault).toContain(
      '\n  # The ServiceAccount the identity stage binds the workload to and annotates with the role (created if absent; a dedicated one rather than "default", so only this workload gets the role):\n  serviceAccountName: web\n',
    );
  });

  test('the init system is asked for the legacy runtime only; the service manager needs none', () => {
    const legacy = render({ runtimes: [runtime('app', { kind: 'legacy' })] });
    expect(legacy).toContain(
      "\n  # TODO(init system): the legacy runtime boots the VM's own init, which starts the services\n  # without the container env; the artifacts do not say which init the VM has. Set one:\n  # systemd | sysv-pam (SysV/Upstart services started through su) | sysv | upstart\n  # initSystem: systemd\n  # services: [NAME]        # sysv / upstart: the init scripts or jobs that need the variables\n  # serviceUsers: [USER]    # non-root service users that must read the token (needs fsGroup)\n  # region:",
    );
    const both = render({
      runtimes: [runtime('app', { kind: 'service-manager' }), runtime('old', { kind: 'legacy' })],
    });
    expect(both).toContain('# TODO(init system)');
    expect(both).not.toContain('No initSystem needed');
    const sm = render({ runtimes: [runtime('app', { kind: 'service-manager' })] });
    expect(sm).toContain(
      '\n  # No initSystem needed: the service-manager runtime passes the container env to every service.\n  # serviceUsers: [USER]    # non-root service users that must read the token (needs fsGroup)\n  # region:',
    );
    expect(sm).not.toContain('TODO(init system)');
    const plain = render({ runtimes: [runtime('app', { kind: 'plain' })] });
    expect(plain).not.toContain('initSystem');
    expect(plain).toContain('\n  serviceAccountName: web\n  # region: eu-west-1');
  });
});

describe('init: the data volumes section', () => {
  const pvs = (text: string) =>
    new StreamResourceSet([parseDocumentStream(text, 'spec.yaml')]).resources.map((resource) => ({
      resource,
      file: 'deployment_spec.yaml',
    }));
  const pv = (name: string, spec: string, metadata = '') =>
    `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${name}\n${metadata}spec:\n${spec}---\n`;
  const EBS_ZONED = pv('ebs-a', '  awsElasticBlockStore:\n    volumeID: aws://us-east-1a/vol-0a\n');
  const EBS_CSI = pv(
    'ebs-b',
    '  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-0b\n',
    '  labels:\n    topology.kubernetes.io/zone: us-east-1b\n',
  );
  const GCE_CSI = pv(
    'gce-a',
    '  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/src-p/zones/us-central1-c/disks/d1\n',
  );
  const GCE_REGIONAL = pv(
    'gce-r',
    '  csi:\n    driver: pd.csi.storage.gke.io\n    volumeHandle: projects/UNSPECIFIED/regions/us-central1/disks/d2\n',
  );
  const GCE_IN_TREE = pv('gce-t', '  gcePersistentDisk:\n    pdName: d3\n');
  const NFS = pv('nfs', '  nfs:\n    server: s\n    path: /x\n');
  const MALFORMED = pv('bad', '  gcePersistentDisk:\n    pdName: d4\n  nodeAffinity: [x]\n');

  test('none at all', () => {
    expect(block(render(), '# Data volumes')).toEqual([
      '# Data volumes found:',
      '#   none (no PersistentVolumeClaim, no claim volume, no plan dataVolumes)',
    ]);
  });

  test('claims and plan folders but no disk: nothing to rewrite, the data to copy', () => {
    const text = render({
      dataVolumes: [
        '/var/lib/mysql (migration.yaml)',
        'PersistentVolumeClaim data (spec.yaml)',
        '/var/lib/mysql (migration.yaml)',
      ],
      persistentVolumes: pvs(NFS + MALFORMED),
    });
    expect(block(text, '# Data volumes')).toEqual([
      '# Data volumes found:',
      '#   /var/lib/mysql (migration.yaml)',
      '#   PersistentVolumeClaim data (spec.yaml)',
      '#   PersistentVolume nfs (deployment_spec.yaml): no Compute Engine or EBS disk (left as it is)',
      '#   PersistentVolume bad (deployment_spec.yaml): no Compute Engine or EBS disk (left as it is)',
      '# TODO(data volumes): no PersistentVolume in the spec names a Compute Engine disk or an EBS',
      '# volume, so port-data-volumes has nothing to rewrite: on the target each claim gets a new,',
      '# empty volume from its storage class.',
      '# Make sure it can bind there (storage class, access mode) and copy the data (above) into it.',
    ]);
  });

  test('EBS volumes only (and one with no disk): proposed for EKS, each with its zone', () => {
    const text = render({ persistentVolumes: pvs(EBS_ZONED + NFS + EBS_CSI) });
    const lines = block(text, '# Data volumes');
    expect(lines.slice(0, 4)).toEqual([
      '# Data volumes found:',
      '#   PersistentVolume ebs-a (deployment_spec.yaml): EBS volume vol-0a (in-tree awsElasticBlockStore), zone us-east-1a (its volume id)',
      '#   PersistentVolume nfs (deployment_spec.yaml): no Compute Engine or EBS disk (left as it is)',
      '#   PersistentVolume ebs-b (deployment_spec.yaml): EBS volume vol-0b (CSI ebs.csi.aws.com), zone us-east-1b (nodeAffinity or zone labels)',
    ]);
    expect(lines.slice(lines.indexOf('# dataVolumes:'))).toEqual([
      '# dataVolumes:',
      '#   platform: "TODO: gke | gke-autopilot | eks | anthos-aws"',
      '#   mode: attach                   # attach | provision',
      "#   # zone: TARGET_ZONE            # the target zone, when not each disk's own (below)",
      "#   # storageClassName: standard-rwo  # provision: the claims' class (unset: the cluster's default)",
      '#   volumes:',
      '#     ebs-a:',
      '#       disk: vol-0a  # the volume now; in another zone: TODO the id of its copy (hydrate prints the commands)',
      "#       zone: us-east-1a  # the disk's zone now: TODO the target's, if another",
      '#     ebs-b:',
      '#       disk: vol-0b  # the volume now; in another zone: TODO the id of its copy (hydrate prints the commands)',
      "#       zone: us-east-1b  # the disk's zone now: TODO the target's, if another",
    ]);
    expect(lines).toContain(
      '# TODO(data volumes), required before deploying: as generated, each PersistentVolume names a',
    );
  });

  test('Compute Engine and EBS disks together: proposed for GKE; the EBS one left to fill', () => {
    const text = render({
      persistentVolumes: pvs(GCE_CSI + EBS_ZONED + GCE_REGIONAL + GCE_IN_TREE),
      images: [
        image('gcr.io/img-p/a:1', 'Container Registry gcr.io, project img-p', 'img-p'),
        image('quay.io/a:1', 'quay.io'),
        image('gcr.io/img-q/b:1', 'Container Registry gcr.io, project img-q', 'img-q'),
        image('gcr.io/img-p/c:1', 'Container Registry gcr.io, project img-p', 'img-p'),
      ],
    });
    const lines = block(text, '# Data volumes');
    expect(lines.slice(1, 5)).toEqual([
      '#   PersistentVolume gce-a (deployment_spec.yaml): Compute Engine disk d1 (CSI pd.csi.storage.gke.io), zone us-central1-c (the handle), project src-p (the handle)',
      '#   PersistentVolume ebs-a (deployment_spec.yaml): EBS volume vol-0a (in-tree awsElasticBlockStore), zone us-east-1a (its volume id)',
      '#   PersistentVolume gce-r (deployment_spec.yaml): Compute Engine disk d2 (CSI pd.csi.storage.gke.io), region us-central1 (regional disk), project not named (the in-tree source names none)',
      '#   PersistentVolume gce-t (deployment_spec.yaml): Compute Engine disk d3 (in-tree gcePersistentDisk), no zone, project not named (the in-tree source names none)',
    ]);
    expect(lines.slice(lines.indexOf('# dataVolumes:'))).toEqual([
      '# dataVolumes:',
      '#   platform: "TODO: gke | gke-autopilot | eks | anthos-aws"',
      '#   mode: attach                   # attach | provision',
      "#   project: TARGET_PROJECT_ID     # TODO(gke): the cluster's project, where the disk is attached (delete on AWS)",
      "#   # zone: TARGET_ZONE            # the target zone, when not each disk's own (below)",
      "#   # storageClassName: standard-rwo  # provision: the claims' class (unset: the cluster's default)",
      '#   volumes:',
      '#     gce-a:',
      '#       disk: d1  # the disk now; GKE: its copy keeps the name. AWS: TODO the vol-… id of the imported EBS volume',
      "#       zone: us-central1-c  # the disk's zone now: TODO the target's, if another",
      '#       sourceProject: src-p  # from the CSI handle',
      '#     ebs-a:',
      '#       disk: TODO_DISK  # TODO: the disk on the target (EKS: the vol-… id of the imported EBS volume)',
      '#       zone: TODO_ZONE  # TODO: the zone of the disk on the target',
      '#     gce-r:',
      '#       disk: d2  # the disk now; GKE: its copy keeps the name. AWS: TODO the vol-… id of the imported EBS volume',
      '#       zone: TODO_ZONE  # TODO: the zone of the disk on the target',
      "#       sourceProject: SOURCE_PROJECT_ID  # TODO: the processing cluster's project (the in-tree source names none): the copy commands read it",
      "#         # the images are in img-p, img-q: the processing cluster's project, if it pushed there",
      '#     gce-t:',
      '#       disk: d3  # the disk now; GKE: its copy keeps the name. AWS: TODO the vol-… id of the imported EBS volume',
      '#       zone: TODO_ZONE  # TODO: the zone of the disk on the target',
      "#       sourceProject: SOURCE_PROJECT_ID  # TODO: the processing cluster's project (the in-tree source names none): the copy commands read it",
      "#         # the images are in img-p, img-q: the processing cluster's project, if it pushed there",
      '#   # staging: {gcsBucket: GCS_BUCKET, s3Bucket: S3_BUCKET}  # AWS: the buckets the disk image passes through',
    ]);
  });

  test('an in-tree disk pinned by nodeAffinity; images in no project: no hint on the source project', () => {
    const text = render({
      persistentVolumes: pvs(
        pv(
          'gce-z',
          '  gcePersistentDisk:\n    pdName: d5\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: topology.kubernetes.io/zone, operator: In, values: [europe-west1-b, europe-west1-c, europe-west1-b]}\n',
        ),
      ),
      images: [image('quay.io/a:1', 'quay.io')],
    });
    const lines = block(text, '# Data volumes');
    expect(lines[1]).toBe(
      '#   PersistentVolume gce-z (deployment_spec.yaml): Compute Engine disk d5 (in-tree gcePersistentDisk), zone europe-west1-b, europe-west1-c (nodeAffinity or zone labels), project not named (the in-tree source names none)',
    );
    expect(lines.slice(-5)).toEqual([
      '#     gce-z:',
      '#       disk: d5  # the disk now; GKE: its copy keeps the name. AWS: TODO the vol-… id of the imported EBS volume',
      "#       zone: europe-west1-b  # the disk's zone now: TODO the target's, if another",
      "#       sourceProject: SOURCE_PROJECT_ID  # TODO: the processing cluster's project (the in-tree source names none): the copy commands read it",
      '#   # staging: {gcsBucket: GCS_BUCKET, s3Bucket: S3_BUCKET}  # AWS: the buckets the disk image passes through',
    ]);
  });
});

describe('init: the target section', () => {
  test('EKS by default; the images project is named for a cross-project pull', () => {
    expect(block(render(), '# TODO(target)')).toEqual([
      "# TODO(target): describe the target cluster to run preflight as hydrate's last stage",
      '# (it then fails, writing nothing, on what would fail there). Uncomment and fill:',
      '# target:',
      '#   platform: eks                  # gke | gke-autopilot | anthos-aws | eks | generic',
      "#   gcpProjectId: TARGET_PROJECT_ID  # GKE: the cluster's project",
      '#   gcpProjectNumber: "123456789012"',
      '#   podSecurity: baseline          # privileged | baseline | restricted',
      '#   pullSecrets: [{name: registry-pull-secret, registries: [gcr.io]}]',
    ]);
    const text = render({
      images: [
        image('quay.io/a:1', 'quay.io'),
        image('gcr.io/img-p/a:1', 'Container Registry gcr.io, project img-p', 'img-p'),
      ],
    });
    expect(text).toContain(
      "\n#   gcpProjectId: TARGET_PROJECT_ID  # GKE: the cluster's project (images are in img-p: another project is a cross-project pull)\n",
    );
  });
});
