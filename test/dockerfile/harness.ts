import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load';
import type { RetargetConfig } from '../../src/config/types';
import { BEGIN_PATTERN, END_PATTERN } from '../../src/dockerfile/block';
import { dockerfileOptions } from '../../src/dockerfile/options';
import type { DockerfilePatchOptions } from '../../src/dockerfile/options';

export function optionsFromYaml(text: string): DockerfilePatchOptions {
  return dockerfileOptions(loadConfig<RetargetConfig>('Retarget', parse(text)));
}

export function optionsFromFile(path: string): DockerfilePatchOptions {
  return optionsFromYaml(readFileSync(path, 'utf8'));
}

export interface BlockInstruction {
  keyword: string;
  /** The instruction's arguments as the builder passes them on: continuations joined. */
  command: string;
}

/**
 * The block's instructions read the way BuildKit reads lines, written here
 * independently of the product's parser: a line ending in the escape character
 * (then optional blanks) continues on the next line, the two joined with the
 * escape and the line break dropped.
 */
export function blockInstructions(patched: string, escape = '\\'): BlockInstruction[] {
  const lines = patched.split(/\r\n|\n/);
  const begin = lines.findIndex((l) => BEGIN_PATTERN.test(l));
  const end = lines.findIndex((l, i) => i > begin && END_PATTERN.test(l));
  if (begin < 0 || end < 0) throw new Error('no retarget block in the output');
  const continued = new RegExp(`${escape === '\\' ? '\\\\' : escape}[ \\t]*$`);
  const out: BlockInstruction[] = [];
  let current = '';
  for (const line of lines.slice(begin + 1, end)) {
    if (!current && line.trimStart().startsWith('#')) continue;
    const more = continued.test(line);
    current += more ? line.replace(continued, '') : line;
    if (!more) {
      const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(current);
      if (!m) throw new Error(`unreadable instruction ${JSON.stringify(current)}`);
      out.push({ keyword: m[1].toUpperCase(), command: m[2] });
      current = '';
    }
  }
  if (current) throw new Error('the block ends inside a continued instruction');
  return out;
}

/** The roots tempRoot made in this test file, until removeTempRoots. */
const roots: string[] = [];

/**
 * A temporary root the block's absolute /etc paths are moved under (in the test only).
 * A test file that makes roots removes them: `afterAll(removeTempRoots)`.
 */
export function tempRoot(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), `retarget-${prefix}-`));
  roots.push(root);
  mkdirSync(join(root, 'etc'), { recursive: true });
  return root;
}

/** Removes every root tempRoot made (the scripts run as root may leave read-only files). */
export function removeTempRoots(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function writeRootFile(root: string, path: string, text: string, mode = 0o644): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  chmodSync(full, mode);
}

export function readRootFile(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Rewrites the script's /etc paths to the temporary root; file contents it writes have none. */
export function underRoot(command: string, root: string): string {
  return command.replace(/(^|[\s='"{;(])\/etc\//g, `$1${root}/etc/`);
}

export interface ShimCall {
  argv: string[];
}

/**
 * Fake groupadd / usermod on PATH that record their argv (one call a line, arguments
 * separated by tabs) and, for groupadd, add the group to the root's /etc/group as the
 * real one would, so a second run sees it.
 */
export function installShims(root: string): { bin: string; log: string } {
  const bin = join(root, '.shims');
  const log = join(root, '.shims.log');
  mkdirSync(bin, { recursive: true });
  const record = `for a in "$(basename "$0")" "$@"; do printf '%s\\t' "$a"; done >> '${log}'; echo >> '${log}'`;
  writeFileSync(
    join(bin, 'groupadd'),
    `#!/bin/sh\n${record}\n[ "$1" = --gid ] && echo "$3:x:$2:" >> '${root}/etc/group'\nexit 0\n`,
  );
  writeFileSync(join(bin, 'usermod'), `#!/bin/sh\n${record}\nexit 0\n`);
  chmodSync(join(bin, 'groupadd'), 0o755);
  chmodSync(join(bin, 'usermod'), 0o755);
  return { bin, log };
}

export function shimCalls(log: string): string[][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.length)
    .map((l) => l.replace(/\t$/, '').split('\t'));
}

export interface RunOutcome {
  status: number | null;
  stderr: string;
}

/** Runs each RUN of the block with /bin/sh -c (as the builder does) against the root. */
export function runBlock(
  instructions: readonly BlockInstruction[],
  root: string,
  shimBin: string,
): RunOutcome {
  for (const i of instructions) {
    if (i.keyword === 'USER') continue;
    if (i.keyword !== 'RUN') throw new Error(`unexpected ${i.keyword} in the block`);
    const r = spawnSync('/bin/sh', ['-c', underRoot(i.command, root)], {
      encoding: 'utf8',
      env: { PATH: `${shimBin}:/usr/sbin:/usr/bin:/sbin:/bin`, LC_ALL: 'C' },
    });
    if (r.status !== 0) return { status: r.status, stderr: r.stderr };
  }
  return { status: 0, stderr: '' };
}

/**
 * /etc/environment read the way pam_env reads its envfile (Linux-PAM
 * modules/pam_env/pam_env.c, _parse_env_file): comment and blank lines skipped, an
 * optional `export ` dropped, KEY must be alphanumeric or `_`, the value ends at
 * `#`, and one pair of matching surrounding quotes is removed; a later line
 * overrides an earlier one.
 */
export function pamEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of text.split('\n')) {
    let line = raw.replace(/^[ \t]+/, '');
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice('export '.length).replace(/^[ \t]+/, '');
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (!/^[A-Za-z0-9_]+$/.test(key)) continue;
    let value = line.slice(eq + 1).split('#')[0];
    const q = value[0];
    if ((q === '"' || q === "'") && value.length > 1 && value.endsWith(q)) {
      value = value.slice(1, -1);
    }
    env.set(key, value);
  }
  return env;
}

/**
 * The `env` stanzas of an Upstart job read with Upstart's rules (init/parse_job.c
 * stanza_env over libnih's nih_config_next_arg): one argument after `env`, split on
 * blanks, quotes removed, backslash escapes; anything after the argument other than a
 * comment is an error. Script blocks (`script` ... `end script`) are skipped.
 */
export function upstartEnv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  let inScript = false;
  text.split('\n').forEach((line, n) => {
    const trimmed = line.trim();
    if (inScript) {
      if (/^end\s+script\b/.test(trimmed)) inScript = false;
      return;
    }
    if (/^(pre-start|post-start|pre-stop|post-stop)?\s*script\b/.test(trimmed)) {
      inScript = true;
      return;
    }
    if (!/^env\s/.test(trimmed)) return;
    const [arg, rest] = nextArg(trimmed.slice(3));
    if (rest.trim() && !rest.trim().startsWith('#')) {
      throw new Error(`line ${n + 1}: unexpected token after env argument: ${rest}`);
    }
    const eq = arg.indexOf('=');
    env.set(eq < 0 ? arg : arg.slice(0, eq), eq < 0 ? '' : arg.slice(eq + 1));
  });
  return env;
}

function nextArg(text: string): [string, string] {
  let i = 0;
  while (i < text.length && /[ \t]/.test(text[i])) i++;
  let out = '';
  let quote = '';
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      out += text[++i];
    } else if (quote) {
      if (c === quote) quote = '';
      else out += c;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ' ' || c === '\t' || c === '#') {
      break;
    } else {
      out += c;
    }
  }
  if (quote) throw new Error('unterminated quote in env stanza');
  return [out, text.slice(i)];
}

const SYSTEMD = ['/lib/systemd/systemd', '/usr/lib/systemd/systemd'].find((p) => existsSync(p));

/** Whether a tool the consumer checks need is here; in CI its absence fails the test. */
export function toolAvailable(name: string, present: boolean): boolean {
  if (present) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is required in CI (.ci/run installs it)`);
  console.warn(`\n*** SKIPPING checks that need ${name}: not installed ***\n`);
  return false;
}

export function systemdAvailable(): boolean {
  const asRoot = process.getuid?.() === 0;
  return toolAvailable(
    'systemd',
    SYSTEMD !== undefined &&
      commandExists('systemd-tmpfiles') &&
      (!asRoot || commandExists('setpriv')),
  );
}

function commandExists(name: string): boolean {
  return spawnSync('/bin/sh', ['-c', `command -v ${name}`]).status === 0;
}

/**
 * The environment systemd's manager really gives services from a
 * `[Manager] DefaultEnvironment=` drop-in: a user manager in test mode reads it from
 * $XDG_CONFIG_HOME/systemd/user.conf.d/ (the same parser as system.conf.d/) and runs
 * environment generators with its environment; ours writes that environment out.
 */
export function systemdManagerEnvironment(dropIn: string): Map<string, string> {
  if (!SYSTEMD) throw new Error('systemd is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'retarget-systemd-'));
  try {
    chmodSync(dir, 0o755);
    writeRootFile(dir, 'cfg/systemd/user.conf.d/10-default-env.conf', dropIn);
    const out = join(dir, 'out');
    mkdirSync(out);
    chmodSync(out, 0o777);
    const dump = join(out, 'env');
    writeRootFile(dir, 'gen/50-dump-env', `#!/bin/sh\nenv > '${dump}'\n`, 0o755);
    mkdirSync(join(dir, 'run'));
    chmodSync(join(dir, 'run'), 0o777);
    const env = [
      `PATH=/usr/sbin:/usr/bin:/sbin:/bin`,
      `HOME=${dir}`,
      `XDG_CONFIG_HOME=${dir}/cfg`,
      `XDG_RUNTIME_DIR=${dir}/run`,
      `SYSTEMD_ENVIRONMENT_GENERATOR_PATH=${dir}/gen`,
    ];
    // A user manager refuses to run as root; nobody is enough for test mode.
    const asUser =
      process.getuid?.() === 0
        ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
        : [];
    const argv = [...asUser, 'env', '-i', ...env, SYSTEMD, '--user', '--test', '--no-pager'];
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 20000 });
    if (!existsSync(dump)) {
      throw new Error(
        `systemd --user --test wrote no environment (status ${r.status}): ${r.stderr}`,
      );
    }
    const result = new Map<string, string>();
    for (const line of readFileSync(dump, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) result.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies the root's tmpfiles.d with the real systemd-tmpfiles; returns its exit status. */
export function applyTmpfiles(root: string): { status: number | null; stderr: string } {
  const r = spawnSync('systemd-tmpfiles', [`--root=${root}`, '--create'], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}
