import { krmMain } from '../../src/cli/main';
import { findFunction } from '../../src/pipeline/functions';

process.exitCode = krmMain(findFunction('link-kubernetes-info-secrets')!, process.argv.slice(2));
