import { execFileSync } from 'node:child_process';
import { commandLine, shWord } from '../../src/preflight/command-line';
import { fieldPath } from '../../src/preflight/field-path';

describe('fieldPath: the path a result names', () => {
  test.each([
    [
      ['spec', 'template', 'spec', 'containers', 0, 'image'],
      'spec.template.spec.containers[0].image',
    ],
    [['spec', 'containers', '0', 'env', 12], 'spec.containers[0].env[12]'],
    [['data', '.dockerconfigjson'], 'data[".dockerconfigjson"]'],
    [
      ['metadata', 'annotations', 'config.kubernetes.io/local-config'],
      'metadata.annotations["config.kubernetes.io/local-config"]',
    ],
    [['metadata', 'labels', 'app-name'], 'metadata.labels.app-name'],
    [['metadata', '_private'], 'metadata._private'],
    [['metadata', '1st'], 'metadata["1st"]'],
    [['metadata', '-x'], 'metadata["-x"]'],
    [['a b'], '["a b"]'],
    [['spec'], 'spec'],
    [[0, 'name'], '[0].name'],
    [['data', 'key\n'], 'data["key\\n"]'],
    [['spec', 'containers', '12'], 'spec.containers[12]'],
    [['data', 'key1'], 'data.key1'],
    [['data', '1.5'], 'data["1.5"]'],
    // A number stays a number: a caller marks "any index" with -1 and reads it back as [-1].
    [['list', -1], 'list[-1]'],
    [['data', 'say "hi"'], 'data["say \\"hi\\""]'],
    [[], ''],
  ] as const)('%j -> %s', (segments, path) => {
    expect(fieldPath(segments)).toBe(path);
  });
});

describe('commandLine: a fix command that pastes as exactly its words', () => {
  test.each([
    ['gcloud', 'gcloud'],
    ['gs://artifacts.project-a.appspot.com', 'gs://artifacts.project-a.appspot.com'],
    [
      '--member=serviceAccount:123-compute@developer.gserviceaccount.com',
      '--member=serviceAccount:123-compute@developer.gserviceaccount.com',
    ],
    ['--role=roles/storage.objectViewer', '--role=roles/storage.objectViewer'],
    ['a+b%c,d', 'a+b%c,d'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$(id)', "'$(id)'"],
    ['a;b', "'a;b'"],
    ['a|b', "'a|b'"],
    ['`x`', "'`x`'"],
    ['a\nb', "'a\nb'"],
    ['*', "'*'"],
    ['~root', "'~root'"],
  ])('%j -> %s', (word, quoted) => {
    expect(shWord(word)).toBe(quoted);
  });

  test('the shell reads the line back as the same words', () => {
    const words = ['printf', '%s\\n', 'plain', 'a b', "it's", '$(id)', 'x;y', '', 'a\nb'];
    const line = commandLine(...words);
    expect(line.startsWith("printf '%s\\n' plain 'a b' ")).toBe(true);
    const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(out).toBe(`${words.slice(2).join('\n')}\n`);
  });
});
