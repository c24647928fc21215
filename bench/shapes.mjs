// Inputs of one shape grown along one dimension, for the bench's time-against-size slopes
// (issue 16, point 4): not many small documents but one wide map, one long list, one pod
// with many containers, one directory of many files. Each is a legacy-runtime workload in
// the generator's style, so every stage of hydrate has work to do on it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function pod(name, containers, { labels = '', env = '' } = {}) {
  return `# Stateless application specification - generated for the migrated VM ${name}
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: ${name}
${labels}  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
${containers
  .map(
    (c) => `      - image: gcr.io/source-project/${c}:v1.0.0
        name: ${c}
${env}        readinessProbe:
          exec:
            command:
            - /code/ready.sh
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /sys/fs/cgroup
          name: cgroups
`,
  )
  .join('')}      volumes:
      - hostPath:
          path: /sys/fs/cgroup
          type: Directory
        name: cgroups
`;
}

const pad = (i) => String(i).padStart(6, '0');

/** Every shape: its three sizes, and the writer of its input at size n (returns its path). */
export const SHAPES = {
  'wide map': {
    unit: 'labels',
    sizes: [2000, 8000, 32000],
    write(dir, n) {
      let labels = '';
      for (let i = 0; i < n; i++) labels += `    label-${pad(i)}: value-${pad(i)}\n`;
      return file(dir, pod('wide', ['wide'], { labels }));
    },
  },
  'long list': {
    unit: 'env entries',
    sizes: [5000, 20000, 80000],
    write(dir, n) {
      let env = '        env:\n';
      for (let i = 0; i < n; i++) env += `        - name: VAR_${pad(i)}\n          value: v${i}\n`;
      return file(dir, pod('long', ['long'], { env }));
    },
  },
  'many containers': {
    unit: 'containers',
    sizes: [250, 1000, 4000],
    write(dir, n) {
      const names = Array.from({ length: n }, (_, i) => `c-${pad(i)}`);
      return file(dir, pod('many', names));
    },
  },
  'many files': {
    unit: 'files',
    sizes: [250, 1000, 4000],
    write(dir, n) {
      const folder = join(dir, 'spec');
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      for (let i = 0; i < n; i++)
        writeFileSync(join(folder, `app-${pad(i)}.yaml`), pod(`app-${pad(i)}`, [`app-${pad(i)}`]));
      return folder;
    },
  },
};

function file(dir, text) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'deployment_spec.yaml');
  writeFileSync(path, text);
  return path;
}

/** Least-squares slope of log(time) against log(size): 1 is linear, 2 quadratic. */
export function slope(points) {
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}
