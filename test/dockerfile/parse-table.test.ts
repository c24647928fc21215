import { parseDockerfile, splitLines } from '../../src/dockerfile/parse';

/**
 * What the Dockerfile reader gives the patch and the runtime detection, stated
 * per construct: physical lines with exact offsets, the line ending and escape in
 * use, stages (index, name as Docker compares it, image), and per instruction its
 * keyword, line span, arguments, exec-form strings and COPY --from.
 */
describe('splitLines', () => {
  test.each([
    ['', []],
    ['a', [{ text: 'a', eol: '', start: 0 }]],
    [
      'ab\ncd\n',
      [
        { text: 'ab', eol: '\n', start: 0 },
        { text: 'cd', eol: '\n', start: 3 },
      ],
    ],
    [
      'ab\r\ncd',
      [
        { text: 'ab', eol: '\r\n', start: 0 },
        { text: 'cd', eol: '', start: 4 },
      ],
    ],
    [
      'a\rb\n\r\nc',
      [
        { text: 'a', eol: '\r', start: 0 },
        { text: 'b', eol: '\n', start: 2 },
        { text: '', eol: '\r\n', start: 4 },
        { text: 'c', eol: '', start: 6 },
      ],
    ],
  ])('%j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });
});

describe('parseDockerfile: the file', () => {
  test.each([
    ['FROM a\r\nRUN b\n', '\r\n'],
    ['FROM a\rRUN b\r\n', '\r'],
    ['FROM a\nRUN b\r\n', '\n'],
    ['FROM a', '\n'],
    ['', '\n'],
  ])('%j: lines end with %j', (text, eol) => {
    expect(parseDockerfile(text).eol).toBe(eol);
  });

  test('the escape character: a parser directive, else a backslash', () => {
    expect(parseDockerfile('# escape=`\nFROM a\n').escape).toBe('`');
    expect(parseDockerfile('FROM a\n').escape).toBe('\\');
  });

  test('stages: index, image, the AS name lower-cased, instructions up to the next FROM', () => {
    const parsed = parseDockerfile(
      'ARG V=1\nFROM --platform=linux/amd64 Base:1 AS Build\nRUN make\nfrom build as Final\nCOPY --from=Build /out /\nFROM scratch\n',
    );
    expect(parsed.instructions.map((i) => i.keyword)).toEqual([
      'ARG',
      'FROM',
      'RUN',
      'FROM',
      'COPY',
      'FROM',
    ]);
    expect(
      parsed.stages.map((s) => ({
        index: s.index,
        name: s.name,
        image: s.image,
        from: s.from.startLine,
        instructions: s.instructions.map((i) => i.keyword),
      })),
    ).toEqual([
      { index: 0, name: 'build', image: 'Base:1', from: 1, instructions: ['RUN'] },
      { index: 1, name: 'final', image: 'build', from: 3, instructions: ['COPY'] },
      { index: 2, name: undefined, image: 'scratch', from: 5, instructions: [] },
    ]);
  });

  test.each([
    ['FROM a AS\n', undefined],
    ['FROM a BS b\n', undefined],
    ['FROM a as B\n', 'b'],
  ])('%j: stage name %j', (text, name) => {
    expect(parseDockerfile(text).stages[0].name).toBe(name);
  });

  test('a FROM with no image: the image is empty', () => {
    expect(parseDockerfile('FROM\n').stages[0].image).toBe('');
  });

  test('instructions before the first FROM belong to no stage', () => {
    const parsed = parseDockerfile('ARG A\nARG B\n');
    expect(parsed.stages).toEqual([]);
    expect(parsed.instructions.map((i) => i.keyword)).toEqual(['ARG', 'ARG']);
  });
});

describe('parseDockerfile: one instruction', () => {
  const only = (text: string, n = 1) => parseDockerfile(text).instructions[n];

  test('keyword upper-cased; physical span, continuations included; arguments as Docker splits them', () => {
    const run = only('FROM a\nrun apt-get update && \\\n  apt-get install x\nCMD y\n');
    expect(run.keyword).toBe('RUN');
    expect(run.startLine).toBe(1);
    expect(run.endLine).toBe(2);
    expect(run.args).toEqual(['apt-get', 'update', '&&', 'apt-get', 'install', 'x']);
    expect(run.argumentsText).toBe('apt-get update &&   apt-get install x');
    expect(run.json).toBeUndefined();
    expect(run.copyFrom).toBeUndefined();
  });

  test('an instruction with no arguments: empty text, no arguments', () => {
    const run = only('FROM a\nRUN\n');
    expect(run.argumentsText).toBe('');
    expect(run.args).toEqual([]);
  });

  test.each([
    ['ENTRYPOINT ["/.v2k.go", "start"]', ['/.v2k.go', 'start']],
    ['CMD [ "a" ]', ['a']],
    ['SHELL ["/bin/bash", "-c"]', ['/bin/bash', '-c']],
    ['ENTRYPOINT []', []],
    ['ENTRYPOINT  [ ]', []],
    ['ENTRYPOINT /.v2k.go', undefined],
    ['CMD echo [x]', undefined],
    ['RUN ["a"]', undefined],
    ['COPY ["a", "b"]', undefined],
  ])('%s: exec-form strings %j', (line, json) => {
    expect(only(`FROM a\n${line}\n`).json).toEqual(json);
  });

  test.each([
    ['COPY --from=rt / /', 'rt'],
    ['COPY --from=rt --chown=0:0 / /', 'rt'],
    ['COPY --link --chown=1 --from=2 /a /b', '2'],
    ['COPY --chown=1 a b', undefined],
    ['COPY --from a b', undefined],
    ['COPY --from= a b', undefined],
    ['ADD --chown=1 a b', undefined],
    ['COPY a b', undefined],
  ])('%s: copies from %j', (line, from) => {
    expect(only(`FROM a\n${line}\n`).copyFrom).toBe(from);
  });
});
