import { Cmd, Copy, DockerfileParser, Entrypoint, Shell } from 'dockerfile-ast';
import type { Instruction } from 'dockerfile-ast';

/** One physical line of the file; `eol` is its terminator ('' on a last line without one). */
export interface SourceLine {
  text: string;
  eol: string;
  /** Offset of the line's first character in the file. */
  start: number;
}

/** An instruction, with its physical line span (continuations and heredocs included). */
export interface DockerInstruction {
  keyword: string;
  /** First and last physical line (0-based, inclusive). */
  startLine: number;
  endLine: number;
  /** The arguments as Docker splits them (quotes kept, continuations removed). */
  readonly args: string[];
  /** The exec-form (JSON) strings of ENTRYPOINT, CMD and SHELL; undefined in shell form. */
  json?: string[];
  /** `COPY --from=` value. */
  copyFrom?: string;
  /** The instruction's arguments as written, continuations removed. */
  readonly argumentsText: string;
}

export interface BuildStage {
  index: number;
  /** `AS name`, lower-cased as Docker compares it. */
  name?: string;
  /** The FROM image as written (`registry/repo:tag`), or a previous stage's name. */
  image: string;
  from: DockerInstruction;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  lines: SourceLine[];
  /** The line terminator the file uses (its first one; '\n' when it has none). */
  eol: string;
  /** The escape character: `\` unless a `# escape=` parser directive says otherwise. */
  escape: string;
  /** Every instruction, before the first FROM too (global ARGs). */
  instructions: DockerInstruction[];
  stages: BuildStage[];
}

/**
 * Splits text into physical lines the way dockerfile-ast numbers them (CRLF, CR
 * and LF each end a line), so its line numbers index this table.
 */
export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ text: text.slice(start, m.index), eol: m[0], start });
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), eol: '', start });
  return lines;
}

/**
 * Reads a Dockerfile with dockerfile-ast (the parser behind the Docker language
 * server: parser directives, the escape character, line continuations, heredocs
 * and exec-form JSON as BuildKit reads them). Its exact line positions let the
 * patch splice text into the original, so every other byte is kept.
 */
export function parseDockerfile(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const lines = splitLines(text);
  const instructions = dockerfile.getInstructions().map(toInstruction);
  const stages: BuildStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      // dockerfile-ast leaves the flags (--platform) out of the arguments.
      const [image, as, name] = instruction.args;
      stages.push({
        index: stages.length,
        name: as?.toUpperCase() === 'AS' && name ? name.toLowerCase() : undefined,
        image: image ?? '',
        from: instruction,
        instructions: [],
      });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  const firstEol = lines.find((l) => l.eol)?.eol ?? '\n';
  return { lines, eol: firstEol, escape: dockerfile.getEscapeCharacter(), instructions, stages };
}

function toInstruction(instruction: Instruction): DockerInstruction {
  const range = instruction.getRange();
  const keyword = instruction.getKeyword().toUpperCase();
  // Arguments are read on demand: most instructions are never asked for theirs.
  let args: string[] | undefined;
  let text: string | undefined;
  const result: DockerInstruction = {
    keyword,
    startLine: range.start.line,
    endLine: range.end.line,
    get args() {
      return (args ??= instruction.getArguments().map((a) => a.getValue()));
    },
    get argumentsText() {
      return (text ??= instruction.getArgumentsContent() ?? '');
    },
  };
  // The instructions whose exec form is read (ENTRYPOINT, CMD, SHELL).
  if (
    instruction instanceof Entrypoint ||
    instruction instanceof Cmd ||
    instruction instanceof Shell
  ) {
    const strings = instruction.getJSONStrings();
    // dockerfile-ast's argument text starts at the first argument.
    if (strings.length || result.argumentsText.startsWith('[')) {
      result.json = strings.map((s) => s.getJSONValue());
    }
  }
  if (instruction instanceof Copy) {
    // Not dockerfile-ast's getFromFlag(): it answers only when --from is the sole flag, and
    // `COPY --from=rt --chown=1 / /` copies from rt all the same.
    const from = instruction
      .getFlags()
      .find((f) => f.getName() === 'from')
      ?.getValue();
    if (from) result.copyFrom = from;
  }
  return result;
}
