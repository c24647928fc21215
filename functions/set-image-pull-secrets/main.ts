import { krmMain } from '../../src/cli/main';
import { findFunction } from '../../src/pipeline/functions';

process.exitCode = krmMain(findFunction('set-image-pull-secrets')!, process.argv.slice(2));
