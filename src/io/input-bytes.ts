import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SourceError, UsageError } from '../errors';

/**
 * How much input one run reads: every file, directory and stdin together. The yaml
 * parser holds around 50 bytes of memory per input byte, so the bound is what keeps a
 * huge or hostile input a clear error rather than an out-of-memory crash. The default
 * leaves room for the ResourceList of 5000 migrated workloads (about 10 MiB).
 */
export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;
export const MAX_INPUT_ENV = 'RETARGET_MAX_INPUT_BYTES';

export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_INPUT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MAX_INPUT_BYTES;
  const text = raw.trim();
  if (!/^[0-9]{1,15}$/.test(text)) {
    throw new UsageError(`${MAX_INPUT_ENV} must be a number of bytes, not ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

const CHUNK = 1024 * 1024;

/**
 * Reads a file (by path) or a descriptor (0 for stdin) to the end, refusing more than
 * `limit` bytes: a file by its size before reading, a pipe as soon as it passes the limit,
 * so memory stays bounded either way.
 */
export function readBytes(
  source: string | number,
  label: string,
  limit: number,
  alreadyRead = 0,
): Buffer {
  const fd = typeof source === 'number' ? source : openSync(source, 'r');
  try {
    const stat = fstatSync(fd);
    const size = stat.isFile() ? stat.size : undefined;
    // A file is refused by its size before a byte is read; a stream's size is unknown.
    const known = alreadyRead + (size ?? 0);
    if (known > limit) throw tooLarge(label, known, limit, alreadyRead > 0);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(
        size !== undefined ? Math.min(CHUNK, size - total + 1) : CHUNK,
      );
      const n = readChunk(fd, chunk);
      if (n === 0) break;
      total += n;
      if (alreadyRead + total > limit)
        throw tooLarge(label, alreadyRead + total, limit, alreadyRead > 0);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (typeof source !== 'number') closeSync(fd);
  }
}

function readChunk(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EOF') return 0;
      // A non-blocking stdin (some terminals and pipes) has nothing yet: wait briefly.
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function tooLarge(label: string, size: number, limit: number, together: boolean): SourceError {
  const what = together ? 'the inputs together are' : 'input is';
  return new SourceError(
    `${what} at least ${formatBytes(size)}, over the ${formatBytes(limit)} limit of one run; split the input, or raise ${MAX_INPUT_ENV} (bytes)`,
    { path: label, code: 'INPUT_TOO_LARGE' },
  );
}

/**
 * The text of UTF-8 bytes. Anything else (Latin-1, UTF-16, binary) is refused with the
 * line, column and byte offset of the first invalid byte, instead of being turned into
 * U+FFFD replacement characters that would be written back as mojibake.
 */
export function decodeUtf8(bytes: Buffer, label: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const offset = firstInvalidUtf8(bytes);
  const before = bytes.subarray(0, offset);
  let line = 1;
  for (let i = before.indexOf(10); i >= 0; i = before.indexOf(10, i + 1)) line++;
  const lineStart = before.lastIndexOf(10) + 1;
  // An invalid byte is never ASCII (>= 0x80): always two hex digits.
  const byte = bytes[offset].toString(16).toUpperCase();
  const utf16 = bytes.length >= 2 && (bytes[0] === 0xff || bytes[0] === 0xfe) ? ' (UTF-16?)' : '';
  throw new SourceError(
    `not UTF-8${utf16}: invalid byte sequence starting with 0x${byte} at byte offset ${offset}; convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)`,
    { path: label, line, column: offset - lineStart + 1, code: 'NOT_UTF8' },
  );
}

/** Offset where the first ill-formed UTF-8 sequence (RFC 3629) starts, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    else if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < min || c > max) return i;
      min = 0x80;
      max = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * How much structure one run reads. Bytes alone do not bound memory: YAML costs about
 * 400 to 900 bytes of memory per node (a map, a list, a scalar), so 16 MiB of `- a`
 * lines would need gigabytes. Before anything is parsed, the input's structure marks
 * are counted — line breaks, `,`, `[`, `{`, and `:` or `-` followed by white space —
 * a linear scan that stands for the node count (within a factor of about 2 either
 * way). The default, 600,000, keeps every command under 1 GiB on the densest input
 * measured (one Pod with 160,000 containers is 800,000 marks: 690 MB in hydrate, 1 GB in
 * preflight, so it is refused), and holds about 3,500 real migrated workloads (a
 * generated deployment_spec.yaml is about 170 marks); RETARGET_MAX_NODES raises it.
 */
export const DEFAULT_MAX_NODES = 600_000;
export const MAX_NODES_ENV = 'RETARGET_MAX_NODES';

export function maxNodes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_NODES_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MAX_NODES;
  const text = raw.trim();
  if (!/^[0-9]{1,15}$/.test(text)) {
    throw new UsageError(`${MAX_NODES_ENV} must be a number, not ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

/** The structure marks of a text (see DEFAULT_MAX_NODES). */
export function structureMarks(text: string): number {
  let marks = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44 || c === 91 || c === 123) marks++;
    else if (c === 58 || c === 45) {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 10;
      if (d === 32 || d === 10 || d === 13 || d === 9) marks++;
    }
  }
  return marks;
}

/**
 * Refuses a text whose structure, with what the run read before, is over the limit:
 * a located SourceError before it is parsed. Returns the text's marks.
 */
export function checkStructure(text: string, label: string, alreadyMarked = 0): number {
  const marks = structureMarks(text);
  const limit = maxNodes();
  if (alreadyMarked + marks > limit) {
    const what = alreadyMarked ? 'the inputs together have' : 'input has';
    throw new SourceError(
      `${what} about ${alreadyMarked + marks} YAML nodes, over the limit of ${limit} for one run (memory grows with nodes, not bytes); split the input, or raise ${MAX_NODES_ENV}`,
      { path: label, code: 'INPUT_TOO_LARGE' },
    );
  }
  return marks;
}
