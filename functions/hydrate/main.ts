import { krmMain } from '../../src/cli/main';
import { findFunction } from '../../src/pipeline/functions';

process.exitCode = krmMain(findFunction('hydrate')!, process.argv.slice(2));
