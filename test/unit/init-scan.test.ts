import type { InputFile } from '../../src/io/files';
import { describeDockerfile, scanArtifacts } from '../../src/init/scan';
import type { RuntimeEvidence } from '../../src/runtime/evidence';

/**
 * What `retarget init` reads from an artifact folder, file by file: each file listed with
 * what it is, the workloads, every image with its registry, each app container's runtime
 * decision (paths relative to the folder), the data volumes and the PersistentVolumes.
 * The folders are built in memory; scanArtifacts does no I/O.
 */
const input = (name: string, text: string): InputFile => ({
  path: `in/${name}`,
  outputName: name,
  text,
});

const deployment = (containers: string, pod = '', meta = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${meta}spec:
  template:
    spec:
${pod}      containers:
${containers}`;

const container = (name: string, image: string, extra = '') =>
  `      - name: ${name}\n        image: ${image}\n${extra}`;

describe('init scan: the files, workloads and images', () => {
  test('each file with what it holds, sorted by path; artifacts by their kind', () => {
    const scan = scanArtifacts(
      'in',
      [
        input(
          'deployment_spec.yaml',
          `${deployment(container('app', 'nginx'))}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n`,
        ),
        input(
          'migration.yaml',
          'apiVersion: anthos-migrate.cloud.google.com/v1\nkind: Migration\nmetadata:\n  name: m\nspec: {}\n---\napiVersion: anthos-migrate.cloud.google.com/v1beta2\nkind: GenerateArtifactsFlow\nmetadata:\n  name: g\nspec: {}\n',
        ),
        input(
          'a-config.yaml',
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
        ),
      ],
      [],
      [{ path: 'in/Dockerfile', what: 'runtime image v1.15 (service-manager runtime)' }],
    );
    expect(scan.files).toEqual([
      { path: 'Dockerfile', what: 'runtime image v1.15 (service-manager runtime)' },
      { path: 'a-config.yaml', what: 'ConfigMap/cfg' },
      { path: 'deployment_spec.yaml', what: 'Deployment/web, Service/web' },
      {
        path: 'migration.yaml',
        what: 'a Migrate to Containers processing-cluster object, a migration plan',
      },
    ]);
    expect(scan.dir).toBe('in');
    // The local config is listed but is no workload.
    expect(scan.workloads).toEqual([{ id: 'Deployment/web', name: 'web' }]);
    expect(scan.source).toBeUndefined();
  });

  test('a local-config workload is no workload; a generator file lists only its artifact kinds', () => {
    const scan = scanArtifacts(
      'in',
      [
        input('deployment_spec.yaml', deployment(container('app', 'nginx'))),
        input(
          'local.yaml',
          deployment(
            container('app', 'nginx'),
            '',
            '  annotations:\n    config.kubernetes.io/local-config: "true"\n',
          ).replace('name: web', 'name: local'),
        ),
        input('migration.yaml', 'v2kServiceManager: true\n---\nnotes: kept by hand\n'),
      ],
      [],
      [],
    );
    expect(scan.workloads.map((w) => w.id)).toEqual(['Deployment/web']);
    expect(scan.runtimes.map((r) => r.workload)).toEqual(['Deployment/web']);
    expect(scan.files).toContainEqual({ path: 'migration.yaml', what: 'a migration plan' });
    expect(scan.files).toContainEqual({ path: 'local.yaml', what: 'Deployment/local' });
  });

  test('files listed in path order whatever the order they were read in', () => {
    const names = ['z.yaml', 'b.yaml', 'y.yaml', 'a.yaml', 'x.yaml', 'c.yaml'];
    const scan = scanArtifacts(
      'in',
      names.map((n) => input(n, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n[0]}\n`)),
      [],
      [{ path: 'in/B/Dockerfile', what: 'w' }],
    );
    expect(scan.files.map((f) => f.path)).toEqual([
      'B/Dockerfile',
      'a.yaml',
      'b.yaml',
      'c.yaml',
      'x.yaml',
      'y.yaml',
      'z.yaml',
    ]);
  });

  test('a file given as the folder itself is named by its base name', () => {
    const scan = scanArtifacts(
      'in/deployment_spec.yaml',
      [input('deployment_spec.yaml', deployment(container('app', 'nginx')))],
      [],
      [],
    );
    expect(scan.files).toEqual([{ path: 'deployment_spec.yaml', what: 'Deployment/web' }]);
  });

  test('namespace and ServiceAccount when the spec has them (a non-string one is no name)', () => {
    const scan = scanArtifacts(
      'in',
      [
        input(
          'spec.yaml',
          `${deployment(container('app', 'nginx'), '      serviceAccountName: web-sa\n', '  namespace: shop\n')}---\n${deployment(container('app', 'nginx'), '      serviceAccountName: 7\n').replace('name: web', 'name: api')}`,
        ),
      ],
      [],
      [],
    );
    expect(scan.workloads).toEqual([
      { id: 'Deployment/web', name: 'web', namespace: 'shop', serviceAccountName: 'web-sa' },
      { id: 'Deployment/api', name: 'api' },
    ]);
  });

  test('every image once, with its registry, the first container that uses it, init containers too', () => {
    const images = [
      'gcr.io/proj-one/a:1',
      'us-docker.pkg.dev/proj-two/repo/b:1',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/c:1',
      'nginx:1.25',
      'bitnami/redis:7',
      'quay.io/x/y:1',
      'UPPER/Bad:1',
      'linux-system',
      'gcr.io/proj-one/a:1',
    ];
    const scan = scanArtifacts(
      'in',
      [
        input(
          'spec.yaml',
          deployment(
            images.map((image, i) => container(`c${i}`, image)).join(''),
            `      initContainers:\n${container('init', 'busybox:1')}${container('no-image', '7')}`,
          ),
        ),
        input(
          'skaffold.yaml',
          'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - image: linux-system\n  - image: 7\n  - context: x\n',
        ),
        input(
          'skaffold-3.yaml',
          'apiVersion: skaffold/v4beta6\nkind: Config\nmetadata:\n  name: no-build\n',
        ),
        input(
          'skaffold-4.yaml',
          'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - just-a-string\n',
        ),
        // Not a skaffold config: its build.artifacts name no artifact.
        input(
          'other.yaml',
          'apiVersion: example.com/v1\nkind: Build\nmetadata:\n  name: b\nbuild:\n  artifacts:\n  - image: nginx:1.25\n',
        ),
        input(
          'skaffold-2.yaml',
          'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts: none\n',
        ),
      ],
      [],
      [],
    );
    const where = (c: string) => `Deployment/web container ${c}`;
    expect(scan.images).toEqual([
      {
        image: 'gcr.io/proj-one/a:1',
        where: where('c0'),
        project: 'proj-one',
        registry: 'Container Registry gcr.io, project proj-one',
      },
      {
        image: 'us-docker.pkg.dev/proj-two/repo/b:1',
        where: where('c1'),
        project: 'proj-two',
        registry: 'Artifact Registry us-docker.pkg.dev, project proj-two',
      },
      {
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/c:1',
        where: where('c2'),
        registry: 'Amazon ECR, account 123456789012, region eu-west-1',
      },
      { image: 'nginx:1.25', where: where('c3'), registry: 'Docker Hub (official image)' },
      { image: 'bitnami/redis:7', where: where('c4'), registry: 'Docker Hub' },
      { image: 'quay.io/x/y:1', where: where('c5'), registry: 'quay.io' },
      { image: 'UPPER/Bad:1', where: where('c6'), registry: 'not a valid image reference' },
      {
        image: 'linux-system',
        where: where('c7'),
        registry:
          'a skaffold artifact name: `skaffold run -d REGISTRY` builds it and pushes it as REGISTRY/linux-system',
      },
      { image: 'busybox:1', where: where('init'), registry: 'Docker Hub (official image)' },
    ]);
    // Only app containers have a runtime: the image runs in them, not in init containers.
    expect(scan.runtimes.map((r) => r.container)).toEqual(images.map((_, i) => `c${i}`));
    expect(scan.runtimes.every((r) => r.kind === 'plain' && r.decidedBy === undefined)).toBe(true);
  });
});

describe('init scan: the runtime of each app container', () => {
  const LEGACY_PROBE =
    '        readinessProbe:\n          exec:\n            command: [/code/ready.sh]\n';

  test('decided by the spec, agreeing with the folder Dockerfile: paths relative to the folder', () => {
    const dockerfile: RuntimeEvidence = {
      source: 'dockerfile',
      kind: 'legacy',
      allows: ['legacy'],
      reason: 'v1.4 runtime image',
      where: 'in/Dockerfile:4',
    };
    const scan = scanArtifacts(
      'in',
      [input('deployment_spec.yaml', deployment(container('app', 'nginx', LEGACY_PROBE)))],
      [{ dir: 'in', evidence: [dockerfile] }],
      [],
    );
    expect(scan.runtimes).toHaveLength(1);
    const [r] = scan.runtimes;
    expect(r.container).toBe('app');
    expect(r.workload).toBe('Deployment/web');
    expect(r.kind).toBe('legacy');
    expect(r.decidedBy?.source).toBe('spec');
    expect(r.decidedBy?.where).toMatch(/^deployment_spec\.yaml:[0-9]+$/);
    expect(r.agreeing).toEqual([{ ...dockerfile, where: 'Dockerfile:4' }]);
    expect(r.conflict).toBeUndefined();
  });

  test('a Dockerfile path with no line, and one outside the folder', () => {
    const scan = scanArtifacts(
      'in',
      [input('deployment_spec.yaml', deployment(container('app', 'nginx', LEGACY_PROBE)))],
      [
        {
          dir: 'in',
          evidence: [
            {
              source: 'dockerfile',
              kind: 'legacy',
              allows: ['legacy'],
              reason: 'r',
              where: 'in/sub/Dockerfile',
            },
          ],
        },
      ],
      [],
    );
    expect(scan.runtimes[0].agreeing.map((e) => e.where)).toEqual(['sub/Dockerfile']);
    // Evidence that says no place keeps saying none.
    const placeless: RuntimeEvidence = {
      source: 'dockerfile',
      kind: 'legacy',
      allows: ['legacy'],
      reason: 'r',
    };
    const again = scanArtifacts(
      'in',
      [input('deployment_spec.yaml', deployment(container('app', 'nginx', LEGACY_PROBE)))],
      [{ dir: 'in', evidence: [placeless] }],
      [],
    );
    expect(again.runtimes[0].agreeing).toEqual([placeless]);
  });

  test('a contradiction between the spec and the Dockerfile is reported, not decided', () => {
    const scan = scanArtifacts(
      'in',
      [input('deployment_spec.yaml', deployment(container('app', 'nginx', LEGACY_PROBE)))],
      [
        {
          dir: 'in',
          evidence: [
            {
              source: 'dockerfile',
              kind: 'service-manager',
              allows: ['service-manager'],
              reason: 'v1.15 runtime image',
              where: 'in/Dockerfile:2',
            },
          ],
        },
      ],
      [],
    );
    const [r] = scan.runtimes;
    expect(r.kind).toBeUndefined();
    expect(r.decidedBy).toBeUndefined();
    expect(r.agreeing).toEqual([]);
    expect(r.conflict).toMatch(
      /^the migration artifacts disagree on the runtime: .*dockerfile Dockerfile:2: v1\.15 runtime image \(service-manager runtime\)/,
    );
  });
});

describe('init scan: data volumes and PersistentVolumes', () => {
  test('claims, claim volumes, v1 PersistentVolumes (not local configs, not other versions)', () => {
    const scan = scanArtifacts(
      'in',
      [
        input(
          'spec.yaml',
          [
            deployment(
              container('app', 'nginx'),
              '      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: data-pvc\n      - name: cache\n        emptyDir: {}\n      - plain\n      - name: odd\n        persistentVolumeClaim: {}\n',
            ),
            'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data-pvc\n',
            'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-1\nspec:\n  gcePersistentDisk:\n    pdName: d\n',
            'apiVersion: v2\nkind: PersistentVolume\nmetadata:\n  name: pv-2\n',
            'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-3\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
            'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: local\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
          ].join('---\n'),
        ),
      ],
      [],
      [],
    );
    expect(scan.dataVolumes).toEqual([
      'Deployment/web volume data: claim data-pvc',
      'Deployment/web volume odd: claim undefined',
      'PersistentVolumeClaim data-pvc (spec.yaml)',
    ]);
    expect(scan.persistentVolumes.map((p) => [p.resource.name, p.file])).toEqual([
      ['pv-1', 'spec.yaml'],
    ]);
  });

  test('volumes that are no list say nothing', () => {
    const scan = scanArtifacts(
      'in',
      [input('spec.yaml', deployment(container('app', 'nginx'), '      volumes: {}\n'))],
      [],
      [],
    );
    expect(scan.dataVolumes).toEqual([]);
  });

  test("the plans' data folders: v1 dataVolumes, AppX dataConfig (in spec or at the top); placeholders left out", () => {
    const scan = scanArtifacts(
      'in',
      [
        input('deployment_spec.yaml', deployment(container('app', 'nginx'))),
        input(
          'migration.yaml',
          'apiVersion: anthos-migrate.cloud.google.com/v1beta2\nkind: GenerateArtifactsFlow\nmetadata:\n  name: g\nspec:\n  dataVolumes:\n  - folders: [/var/lib/mysql, <folder>]\n    deploymentPvcName: mysql-data\n  - folders: [<folder>]\n  - folders: [/srv, 7, /a<b>, <a>b]\n  - folders: none\n  - 3\n',
        ),
        input(
          'appx.yaml',
          'apiVersion: anthos-migrate.cloud.google.com/v1\nkind: AppXGenerateArtifactsFlow\nmetadata:\n  name: a\nspec:\n  dataConfig:\n    volumes:\n    - folders: [/data]\n      deploymentPvcName: 9\n',
        ),
        input(
          'plan.yaml',
          'global: {}\nimage: {}\ndataConfig:\n  volumes:\n  - folders: [/opt/app]\n',
        ),
        input('plan-2.yaml', 'v2kServiceManager: true\ndataConfig:\n  volumes: none\n'),
      ],
      [],
      [],
    );
    expect(scan.dataVolumes).toEqual([
      '/var/lib/mysql (migration.yaml, PVC mysql-data)',
      '/srv, /a<b>, <a>b (migration.yaml)',
      '/data (appx.yaml)',
      '/opt/app (plan.yaml)',
    ]);
  });

  test("the source of the migration, when the folder holds the processing cluster's objects", () => {
    const scan = scanArtifacts(
      'in',
      [
        input('deployment_spec.yaml', deployment(container('app', 'nginx'))),
        input(
          'objects.yaml',
          'apiVersion: anthos-migrate.cloud.google.com/v1\nkind: Migration\nmetadata:\n  name: m\nspec:\n  sourceSnapshotTemplate:\n    spec:\n      sourceProviderRef: {name: src}\n      sourceId: vm-1\n---\napiVersion: anthos-migrate.cloud.google.com/v1\nkind: SourceProvider\nmetadata:\n  name: src\nspec:\n  gce:\n    project: acme-vms\n',
        ),
      ],
      [],
      [],
    );
    expect(scan.source).toEqual({
      cloud: 'gce',
      project: 'acme-vms',
      provider: 'src',
      vm: 'vm-1',
      where: ['objects.yaml'],
    });
  });
});

describe('describeDockerfile', () => {
  test('its evidence, or the first clause of why it gives none', () => {
    expect(
      describeDockerfile({
        source: 'dockerfile',
        kind: 'legacy',
        allows: ['legacy'],
        reason: 'v1.4 runtime image',
      }),
    ).toBe('v1.4 runtime image (legacy runtime)');
    expect(describeDockerfile(new Error('no runtime image; FROM scratch; more'))).toBe(
      'no runtime image',
    );
    expect(describeDockerfile(new Error('cannot read'))).toBe('cannot read');
    expect(describeDockerfile(new Error('line one\nline two; detail'))).toBe('line one\nline two');
  });
});
