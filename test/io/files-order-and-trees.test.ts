import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFiles, findInputs, readFound } from '../../src/io/files';

/**
 * Input discovery (src/io/files.ts) at its edges: the walk's order is the code-unit order
 * of names whatever order the files were created in, a name must end in .yaml/.yml, a
 * link into the -o tree is not read, an -o directory or config file that does not exist
 * yet excludes nothing and breaks nothing, and `-` is read through the stdin reader.
 */
const scratch = () => mkdtempSync(join(tmpdir(), 'retarget-files-edges-'));

function put(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

describe('findInputs edges', () => {
  test('name order is code-unit order, independent of creation order', () => {
    const d = scratch();
    const names = ['m', 'B', 'z', 'a', 'Q', 'c1', 'c', '_x', '0', 'y', 'K', 'b', 'n', 'A', '9'];
    for (const n of names) writeFileSync(join(d, `${n}.yaml`), n);
    const expected = names.map((n) => `${n}.yaml`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(expected.slice(0, 4)).toEqual(['0.yaml', '9.yaml', 'A.yaml', 'B.yaml']);
    expect(findInputs([d]).map((f) => f.outputName)).toEqual(expected);
    expect(findFiles(d, () => true).map((f) => f.slice(d.length + 1))).toEqual(expected);
  });

  test('only names ending in .yaml or .yml (any case) are inputs', () => {
    const d = scratch();
    put(d, {
      'a.yaml': 'a',
      'b.YAML': 'b',
      'c.yml': 'c',
      'd.yaml.bak': 'd',
      'e.yml~': 'e',
      fyaml: 'f',
      'g.xyaml': 'g',
      'h.json': 'h',
    });
    expect(findInputs([d]).map((f) => f.outputName)).toEqual(['a.yaml', 'b.YAML', 'c.yml']);
  });

  test('a link into a directory under the -o tree is not read', () => {
    const d = scratch();
    put(d, { 'app.yaml': 'a', 'out/sub/x.yaml': 'o' });
    symlinkSync(join(d, 'out', 'sub'), join(d, 'link'));
    expect(findInputs([d], [], [join(d, 'out')]).map((f) => f.outputName)).toEqual(['app.yaml']);
    // Without the -o tree, the link is followed (and its real directory walked once).
    expect(findInputs([d]).map((f) => f.outputName)).toEqual(['app.yaml', 'link/x.yaml']);
  });

  test('an -o directory or config file that does not exist yet excludes nothing', () => {
    const d = scratch();
    put(d, { 'a.yaml': 'a', 'b/c.yaml': 'c' });
    expect(
      findInputs([d], [join(d, 'missing.yaml')], [join(d, 'not-yet')]).map((f) => f.outputName),
    ).toEqual(['a.yaml', 'b/c.yaml']);
  });
});

describe('readFound', () => {
  test('`-` is read through the stdin reader, files from disk, under one budget', () => {
    const d = scratch();
    put(d, { 'a.yaml': 'kind: A\n' });
    const calls: [number, number][] = [];
    const read = readFound(
      [
        { path: join(d, 'a.yaml'), outputName: 'a.yaml', root: d },
        { path: '-', outputName: 'stdin.yaml', root: '-' },
      ],
      (limit, already) => {
        calls.push([limit, already]);
        return 'kind: S\n';
      },
    );
    expect(read).toEqual([
      { path: join(d, 'a.yaml'), outputName: 'a.yaml', text: 'kind: A\n' },
      { path: '-', outputName: 'stdin.yaml', text: 'kind: S\n' },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0][1]).toBe(8);
  });
});
