/**
 * The example packages under examples/<function>-<case>/, in the kpt functions catalog
 * layout, run with the real kpt: `kpt fn eval --exec` and `kpt fn render --allow-exec`,
 * twice each. The `git diff` of the package must equal .expected/diff.patch and kpt's
 * results file .expected/results.yaml; the second run must change nothing.
 * A new case is a new folder. KPT_E2E_UPDATE_EXPECTED=true rewrites the expected files
 * (as kpt's own runner does); review them before committing.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { describeWith, gitDiffSince, gitSnapshot, REPO, run, tempDir } from './support';

const EXAMPLES = join(REPO, 'examples');
const UPDATE = process.env.KPT_E2E_UPDATE_EXPECTED === 'true';

/** .expected/config.yaml: the fields of kpt's e2e runner that these cases use. */
interface CaseConfig {
  execPath: string;
  fnConfig?: string;
  args?: Record<string, string>;
  exitCode?: number;
}

const cases = readdirSync(EXAMPLES)
  .filter((name) => existsSync(join(EXAMPLES, name, '.expected', 'config.yaml')))
  .sort();

function readExpected(dir: string, file: string): string {
  const path = join(dir, '.expected', file);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

function writeExpected(dir: string, file: string, text: string): void {
  if (text.trim()) writeFileSync(join(dir, '.expected', file), `${text.trim()}\n`);
}

/** The Kptfile `kpt fn render` needs: one mutator, the same function and config as eval. */
function kptfile(name: string, exec: string, config: CaseConfig): string {
  const mutator: Record<string, unknown> = { exec };
  if (config.fnConfig) mutator.configPath = config.fnConfig;
  if (config.args) mutator.configMap = config.args;
  return stringify({
    apiVersion: 'kpt.dev/v1',
    kind: 'Kptfile',
    metadata: { name, annotations: { 'config.kubernetes.io/local-config': 'true' } },
    pipeline: { mutators: [mutator] },
  });
}

describeWith(['kpt', 'git'])('example packages with the real kpt', () => {
  test('there are example cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(cases)('%s', (name) => {
    const dir = join(EXAMPLES, name);
    const config = parse(readFileSync(join(dir, '.expected', 'config.yaml'), 'utf8')) as CaseConfig;
    const exitCode = config.exitCode ?? 0;
    // kpt resolves an exec path against its working directory: kpt runs in the repository
    // root and gets the path relative to it, so results name it the same on every machine.
    const exec = relative(REPO, resolve(dir, config.execPath));

    test.each(['eval', 'render'] as const)('kpt fn %s, twice', (mode) => {
      expect(existsSync(join(REPO, exec))).toBe(true);
      const pkg = join(tempDir(`example-${mode}`), name);
      cpSync(dir, pkg, { recursive: true });
      // Written before the first commit, so it is not part of the diff. The examples have
      // no Kptfile of their own: in the repository they would be subpackages of the root
      // package, which `kpt fn render` at the root would render.
      if (mode === 'render') writeFileSync(join(pkg, 'Kptfile'), kptfile(name, exec, config));
      const initial = gitSnapshot(pkg);
      let afterFirst = '';
      for (const round of [1, 2]) {
        const results = join(pkg, '..', `results-${round}`);
        const args =
          mode === 'eval'
            ? ['fn', 'eval', pkg, '--exec', exec, '--results-dir', results]
            : ['fn', 'render', pkg, '--allow-exec', '--results-dir', results];
        if (mode === 'eval' && config.fnConfig)
          args.push('--fn-config', join(pkg, config.fnConfig));
        if (mode === 'eval' && config.args) {
          args.push('--', ...Object.entries(config.args).map(([k, v]) => `${k}=${v}`));
        }
        const kpt = run('kpt', args, { cwd: REPO });
        const output = `kpt ${args.join(' ')}\n${kpt.stdout}${kpt.stderr}`;
        expect({ exit: kpt.status, output }).toEqual({ exit: exitCode, output });
        const diff = gitDiffSince(pkg, initial).trim();
        const resultsText = readFileSync(join(results, 'results.yaml'), 'utf8').trim();
        if (round === 1) {
          if (UPDATE && mode === 'eval') {
            writeExpected(dir, 'diff.patch', diff);
            writeExpected(dir, 'results.yaml', resultsText);
          }
          expect(resultsText).toBe(readExpected(dir, 'results.yaml'));
          afterFirst = gitSnapshot(pkg);
        } else {
          // The second run changes no byte.
          expect(gitDiffSince(pkg, afterFirst)).toBe('');
        }
        expect(diff).toBe(readExpected(dir, 'diff.patch'));
      }
    });
  });
});
