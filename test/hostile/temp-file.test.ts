import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { commitFiles, WriteError } from '../../src/io/commit';

/**
 * The temporary file beside a target is created, never reused: opened with O_EXCL
 * ('wx'), so a file or a symlink planted at its name (by another user in a shared
 * directory) is neither overwritten nor followed; the write fails, and nothing changes.
 */
describe('commitFiles: the temporary file is created exclusively', () => {
  const tempName = (target: string) => `.${target}.retarget-${process.pid}-0.tmp`;

  test('a symlink planted at the temporary name is not followed', () => {
    const d = mkdtempSync(join(tmpdir(), 'retarget-excl-'));
    const victim = join(d, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    writeFileSync(join(d, 'a.yaml'), 'a: old\n');
    symlinkSync(victim, join(d, tempName('a.yaml')));
    expect(() => commitFiles([{ path: join(d, 'a.yaml'), text: 'a: new\n' }])).toThrow(WriteError);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(join(d, 'a.yaml'), 'utf8')).toBe('a: old\n');
    expect(readlinkSync(join(d, tempName('a.yaml')))).toBe(victim);
  });

  test('a file planted at the temporary name is not overwritten', () => {
    const d = mkdtempSync(join(tmpdir(), 'retarget-excl-'));
    writeFileSync(join(d, tempName('b.yaml')), 'planted\n');
    expect(() => commitFiles([{ path: join(d, 'b.yaml'), text: 'b: new\n' }])).toThrow(
      /cannot write/,
    );
    expect(readFileSync(join(d, tempName('b.yaml')), 'utf8')).toBe('planted\n');
    expect(readdirSync(d)).toEqual([tempName('b.yaml')]);
  });
});

describe('retarget dockerfile --in-place: the temporary file is created exclusively', () => {
  test('a symlink planted at the temporary name is not followed; the Dockerfile stays', () => {
    const CASE = join(__dirname, '../../testdata/dockerfile/systemd-legacy-multistage');
    const d = mkdtempSync(join(tmpdir(), 'retarget-excl-'));
    const dockerfile = join(d, 'Dockerfile');
    const original = readFileSync(join(CASE, 'Dockerfile'), 'utf8');
    writeFileSync(dockerfile, original);
    const victim = join(d, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(d, `.Dockerfile.retarget-${process.pid}.tmp`));
    const stderr: string[] = [];
    const io = {
      stdout: () => {},
      stderr: (t: string) => void stderr.push(t),
      readStdin: () => '',
    };
    const code = main(
      ['dockerfile', '-c', join(CASE, 'retarget.yaml'), '--in-place', dockerfile],
      io,
    );
    expect(code).toBe(1);
    expect(stderr.join('')).toMatch(/EEXIST|exists/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(dockerfile, 'utf8')).toBe(original);
  });
});
