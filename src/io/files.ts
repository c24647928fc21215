import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { SourceError } from '../errors';
import { decodeUtf8, maxInputBytes, readBytes } from './input-bytes';

export interface InputFile {
  /** The path as given (or found under a given directory); `-` for stdin. */
  path: string;
  /** Relative path used under an output directory. */
  outputName: string;
  text: string;
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * Reads files, directories (their *.yaml / *.yml files, recursively, in name
 * order, skipping hidden entries and node_modules) and `-` for stdin. Files in
 * `exclude` (compared by real path, e.g. the config file itself) are skipped.
 */
export function readInputs(paths: readonly string[], exclude: readonly string[] = []): InputFile[] {
  const excluded = new Set(exclude.map(realpathOrSelf));
  const inputs: InputFile[] = [];
  // One budget for every input together: many files under the limit still add up.
  const limit = maxInputBytes();
  let total = 0;
  const read = (source: string | number, label: string): string => {
    const text = readText(source, label, limit, total);
    total += Buffer.byteLength(text);
    return text;
  };
  for (const path of paths.length ? paths : ['-']) {
    if (path === '-') {
      inputs.push({ path: '-', outputName: 'stdin.yaml', text: read(0, '<stdin>') });
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new SourceError('no such file or directory', { path });
    }
    if (stat.isDirectory()) {
      const files = walk(path);
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
        inputs.push({ path: file, outputName: relative(path, file), text: read(file, file) });
      }
    } else if (!excluded.has(realpathOrSelf(path))) {
      inputs.push({ path, outputName: basename(path), text: read(path, path) });
    }
  }
  return inputs;
}

/** Files under `dir` (recursively, in name order, as readInputs walks) whose name passes `test`. */
export function findFiles(dir: string, test: (name: string) => boolean): string[] {
  return walk(dir, test);
}

function walk(dir: string, test: (name: string) => boolean = (n) => YAML_FILE.test(n)): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, test));
    else if (entry.isFile() && test(entry.name)) out.push(full);
  }
  return out;
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
  try {
    return decodeUtf8(readBytes(source, label, limit, alreadyRead), label);
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

/**
 * Writes through a temporary file in the same directory and renames it over the
 * target, so a reader (or a failure mid-write) never sees a partial file.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.retarget-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may not exist yet
    }
    throw error;
  }
}
