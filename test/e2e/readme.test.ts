/**
 * The README as a user reads it: every fenced `sh` block marked `<!-- runnable -->` runs
 * as written (in a copy of examples/quickstart, the executables on the PATH as
 * `npm install -g` puts them); the before/after diff it shows is what --diff prints;
 * every link in it and in docs/ leads somewhere.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { envWithBin, REPO, run, tempDir } from './support';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

interface Block {
  info: string;
  body: string;
  runnable: boolean;
  line: number;
}

/** Fenced blocks (also indented ones, inside list items), with the marker line before them. */
function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^ *```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(indent));
    const marker = lines
      .slice(0, i)
      .reverse()
      .find((l) => l.trim() !== '');
    found.push({
      info: open[2],
      body: `${body.join('\n')}\n`,
      runnable: marker?.trim() === '<!-- runnable -->',
      line: i + 1,
    });
    i = j;
  }
  return found;
}

const all = blocks(README);
const runnable = all.filter((b) => b.runnable);

describe('README', () => {
  test('the runnable examples cover hydrate, --diff, preflight, dockerfile and --help', () => {
    expect(runnable.every((b) => b.info === 'sh')).toBe(true);
    const text = runnable.map((b) => b.body).join('');
    for (const command of [
      'retarget hydrate -c',
      '--diff',
      '--in-place',
      'retarget preflight',
      'retarget dockerfile',
      '--help',
    ]) {
      expect(text).toContain(command);
    }
  });

  test.each(runnable.map((b) => [b.line, b]))(
    'the sh block at line %i runs as written',
    (_line, block) => {
      const dir = join(tempDir('readme'), 'quickstart');
      cpSync(join(REPO, 'examples/quickstart'), dir, { recursive: true });
      const ran = run('sh', ['-e', '-c', (block as Block).body], { cwd: dir, env: envWithBin() });
      expect({ status: ran.status, stderr: ran.stderr }).toMatchObject({ status: 0 });
    },
  );

  test('the before/after diff is what hydrate --diff prints for that config and spec shape', () => {
    const config = all.find((b) => b.info === 'yaml');
    const shown = all.find((b) => b.info === 'diff');
    expect(config?.body).toContain('kind: Retarget');
    const dir = tempDir('readme-diff');
    cpSync(
      join(REPO, 'testdata/generator-shapes/m4a-v1.9-service-manager/deployment_spec.yaml'),
      join(dir, 'deployment_spec.yaml'),
    );
    writeFileSync(join(dir, 'retarget.yaml'), config?.body ?? '');
    const real = run(
      'retarget',
      ['hydrate', '-c', 'retarget.yaml', 'deployment_spec.yaml', '--diff'],
      { cwd: dir, env: envWithBin() },
    );
    expect(real.status).toBe(0);
    const realLines = real.stdout.split('\n');
    const shownLines = (shown?.body ?? '').trimEnd().split('\n');
    expect(shownLines.length).toBeGreaterThan(20);
    // The README shows the start of the real diff, line for line.
    expect(realLines.slice(0, shownLines.length)).toEqual(shownLines);
  });

  test('every relative link in README.md and docs/ leads to a file or a heading', () => {
    // docs/ has folders (docs/mutation/): every Markdown file under it, at any depth.
    const docs = readdirSync(join(REPO, 'docs'), { recursive: true, encoding: 'utf8' });
    const files = ['README.md', ...docs.filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const anchors = new Set(
      README.split('\n')
        .filter((l) => /^#{1,4} /.test(l))
        .map((l) =>
          l
            .replace(/^#+ /, '')
            .toLowerCase()
            .replace(/[^a-z0-9 _-]/g, '')
            .replace(/ /g, '-'),
        ),
    );
    for (const file of files) {
      const text = readFileSync(join(REPO, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:/.test(target)) continue;
        if (target.startsWith('#')) {
          expect({ file, target, found: anchors.has(target.slice(1)) }).toEqual({
            file,
            target,
            found: true,
          });
          continue;
        }
        const path = join(REPO, dirname(file), target.replace(/#.*$/, ''));
        expect({ file, target, exists: existsSync(path) }).toEqual({ file, target, exists: true });
      }
    }
  });
});
