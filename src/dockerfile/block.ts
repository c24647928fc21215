import type { ContainerKind } from '../config/types';
import { shQuote } from '../shell/quote';
import { linkScript, tmpfilesLine } from '../shell/link-script';
import {
  awsEnvironment,
  systemdDropIn,
  SYSTEMD_DROP_IN,
  WEB_IDENTITY_KEYS,
} from '../transforms/set-aws-workload-identity';
import { TMPFILES_KEY } from '../transforms/link-kubernetes-info-secrets';
import { identityOf } from './options';
import type { DockerfilePatchOptions } from './options';

/** The block's first line; a line starting `# >>> retarget` opens a block. */
export const BLOCK_BEGIN =
  '# >>> retarget dockerfile: AWS workload identity (generated from the Retarget config; rerun to update) >>>';
/** The block's last line; a line starting `# <<< retarget` closes a block. */
export const BLOCK_END = '# <<< retarget dockerfile <<<';
export const BEGIN_PATTERN = /^[ \t]*#[ \t]*>>>[ \t]*retarget\b/;
export const END_PATTERN = /^[ \t]*#[ \t]*<<<[ \t]*retarget\b/;

/** Markers around the lines the block writes into init scripts and Upstart jobs. */
export const FILE_BEGIN = '# >>> retarget: AWS workload identity';
export const FILE_END = '# <<< retarget: AWS workload identity';

export const PAM_SU = '/etc/pam.d/su';
export const PAM_ENV_LINE = 'session required pam_env.so';
export const ENVIRONMENT_FILE = '/etc/environment';
export const TMPFILES_DROP_IN = `/etc/tmpfiles.d/${TMPFILES_KEY}`;
/** The SysV init script and Upstart job that recreate the link when init starts. */
export const BOOT_LINK_NAME = 'retarget-kubernetes-info-secrets';
export const SYSV_LINK_SCRIPT = `/etc/init.d/${BOOT_LINK_NAME}`;
export const UPSTART_LINK_JOB = `/etc/init/${BOOT_LINK_NAME}.conf`;
/** Runlevel directories the SysV script is linked into, where the image has them. */
const RC_DIRS = ['/etc/rcS.d', '/etc/rc2.d', '/etc/rc3.d', '/etc/rc4.d', '/etc/rc5.d'];

export interface BlockInput {
  options: DockerfilePatchOptions;
  /** What the final stage runs: legacy (token under /kubernetes-info, the link at boot),
   * service-manager (no init-system edits: it hands services the container env) or plain. */
  kind: ContainerKind;
  /** The Dockerfile's escape character, which continues a line. */
  escape: string;
  /** The USER in effect where the block goes, when it is not root: switched back after. */
  restoreUser?: string;
}

/** A RUN instruction: one command per physical line, continued with the file's escape character. */
type Run = string[];

/**
 * The block's lines: one RUN per concern, POSIX sh, each rerunnable on its own
 * output (files retarget owns are rewritten whole; lines it adds to the VM's
 * files are replaced, never appended twice). No line holds a backslash, so the
 * script means the same under either escape character.
 */
export function renderBlock(input: BlockInput): string[] | undefined {
  const { options, kind } = input;
  const legacy = kind === 'legacy';
  const link = legacy ? options.link : undefined;
  const runs: Run[] = [];
  // The service-manager runtime starts every service itself, with the container's env:
  // nothing reads a drop-in, /etc/environment or an init script there.
  const initSystem = kind === 'service-manager' ? undefined : options.aws.initSystem;
  switch (initSystem) {
    case 'systemd':
      runs.push(systemdRun(options, legacy));
      if (link) runs.push(tmpfilesRun(link));
      break;
    case 'sysv-pam':
      runs.push(pamSuRun(), environmentRun(options, legacy));
      // su-based services run under SysV or Upstart: the link at boot for whichever is there.
      if (link) runs.push(sysvLinkRun(link, false), upstartLinkRun(link, false));
      break;
    case 'sysv':
      runs.push(sysvRun(options, legacy));
      if (link) runs.push(sysvLinkRun(link, true));
      break;
    case 'upstart':
      runs.push(upstartRun(options, legacy));
      if (link) runs.push(upstartLinkRun(link, true));
      break;
    default:
      break;
  }
  if (options.aws.serviceUsers?.length) runs.push(groupRun(options));
  if (!runs.length) return undefined;
  const lines = [BLOCK_BEGIN];
  if (input.restoreUser !== undefined) lines.push('USER root');
  for (const run of runs) lines.push(...renderRun(run, input.escape));
  if (input.restoreUser !== undefined) lines.push(`USER ${input.restoreUser}`);
  lines.push(BLOCK_END);
  return lines;
}

function renderRun(run: Run, escape: string): string[] {
  return run.map((command, i) => {
    const text = i === 0 ? `RUN ${command}` : `    ${command}`;
    if (text.includes('\\')) throw new Error(`internal: a backslash in the block: ${text}`);
    return i === run.length - 1 ? text : `${text} ${escape}`;
  });
}

/** Commands that write `lines` to a file through `redirect` (`>` or `>>`). */
function writeLines(lines: readonly string[], redirect: string, file: string): string[] {
  if (lines.length === 1) return [`echo ${shQuote(lines[0])} ${redirect} ${file};`];
  const echoes = lines.map((line) => `echo ${shQuote(line)};`);
  return [`{ ${echoes[0]}`, ...echoes.slice(1).map((e) => `  ${e}`), `} ${redirect} ${file};`];
}

/** Ends the last command of a run without the trailing `;`. */
function finish(commands: string[]): string[] {
  const last = commands.length - 1;
  commands[last] = commands[last].replace(/;$/, '');
  return commands;
}

/**
 * A value written bare into a data file (pam_env's /etc/environment, an Upstart
 * stanza, a double-quoted shell word): the schema admits nothing that any of them
 * would read as syntax, and this keeps it so.
 */
function plain(value: string): string {
  if (!/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) {
    throw new Error(`internal: ${JSON.stringify(value)} is not a plain value`);
  }
  return value;
}

/** A shell word: bare when it holds nothing the shell would read (as shlex.quote does), else quoted. */
function word(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : shQuote(value);
}

function systemdRun(options: DockerfilePatchOptions, legacy: boolean): Run {
  const content = systemdDropIn(identityOf(options), legacy).replace(/\n$/, '').split('\n');
  const dir = SYSTEMD_DROP_IN.slice(0, SYSTEMD_DROP_IN.lastIndexOf('/'));
  return finish([`set -e; mkdir -p ${dir};`, ...writeLines(content, '>', SYSTEMD_DROP_IN)]);
}

function tmpfilesRun(link: { source: string; target: string }): Run {
  const line = tmpfilesLine(link.source, link.target).replace(/\n$/, '');
  return finish([
    'set -e; mkdir -p /etc/tmpfiles.d;',
    ...writeLines([line], '>', TMPFILES_DROP_IN),
  ]);
}

/** Ensures a file that has content ends with a newline before lines are appended to it. */
function endWithNewline(file: string): string {
  return `if [ -s ${file} ] && [ -n "$(tail -c 1 ${file})" ]; then echo >> ${file}; fi;`;
}

function pamSuRun(): Run {
  return [
    `set -e; f=${PAM_SU};`,
    `[ -d "\${f%/*}" ] || { echo "retarget: \${f%/*} is missing: initSystem sysv-pam needs PAM's su" >&2; exit 1; };`,
    `if ! grep -Eqs '^[[:space:]]*session[[:space:]]+required[[:space:]]+pam_env[.]so[[:space:]]*$' "$f"; then`,
    `  ${endWithNewline('"$f"')}`,
    `  echo ${shQuote(PAM_ENV_LINE)} >> "$f";`,
    'fi',
  ];
}

function environmentRun(options: DockerfilePatchOptions, legacy: boolean): Run {
  const env = awsEnvironment(identityOf(options), legacy);
  // A switch to Pod Identity must not leave IRSA's variables behind: the SDKs try web
  // identity before container credentials (the other way round, the leftovers are unused).
  const names = env.map(([key]) => key);
  if (options.aws.mechanism === 'pod-identity') names.push(...WEB_IDENTITY_KEYS);
  const keys = names.join('|');
  return finish([
    `set -e; f=${ENVIRONMENT_FILE}; touch "$f";`,
    `grep -Ev '^[[:space:]]*(export[[:space:]]+)?(${keys})=' "$f" > "$f.retarget" || :;`,
    ...writeLines(
      env.map(([key, value]) => `${key}=${plain(value)}`),
      '>>',
      '"$f.retarget"',
    ),
    'cat "$f.retarget" > "$f"; rm -f "$f.retarget";',
  ]);
}

/** Drops the lines an earlier run put between the file markers. */
function withoutOldLines(): string {
  return `sed '/^${FILE_BEGIN}$/,/^${FILE_END}$/d' "$f" > "$f.retarget";`;
}

function sysvRun(options: DockerfilePatchOptions, legacy: boolean): Run {
  const scripts = (options.aws.services ?? []).map((s) => word(`/etc/init.d/${s}`));
  const exportLines = awsEnvironment(identityOf(options), legacy).map(
    ([key, value]) => `export ${key}="${plain(value)}"`,
  );
  const shebang = `head -n 1 "$f.retarget" | grep -q '^#!'`;
  return [
    `set -e; for f in ${scripts.join(' ')}; do`,
    `  [ -f "$f" ] || { echo "retarget: no init script $f" >&2; exit 1; };`,
    `  ${withoutOldLines()}`,
    `  { if ${shebang}; then head -n 1 "$f.retarget"; fi;`,
    ...[FILE_BEGIN, ...exportLines, FILE_END].map((line) => `    echo ${shQuote(line)};`),
    `    if ${shebang}; then tail -n +2 "$f.retarget"; else cat "$f.retarget"; fi;`,
    '  } > "$f.retarget-new";',
    '  cat "$f.retarget-new" > "$f"; rm -f "$f.retarget" "$f.retarget-new";',
    'done',
  ];
}

function upstartRun(options: DockerfilePatchOptions, legacy: boolean): Run {
  const jobs = (options.aws.services ?? []).map((s) => word(`/etc/init/${s}.conf`));
  const stanzas = awsEnvironment(identityOf(options), legacy).map(
    ([key, value]) => `env ${key}=${plain(value)}`,
  );
  return [
    `set -e; for f in ${jobs.join(' ')}; do`,
    `  [ -f "$f" ] || { echo "retarget: no Upstart job $f" >&2; exit 1; };`,
    `  ${withoutOldLines()}`,
    `  ${endWithNewline('"$f.retarget"')}`,
    ...writeLines([FILE_BEGIN, ...stanzas, FILE_END], '>>', '"$f.retarget"').map((l) => `  ${l}`),
    '  cat "$f.retarget" > "$f"; rm -f "$f.retarget";',
    'done',
  ];
}

/** The link script as init runs it at boot: the postStart step's own script, never failing. */
function bootScript(link: { source: string; target: string }): string[] {
  const lines = linkScript(link.source, link.target, false).replace(/\n$/, '').split('\n');
  // The paths are schema-checked plain words: written bare, the lines need no quoting
  // that would put a backslash into the block.
  return lines.map((l) =>
    l.startsWith('src=') ? `src=${plain(link.source)} dst=${plain(link.target)}` : l,
  );
}

/**
 * A SysV init script that recreates the link when init starts (the VM's init cleans
 * /var/run at boot; postStart runs only once, at the container's first start), linked
 * as S01 into each runlevel directory the image has (Debian's rcS.d, 2 to 5 on both
 * families). `required`: initSystem sysv, where an image with no runlevel directory
 * fails the build; for sysv-pam the Upstart job may be the one that applies.
 */
function sysvLinkRun(link: { source: string; target: string }, required: boolean): Run {
  const header = [
    '#!/bin/sh',
    '### BEGIN INIT INFO',
    `# Provides:          ${BOOT_LINK_NAME}`,
    '# Required-Start:    $local_fs',
    '# Required-Stop:',
    '# Default-Start:     S 2 3 4 5',
    '# Default-Stop:',
    `# Short-Description: link ${link.target} to ${link.source} (written by retarget)`,
    '### END INIT INFO',
    '# chkconfig: 2345 01 99',
    `# description: link ${link.target} to ${link.source} (written by retarget)`,
    'case "$1" in stop|status) exit 0 ;; esac',
  ];
  const commands = [
    `set -e; f=${SYSV_LINK_SCRIPT}; mkdir -p "\${f%/*}";`,
    ...writeLines([...header, ...bootScript(link)], '>', '"$f"'),
    'chmod 755 "$f"; n=0;',
    `for d in ${RC_DIRS.join(' ')}; do`,
    `  if [ -d "$d" ]; then ln -sf "$f" "$d/S01${BOOT_LINK_NAME}"; n=$((n + 1)); fi;`,
    'done;',
  ];
  if (required) {
    commands.push(
      `[ "$n" -gt 0 ] || { echo "retarget: no SysV runlevel directory (${RC_DIRS.join(' ')}) to start $f from" >&2; exit 1; };`,
    );
  }
  return finish(commands);
}

/**
 * An Upstart task that recreates the link once filesystems are mounted (and again on
 * entering a runlevel, harmless: the script is idempotent). `required`: initSystem
 * upstart; for sysv-pam it is written only where the image has /etc/init.
 */
function upstartLinkRun(link: { source: string; target: string }, required: boolean): Run {
  const job = [
    `# Written by retarget: link ${link.target} to ${link.source} when init starts.`,
    `description "retarget: link ${link.target} to ${link.source}"`,
    'start on filesystem or runlevel [2345]',
    'task',
    'script',
    ...bootScript(link).map((l) => `  ${l}`),
    'end script',
  ];
  const write = [...writeLines(job, '>', '"$f"')];
  if (required) {
    return finish([
      `set -e; f=${UPSTART_LINK_JOB};`,
      `[ -d "\${f%/*}" ] || { echo "retarget: \${f%/*} is missing: initSystem upstart needs Upstart's job directory" >&2; exit 1; };`,
      ...write,
    ]);
  }
  return [
    `set -e; f=${UPSTART_LINK_JOB};`,
    `if [ -d "\${f%/*}" ]; then`,
    ...write.map((l) => `  ${l}`),
    'fi',
  ];
}

function groupRun(options: DockerfilePatchOptions): Run {
  const group = options.aws.tokenGroup;
  const gid = String(options.gid);
  const users = options.aws.serviceUsers ?? [];
  return finish([
    `set -e; g=$(grep ${shQuote(`^${group}:`)} /etc/group | cut -d: -f3);`,
    `if [ -z "$g" ]; then groupadd --gid ${gid} ${word(group)};`,
    `elif [ "$g" != ${gid} ]; then echo "retarget: group ${plain(group)} has gid $g, not ${gid} (fsGroup)" >&2; exit 1; fi;`,
    ...users.map((user) => `usermod -a -G ${word(group)} ${word(user)};`),
  ]);
}
