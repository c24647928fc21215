import { shQuote } from './quote';

/** First line of every script retarget writes into a postStart hook; how it finds its own. */
export const LINK_SCRIPT_MARKER = '# retarget: link-kubernetes-info-secrets';
/** `$0` of the chained form: the original hook's argv follows it. */
export const CHAIN_ARG0 = 'retarget-link';

/**
 * POSIX sh that makes `target` resolve to `source`, for a postStart hook. It never
 * fails the container (always exits 0 when not chained) and copes with each state:
 * nothing there (create the link), our link (nothing to do), a link elsewhere that
 * is not a directory (replace it), an existing directory (link each missing entry
 * into it, deleting nothing), a regular file (left alone).
 */
export function linkScript(source: string, target: string, chained: boolean): string {
  // One script per config, asked for once per container: made once.
  const key = `${chained}\0${source}\0${target}`;
  const cached = scripts.get(key);
  if (cached !== undefined) return cached;
  const script = buildLinkScript(source, target, chained);
  scripts.set(key, script);
  return script;
}

const scripts = new Map<string, string>();

function buildLinkScript(source: string, target: string, chained: boolean): string {
  const lines = [
    LINK_SCRIPT_MARKER,
    `src=${shQuote(source)} dst=${shQuote(target)}`,
    'if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then :',
    'elif [ -d "$dst" ]; then',
    '  for e in "$src"/* "$src"/.[!.]*; do',
    '    [ -e "$e" ] || continue',
    '    n="$dst/${e##*/}"',
    '    [ -e "$n" ] || [ -L "$n" ] || ln -s "$e" "$n" 2>/dev/null || :',
    '  done',
    'elif [ -L "$dst" ]; then rm -f "$dst" && ln -s "$src" "$dst" 2>/dev/null || :',
    'elif [ ! -e "$dst" ]; then mkdir -p "${dst%/*}" 2>/dev/null; ln -s "$src" "$dst" 2>/dev/null || :',
    'fi',
  ];
  // Chained: the original hook's argv is "$@" and its exit status is the hook's.
  lines.push(chained ? 'exec "$@"' : 'exit 0');
  return `${lines.join('\n')}\n`;
}

/** A systemd-tmpfiles line that recreates the link when /run is mounted afresh. */
export function tmpfilesLine(source: string, target: string): string {
  // tmpfiles.d wants /run rather than its legacy /var/run alias.
  const path = target.replace(/^\/var\/run(?=\/|$)/, '/run');
  return `L ${path} - - - - ${source}\n`;
}
