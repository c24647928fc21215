/**
 * The repository is a kpt package. `kpt fn render --allow-exec` at its root runs the
 * Kptfile pipeline (retarget-hydrate over sample/) and must see only the package's own
 * YAML: testdata/, examples/, node_modules/ and the rest are YAML-rich and .krmignore
 * keeps them out. sample/ is committed rendered, so rendering changes nothing.
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  describeWith,
  DIST,
  gitDiffSince,
  gitSnapshot,
  REPO,
  repoFiles,
  run,
  tempDir,
} from './support';

/** Every directory holding a Kptfile is a subpackage that `kpt fn render` renders too. */
function kptfilesUnder(dir: string, base = dir): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...kptfilesUnder(path, base));
    else if (entry.name === 'Kptfile') found.push(path.slice(base.length + 1));
  }
  return found;
}

describeWith(['kpt', 'git'])('the repository root as a kpt package', () => {
  test('no other Kptfile in the repository or node_modules: kpt would render it as a subpackage', () => {
    expect(repoFiles().filter((path) => path.split('/').pop() === 'Kptfile')).toEqual(['Kptfile']);
    expect(kptfilesUnder(join(REPO, 'node_modules'))).toEqual([]);
  });

  test('kpt fn render --allow-exec at the root changes nothing, twice, and reads only the package', () => {
    const root = join(tempDir('root-package'), 'retarget');
    for (const path of repoFiles()) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      copyFileSync(join(REPO, path), join(root, path));
    }
    symlinkSync(DIST, join(root, 'dist'));
    // Decoys: a broken YAML file and a workload where a clone has node_modules.
    mkdirSync(join(root, 'node_modules', 'decoy'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'decoy', 'broken.yaml'), 'kind: [\n');
    writeFileSync(
      join(root, 'node_modules', 'decoy', 'deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: decoy\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: gcr.io/p/a:1\n',
    );
    const initial = gitSnapshot(root);
    for (const round of [1, 2]) {
      const kpt = run('kpt', ['fn', 'render', '--allow-exec'], { cwd: root });
      const output = `round ${round}\n${kpt.stdout}${kpt.stderr}`;
      expect({ exit: kpt.status, output }).toEqual({ exit: 0, output });
      expect(output).toContain('Successfully executed 1 function(s) in 1 package(s)');
      expect(gitDiffSince(root, initial)).toBe('');
    }
  });

  test('sample/ is hydrated, and the CLI leaves the kpt-written file byte for byte', () => {
    const spec = readFileSync(join(REPO, 'sample', 'deployment_spec.yaml'), 'utf8');
    const kinds = parseAllDocuments(spec).map((d) => d.get('kind'));
    expect(kinds).toEqual(['Deployment', 'Service', 'ConfigMap', 'ConfigMap', 'ServiceAccount']);
    expect(spec).toContain('fsGroup: 2000');
    expect(spec).toContain('# Headless Service specification -');
    const cli = run(
      process.execPath,
      [
        join(DIST, 'retarget.js'),
        'hydrate',
        '-c',
        'sample/retarget.yaml',
        'sample/deployment_spec.yaml',
      ],
      { cwd: REPO },
    );
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe(spec);
  });
});
