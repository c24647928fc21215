import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../support/run';
import { runInProcess, spawnBin } from '../support/run-bin';

/**
 * The mutation runs run the command-line suites in process (test/support/run.ts,
 * RETARGET_TEST_CLI=in-process): that is only honest if a command line gives there what
 * the bundled executable gives. Both ways, byte for byte: status, stdout, stderr.
 */
const QUICKSTART = 'examples/quickstart';
const CONFIG = join(QUICKSTART, 'retarget.yaml');
const SPEC = join(QUICKSTART, 'deployment_spec.yaml');
const spec = readFileSync(join(REPO, SPEC), 'utf8');

function krmList(config: string): string {
  const items = spec
    .split(/^---\n/m)
    .filter((d) => d.trim() !== '')
    .map((d) => `- ${d.trimEnd().replace(/\n/g, '\n  ')}`)
    .join('\n');
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}\nfunctionConfig:\n  ${config.trimEnd().replace(/\n/g, '\n  ')}\n`;
}

const FS_GROUP = `apiVersion: fn.retarget.dev/v1alpha1\nkind: SetFsGroup\nmetadata:\n  name: f\nfsGroup: 2000\n`;

const cases: [string, string, string[], string | undefined][] = (
  [
    ['help', 'retarget', ['--help']],
    ['no command', 'retarget', []],
    ['a misspelt command', 'retarget', ['hydrat']],
    ['a misspelt option', 'retarget', ['hydrate', '-c', CONFIG, '--in-plac', SPEC]],
    ['hydrate of the quickstart', 'retarget', ['hydrate', '-c', CONFIG, SPEC]],
    ['hydrate --diff', 'retarget', ['hydrate', '-c', CONFIG, '--diff', SPEC]],
    ['hydrate reading stdin', 'retarget', ['hydrate', '-c', CONFIG, '-'], spec],
    ['hydrate, stdin not YAML', 'retarget', ['hydrate', '-c', CONFIG], 'kind: [\n'],
    ['a missing input file', 'retarget', ['set-fs-group', '-c', CONFIG, 'missing.yaml']],
    ['preflight, table', 'retarget', ['preflight', '-c', CONFIG, SPEC]],
    [
      'preflight, json, from stdin',
      'retarget',
      ['preflight', '-c', CONFIG, '--format', 'json', '-'],
      spec,
    ],
    ['a function executable in KRM mode', 'retarget-set-fs-group', [], krmList(FS_GROUP)],
    ['retarget run in KRM mode', 'retarget', ['run', 'set-fs-group'], krmList(FS_GROUP)],
    ['KRM mode, input not a ResourceList', 'retarget-set-fs-group', [], 'kind: Pod\n'],
    ['dockerfile from stdin', 'retarget', ['dockerfile', '-c', CONFIG, '-'], 'FROM scratch\n'],
  ] as [string, string, string[], string?][]
)
  // test.each passes a shorter row's missing cells as jest's done callback: pad them.
  .map(([name, bin, args, input]) => [name, bin, args, input]);

describe('a command line in process gives what the executable gives', () => {
  test.each(cases)('%s', (_name, bin, args, input) => {
    const spawned = spawnBin(bin, args, input);
    expect(runInProcess(bin, args, input)).toEqual(spawned);
    expect(spawned.status).not.toBeNull();
  });

  test('writes: -o into a directory, relative to the working directory given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retarget-in-process-'));
    writeFileSync(join(dir, 'spec.yaml'), spec);
    writeFileSync(join(dir, 'c.yaml'), FS_GROUP);
    const args = ['set-fs-group', '-c', 'c.yaml', 'spec.yaml', '-o', 'out'];
    const spawned = spawnBin('retarget', args, undefined, dir);
    const first = readFileSync(join(dir, 'out/spec.yaml'), 'utf8');
    const second = mkdtempSync(join(tmpdir(), 'retarget-in-process-'));
    writeFileSync(join(second, 'spec.yaml'), spec);
    writeFileSync(join(second, 'c.yaml'), FS_GROUP);
    expect(runInProcess('retarget', args, undefined, second)).toEqual(spawned);
    expect(readFileSync(join(second, 'out/spec.yaml'), 'utf8')).toBe(first);
    expect(first).toContain('fsGroup: 2000');
    expect(process.cwd()).toBe(REPO);
  });
});
