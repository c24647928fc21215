import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../src/errors';
import { findInputs, readInputs, readText } from '../../src/io/files';

/**
 * src/io/files.ts where the operating system decides: the order of a directory listing
 * (not every file system sorts), the entry types readdir already gives (no stat per plain
 * entry), an error with no code, and the process's own stdin. node:fs is the real one
 * unless a test says otherwise, and each test puts it back.
 */
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return {
    ...actual,
    readdirSync: jest.fn(actual.readdirSync),
    statSync: jest.fn(actual.statSync),
    readSync: jest.fn(actual.readSync),
    fstatSync: jest.fn(actual.fstatSync),
  };
});

const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
const mocked = fs as jest.Mocked<typeof fs>;

function restore(): void {
  mocked.readdirSync.mockImplementation(actual.readdirSync as never);
  mocked.statSync.mockImplementation(actual.statSync as never);
  mocked.readSync.mockImplementation(actual.readSync as never);
  mocked.fstatSync.mockImplementation(actual.fstatSync as never);
}
function scratch(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'retarget-files-os-')));
}
function located(fn: () => unknown): { reason: string; path?: string } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { reason: error.reason, path: error.location.path };
  }
  throw new Error('expected a SourceError');
}

test('a listing in any order is walked in code-unit order of the names', () => {
  const d = scratch();
  for (const name of ['b.yaml', 'B.yaml', 'a.yaml', '_.yaml', 'c.yml'])
    writeFileSync(join(d, name), 'x: 1\n');
  mkdirSync(join(d, 'a-dir'));
  writeFileSync(join(d, 'a-dir', 'z.yaml'), 'x: 1\n');
  try {
    // A listing in reverse order, as a file system that does not sort may give it.
    mocked.readdirSync.mockImplementation(((path: fs.PathLike, options: never) =>
      (actual.readdirSync(path, options) as unknown as unknown[]).reverse()) as never);
    expect(findInputs([d]).map((f) => f.outputName)).toEqual([
      'B.yaml',
      '_.yaml',
      'a-dir/z.yaml',
      'a.yaml',
      'b.yaml',
      'c.yml',
    ]);
  } finally {
    restore();
  }
});

test('plain files and directories cost no stat; a symlink costs one', () => {
  const d = scratch();
  writeFileSync(join(d, 'a.yaml'), 'x: 1\n');
  writeFileSync(join(d, 'b.yaml'), 'x: 1\n');
  mkdirSync(join(d, 'sub'));
  writeFileSync(join(d, 'sub', 'c.yaml'), 'x: 1\n');
  symlinkSync(join(d, 'a.yaml'), join(d, 'link.yaml'));
  mocked.statSync.mockClear();
  try {
    expect(findInputs([d]).map((f) => f.outputName)).toEqual([
      'a.yaml',
      'b.yaml',
      'link.yaml',
      'sub/c.yaml',
    ]);
    expect(mocked.statSync.mock.calls.map((c) => c[0])).toEqual([d, join(d, 'link.yaml')]);
  } finally {
    restore();
  }
});

test('an error with no code: "cannot read (error)", located', () => {
  const d = scratch();
  writeFileSync(join(d, 'a.yaml'), 'x: 1\n');
  try {
    mocked.readSync.mockImplementation(() => {
      throw new Error('no code');
    });
    expect(located(() => readText(join(d, 'a.yaml'), 'a.yaml'))).toEqual({
      reason: 'cannot read (error)',
      path: 'a.yaml',
    });
  } finally {
    restore();
  }
});

test('"-" with no reader given reads the process stdin (descriptor 0), named <stdin>', () => {
  const stdin = (bytes: Buffer) => {
    let sent = false;
    mocked.fstatSync.mockImplementation(((fd: number) =>
      fd === 0 ? ({ isFile: () => false } as fs.Stats) : actual.fstatSync(fd)) as never);
    mocked.readSync.mockImplementation(((fd: number, buffer: Buffer, ...rest: never[]) => {
      if (fd !== 0) return (actual.readSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
      if (sent) return 0;
      sent = true;
      bytes.copy(buffer);
      return bytes.length;
    }) as never);
  };
  try {
    stdin(Buffer.from('a: 1\n'));
    expect(readInputs(['-'])).toEqual([{ path: '-', outputName: 'stdin.yaml', text: 'a: 1\n' }]);
    stdin(Buffer.from([0x61, 0xff, 0x0a]));
    expect(located(() => readInputs([])).path).toBe('<stdin>');
  } finally {
    restore();
  }
});
