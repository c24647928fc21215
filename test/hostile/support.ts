import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isSeq, parse, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { DIST, REPO } from '../support/run';

export const HOSTILE = join(REPO, 'testdata/hostile');
export const DEFAULT_CONFIG = join(HOSTILE, 'retarget.yaml');
/**
 * Every run of the corpus must end within this much CPU time (the bound). CPU
 * time rather than wall time: on a loaded machine the same run can take several times as
 * long by the clock, while its CPU time stays put.
 */
export const TIMEOUT_MS = 10_000;
/** A run still going after this much wall time is killed as hung (busy or blocked). */
export const HANG_MS = 6 * TIMEOUT_MS;

/** What a case expects, from its expect.yaml. */
export interface Expectation {
  description: string;
  outcome: 'ok' | 'error';
  /** error: the located message's pieces. */
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  resource?: string;
  message?: string;
  /** ok: how many input documents have content, and which workloads get hydrated. */
  documents?: number;
  hydrated?: string[];
  /** ok: text the output must contain. */
  contains?: string[];
  /** ok: the output keeps these input layouts. */
  layout?: ('crlf' | 'bom')[];
  /** KRM mode where it differs from file mode. */
  krm?: Partial<Expectation>;
}

export interface HostileCase {
  name: string;
  dir: string;
  inputs: string[];
  config: string;
  expect: Expectation;
}

export function loadCases(): HostileCase[] {
  return readdirSync(HOSTILE)
    .filter((name) => statSync(join(HOSTILE, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(HOSTILE, name);
      const inputs = readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f) && f !== 'expect.yaml' && f !== 'config.yaml')
        .sort()
        .map((f) => join(dir, f));
      const own = join(dir, 'config.yaml');
      const expect = parse(readFileSync(join(dir, 'expect.yaml'), 'utf8')) as Expectation;
      return { name, dir, inputs, config: existsSync(own) ? own : DEFAULT_CONFIG, expect };
    });
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** Wall time. */
  ms: number;
  /** CPU time (user + system) of the run, child processes included. */
  cpuMs: number;
}

/**
 * CPU time of this process's reaped children, from /proc/self/stat (cutime + cstime, in
 * clock ticks of 10 ms): spawnSync reaps its child before it returns, so the difference
 * around one call is that child's CPU time.
 */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Runs a bundled executable with the corpus time bound; the input is bytes, as a file holds them. */
export function runBounded(
  bin: string,
  args: string[],
  input?: Buffer,
  env: NodeJS.ProcessEnv = {},
): Run {
  const path = resolve(DIST, `${bin}.js`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  const started = Date.now();
  const cpuBefore = childrenCpuMs();
  const r = spawnSync(process.execPath, [path, ...args], {
    cwd: REPO,
    input,
    timeout: HANG_MS,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, RETARGET_DEBUG: '', ...env },
  });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr?.toString('utf8') ?? '',
    ms: Date.now() - started,
    cpuMs: childrenCpuMs() - cpuBefore,
  };
}

/** A JavaScript stack frame (`    at fn (file.js:1:2)`): never shown without --debug. */
export const STACK_FRAME = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/**
 * A ResourceList holding the documents of `input` as items, built as text so broken
 * input stays broken (a tab, an unclosed quote, a duplicate key, a bad byte): each
 * document's lines are indented under `- `. Works on bytes (latin1 keeps each byte).
 */
export function asResourceList(input: Buffer, configText: string): Buffer {
  let text = input.toString('latin1');
  const bom = text.startsWith('\xef\xbb\xbf');
  if (bom) text = text.slice(3);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const docs: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (/^---\s*$/.test(line)) docs.push([]);
    else docs[docs.length - 1].push(line.replace(/\r$/, ''));
  }
  const items: string[] = [];
  for (const lines of docs) {
    const content = lines.filter((l) => l.trim() && !/^\s*#/.test(l));
    if (!content.length) continue;
    const body = lines.filter((l, i) => !(i === lines.length - 1 && l === ''));
    // Leading comments would land before the `-`; keep them as the item's first lines.
    const first = body.findIndex((l) => l.trim() && !/^\s*#/.test(l));
    body.forEach((l, i) => {
      if (i < first) items.push(`  ${l}`.trimEnd());
      else if (i === first) items.push(`- ${l}`);
      else items.push(l ? `  ${l}` : '');
    });
  }
  const config = configText
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => l.trim() && !/^#/.test(l))
    .map((l) => `  ${l}`);
  const list = [
    'apiVersion: config.kubernetes.io/v1',
    'kind: ResourceList',
    'functionConfig:',
    ...config,
    items.length ? 'items:' : 'items: []',
    ...items,
    '',
  ].join(eol);
  return Buffer.from((bom ? '\xef\xbb\xbf' : '') + list, 'latin1');
}

/** The documents of a YAML text that hold something (not empty, not only comments). */
export function contentDocuments(text: string): Document.Parsed[] {
  return parseAllDocuments(text).filter((d) => {
    const range = d.contents?.range;
    return range !== undefined && range !== null && range[1] > range[0];
  });
}

/** `Kind/name` of a document's top-level map, or undefined. */
export function idOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as { kind?: unknown; metadata?: { name?: unknown } };
  if (typeof v.kind !== 'string') return undefined;
  return `${v.kind}/${typeof v.metadata?.name === 'string' ? v.metadata.name : ''}`;
}

/** Every resource in a set of plain documents, with the items of `kind: List` wrappers. */
export function resourcesOf(values: unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const value of values) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const v = value as Record<string, unknown>;
    out.push(v);
    if (v.kind === 'List' && Array.isArray(v.items)) out.push(...resourcesOf(v.items));
  }
  return out;
}

export interface HydrationMarks {
  pullSecret?: string;
  fsGroup?: number;
  roleArn?: string;
}

/** What the case's config promises every selected workload: read from the config itself. */
export function marksOf(configText: string): HydrationMarks {
  const config = parse(configText) as Record<string, unknown>;
  const marks: HydrationMarks = {};
  const ips = config.imagePullSecrets as string[] | { names: string[] } | undefined;
  if (ips) marks.pullSecret = Array.isArray(ips) ? ips[0] : ips.names[0];
  const fs = config.fsGroup as number | { fsGroup: number } | undefined;
  if (fs !== undefined) marks.fsGroup = typeof fs === 'number' ? fs : fs.fsGroup;
  const aws = config.awsWorkloadIdentity as { roleArn: string } | undefined;
  if (aws) marks.roleArn = aws.roleArn;
  return marks;
}

/** Problems with a workload's hydration (an empty list when it is hydrated). */
export function hydrationProblems(
  workload: Record<string, unknown>,
  marks: HydrationMarks,
): string[] {
  const problems: string[] = [];
  const pod = podSpecOf(workload);
  if (!pod) return ['no pod spec'];
  if (marks.pullSecret) {
    const refs = (pod.imagePullSecrets as { name?: string }[] | undefined) ?? [];
    if (!refs.some((r) => r.name === marks.pullSecret))
      problems.push(`no ${marks.pullSecret} pull secret`);
  }
  if (marks.fsGroup !== undefined) {
    const sc = pod.securityContext as { fsGroup?: number } | undefined;
    if (sc?.fsGroup !== marks.fsGroup) problems.push(`fsGroup is not ${marks.fsGroup}`);
  }
  if (marks.roleArn) {
    for (const c of (pod.containers as {
      name?: string;
      env?: { name: string; value?: string }[];
    }[]) ?? []) {
      const env = c.env?.find((e) => e.name === 'AWS_ROLE_ARN');
      if (env?.value !== marks.roleArn) problems.push(`container ${c.name} has no AWS_ROLE_ARN`);
    }
  }
  return problems;
}

function podSpecOf(workload: Record<string, unknown>): Record<string, unknown> | undefined {
  const path =
    workload.kind === 'Pod'
      ? ['spec']
      : workload.kind === 'CronJob'
        ? ['spec', 'jobTemplate', 'spec', 'template', 'spec']
        : ['spec', 'template', 'spec'];
  let node: unknown = workload;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

/** The items of a ResourceList text (plain values), for comparing before and after. */
export function itemsOf(listText: string): unknown[] {
  const doc = parseAllDocuments(listText)[0];
  if (!doc || !isMap(doc.contents)) return [];
  const items = doc.contents.get('items', true);
  return isSeq(items) ? (items.toJS(doc, { maxAliasCount: 1000 }) as unknown[]) : [];
}
