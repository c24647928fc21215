#!/usr/bin/env node
// Finds the mutants of one source file that the given test files do not kill, in one jest
// process: Stryker's instrumenter writes every mutant into the file (switched at run time),
// and a temporary test file runs the chosen tests' cases once per mutant. Far cheaper than a
// Stryker run (no sandbox, no process per test file), and a lower bound of what the whole
// suite kills. Limits (docs/testing.md): module-level mutants show as survivors unless
// --fresh reloads the tests per mutant; tests spawning processes do not see the mutant.
//
//   node scripts/find-survivors.mjs src/x.ts test/unit/a.test.ts [more tests] [--out F] [--fresh] [--ids 3,7]
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const fresh = args.includes('--fresh');
if (fresh) args.splice(args.indexOf('--fresh'), 1);
const ids = flag('--ids');
const work = mkdtempSync(join(tmpdir(), 'find-survivors-'));
const out = resolve(flag('--out') ?? join(work, 'result.txt'));
const [source, ...tests] = args;
if (!source || !tests.length || !existsSync(join(root, source))) {
  console.error(
    'usage: node scripts/find-survivors.mjs src/x.ts test/a.test.ts [...] [--out F] [--fresh] [--ids 3,7]',
  );
  process.exit(2);
}

const require = createRequire(join(root, 'package.json'));
const { Instrumenter } = await import(require.resolve('@stryker-mutator/instrumenter'));
const quiet = {
  debug() {},
  info() {},
  warn() {},
  isDebugEnabled: () => false,
  isTraceEnabled: () => false,
};
const sourcePath = join(root, source);
const original = readFileSync(sourcePath, 'utf8');
const { files, mutants } = await new Instrumenter(quiet).instrument(
  [{ name: source, mutate: true, content: original }],
  { plugins: null, excludedMutations: [], ignorers: [], noHeader: false },
);
const list = mutants
  .map(
    (m) =>
      `${m.id}\t${m.location.start.line + 1}:${m.location.start.column + 1}\t${m.mutatorName}\t${m.replacement.replace(/\s+/g, ' ').slice(0, 90)}`,
  )
  .join('\n');
writeFileSync(join(work, 'mutants.tsv'), list + '\n');

const harness = join(root, 'test/unit/zz-find-survivors.test.ts');
const restore = () => {
  writeFileSync(sourcePath, original);
  rmSync(harness, { force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => (restore(), process.exit(130)));
try {
  writeFileSync(sourcePath, '// @ts-nocheck\n' + files[0].content);
  copyFileSync(join(root, 'scripts/find-survivors/harness.ts.txt'), harness);
  const run = spawnSync('npx', ['jest', harness, '--coverage=false'], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      H_FILES: tests.map((t) => resolve(root, t)).join(','),
      H_IDS_FILE: join(work, 'mutants.tsv'),
      H_OUT: out,
      ...(fresh ? { H_FRESH: '1' } : {}),
      ...(ids ? { H_IDS: ids } : {}),
    },
  });
  writeFileSync(join(work, 'jest.log'), run.stdout + run.stderr);
  if (!existsSync(out)) {
    console.error(
      `no result (jest log: ${join(work, 'jest.log')})\n${(run.stdout + run.stderr).slice(-3000)}`,
    );
    process.exitCode = 1;
  }
} finally {
  restore();
}
if (existsSync(out)) {
  console.log(`${source}: ${mutants.length} mutants; result ${out}`);
  console.log(readFileSync(out, 'utf8').split('\n').slice(0, 40).join('\n'));
}
