import { SourceError } from '../../src/errors';
import type { InputFile } from '../../src/io/files';
import { findFunction } from '../../src/pipeline/functions';
import { joinStreams, parseConfigText, transformFiles } from '../../src/pipeline/file-mode';
import { LEGACY_DEPLOYMENT, SERVICE } from '../support/workloads';

/**
 * File mode in memory (src/pipeline/file-mode.ts): which files are written, what is left
 * out and said, the change summary, which config document is read, and how several
 * files share one stream.
 */
const setFsGroup = findFunction('set-fs-group')!;
const hydrate = findFunction('hydrate')!;
const FS = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetFsGroup',
  metadata: { name: 'fs' },
  fsGroup: 2000,
};
const file = (path: string, text: string): InputFile => ({ path, outputName: path, text });

const PLAN = 'v2kServiceManager: true\nglobal:\n  image: {}\n';
const SKAFFOLD = 'apiVersion: skaffold/v4beta6\nkind: Config\nbuild: {}\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n';

describe('transformFiles: migration artifacts and unknown documents', () => {
  test('a file of artifacts only is left out, with an info naming it; the others are written', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [
      file('dir/plan.yaml', PLAN),
      file('dir/skaffold.yaml', `${SKAFFOLD}---\n${PLAN}`),
      file('dir/app.yaml', LEGACY_DEPLOYMENT),
    ]);
    expect(out.ok).toBe(true);
    expect(out.files.map((f) => f.input.path)).toEqual(['dir/app.yaml']);
    expect(out.results.filter((r) => r.severity === 'info' && r.file)).toEqual([
      {
        severity: 'info',
        message: 'left out: a migration plan, a migration artifact, not for the target cluster',
        file: { path: 'dir/plan.yaml' },
      },
      {
        severity: 'info',
        message:
          'left out: a skaffold config, a migration plan, a migration artifact, not for the target cluster',
        file: { path: 'dir/skaffold.yaml' },
      },
    ]);
  });

  test('artifacts mixed with objects: an error, nothing written', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [
      file('ok.yaml', CM),
      file('mixed.yaml', `${CM}---\n${SKAFFOLD}---\n${SKAFFOLD}`),
    ]);
    expect(out).toEqual({
      files: [],
      ok: false,
      summary: { changed: 0, created: 0, unchanged: 0 },
      results: [
        {
          severity: 'error',
          message:
            'mixes migration artifacts (a skaffold config) with other documents; keep the artifacts in their own files',
          file: { path: 'mixed.yaml' },
        },
      ],
    });
  });

  const UNKNOWN = `${CM}---\njust: a map\n---\n- a list\n`;
  test('a document that is neither: an error at its line, nothing written', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [file('u.yaml', UNKNOWN)]);
    const message =
      'is neither a Kubernetes object (apiVersion and kind) nor a known migration artifact; fix it, move it out of the input, or pass --keep-unknown to copy it through';
    expect(out).toEqual({
      files: [],
      ok: false,
      summary: { changed: 0, created: 0, unchanged: 0 },
      results: [
        { severity: 'error', message, file: { path: 'u.yaml' }, tags: { line: '8' } },
        { severity: 'error', message, file: { path: 'u.yaml' }, tags: { line: '10' } },
      ],
    });
  });

  test('keepUnknown: such documents are copied through', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [file('u.yaml', UNKNOWN)], {
      keepUnknown: true,
    });
    expect(out.ok).toBe(true);
    expect(out.files.map((f) => [f.text, f.changed])).toEqual([[UNKNOWN, false]]);
    expect(out.summary).toEqual({ changed: 0, created: 0, unchanged: 1 });
  });
});

describe('transformFiles: outputs and the summary', () => {
  test('changed and unchanged files, and what each resource was', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [
      file('app.yaml', `${LEGACY_DEPLOYMENT}---\n${SERVICE}`),
      file('cm.yaml', CM),
    ]);
    expect(out.ok).toBe(true);
    expect(out.files.map((f) => [f.input.path, f.changed])).toEqual([
      ['app.yaml', true],
      ['cm.yaml', false],
    ]);
    expect(out.files[0].text).toContain('fsGroup: 2000');
    expect(out.files[1].text).toBe(CM);
    // The Service and the ConfigMap are copied through unparsed: unchanged all the same.
    expect(out.summary).toEqual({ changed: 1, created: 0, unchanged: 2 });
  });

  test('fullParse: the same output and summary, every document parsed', () => {
    const inputs = [file('app.yaml', `${LEGACY_DEPLOYMENT}---\n${SERVICE}`), file('cm.yaml', CM)];
    const fast = transformFiles(setFsGroup, FS, 'c.yaml', inputs);
    const full = transformFiles(setFsGroup, FS, 'c.yaml', inputs, { fullParse: true });
    expect(full.files.map((f) => f.text)).toEqual(fast.files.map((f) => f.text));
    expect(full.summary).toEqual(fast.summary);
  });

  test('resources a function creates are counted as created', () => {
    const config = {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Retarget',
      metadata: { name: 't' },
      awsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/app', initSystem: 'systemd' },
    };
    const out = transformFiles(hydrate, config, 'c.yaml', [file('app.yaml', LEGACY_DEPLOYMENT)]);
    expect(out.ok).toBe(true);
    // The two systemd drop-ins (the link's tmpfiles.d, the AWS variables) and the ServiceAccount.
    expect(out.files[0].text.match(/^kind: .*$/gm)).toEqual([
      'kind: Deployment',
      'kind: ConfigMap',
      'kind: ConfigMap',
      'kind: ServiceAccount',
    ]);
    expect(out.summary).toEqual({ changed: 1, created: 3, unchanged: 0 });
  });

  test('an invalid config: its errors name the config file; nothing is written', () => {
    const out = transformFiles(setFsGroup, { ...FS, fsGroup: 'x' }, 'conf/fs.yaml', [
      file('a.yaml', CM),
    ]);
    expect(out.ok).toBe(false);
    expect(out.results.length).toBeGreaterThan(0);
    for (const r of out.results) {
      expect(r.severity).toBe('error');
      expect(r.file).toEqual({ path: 'conf/fs.yaml' });
      expect(r.message).toMatch(/^invalid SetFsGroup config: fsGroup: /);
    }
  });

  test('no function passes through a config it does not know: it is read as given', () => {
    const noCopy = { ...setFsGroup, passThrough: undefined };
    const out = transformFiles(noCopy, FS, 'c.yaml', [file('a.yaml', `${CM}---\n${SERVICE}`)]);
    expect(out.ok).toBe(true);
    expect(out.summary).toEqual({ changed: 0, created: 0, unchanged: 2 });
  });
});

describe('transformFiles: an input with no resources', () => {
  test('only artifacts: a warning, the output is empty', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [file('plan.yaml', PLAN)]);
    expect(out.files).toEqual([]);
    expect(out.ok).toBe(true);
    expect(out.results.at(-1)).toEqual({
      severity: 'warning',
      message:
        'no Kubernetes resources in the input (plan.yaml): every file is a migration artifact, the output is empty',
    });
  });

  test.each([
    ['only comments', '# nothing here\n', 'the input as it is'],
    ['blank', '\n\n', 'empty'],
    ['empty', '', 'empty'],
  ])('%s: a warning saying what the output is', (_, text, what) => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [file('-', text)]);
    expect(out.ok).toBe(true);
    expect(out.files.map((f) => f.text)).toEqual([text]);
    expect(out.results).toEqual([
      {
        severity: 'warning',
        message: `no Kubernetes resources in the input (<stdin>): the output is ${what}`,
      },
    ]);
  });

  test('more than three files are named three and counted', () => {
    const names = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml'];
    const out = transformFiles(
      setFsGroup,
      FS,
      'c.yaml',
      names.map((n) => file(n, '# empty\n')),
    );
    expect(out.results.map((r) => r.message)).toEqual([
      'no Kubernetes resources in the input (a.yaml, b.yaml, c.yaml, and 2 more): the output is the input as it is',
    ]);
    const three = transformFiles(
      setFsGroup,
      FS,
      'c.yaml',
      names.slice(0, 3).map((n) => file(n, '')),
    );
    expect(three.results.map((r) => r.message)).toEqual([
      'no Kubernetes resources in the input (a.yaml, b.yaml, c.yaml): the output is empty',
    ]);
  });

  test('no files at all', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', []);
    expect(out).toEqual({
      files: [],
      ok: true,
      summary: { changed: 0, created: 0, unchanged: 0 },
      results: [
        {
          severity: 'warning',
          message:
            'no Kubernetes resources in the input (no files): every file is a migration artifact, the output is empty',
        },
      ],
    });
  });

  test('parsed resources only, nothing copied through: no warning', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [file('app.yaml', LEGACY_DEPLOYMENT)]);
    expect(out.results).toEqual([]);
  });

  test('one file copied through, another with only a comment: no warning', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [
      file('s.yaml', SERVICE),
      file('c.yaml', '# c\n'),
    ]);
    expect(out.results).toEqual([]);
  });

  test('one blank file and one with a comment: the output is the input as it is', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [
      file('a.yaml', '\n'),
      file('b.yaml', '# c\n'),
    ]);
    expect(out.results.map((r) => r.message)).toEqual([
      'no Kubernetes resources in the input (a.yaml, b.yaml): the output is the input as it is',
    ]);
  });

  test('resources copied through unparsed are resources: no warning', () => {
    const out = transformFiles(setFsGroup, FS, 'c.yaml', [file('s.yaml', SERVICE)]);
    expect(out.results).toEqual([]);
    expect(out.summary).toEqual({ changed: 0, created: 0, unchanged: 1 });
  });
});

describe('parseConfigText', () => {
  test.each([
    [
      'the document of the kind',
      `${CM}---\nkind: SetFsGroup\nfsGroup: 1\n`,
      { kind: 'SetFsGroup', fsGroup: 1 },
    ],
    [
      'else a ConfigMap',
      `kind: Other\n---\n${CM}`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
    ],
    ['else the first document', 'kind: Other\n---\nkind: Third\n', { kind: 'Other' }],
    ['empty documents skipped', '---\n# c\n---\nkind: Other\n', { kind: 'Other' }],
    ['a scalar', 'text\n', 'text'],
    ['nothing', '', null],
    ['only empty documents', '---\n---\n', null],
  ])('%s', (_, text, expected) => {
    expect(parseConfigText(text, 'c.yaml', 'SetFsGroup')).toEqual(expected);
  });

  test('aliases and merge keys are read as in inputs', () => {
    expect(
      parseConfigText('base: &b {x: 1}\nkind: SetFsGroup\nother: *b\n', 'c.yaml', 'SetFsGroup'),
    ).toEqual({
      base: { x: 1 },
      kind: 'SetFsGroup',
      other: { x: 1 },
    });
  });

  test.each([
    ['a duplicate key', 'kind: SetFsGroup\nfsGroup: 1\nfsGroup: 2\n', 3],
    ['a syntax error', 'kind: SetFsGroup\nfsGroup: [1\n', 3],
    ['an unknown alias', 'kind: SetFsGroup\nfsGroup: *nowhere\n', 2],
    ['a merge key of a scalar', 'a: &a 1\nkind: SetFsGroup\nb:\n  <<: *a\n', 4],
  ])('%s: a SourceError at the config file and line', (_, text, line) => {
    let error: unknown;
    try {
      parseConfigText(text, 'conf/c.yaml', 'SetFsGroup');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).location).toMatchObject({ path: 'conf/c.yaml', line });
  });
});

describe('joinStreams', () => {
  test.each([
    ['one file as it is', ['a: 1\n'], 'a: 1\n'],
    ['a separator between files', ['a: 1\n', 'b: 2\n'], 'a: 1\n---\nb: 2\n'],
    ['no final line break: one is added first', ['a: 1', 'b: 2\n'], 'a: 1\n---\nb: 2\n'],
    ['a file that starts with ---', ['a: 1\n', '---\nb: 2\n'], 'a: 1\n---\nb: 2\n'],
    ['--- then a comment', ['a: 1\n', '--- # c\nb: 2\n'], 'a: 1\n--- # c\nb: 2\n'],
    ['--- alone at the end', ['a: 1\n', '---'], 'a: 1\n---'],
    ['---x is no document start', ['a: 1\n', '---x: 1\n'], 'a: 1\n---\n---x: 1\n'],
    ['a --- later in the file is no start', ['a: 1\n', 'b: 2\n---\n'], 'a: 1\n---\nb: 2\n---\n'],
    ['CRLF files get CRLF separators', ['a: 1\r\n', 'b: 2\r\n'], 'a: 1\r\n---\r\nb: 2\r\n'],
    ['a CRLF file after one with no line break', ['a: 1', 'b: 2\r\n'], 'a: 1\r\n---\r\nb: 2\r\n'],
    [
      'blank and empty files are skipped',
      ['', 'a: 1\n', '  \n\n', 'b: 2\n', ''],
      'a: 1\n---\nb: 2\n',
    ],
    ['a blank first file adds no separator', ['\n', 'a: 1\n'], 'a: 1\n'],
    [
      'a byte-order mark stays at the start',
      ['\uFEFFa: 1\n', '\uFEFFb: 2\n'],
      '\uFEFFa: 1\n---\nb: 2\n',
    ],
    ['a mark on a later file only', ['a: 1\n', '\uFEFF---\nb: 2\n'], 'a: 1\n---\nb: 2\n'],
    ['a file ending in a mark keeps it', ['a: 1\n', 'b: 2\uFEFF'], 'a: 1\n---\nb: 2\uFEFF'],
    ['a line break at the start is not at the end', ['\na: 1', 'b: 2\n'], '\na: 1\n---\nb: 2\n'],
    ['no files', [], ''],
  ])('%s', (_, texts, expected) => {
    expect(joinStreams(texts)).toBe(expected);
  });
});
