import { ConfigError, SourceError } from '../errors';
import type { Result } from '../krm/results';
import {
  configEvidence,
  decideRuntime,
  describeEvidence,
  KIND_LABEL,
  RuntimeConflictError,
} from '../runtime/evidence';
import type { RuntimeDecision, RuntimeEvidence } from '../runtime/evidence';
import { BEGIN_PATTERN, END_PATTERN, renderBlock } from './block';
import type { DockerfilePatchOptions } from './options';
import { parseDockerfile } from './parse';
import type { BuildStage, DockerInstruction, ParsedDockerfile, SourceLine } from './parse';
import { dockerfileEvidence, RuntimeUnknownError, stageByRef } from './runtime';

const COMMENT = /^[ \t]*#/;
/** Shells that take `-c SCRIPT` with POSIX syntax, so the block's RUN lines mean what they say. */
const POSIX_SHELL = /(^|\/)(sh|bash|dash|ash|ksh|mksh|zsh)$/;

/**
 * Puts the retarget block into the final build stage, before its first ENTRYPOINT
 * or CMD (above the comment lines directly over it), or at the end of the file
 * when the stage has neither. A block already in the file (anywhere) is taken out
 * first, so patching again replaces it and patching twice equals patching once.
 * Every byte outside the block is kept. Throws a SourceError naming the line when
 * the block cannot be placed.
 */
export function patchDockerfile(
  text: string,
  options: DockerfilePatchOptions,
  path?: string,
  /** Infos: which evidence decided the runtime, and what the block leaves out and why. */
  report?: (result: Result) => void,
): string {
  const original = parseDockerfile(text);
  const blocks = findBlocks(original, path);
  const stripped = blocks.length ? cutBlocks(text, original, blocks) : text;
  const parsed = blocks.length ? parseDockerfile(stripped) : original;
  const final = parsed.stages[parsed.stages.length - 1];
  if (!final) {
    throw new SourceError('no FROM instruction: the retarget block goes in the final build stage', {
      path,
      line: 1,
    });
  }
  const at = insertionLine(parsed, final);
  const before = (i: DockerInstruction) => at === undefined || i.startLine < at;
  const shell = inherited(parsed.stages, final, 'SHELL', before);
  const program = shell?.json?.[0];
  if (shell && !(program && POSIX_SHELL.test(program))) {
    throw new SourceError(
      `SHELL ${shell.argumentsText.trim()} is in effect where the retarget block goes; its RUN lines need a POSIX sh (set SHELL ["/bin/sh", "-c"] before the block's place, or reset it after)`,
      { path, line: shell.startLine + 1 },
    );
  }
  const user = inherited(parsed.stages, final, 'USER', before);
  const restoreUser = user && !isRoot(user.argumentsText) ? user.argumentsText.trim() : undefined;
  const decision = decideDockerfileRuntime(parsed, options, path);
  const info = (message: string) => report?.({ severity: 'info', message });
  const others = decision.evidence.filter((e) => e !== decision.decidedBy);
  const agreeing = others.filter((e) => e.allows.includes(decision.kind));
  // Only the config can overrule an artifact (it decides alone): say so when it does.
  const overruled = others.filter((e) => !e.allows.includes(decision.kind));
  info(
    [
      `runtime: ${KIND_LABEL[decision.kind]}, decided by ${describeEvidence(decision.decidedBy)}`,
      ...(agreeing.length ? [`agreeing: ${agreeing.map(describeEvidence).join('; ')}`] : []),
      ...(overruled.length
        ? [`overruled by the config: ${overruled.map(describeEvidence).join('; ')}`]
        : []),
    ].join('; '),
  );
  if (
    decision.kind !== 'service-manager' &&
    !options.aws.initSystem &&
    !options.aws.serviceUsers?.length
  ) {
    throw new ConfigError(
      [
        {
          field: 'awsWorkloadIdentity.initSystem',
          message: `is required by retarget dockerfile for a ${KIND_LABEL[decision.kind]} image (systemd, sysv-pam, sysv or upstart), unless serviceUsers alone are to join the token group`,
        },
      ],
      options.location ?? {},
    );
  }
  if (decision.kind === 'service-manager' && options.aws.initSystem) {
    info(
      `no ${options.aws.initSystem} edits: the service-manager runtime starts every service itself with the container's env, where hydrate puts the AWS variables${options.aws.serviceUsers?.length ? '; the token group for serviceUsers is still added' : ''}`,
    );
  }
  const lines = renderBlock({
    options,
    kind: decision.kind,
    escape: parsed.escape,
    restoreUser,
  });
  // Nothing for the image to do: no block (an old one is taken out), so twice == once.
  if (!lines) return stripped;
  const patched = insertBlock(stripped, parsed, at, lines);
  checkPlacement(patched, stripped, parsed, lines, at, path);
  return patched;
}

/**
 * The runtime of the image, from the config's `runtime`, the spec and plan evidence the
 * caller read, and the Dockerfile itself (the weakest); a contradiction or an
 * undecidable Dockerfile with nothing stronger is a located error.
 */
export function decideDockerfileRuntime(
  parsed: ParsedDockerfile,
  options: DockerfilePatchOptions,
  path: string | undefined,
): RuntimeDecision {
  const pieces: RuntimeEvidence[] = [...(options.evidence ?? [])];
  const configured = configEvidence(options.runtime);
  if (configured) pieces.unshift(configured);
  const own = dockerfileEvidence(parsed, path);
  if (own instanceof RuntimeUnknownError) {
    if (!pieces.length) throw new SourceError(own.message, { path, line: own.line + 1 });
  } else {
    pieces.push(own);
  }
  try {
    const decision = decideRuntime(pieces);
    if (decision) return decision;
  } catch (error) {
    if (!(error instanceof RuntimeConflictError)) throw error;
    const line = own instanceof RuntimeUnknownError ? own.line + 1 : lineOf(own.where);
    throw new SourceError(error.message, { path, ...(line ? { line } : {}) });
  }
  throw new Error('internal: no runtime evidence');
}

function lineOf(where: string | undefined): number | undefined {
  const m = where && /:([0-9]+)$/.exec(where);
  return m ? Number(m[1]) : undefined;
}

/** The line the block goes before, or undefined to append it at the end of the file. */
function insertionLine(parsed: ParsedDockerfile, final: BuildStage): number | undefined {
  const target = final.instructions.find((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
  if (!target) return undefined;
  // Comment lines directly over it go with it. The walk stops at the stage's FROM at the
  // latest: the last line of an instruction is never a comment line.
  let line = target.startLine;
  while (COMMENT.test(parsed.lines[line - 1].text)) line--;
  return line;
}

/** The last `keyword` instruction in effect in `stage` where `applies` holds, following FROM stages. */
function inherited(
  stages: readonly BuildStage[],
  stage: BuildStage,
  keyword: string,
  applies: (i: DockerInstruction) => boolean,
): DockerInstruction | undefined {
  // A stage is built FROM an earlier one only, so this chain ends.
  for (let current: BuildStage | undefined = stage; current;) {
    const own = current.instructions.filter((i) => i.keyword === keyword && applies(i)).pop();
    if (own) return own;
    current = stageByRef(stages, current.image, current.index);
    applies = () => true;
  }
  return undefined;
}

function isRoot(user: string): boolean {
  const name = user.trim().split(':')[0];
  return name === 'root' || name === '0';
}

function insertBlock(
  text: string,
  parsed: ParsedDockerfile,
  at: number | undefined,
  block: readonly string[],
): string {
  const eol = parsed.eol;
  if (at !== undefined) {
    const offset = parsed.lines[at].start;
    return `${text.slice(0, offset)}${block.join(eol)}${eol}${text.slice(offset)}`;
  }
  const last = parsed.lines[parsed.lines.length - 1];
  if (!last || last.eol) return `${text}${block.join(eol)}${eol}`;
  // No final newline: the block ends the file the same way.
  return `${text}${eol}${block.join(eol)}`;
}

/**
 * Takes out every block (from a `# >>> retarget` line to the next `# <<< retarget`
 * line, both outside any instruction), exactly undoing what insertBlock added.
 */
export function removeBlocks(text: string, path?: string): string {
  const parsed = parseDockerfile(text);
  return cutBlocks(text, parsed, findBlocks(parsed, path));
}

/** The [begin, end] line pairs of the blocks; a marker without its pair is an error. */
function findBlocks(parsed: ParsedDockerfile, path: string | undefined): [number, number][] {
  const inside = new Set<number>();
  for (const i of parsed.instructions) {
    for (let line = i.startLine; line <= i.endLine; line++) inside.add(line);
  }
  const blocks: [number, number][] = [];
  let open: number | undefined;
  parsed.lines.forEach((line, n) => {
    if (inside.has(n)) return;
    if (BEGIN_PATTERN.test(line.text)) {
      if (open !== undefined) {
        throw new SourceError(
          `a second "# >>> retarget" line before the block opened at line ${open + 1} is closed`,
          { path, line: n + 1 },
        );
      }
      open = n;
    } else if (END_PATTERN.test(line.text)) {
      if (open === undefined) {
        throw new SourceError('"# <<< retarget" closes no block', { path, line: n + 1 });
      }
      blocks.push([open, n]);
      open = undefined;
    }
  });
  if (open !== undefined) {
    throw new SourceError('the retarget block opened here has no "# <<< retarget" line', {
      path,
      line: open + 1,
    });
  }
  return blocks;
}

function cutBlocks(
  text: string,
  parsed: ParsedDockerfile,
  blocks: readonly [number, number][],
): string {
  let out = text;
  for (const [begin, end] of [...blocks].reverse()) {
    const [from, to] = blockSpan(parsed.lines, begin, end, text.length);
    out = out.slice(0, from) + out.slice(to);
  }
  return out;
}

function blockSpan(
  lines: readonly SourceLine[],
  begin: number,
  end: number,
  length: number,
): [number, number] {
  const last = lines[end];
  if (!last.eol) {
    const from = begin > 0 ? lines[begin].start - lines[begin - 1].eol.length : 0;
    return [from, length];
  }
  return [lines[begin].start, last.start + last.text.length + last.eol.length];
}

/**
 * Reads the result back: the block must come out whole (no instruction above it
 * runs on into it, e.g. a continuation at the end of the file) and add exactly its
 * own instructions.
 */
function checkPlacement(
  patched: string,
  stripped: string,
  parsed: ParsedDockerfile,
  block: readonly string[],
  at: number | undefined,
  path: string | undefined,
): void {
  const own = block.filter((l) => /^(RUN|USER) /.test(l)).length;
  const reread = parseDockerfile(patched);
  let ok = reread.instructions.length === parsed.instructions.length + own;
  try {
    ok &&= cutBlocks(patched, reread, findBlocks(reread, path)) === stripped;
  } catch {
    ok = false;
  }
  if (!ok) {
    const line = at ?? parsed.lines.length;
    throw new SourceError(
      'the retarget block cannot be placed here: the instruction before it runs on into it (a line continuation or heredoc left open)',
      { path, line },
    );
  }
}
