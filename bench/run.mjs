// The benchmark behind `npm run bench`: whole-process times (median of several runs) of
// retarget against the `yaml` library's own round trip of the same text, JSON, `kubectl
// kustomize` doing the equivalent patch and kpt running exec functions; start-up of every
// bundled function; peak RSS. Prints a table, checks the targets, and writes
// bench/results/latest.{json,md,svg}. Generated packages and outputs go to a work directory
// outside the repository ($RETARGET_BENCH_WORK, default <tmpdir>/retarget-bench): packages
// with a Kptfile inside the repository would become subpackages of its root kpt package.
//
//   npm run bench                     N = 100, 1000, 5000, 3 runs per point
//   npm run bench -- --quick          1 run per point, runs stopped after 30 s
//   npm run bench -- --sizes 100,1000 --runs 5 --no-kustomize --no-kpt --max-seconds 120
//   npm run bench -- --strict         exit 1 when a target is missed
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Document, parse, parseAllDocuments, YAMLSeq } from 'yaml';
import { chartSvg } from './chart.mjs';
import { GENERATOR_VERSION, RETARGET_CONFIG, specText, writePackage } from './generate.mjs';
import { measure, tool as findTool } from './measure.mjs';
import { checkTargets, markdown } from './report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = process.env.RETARGET_BENCH_WORK || join(tmpdir(), 'retarget-bench');
const RESULTS = join(ROOT, 'bench/results');
const DIST = join(ROOT, 'dist');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '100,1000,5000' },
    runs: { type: 'string' },
    'no-kustomize': { type: 'boolean', default: false },
    'no-kpt': { type: 'boolean', default: false },
    'slow-seconds': { type: 'string', default: '10' },
    'max-seconds': { type: 'string' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const runs = Number(args.runs ?? (args.quick ? 1 : 3));
const startupRuns = args.quick ? 5 : 11;
// A tool slower than this at a point is run once there: kustomize takes minutes at N = 5000.
const slowSeconds = Number(args['slow-seconds']);
// A run longer than this is stopped and shown as "> max" (kustomize grows quadratically:
// minutes at N = 5000). Needs coreutils `timeout`.
const maxSeconds = Number(args['max-seconds'] ?? (args.quick ? 30 : 60));

for (const bin of ['retarget.js', 'retarget-hydrate.js']) {
  if (!existsSync(join(DIST, bin))) {
    console.error(`bench: ${join('dist', bin)} is missing; run npm run build first`);
    process.exit(2);
  }
}
const timeBin = findTool('/usr/bin/time', ['-f', '%M', 'true']) ? '/usr/bin/time' : undefined;
const timeoutBin = findTool('timeout', ['1', 'true']) ? 'timeout' : undefined;
const kubectl = !args['no-kustomize'] && findTool('kubectl', ['version', '--client']);
const kpt = !args['no-kpt'] && findTool('kpt', ['version']);
if (!kubectl && !args['no-kustomize'])
  console.warn('bench: kubectl not found; kustomize rows skipped');
if (!kpt && !args['no-kpt']) console.warn('bench: kpt not found; kpt rows skipped');

const node = process.execPath;
const started = Date.now();
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  loadavgAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  kpt: kpt ? versionOf('kpt', ['version']) : null,
  kubectl: kubectl ? versionOf('kubectl', ['version', '--client']) : null,
  peakRss: timeBin ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (node processes only)',
};

/** The smallest valid config of each function, as a ConfigMap (`kpt fn eval -- k=v` style). */
const STARTUP_CONFIG = {
  hydrate: { imagePullSecrets: 'gcr-json-key', fsGroup: '2000' },
  'set-image-pull-secrets': { names: 'gcr-json-key' },
  'set-fs-group': { fsGroup: '2000' },
  'link-kubernetes-info-secrets': {},
  'set-aws-workload-identity': { roleArn: 'arn:aws:iam::123456789012:role/bench' },
  preflight: {},
};

/**
 * retarget refuses inputs over 10 MiB unless told otherwise; the ResourceList of 5000
 * workloads is just over. The limit is raised for every run (kpt's exec functions inherit it).
 */
const BIG_INPUTS = { RETARGET_MAX_INPUT_BYTES: String(1 << 30), RETARGET_MAX_NODES: String(1e8) };

/** Every tool timed against N: the command for a prepared package, and its input. */
const TOOLS = [
  {
    id: 'retarget',
    label: 'retarget hydrate (CLI)',
    command: (p) => [node, join(DIST, 'retarget.js'), 'hydrate', '-c', p.config, p.spec],
  },
  {
    id: 'retarget-full',
    label: 'retarget hydrate (CLI), + systemd drop-in',
    command: (p) => [node, join(DIST, 'retarget.js'), 'hydrate', '-c', p.fullConfig, p.spec],
  },
  {
    id: 'retarget-krm',
    label: 'retarget-hydrate (KRM, kpt fn source list)',
    command: () => [node, join(DIST, 'retarget-hydrate.js')],
    stdin: (p) => p.resourceList,
  },
  {
    id: 'floor-yaml',
    label: 'yaml floor: parseAllDocuments + String(doc)',
    command: (p) => [node, join(ROOT, 'bench/floor-yaml.cjs'), p.spec],
  },
  {
    id: 'floor-json',
    label: 'JSON.parse + JSON.stringify (reference)',
    command: (p) => [node, join(ROOT, 'bench/floor-json.cjs'), p.json],
  },
  kubectl && {
    id: 'kustomize',
    label: 'kubectl kustomize, equivalent patch',
    command: (p) => [
      'kubectl',
      'kustomize',
      '--load-restrictor',
      'LoadRestrictionsNone',
      p.kustomize,
    ],
  },
  kpt && {
    id: 'kpt-noop',
    label: 'kpt fn eval --exec cat (no-op function)',
    command: (p) => ['kpt', 'fn', 'eval', p.pkg, '--exec', 'cat', '-o', 'stdout'],
  },
  kpt && {
    id: 'kpt-retarget',
    label: 'kpt fn eval --exec retarget-hydrate',
    command: (p) => [
      'kpt',
      'fn',
      'eval',
      p.pkg,
      '--exec',
      `${node} ${join(DIST, 'retarget-hydrate.js')}`,
      '--fn-config',
      p.config,
      '-o',
      'stdout',
    ],
  },
].filter(Boolean);

const results = {
  date: new Date().toISOString(),
  machine,
  options: { sizes, runs, startupRuns, slowSeconds, maxSeconds, quick: args.quick },
  tools: Object.fromEntries(TOOLS.map((t) => [t.id, { label: t.label, points: {} }])),
  startup: {},
  targets: [],
};

for (const n of sizes) {
  const p = prepare(n);
  console.log(`\nN = ${n} (${p.documents} documents, ${(p.bytes / 1e6).toFixed(2)} MB)`);
  const samples = Object.fromEntries(TOOLS.map((t) => [t.id, []]));
  // Runs go round the tools, so a burst of load on the machine hits them all alike.
  for (let run = 0; run < runs; run++) {
    for (const t of TOOLS) {
      const done = samples[t.id];
      if (run > 0 && done[0].seconds > slowSeconds) continue;
      const command = t.command(p);
      const capped = timeoutBin ? [timeoutBin, '-k', '5', String(maxSeconds), ...command] : command;
      const sample = measure(capped, {
        stdin: t.stdin?.(p),
        stdout: join(p.dir, `out-${t.id}.txt`),
        timeBin,
        env: BIG_INPUTS,
      });
      if (timeoutBin && (sample.status === 124 || sample.status === 137)) {
        done.push({ ...sample, seconds: maxSeconds, timedOut: true });
        continue;
      }
      if (sample.status !== 0) {
        console.error(
          `bench: ${t.id} failed at N = ${n} (exit ${sample.status}):\n${sample.stderr}`,
        );
        process.exit(1);
      }
      done.push(sample);
    }
  }
  for (const t of TOOLS) {
    const point = summarize(samples[t.id]);
    results.tools[t.id].points[n] = point;
    const rss = point.peakRssMB === null ? '' : `, peak RSS ${point.peakRssMB} MB`;
    const time = point.timedOut ? `> ${maxSeconds} s (stopped)` : `${point.median.toFixed(3)} s`;
    console.log(`  ${t.label.padEnd(48)} ${time}${rss}`);
  }
}

console.log('\nstart-up on a one-resource input');
results.startup = startup();
for (const [id, s] of Object.entries(results.startup)) {
  console.log(`  ${id.padEnd(48)} ${(s.median * 1000).toFixed(0)} ms`);
}

results.machine.loadavgAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
results.machine.benchSeconds = Math.round((Date.now() - started) / 1000);
results.targets = checkTargets(results);
const report = markdown(results);
console.log(`\n${report}`);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(RESULTS, 'latest.md'), report);
writeFileSync(join(RESULTS, 'latest.svg'), chartSvg(results));
console.log('wrote bench/results/latest.json, latest.md and latest.svg');
// Timings on a shared machine vary: a missed target fails the command only with --strict.
if (args.strict && results.targets.some((t) => t.pass === false)) process.exitCode = 1;

/** The package for N workloads under WORK/n<N>/, generated once per generator version. */
function prepare(n) {
  const dir = join(WORK, `n${n}`);
  const stamp = join(dir, 'stamp.json');
  const want = JSON.stringify({ version: GENERATOR_VERSION, n, kpt: Boolean(kpt) });
  const paths = {
    dir,
    spec: join(dir, 'pkg/deployment_spec.yaml'),
    config: join(dir, 'retarget.yaml'),
    fullConfig: join(dir, 'retarget-full.yaml'),
    pkg: join(dir, 'pkg'),
    kustomize: join(dir, 'kustomize'),
    resourceList: join(dir, 'resource-list.yaml'),
    json: join(dir, 'resources.json'),
  };
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want) {
    writePackage(dir, n);
    const docs = parseAllDocuments(readFileSync(paths.spec, 'utf8')).map((d) => d.toJS());
    writeFileSync(paths.json, JSON.stringify(docs, null, 2));
    writeFileSync(paths.resourceList, resourceList(paths));
    writeFileSync(stamp, want);
  }
  return { ...paths, bytes: statSync(paths.spec).size, documents: 2 * n };
}

/** The ResourceList `kpt fn source` makes of the package, with the config as functionConfig. */
function resourceList(paths) {
  if (kpt) {
    const r = spawnSync('kpt', ['fn', 'source', paths.pkg, '--fn-config', paths.config], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (r.status !== 0) throw new Error(`kpt fn source failed: ${r.stderr}`);
    return r.stdout;
  }
  // Without kpt: the same items and their comments, wrapped by the yaml library instead.
  machine.resourceList = 'wrapped by the yaml library (kpt missing)';
  const list = new Document({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList' });
  const items = new YAMLSeq();
  items.items = parseAllDocuments(readFileSync(paths.spec, 'utf8')).map((d) => {
    d.contents.commentBefore = d.commentBefore;
    return d.contents;
  });
  list.set('items', items);
  list.set('functionConfig', parse(RETARGET_CONFIG));
  return list.toString({ indentSeq: false, lineWidth: 0 });
}

function summarize(samples) {
  const seconds = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.peakRssKB).filter((v) => v !== null);
  return {
    median: median(seconds),
    runs: seconds.map((s) => Number(s.toFixed(4))),
    cpuSeconds: samples[0].cpuSeconds === null ? null : median(samples.map((s) => s.cpuSeconds)),
    peakRssMB: rss.length ? Number((median(rss) / 1024).toFixed(1)) : null,
    ...(samples.some((s) => s.timedOut) ? { timedOut: true } : {}),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Each bundled executable on a one-resource input, against `node -e ''`. */
function startup() {
  const dir = join(WORK, 'startup');
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'one.yaml');
  writeFileSync(spec, specText(1).split('\n---\n')[0]);
  const config = join(dir, 'retarget.yaml');
  writeFileSync(config, RETARGET_CONFIG);
  const cases = [{ id: "node -e ''", command: [node, '-e', ''] }];
  cases.push({
    id: 'retarget hydrate (CLI)',
    command: [node, join(DIST, 'retarget.js'), 'hydrate', '-c', config, spec],
  });
  const functions = readdirSync(DIST)
    .filter((f) => /^retarget-.+\.js$/.test(f))
    .sort();
  for (const file of functions) {
    const name = file.slice('retarget-'.length, -'.js'.length);
    const input = join(dir, `${name}.yaml`);
    writeFileSync(input, oneResourceList(readFileSync(spec, 'utf8'), name));
    cases.push({ id: file.slice(0, -3), command: [node, join(DIST, file)], stdin: input });
  }
  const samples = Object.fromEntries(cases.map((c) => [c.id, []]));
  for (let run = 0; run < startupRuns; run++) {
    for (const c of cases) {
      const sample = measure(c.command, { stdin: c.stdin, stdout: join(dir, 'out.txt'), timeBin });
      // Exit 1 is a function reporting error results (preflight finds the image unpullable).
      if (sample.status !== 0 && sample.status !== 1) {
        console.error(
          `bench: start-up of ${c.id} failed (exit ${sample.status}):\n${sample.stderr}`,
        );
        process.exit(1);
      }
      samples[c.id].push(sample);
    }
  }
  return Object.fromEntries(cases.map((c) => [c.id, summarize(samples[c.id])]));
}

function oneResourceList(resource, name) {
  const data = STARTUP_CONFIG[name] ?? {};
  const item = resource.replace(/^/gm, '  ').replace(/^ {2}/, '- ');
  const dataLines = Object.entries(data).map(([k, v]) => `\n    ${k}: ${JSON.stringify(v)}`);
  return [
    'apiVersion: config.kubernetes.io/v1',
    'kind: ResourceList',
    `items:\n${item.trimEnd()}`,
    'functionConfig:',
    '  apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata:',
    '    name: bench',
    `  data:${dataLines.length ? dataLines.join('') : ' {}'}`,
    '',
  ].join('\n');
}

function versionOf(command, argv) {
  const r = spawnSync(command, argv, { encoding: 'utf8' });
  return (r.stdout || r.stderr).trim().split('\n')[0];
}
