/**
 * The Argo CD plugin: its generate command run as the repo-server sidecar runs it
 * (working directory at the application path, Argo CD's build environment, nothing
 * else), on success and on every kind of failure; and the sidecar patch merged by the
 * real kubectl kustomize onto an argocd-repo-server Deployment.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { binDir, describeWith, REPO, run, tempDir } from './support';

const ARGOCD = join(REPO, 'argocd');

interface Plugin {
  metadata: { name: string };
  spec: { discover: { fileName: string }; generate: { command: string[]; args?: string[] } };
}

const plugin = parse(readFileSync(join(ARGOCD, 'plugin.yaml'), 'utf8')) as Plugin;

/** An application directory in a checked-out repository, as the sidecar receives it. */
function application(name: string): string {
  const dir = join(tempDir('argocd-repo'), 'workloads', name);
  mkdirSync(dir, { recursive: true });
  for (const file of ['deployment_spec.yaml', 'retarget.yaml']) {
    copyFileSync(join(REPO, 'examples', 'quickstart', file), join(dir, file));
  }
  return dir;
}

/** Runs spec.generate with only the environment Argo CD gives a plugin. */
function generate(appDir: string, name: string) {
  const [command, ...args] = [
    ...plugin.spec.generate.command,
    ...(plugin.spec.generate.args ?? []),
  ];
  return run(command, args, {
    cwd: appDir,
    env: {
      PATH: `${binDir()}${delimiter}${process.env.PATH ?? ''}`,
      HOME: appDir,
      ARGOCD_APP_NAME: name,
      ARGOCD_APP_NAMESPACE: 'argocd',
      ARGOCD_APP_REVISION: '4f1c2e0a9d8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e',
      ARGOCD_APP_SOURCE_PATH: `workloads/${name}`,
      ARGOCD_APP_SOURCE_REPO_URL: 'https://github.com/example-org/migrated-workloads.git',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
      ARGOCD_ENV_TEAM: 'billing',
      KUBE_VERSION: '1.30',
    },
  });
}

describe('argocd/plugin.yaml generate, as the sidecar runs it', () => {
  test('is discovered by a retarget.yaml at the application path', () => {
    expect(plugin.metadata.name).toBe('retarget');
    expect(existsSync(join(application('discover'), plugin.spec.discover.fileName))).toBe(true);
  });

  test('prints the hydrated manifests: the same bytes as retarget hydrate', () => {
    const app = application('billing-vm');
    const generated = generate(app, 'billing-vm');
    // The quickstart's StatefulSet mounts a claim: set-fs-group says it chose OnRootMismatch.
    expect({ status: generated.status, stderr: generated.stderr }).toEqual({
      status: 0,
      stderr: expect.stringMatching(/^(info: [^\n]*\n)*$/),
    });
    const cli = run(
      process.execPath,
      [join(REPO, 'dist', 'retarget.js'), 'hydrate', '-c', 'retarget.yaml', 'deployment_spec.yaml'],
      { cwd: app },
    );
    expect(generated.stdout).toBe(cli.stdout);
    const kinds = parseAllDocuments(generated.stdout).map((d) => d.get('kind'));
    expect(kinds).toEqual([
      'StatefulSet',
      'Service',
      'PersistentVolumeClaim',
      'ConfigMap',
      'ConfigMap',
      'ServiceAccount',
    ]);
    // The config is not a manifest to apply.
    expect(kinds).not.toContain('Retarget');
  });

  const failures: [string, (app: string) => void, RegExp][] = [
    [
      'an invalid config',
      (app) => {
        const config = join(app, 'retarget.yaml');
        writeFileSync(
          config,
          readFileSync(config, 'utf8').replace('fsGroup: 2000', 'fsGroup: "2000; rm -rf /"'),
        );
      },
      /fsGroup/,
    ],
    [
      'a config that is not YAML',
      (app) => writeFileSync(join(app, 'retarget.yaml'), 'kind: Retarget\n  fsGroup: [\n'),
      /retarget\.yaml:\d+/,
    ],
    [
      'a manifest with a duplicate key',
      (app) =>
        writeFileSync(
          join(app, 'extra.yaml'),
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
        ),
      /extra\.yaml:5/,
    ],
    [
      'an error result (fsGroup conflict)',
      (app) => {
        const spec = join(app, 'deployment_spec.yaml');
        writeFileSync(
          spec,
          readFileSync(spec, 'utf8').replace(
            '    spec:\n      containers:',
            '    spec:\n      securityContext:\n        fsGroup: 1000\n      containers:',
          ),
        );
      },
      /fsGroup is 1000/,
    ],
  ];

  test.each(failures)(
    'fails on %s: non-zero exit, nothing on stdout, a located message',
    (_, breakIt, message) => {
      const app = application('broken');
      breakIt(app);
      const generated = generate(app, 'broken');
      expect(generated.status).not.toBe(0);
      expect(generated.stdout).toBe('');
      expect(generated.stderr).toMatch(message);
      expect(generated.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describeWith(['kubectl'])('argocd/repo-server-patch.yaml', () => {
  test('merges the sidecar into an argocd-repo-server Deployment, with plugin.yaml mounted', () => {
    const dir = tempDir('argocd-install');
    for (const file of ['plugin.yaml', 'repo-server-patch.yaml']) {
      copyFileSync(join(ARGOCD, file), join(dir, file));
    }
    // Stands in for Argo CD's install.yaml (no network here): its repo-server, abridged.
    writeFileSync(
      join(dir, 'install.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argocd-repo-server\nspec:\n  template:\n    spec:\n      containers:\n      - name: argocd-repo-server\n        image: quay.io/argoproj/argocd:v3.5.4\n        volumeMounts:\n        - mountPath: /home/argocd/cmp-server/plugins\n          name: plugins\n      volumes:\n      - name: var-files\n        emptyDir: {}\n      - name: plugins\n        emptyDir: {}\n',
    );
    const pinned = readFileSync(join(ARGOCD, 'kustomization.yaml'), 'utf8');
    // A released Argo CD, not a moving branch, applied server-side as its install docs say.
    expect(pinned).toMatch(
      /^ {2}- https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/v3\.\d+\.\d+\/manifests\/install\.yaml$/m,
    );
    expect(pinned).toContain('kubectl apply -k argocd/ -n argocd --server-side --force-conflicts');
    const kustomization = pinned.replace(
      /https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/\S+\/install\.yaml/,
      'install.yaml',
    );
    expect(kustomization).toContain('  - install.yaml');
    writeFileSync(join(dir, 'kustomization.yaml'), kustomization);
    const built = run('kubectl', ['kustomize', dir]);
    expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: '' });
    type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into manifests
    const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as Obj);
    const configMap = objects.find((o) => o.kind === 'ConfigMap');
    expect(configMap?.metadata).toEqual({ name: 'retarget-cmp-plugin', namespace: 'argocd' });
    expect(parse(configMap?.data['plugin.yaml'])).toEqual(plugin);
    const pod = objects.find((o) => o.kind === 'Deployment')?.spec.template.spec;
    expect(pod.containers.map((c: Obj) => c.name)).toEqual(['retarget', 'argocd-repo-server']);
    const sidecar = pod.containers[0];
    expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
    expect(sidecar.securityContext.runAsNonRoot).toBe(true);
    expect(sidecar.volumeMounts).toContainEqual({
      mountPath: '/home/argocd/cmp-server/config/plugin.yaml',
      subPath: 'plugin.yaml',
      name: 'retarget-cmp-plugin',
    });
    const volumes = pod.volumes.map((v: Obj) => v.name);
    for (const mount of sidecar.volumeMounts) expect(volumes).toContain(mount.name);
  });
});
