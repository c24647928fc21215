/**
 * The Dockerfile, checked without a Docker engine: what the build stage copies exists
 * and suffices to build dist/, what the final stage copies and runs exists in dist/,
 * and the entrypoint runs as nobody from a read-only copy of dist/ alone (no
 * node_modules anywhere up the tree), fed a ResourceList.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import type { Instruction, JSONInstruction } from 'dockerfile-ast';
import { describeWith, DIST, REPO, run, tempDir } from './support';

const dockerfile = DockerfileParser.parse(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();
const fromIndexes = instructions.flatMap((i, n) => (i.getKeyword() === 'FROM' ? [n] : []));
const buildStage = instructions.slice(fromIndexes[0], fromIndexes[1]);
const finalStage = instructions.slice(fromIndexes[fromIndexes.length - 1]);

function args(instruction: Instruction): string[] {
  return instruction.getArguments().map((a) => a.getValue());
}

function only(stage: Instruction[], keyword: string): Instruction[] {
  return stage.filter((i) => i.getKeyword() === keyword);
}

const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const functionArg = dockerfile.getARGs().find((a) => a.getProperty()?.getName() === 'FUNCTION');
const defaultFunction = functionArg?.getProperty()?.getValue() ?? '';
const entrypoint = (dockerfile.getENTRYPOINTs()[0] as JSONInstruction)
  .getJSONStrings()
  .map((s) => s.getJSONValue());

const resourceList = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: billing-vm
    annotations:
      config.kubernetes.io/path: deployment_spec.yaml
  spec:
    template:
      spec:
        containers:
        - name: billing-vm
          image: gcr.io/source-project/billing-vm:v1.0.0
          readinessProbe:
            exec:
              command: [/code/ready.sh]
          securityContext:
            privileged: true
functionConfig:
  apiVersion: fn.retarget.dev/v1alpha1
  kind: Retarget
  metadata:
    name: billing-vm
  imagePullSecrets: [gcr-json-key]
  fsGroup: 2000
`;

describe('Dockerfile', () => {
  test('multi-stage: builds on node:20, runs a small image as nobody with an exec-form entrypoint', () => {
    const froms = dockerfile.getFROMs();
    expect(froms).toHaveLength(2);
    expect(`${froms[0].getImageName()}:${froms[0].getImageTag()}`).toMatch(/^node:20/);
    expect(`${froms[1].getImageName()}:${froms[1].getImageTag()}`).toMatch(
      /^(node:20-alpine|gcr\.io\/distroless\/nodejs20)/,
    );
    expect(only(finalStage, 'USER').map(args)).toEqual([['65534:65534']]);
    expect(entrypoint).toEqual(['retarget', 'run']);
  });

  test('the FUNCTION build arg names a function and becomes the default RETARGET_FUNCTION', () => {
    expect(packageJson.bin[`retarget-${defaultFunction}`]).toBe(
      `dist/retarget-${defaultFunction}.js`,
    );
    expect(only(finalStage, 'ENV').map(args)).toEqual([['RETARGET_FUNCTION=${FUNCTION}']]);
  });

  test('every build-stage COPY source exists and is in the build context (.dockerignore)', () => {
    const allowed = readFileSync(join(REPO, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    const copies = only(buildStage, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      for (const source of args(copy).slice(0, -1)) {
        expect(existsSync(join(REPO, source))).toBe(true);
        expect(allowed).toContain(source);
      }
    }
  });

  test('the build stage builds every bin of package.json from what it copies', () => {
    const workdir = args(only(buildStage, 'WORKDIR')[0])[0];
    const context = tempDir('docker-build');
    for (const copy of only(buildStage, 'COPY')) {
      const parts = args(copy);
      for (const source of parts.slice(0, -1)) {
        const target = join(context, parts[parts.length - 1], source.endsWith('/') ? '' : source);
        cpSync(
          join(REPO, source),
          source.endsWith('/') ? join(context, parts[parts.length - 1]) : target,
          {
            recursive: true,
          },
        );
      }
    }
    // What `npm ci` gives the stage.
    symlinkSync(join(REPO, 'node_modules'), join(context, 'node_modules'));
    const [buildRun] = only(buildStage, 'RUN').filter((r) => args(r)[0] === 'node');
    const built = run(process.execPath, args(buildRun).slice(1), { cwd: context });
    expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: '' });
    for (const bin of Object.values(packageJson.bin)) {
      expect(statSync(join(context, bin)).mode & 0o111).toBe(0o111);
    }
    // COPY --from=build takes <WORKDIR>/dist/.
    const [fromBuild] = only(finalStage, 'COPY');
    const source = args(fromBuild)[0];
    expect(posix.relative(workdir, source).replace(/\/$/, '')).toBe('dist');
  });
});

/** Lays out the final stage in a temp root: /opt/retarget from dist/, the RUN step's links. */
function finalImage(fn: string): { root: string; bin: string } {
  const root = tempDir('image');
  chmodSync(root, 0o755);
  const [copy] = only(finalStage, 'COPY');
  const target = join(root, args(copy)[1]);
  mkdirSync(target, { recursive: true });
  // COPY of a directory takes its subdirectories too (dist/kubernetes-schemas/).
  for (const file of readdirSync(DIST))
    cpSync(join(DIST, file), join(target, file), { recursive: true });
  const bin = join(root, 'usr', 'local', 'bin');
  mkdirSync(bin, { recursive: true });
  const step = only(finalStage, 'RUN')[0].getArgumentsContent() ?? '';
  const script = step
    .replace(/\\\n/g, ' ')
    .replaceAll('/opt/retarget', target)
    .replaceAll('/usr/local/bin', bin);
  const ran = run('sh', ['-c', script], { env: { ...process.env, FUNCTION: fn } });
  if (ran.status !== 0) throw new Error(`RUN step failed for FUNCTION=${fn}: ${ran.stderr}`);
  // Read-only, as an image layer run by nobody is.
  const readOnly = (dir: string): void => {
    for (const file of readdirSync(dir)) {
      const path = join(dir, file);
      if (statSync(path).isDirectory()) readOnly(path);
      else chmodSync(path, statSync(path).mode & 0o555);
    }
    chmodSync(dir, 0o555);
  };
  for (const dir of [target, bin]) readOnly(dir);
  return { root, bin };
}

function noNodeModulesUpFrom(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) return false;
    if (dirname(at) === at) return true;
  }
}

const asRoot = process.getuid?.() === 0;

describeWith(asRoot ? ['setpriv'] : [])(
  'the image entrypoint, as nobody, from a read-only dist/',
  () => {
    /** Runs the ENTRYPOINT (+ args) the way the image does: PATH has /usr/local/bin, uid 65534. */
    function entry(
      image: { root: string; bin: string },
      extra: string[],
      fn: string,
      input = resourceList,
    ) {
      const env = [
        'env',
        '-i',
        `PATH=${image.bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
        `RETARGET_FUNCTION=${fn}`,
      ];
      const command = [...env, ...entrypoint, ...extra];
      const [file, ...rest] = asRoot
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...command]
        : command;
      return run(file, rest, { input, cwd: image.root });
    }

    test('the default function (build arg) gives what dist/ gives, as uid 65534', () => {
      const image = finalImage(defaultFunction);
      expect(noNodeModulesUpFrom(image.root)).toBe(true);
      const inImage = entry(image, [], defaultFunction);
      expect({ status: inImage.status, stderr: inImage.stderr }).toEqual({ status: 0, stderr: '' });
      const direct = run(process.execPath, [join(DIST, `retarget-${defaultFunction}.js`)], {
        input: resourceList,
      });
      expect(inImage.stdout).toBe(direct.stdout);
      expect(inImage.stdout).toContain('fsGroup: 2000');
      const whoami = run('sh', [
        '-c',
        asRoot ? 'setpriv --reuid=65534 --regid=65534 --clear-groups id -u' : 'id -u',
      ]);
      expect(Number(whoami.stdout.trim())).not.toBe(0);
    });

    test('an entrypoint argument picks another function', () => {
      const image = finalImage(defaultFunction);
      const list = resourceList.replace(
        /functionConfig:[\s\S]*$/,
        'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: fs\n  data:\n    fsGroup: "3000"\n',
      );
      const inImage = entry(image, ['set-fs-group'], defaultFunction, list);
      expect({ status: inImage.status, stderr: inImage.stderr }).toEqual({ status: 0, stderr: '' });
      expect(inImage.stdout).toContain('fsGroup: 3000');
      expect(inImage.stdout).not.toContain('imagePullSecrets');
    });

    test('preflight reads its Kubernetes schemas from the read-only image', () => {
      const image = finalImage(defaultFunction);
      const list = resourceList
        .replace('        containers:', '        imagePullSecret: []\n        containers:')
        .replace(
          /functionConfig:[\s\S]*$/,
          'functionConfig:\n  apiVersion: fn.retarget.dev/v1alpha1\n  kind: Preflight\n  metadata:\n    name: p\n',
        );
      const inImage = entry(image, ['preflight'], defaultFunction, list);
      expect(inImage.stdout).toContain('unknown field "spec.template.spec.imagePullSecret"');
      expect(inImage.stderr).not.toMatch(/ENOENT|EACCES/);
    });

    test('a FUNCTION build arg that names no function fails the build step', () => {
      expect(() => finalImage('no-such-function')).toThrow(/RUN step failed/);
    });
  },
);
