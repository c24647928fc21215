import { Lexer } from 'yaml';
import type { YAMLError } from 'yaml';
import { SourceError } from '../errors';

/**
 * The yaml library's error as a located SourceError: the reason without its code excerpt.
 * With the source `text`, an unclosed quote is located where it opens, not at the end of
 * the file where the parser noticed it.
 */
export function sourceErrorOf(error: YAMLError, path: string, text?: string): SourceError {
  let pos = error.linePos?.[0];
  const at = error.message.indexOf(' at line ');
  let reason = at > 0 ? error.message.slice(0, at) : error.message.split('\n')[0];
  // The parser catches its own stack overflow on deeply nested input: say what that means.
  if (reason.includes('Maximum call stack size exceeded')) {
    reason = 'nested too deeply to parse (the parser ran out of stack here)';
  }
  const quote = /^Missing closing (["'])quote/.exec(reason)?.[1];
  // Without the text (no caller in src omits it) nothing is found: the parser's position.
  const source = text ?? '';
  const opened = quote ? unclosedQuoteAt(source, quote) : undefined;
  if (opened !== undefined) {
    pos = linePosOf(source, opened);
    reason = `${reason}: the ${quote === '"' ? 'double' : 'single'}-quoted scalar that starts here never ends`;
  }
  return new SourceError(reason, { path, line: pos?.line, column: pos?.col, code: error.code });
}

function unclosedQuoteAt(text: string, quote: string): number | undefined {
  // Lexer marks that stand for no source characters (document, scalar, flow error end).
  const zeroWidth = new Set(['\x02', '\x18', '\x1f']);
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (zeroWidth.has(token)) continue;
    if (token[0] === quote && !closes(token, quote)) return offset;
    offset += token.length;
  }
  return undefined;
}

/**
 * Whether a quoted-scalar token ends with its quote. The lexer reads past escaped quotes
 * (`\"`), so a double-quoted token ends with a quote only where the scalar closes, or at
 * the very end of the text (which the parser accepts): no escape counting is needed.
 */
function closes(token: string, quote: string): boolean {
  return token.length >= 2 && token.endsWith(quote);
}

function linePosOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
