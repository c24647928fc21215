import { readdirSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { SourceError } from '../errors';
import { checkStructure, decodeUtf8, maxInputBytes, readBytes } from './input-bytes';

export interface InputFile {
  /** The path as given (or found under a given directory); `-` for stdin. */
  path: string;
  /** Relative path used under an output directory. */
  outputName: string;
  text: string;
}

/** An input found on the command line or under a directory given there, not read yet. */
export interface FoundInput {
  path: string;
  outputName: string;
  /** The command-line path it was found under (the file itself, or its directory). */
  root: string;
}

/**
 * Reads files, directories (their *.yaml / *.yml files, recursively, in name
 * order, skipping hidden entries and node_modules) and `-` for stdin. Files in
 * `exclude` (compared by real path, e.g. the config file itself) are skipped, and so is
 * everything under a directory of `excludeTrees` (the -o directory).
 */
export function readInputs(
  paths: readonly string[],
  exclude: readonly string[] = [],
  excludeTrees: readonly string[] = [],
  readStdin: StdinReader = readProcessStdin,
): InputFile[] {
  return readFound(findInputs(paths, exclude, excludeTrees), readStdin);
}

/** Reads stdin within `limit` bytes, `alreadyRead` of which earlier inputs used. */
export type StdinReader = (limit: number, alreadyRead: number) => string;

const readProcessStdin: StdinReader = (limit, alreadyRead) =>
  readText(0, '<stdin>', limit, alreadyRead);

/**
 * Reads what findInputs found, under one size budget for all of it. Stdin comes through
 * `readStdin`, so a command reads it through its Io like everything else it reads.
 */
export function readFound(
  found: readonly FoundInput[],
  readStdin: StdinReader = readProcessStdin,
): InputFile[] {
  // One budget for every input together: many files under the limit still add up.
  const limit = maxInputBytes();
  let total = 0;
  return found.map(({ path, outputName }) => {
    const text = path === '-' ? readStdin(limit, total) : readText(path, path, limit, total);
    total += Buffer.byteLength(text);
    return { path, outputName, text };
  });
}

/**
 * The inputs a command line names, without reading them. Under a directory, symlinked
 * files and directories are followed as kubectl follows them (a document behind a link
 * is not lost), each real directory once: a link loop, or a link back up the tree, is
 * not walked twice.
 */
export function findInputs(
  paths: readonly string[],
  exclude: readonly string[] = [],
  excludeTrees: readonly string[] = [],
): FoundInput[] {
  const excluded = new Set(exclude.map(realpathOrSelf));
  const trees = excludeTrees.map(realpathOrSelf);
  const inTree = (real: string) =>
    trees.some((t) => real === t || real.startsWith(t.endsWith(sep) ? t : t + sep));
  const found: FoundInput[] = [];
  for (const path of paths.length ? paths : ['-']) {
    if (path === '-') {
      found.push({ path: '-', outputName: 'stdin.yaml', root: '-' });
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new SourceError('no such file or directory', { path });
    }
    if (stat.isDirectory()) {
      const files = walk(path, isYamlName, new Set(), inTree);
      // An empty result from a folder is a wrong path or a wrong folder, not an empty success.
      if (!files.some((f) => !excluded.has(realpathOrSelf(f)))) {
        throw new SourceError(
          files.length
            ? 'the directory holds only the config file: no *.yaml or *.yml input'
            : 'no *.yaml or *.yml files in this directory',
          { path },
        );
      }
      for (const file of files) {
        if (excluded.has(realpathOrSelf(file))) continue;
        found.push({ path: file, outputName: relative(path, file), root: path });
      }
    } else if (!excluded.has(realpathOrSelf(path))) {
      found.push({ path, outputName: basename(path), root: path });
    }
  }
  return found;
}

/** Files under `dir` (recursively, in name order, as readInputs walks) whose name passes `test`. */
export function findFiles(dir: string, test: (name: string) => boolean): string[] {
  return walk(dir, test, new Set(), () => false);
}

function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

function walk(
  dir: string,
  test: (name: string) => boolean,
  seen: Set<string>,
  excludedTree: (real: string) => boolean,
): string[] {
  const real = realpathOrSelf(dir);
  // Each real directory once (symlink loops), and never the output tree.
  if (seen.has(real) || excludedTree(real)) return [];
  seen.add(real);
  const out: string[] = [];
  // Name order by code units (the default sort of strings), whatever the locale.
  const byName = new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e]));
  for (const entry of [...byName.keys()].sort().map((name) => byName.get(name)!)) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = statOrUndefined(full); // a dangling link is no input
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) for (const file of walk(full, test, seen, excludedTree)) out.push(file);
    else if (isFile && test(entry.name)) out.push(full);
  }
  return out;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * UTF-8 text of a file or descriptor, at most `limit` bytes with what was read before
 * (default: the run's input limit); too large or not UTF-8 is a located SourceError.
 */
export function readText(
  source: string | number,
  label: string,
  limit = maxInputBytes(),
  alreadyRead = 0,
): string {
  const text = decodeUtf8(readOrFail(source, label, limit, alreadyRead), label);
  checkStructure(text, label);
  return text;
}

function readOrFail(
  source: string | number,
  label: string,
  limit: number,
  alreadyRead: number,
): Buffer {
  try {
    return readBytes(source, label, limit, alreadyRead);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(
      code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`,
      {
        path: label,
      },
    );
  }
}
