// Start-up time of a bundle as kpt sees it: N sequential spawns, each fed a one-workload
// ResourceList with a Retarget config, against `node -e ''` as the floor.
//   node scripts/time-startup.mjs [runs=30] [bundle=dist/retarget-hydrate.js]
import { spawnSync } from 'node:child_process';

const [runs = '30', bundle = 'dist/retarget-hydrate.js'] = process.argv.slice(2);
const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: app
  spec:
    template:
      spec:
        containers:
        - name: app
          image: gcr.io/source-project/app:v1
functionConfig:
  apiVersion: fn.retarget.dev/v1alpha1
  kind: Retarget
  metadata:
    name: app
  imagePullSecrets: [gcr-json-key]
  fsGroup: 2000
  awsWorkloadIdentity:
    roleArn: arn:aws:iam::123456789012:role/app
`;

function time(args) {
  const times = [];
  for (let i = 0; i < Number(runs) + 3; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { input });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`${args.join(' ')}: ${run.stderr}`);
    if (i >= 3) times.push(ms); // the first spawns warm the file cache
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return `median ${times[times.length >> 1].toFixed(1)} ms, mean ${mean.toFixed(1)} ms, min ${times[0].toFixed(1)} ms`;
}

console.log(`${bundle}: ${time([bundle])} (${runs} runs)`);
console.log(`node -e '' (floor): ${time(['-e', ''])}`);
