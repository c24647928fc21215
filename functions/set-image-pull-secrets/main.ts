import { krmMain } from '../../src/cli/krm-main';
import { findFunction } from '../../src/pipeline/functions';

process.exitCode = krmMain(findFunction('set-image-pull-secrets')!, process.argv.slice(2));
