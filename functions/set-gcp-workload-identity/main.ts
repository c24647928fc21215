import { krmMain } from '../../src/cli/main';
import { findFunction } from '../../src/pipeline/functions';

process.exitCode = krmMain(findFunction('set-gcp-workload-identity')!, process.argv.slice(2));
