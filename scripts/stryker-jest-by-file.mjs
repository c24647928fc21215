// Stryker test runner `jest-by-file` (stryker.config.json): @stryker-mutator/jest-runner,
// except that a mutant run loads only the test files that hold the tests covering the
// mutant. The jest runner passes the covering tests as a name pattern but picks the files
// with --findRelatedTests on the mutated file, so every test file importing it, however
// indirectly, is loaded and its modules built for each mutant (for a file the YAML layer
// or the config loader imports, nearly the whole suite), only to skip their tests. The
// per-test coverage of the initial run already says in which file each test lives
// (jest reports testFilePath per result); this runner keeps that map and hands jest
// exactly those files. The tests run per mutant are the same; only the files that
// contribute no test are no longer loaded.
//
// The initial run happens in one worker process and the mutants are spread over others,
// so the map is written next to the sandbox's jest config and read by each worker.
// A mutant without a test filter (a static mutant, or coverage analysis off) and a test
// the map does not know fall back to the jest runner's own --findRelatedTests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';
import {
  commonTokens,
  declareFactoryPlugin,
  PluginKind,
  tokens,
} from '@stryker-mutator/api/plugin';

const { filesByTest: mapTests, testFilePatterns } = createRequire(import.meta.url)(
  './stryker-test-files.js',
);
const jestRunnerFactory = jestPlugins.find(
  (plugin) => plugin.kind === PluginKind.TestRunner && plugin.name === 'jest',
).factory;

/** Where the map of test id → test file lives; the workers' cwd is the sandbox. */
const mapFile = () => join(process.cwd(), '.stryker-test-files.json');

function byFileRunnerFactory(injector) {
  const runner = jestRunnerFactory(injector);
  let filesByTest;
  let activeFiles;

  const dryRun = runner.dryRun.bind(runner);
  runner.dryRun = async (options) => {
    const result = await dryRun(options);
    if (result.status === 'complete') {
      filesByTest = mapTests(result.tests);
      writeFileSync(mapFile(), JSON.stringify(filesByTest));
    }
    return result;
  };

  const adapter = runner.jestTestAdapter;
  const adapterRun = adapter.run.bind(adapter);
  adapter.run = (settings) =>
    adapterRun(activeFiles === undefined ? settings : { ...settings, testFiles: activeFiles });

  const mutantRun = runner.mutantRun.bind(runner);
  runner.mutantRun = async (options) => {
    activeFiles = filesFor(options.testFilter);
    try {
      return await mutantRun(options);
    } finally {
      activeFiles = undefined;
    }
  };

  function filesFor(testFilter) {
    if (testFilter === undefined || testFilter.length === 0) return undefined;
    filesByTest ??= readMap();
    return filesByTest === undefined ? undefined : testFilePatterns(filesByTest, testFilter);
  }

  return runner;
}
byFileRunnerFactory.inject = tokens(commonTokens.injector);

function readMap() {
  try {
    return JSON.parse(readFileSync(mapFile(), 'utf8'));
  } catch {
    return undefined;
  }
}

export const strykerPlugins = [
  declareFactoryPlugin(PluginKind.TestRunner, 'jest-by-file', byFileRunnerFactory),
];
