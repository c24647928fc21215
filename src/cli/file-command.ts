import { join } from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { printable, UsageError } from '../errors';
import { commitFiles } from '../io/commit';
import { findInputs, readFound, readText } from '../io/files';
import { lockInputDirectories, settleInputDirectories } from '../io/commit-lock';
import { folderDockerfiles } from './folder-artifacts';
import { formatResult } from '../krm/results';
import type { Result } from '../krm/results';
import { joinStreams, parseConfigText, transformFiles } from '../pipeline/file-mode';
import type { ChangeSummary, RenderedFile } from '../pipeline/file-mode';
import type { KrmFunction } from '../pipeline/functions';
import type { CommandSpec } from './command';
import type { Io } from './io';

const EXAMPLES: Record<string, string[]> = {
  hydrate: ['retarget hydrate -c retarget.yaml deployment_spec.yaml > hydrated.yaml'],
  'set-image-pull-secrets': [
    'retarget set-image-pull-secrets -c pull-secrets.yaml deployment_spec.yaml --in-place',
  ],
  'set-fs-group': ['retarget set-fs-group -c fs-group.yaml ./workloads -o ./out'],
  'link-kubernetes-info-secrets': [
    'retarget link-kubernetes-info-secrets -c link.yaml deployment_spec.yaml --diff',
  ],
  'set-aws-workload-identity': [
    'retarget set-aws-workload-identity -c aws.yaml deployment_spec.yaml > out.yaml',
  ],
  'set-gcp-workload-identity': [
    'retarget set-gcp-workload-identity -c gke-identity.yaml deployment_spec.yaml > out.yaml',
  ],
};

/** `retarget FUNCTION -c CONFIG [PATH ...]`: a function over files, for every function. */
export function fileCommand(fn: KrmFunction): CommandSpec {
  return {
    invocation: `retarget ${fn.name}`,
    summary: fn.description,
    synopsis: `retarget ${fn.name} -c CONFIG [PATH ...] [-o DIR | --in-place | --diff] [--quiet]`,
    description: `Runs ${fn.name} over YAML files. PATH is a file or a directory (its *.yaml and *.yml
files); - or none reads stdin. The result goes to stdout unless -o, --in-place or --diff
is given; on any error nothing is written (exit 1). Messages and a one-line summary
(resources changed, created, left alone) go to stderr.
CONFIG is a ${fn.kind} config (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap.`,
    options: {
      config: { type: 'string', short: 'c', value: 'CONFIG', help: `the ${fn.kind} config` },
      output: {
        type: 'string',
        short: 'o',
        value: 'DIR',
        help: 'write every result under DIR (paths relative to the given directories)',
      },
      'in-place': { type: 'boolean', help: 'rewrite the input files that change' },
      diff: {
        type: 'boolean',
        help: 'print a unified diff of what would change, per file; write nothing',
      },
      quiet: { type: 'boolean', short: 'q', help: 'no summary line on stderr' },
      'keep-unknown': {
        type: 'boolean',
        help: 'keep documents that are not Kubernetes objects (not migration artifacts)',
      },
    },
    examples: EXAMPLES[fn.name] ?? [`retarget ${fn.name} -c config.yaml deployment_spec.yaml`],
    run: ({ values, positionals }, io) => {
      const configPath = values.config;
      if (typeof configPath !== 'string') throw new UsageError('-c CONFIG is required');
      // `-o "$OUT"` with OUT unset must not fall back to stdout, nor let --in-place through.
      if (values.output === '') throw new UsageError('option -o/--output needs a value (DIR)');
      const modes = (['output', 'in-place', 'diff'] as const).filter((m) => values[m]);
      if (modes.length > 1) {
        throw new UsageError(`${modes.map(flag).join(' and ')} exclude each other`);
      }
      const config = parseConfigText(readText(configPath, configPath), configPath, fn.kind);
      const output = typeof values.output === 'string' ? values.output : undefined;
      // The -o tree is never input: a second run must not read the first one's output.
      const found = findInputs(positionals, [configPath], output ? [output] : []);
      if (values['in-place'] && found.some((i) => i.path === '-')) {
        throw new UsageError('--in-place needs file or directory paths, not stdin');
      }
      const notice = (message: string) => io.stderr(`notice: ${printable(message)}\n`);
      // --in-place locks the inputs' directories before reading them (and finishes or undoes
      // an interrupted run there first), so a concurrent run cannot interleave.
      const lock = values['in-place'] ? lockInputDirectories(found, notice) : undefined;
      if (!lock) settleInputDirectories(found, notice);
      let summary: ChangeSummary;
      try {
        const inputs = readFound(found, (limit, total) => io.readStdin(limit, total));
        const outcome = transformFiles(fn, config, configPath, inputs, {
          keepUnknown: values['keep-unknown'] === true,
          folders: folderDockerfiles(inputs),
        });
        reportResults(outcome.results, io);
        if (!outcome.ok) return 1;
        summary = outcome.summary;
        // Every file is rendered before any is written, and all are written as one change.
        if (output) {
          commitFiles(
            outcome.files.map((f) => ({ path: join(output, f.input.outputName), text: f.text })),
            { outputRoot: output, notice },
          );
        } else if (values['in-place']) {
          commitFiles(
            outcome.files
              .filter((f) => f.changed)
              .map((f) => ({ path: f.input.path, text: f.text })),
            { lock, writeThroughWithin: positionals, notice },
          );
        } else if (values.diff) {
          io.stdout(outcome.files.map(unifiedDiff).join(''));
        } else {
          io.stdout(joinStreams(outcome.files.map((f) => f.text)));
        }
      } finally {
        lock?.release();
      }
      if (!values.quiet) io.stderr(`${summaryLine(summary, Boolean(values.diff))}\n`);
      return 0;
    },
  };
}

function flag(mode: 'output' | 'in-place' | 'diff'): string {
  return mode === 'output' ? '-o' : `--${mode}`;
}

/** What `diff -u` would print between the file and what the run makes of it ('' if equal). */
export function unifiedDiff(file: RenderedFile): string {
  if (!file.changed) return '';
  const name = file.input.path === '-' ? '<stdin>' : file.input.path;
  // diff 9 writes `--- a/NAME` with no tab when the header is empty, and ends the patch
  // with a newline, after a `\ No newline at end of file` line too: as diff(1) prints it.
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, file.input.text, file.text, '', '', {
    headerOptions: FILE_HEADERS_ONLY,
  });
}

/** `retarget: 2 resources changed, 1 created, 3 left alone`. */
export function summaryLine(summary: ChangeSummary, dryRun: boolean): string {
  const total = summary.changed + summary.created + summary.unchanged;
  const verb = dryRun ? 'would be ' : '';
  return `retarget: ${total} ${total === 1 ? 'resource' : 'resources'}: ${summary.changed} ${verb}changed, ${summary.created} ${verb}created, ${summary.unchanged} left alone`;
}

export function reportResults(results: readonly Result[], io: Io): void {
  for (const result of results) io.stderr(`${formatResult(result)}\n`);
}
