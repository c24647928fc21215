import { shQuote } from '../shell/quote';

/**
 * A shell command for a fix. Words of safe characters stay bare so the command reads
 * naturally; anything else (a value from the package, not the validated target) is
 * single-quoted, so pasting the command never runs more than it says.
 */
export function commandLine(...words: string[]): string {
  return words.map(shWord).join(' ');
}

export function shWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : shQuote(word);
}
