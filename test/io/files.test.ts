import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../src/errors';
import { findFiles, findInputs, readFound, readInputs, readText } from '../../src/io/files';
import { MAX_INPUT_ENV } from '../../src/io/input-bytes';

/**
 * Which files a command line names (src/io/files.ts): a directory's *.yaml and *.yml
 * files, recursively, in name order, without hidden entries, node_modules, the config
 * file or the -o tree, following symlinks as kubectl does but each real directory once;
 * and reading them under one size budget, with located errors.
 */
const scratch = () => mkdtempSync(join(tmpdir(), 'retarget-files-'));

function put(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
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

describe('findInputs', () => {
  test('a directory: YAML files recursively in name order, each with its relative name', () => {
    const d = scratch();
    put(d, {
      'b.yaml': 'b',
      'a.YML': 'a',
      'sub/c.yaml': 'c',
      'sub/z/d.yml': 'd',
      'notes.txt': 'x',
      yaml: 'not a yaml name',
      '.hidden.yaml': 'h',
      '.git/e.yaml': 'e',
      'node_modules/f.yaml': 'f',
      'B.yaml': 'B',
    });
    expect(findInputs([d])).toEqual([
      { path: join(d, 'B.yaml'), outputName: 'B.yaml', root: d },
      { path: join(d, 'a.YML'), outputName: 'a.YML', root: d },
      { path: join(d, 'b.yaml'), outputName: 'b.yaml', root: d },
      { path: join(d, 'sub/c.yaml'), outputName: 'sub/c.yaml', root: d },
      { path: join(d, 'sub/z/d.yml'), outputName: 'sub/z/d.yml', root: d },
    ]);
  });

  test('files named on the command line, any extension, and stdin', () => {
    const d = scratch();
    put(d, { 'spec.txt': 's', 'x/a.yaml': 'a' });
    expect(findInputs([join(d, 'spec.txt'), '-', join(d, 'x/a.yaml')])).toEqual([
      { path: join(d, 'spec.txt'), outputName: 'spec.txt', root: join(d, 'spec.txt') },
      { path: '-', outputName: 'stdin.yaml', root: '-' },
      { path: join(d, 'x/a.yaml'), outputName: 'a.yaml', root: join(d, 'x/a.yaml') },
    ]);
    expect(findInputs([])).toEqual([{ path: '-', outputName: 'stdin.yaml', root: '-' }]);
  });

  test('the config file is left out, found directly or under a directory, by real path', () => {
    const d = scratch();
    put(d, { 'config.yaml': 'c', 'app.yaml': 'a' });
    symlinkSync(join(d, 'config.yaml'), join(d, 'link-to-config.yaml'));
    expect(findInputs([d], [join(d, 'config.yaml')]).map((f) => f.outputName)).toEqual([
      'app.yaml',
    ]);
    expect(
      findInputs([join(d, 'config.yaml'), join(d, 'app.yaml')], [join(d, 'link-to-config.yaml')]),
    ).toEqual([{ path: join(d, 'app.yaml'), outputName: 'app.yaml', root: join(d, 'app.yaml') }]);
  });

  test('the -o tree is not read, but a sibling whose name begins the same is', () => {
    const d = scratch();
    put(d, { 'app.yaml': 'a', 'out/app.yaml': 'o', 'out2/b.yaml': 'b' });
    expect(findInputs([d], [], [join(d, 'out')]).map((f) => f.outputName)).toEqual([
      'app.yaml',
      'out2/b.yaml',
    ]);
    expect(findInputs([d], [], [`${join(d, 'out')}/`]).map((f) => f.outputName)).toEqual([
      'app.yaml',
      'out2/b.yaml',
    ]);
    // The -o directory given itself as the input: nothing in it is an input.
    expect(located(() => findInputs([join(d, 'out')], [], [join(d, 'out')]))).toEqual({
      reason: 'no *.yaml or *.yml files in this directory',
      path: join(d, 'out'),
    });
  });

  test('symlinks are followed, each real directory once; a dangling link is no input', () => {
    const d = scratch();
    const other = scratch();
    put(other, { 'linked.yaml': 'l' });
    put(d, { 'a.yaml': 'a', 'real/r.yaml': 'r' });
    symlinkSync(other, join(d, 'dirlink'));
    symlinkSync(join(other, 'linked.yaml'), join(d, 'filelink.yaml'));
    symlinkSync(d, join(d, 'real/loop'));
    symlinkSync(join(d, 'nowhere.yaml'), join(d, 'dangling.yaml'));
    expect(findInputs([d]).map((f) => f.outputName)).toEqual([
      'a.yaml',
      'dirlink/linked.yaml',
      'filelink.yaml',
      'real/r.yaml',
    ]);
  });

  test('a missing path, an empty directory and one holding only the config are errors', () => {
    const d = scratch();
    expect(located(() => findInputs([join(d, 'missing.yaml')]))).toEqual({
      reason: 'no such file or directory',
      path: join(d, 'missing.yaml'),
    });
    put(d, { 'notes.txt': 'x' });
    expect(located(() => findInputs([d]))).toEqual({
      reason: 'no *.yaml or *.yml files in this directory',
      path: d,
    });
    put(d, { 'c.yaml': 'c' });
    expect(located(() => findInputs([d], [join(d, 'c.yaml')]))).toEqual({
      reason: 'the directory holds only the config file: no *.yaml or *.yml input',
      path: d,
    });
  });

  test('findFiles: the same walk with another name test', () => {
    const d = scratch();
    put(d, { Dockerfile: 'x', 'sub/Dockerfile': 'y', 'a.yaml': 'a', '.h/Dockerfile': 'h' });
    expect(findFiles(d, (n) => n === 'Dockerfile')).toEqual([
      join(d, 'Dockerfile'),
      join(d, 'sub/Dockerfile'),
    ]);
  });
});

describe('reading', () => {
  const env = process.env[MAX_INPUT_ENV];
  afterEach(() => {
    if (env === undefined) delete process.env[MAX_INPUT_ENV];
    else process.env[MAX_INPUT_ENV] = env;
  });

  test('readInputs: the text of each file, with its output name', () => {
    const d = scratch();
    put(d, { 'a.yaml': 'a: 1\n', 'sub/b.yml': 'b: ü\n' });
    expect(readInputs([d])).toEqual([
      { path: join(d, 'a.yaml'), outputName: 'a.yaml', text: 'a: 1\n' },
      { path: join(d, 'sub/b.yml'), outputName: 'sub/b.yml', text: 'b: ü\n' },
    ]);
  });

  test('one budget for all inputs together: each file under it, their sum over it', () => {
    const d = scratch();
    put(d, { 'a.yaml': 'a: 12345\n', 'b.yaml': 'b: 12345\n' });
    process.env[MAX_INPUT_ENV] = '15';
    expect(located(() => readInputs([d]))).toEqual({
      reason: `the inputs together are at least 18 bytes, over the 15 bytes limit of one run; split the input, or raise ${MAX_INPUT_ENV} (bytes)`,
      path: join(d, 'b.yaml'),
    });
    process.env[MAX_INPUT_ENV] = '18';
    expect(readFound(findInputs([d])).map((f) => f.text)).toEqual(['a: 12345\n', 'b: 12345\n']);
  });

  test('readText: a directory, an unreadable path, bytes that are not UTF-8', () => {
    const d = scratch();
    expect(located(() => readText(d, 'the-dir'))).toEqual({
      reason: 'is a directory',
      path: 'the-dir',
    });
    expect(located(() => readText(join(d, 'missing'), 'gone.yaml'))).toEqual({
      reason: 'cannot read (ENOENT)',
      path: 'gone.yaml',
    });
    writeFileSync(join(d, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(located(() => readText(join(d, 'latin1.yaml'), 'latin1.yaml')).path).toBe('latin1.yaml');
  });
});
