import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitFiles, nodeFileOps } from '../../src/io/commit';
import type { FileOps } from '../../src/io/commit';

/**
 * The temporary file beside a target is created, never reused: a file or a symlink that
 * appears at its name (planted by another user in a shared directory, between the name
 * being chosen and the open) is neither overwritten nor followed; the write fails and
 * nothing changes. `retarget dockerfile --in-place` and the functions' -o / --in-place
 * all write through commitFiles.
 */
function planting(plant: (path: string) => void): FileOps {
  const ops = { ...nodeFileOps } as Record<keyof FileOps, unknown>;
  ops.openSync = (path: string, flags: string | number, mode?: number) => {
    if (/\.tmp$/.test(path)) plant(path);
    return fs.openSync(path, flags, mode);
  };
  return ops as unknown as FileOps;
}

describe('commitFiles: the temporary file is created exclusively', () => {
  test('a symlink planted at the temporary name is not followed', () => {
    const d = mkdtempSync(join(tmpdir(), 'retarget-excl-'));
    const victim = join(d, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    writeFileSync(join(d, 'a.yaml'), 'a: old\n');
    let planted = '';
    const ops = planting((path) => symlinkSync(victim, (planted = path)));
    expect(() => commitFiles([{ path: join(d, 'a.yaml'), text: 'a: new\n' }], { ops })).toThrow(
      /cannot write/,
    );
    expect(planted).not.toBe('');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(join(d, 'a.yaml'), 'utf8')).toBe('a: old\n');
  });

  test('a file planted at the temporary name is not overwritten', () => {
    const d = mkdtempSync(join(tmpdir(), 'retarget-excl-'));
    const ops = planting((path) => writeFileSync(path, 'planted\n'));
    expect(() => commitFiles([{ path: join(d, 'b.yaml'), text: 'b: new\n' }], { ops })).toThrow(
      /cannot write/,
    );
    expect(fs.existsSync(join(d, 'b.yaml'))).toBe(false);
  });
});
