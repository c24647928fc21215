import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { transformFiles } from '../../src/pipeline/file-mode';
import type { InputFile } from '../../src/io/files';
import { findFunction, FUNCTIONS } from '../../src/pipeline/functions';
import { SourceError } from '../../src/errors';
import { REPO } from '../support/run';

/**
 * The fast paths of file mode (documents composed from their lines, documents passed
 * through unparsed) must not change a byte of the output nor a word of the results:
 * every case runs both ways, against every document parsed by the yaml library.
 */

/** Generated-spec workloads in the benchmark's style: a legacy Deployment and its Service. */
function generated(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `app-vm-${i}`;
    docs.push(`# Stateless application specification - ${name}
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: ${name}
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: ${name}
    spec:
      containers:
      - image: gcr.io/source-project/${name}:v1.0.${i}
        name: ${name}
        readinessProbe:
          exec:
            command:
            - /code/ready.sh
        resources: {}
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /sys/fs/cgroup
          name: cgroups
      volumes:
      - hostPath:
          path: /sys/fs/cgroup
          type: Directory
        name: cgroups
status: {}
`);
    docs.push(`# Headless Service specification -
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: ${name}
spec:
  clusterIP: None
  selector:
    app: ${name}
  type: ClusterIP
status:
  loadBalancer: {}
`);
  }
  return docs.join('\n---\n');
}

const BASE = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: same
imagePullSecrets:
- gcr-json-key
fsGroup: 2000
awsWorkloadIdentity:
  roleArn: arn:aws:iam::123456789012:role/reader
  region: eu-west-1
  initSystem: systemd
`;
const CONFIGS = {
  'every stage': BASE,
  'every stage + preflight': `${BASE}target:
  platform: eks
  pullSecrets:
  - name: gcr-json-key
    registries:
    - gcr.io
`,
};

function run(config: unknown, inputs: InputFile[], fullParse: boolean, name = 'hydrate') {
  const fn = findFunction(name)!;
  try {
    const outcome = transformFiles(fn, config, 'config.yaml', inputs, { fullParse });
    return { ...outcome, files: outcome.files.map((f) => f.text) };
  } catch (error) {
    if (error instanceof SourceError) return { error: error.message };
    throw error;
  }
}

function input(path: string, text: string): InputFile {
  return { path, outputName: path, text };
}

describe('file mode: the fast paths give the output of parsing every document', () => {
  test.each(Object.entries(CONFIGS))('generated workloads, %s', (_name, configText) => {
    const config = parse(configText) as unknown;
    const inputs = [input('spec.yaml', generated(20)), input('more.yaml', generated(3))];
    const fast = run(config, inputs, false);
    expect(fast).toEqual(run(config, inputs, true));
    // The case is put to the test: the workloads were changed.
    expect((fast as { files: string[] }).files[0]).toContain('fsGroup: 2000');
  });

  test('the real generated specs, with each config', () => {
    const dir = join(REPO, '../shared/fixtures/m4a-real');
    const specs = existsSync(dir)
      ? readdirSync(dir).filter((f) => f.endsWith('deployment_spec.yaml'))
      : [];
    for (const file of specs) {
      const inputs = [input(file, readFileSync(join(dir, file), 'utf8'))];
      for (const configText of Object.values(CONFIGS)) {
        const config = parse(configText) as unknown;
        expect(run(config, inputs, false)).toEqual(run(config, inputs, true));
      }
    }
  });

  const golden = join(REPO, 'testdata/golden');
  const cases = readdirSync(golden).filter((c) => existsSync(join(golden, c, 'config.yaml')));

  test.each(cases)('golden case %s', (name) => {
    const dir = join(golden, name);
    const config = parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as unknown;
    const named = join(dir, 'function');
    const fnName = existsSync(named)
      ? readFileSync(named, 'utf8').trim()
      : FUNCTIONS.find((f) => f.kind === (config as { kind?: string }).kind)!.name;
    const inputs = [input('resources.yaml', readFileSync(join(dir, 'resources.yaml'), 'utf8'))];
    expect(run(config, inputs, false, fnName)).toEqual(run(config, inputs, true, fnName));
  });
});
