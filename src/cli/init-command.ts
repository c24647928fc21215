import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceError } from '../errors';
import { findFiles, readInputs } from '../io/files';
import { commitFiles } from '../io/commit';
import { renderInitConfig } from '../init/render';
import { describeDockerfile, scanArtifacts } from '../init/scan';
import type { CommandSpec, OptionValues } from './command';
import type { Io } from './io';
import { dockerfileEvidenceOf, dockerfileFolders } from './folder-artifacts';

/** `retarget init`: the I/O around scanArtifacts and renderInitConfig. */
export const command: CommandSpec = {
  invocation: 'retarget init',
  summary: "write a commented retarget.yaml from a migration's artifact folder",
  synopsis: 'retarget init [DIR] [-o FILE] [--force]',
  description: `Reads the artifacts a migration left in DIR (default: the current directory):
deployment_spec.yaml, Dockerfile, the migration plan (migration.yaml), services-config.yaml,
skaffold.yaml, ... and writes DIR/retarget.yaml, a Retarget config with what they reveal
filled in (the runtime and its evidence, each image's registry and project, the data volumes,
the ServiceAccount the identity stage will use) and what they cannot reveal left as TODO
comments. It is annotated config.kubernetes.io/local-config, so hydrating DIR never emits it.
Fill the role ARN (and the TODOs that apply), then:
  retarget hydrate -c DIR/retarget.yaml DIR -o hydrated/`,
  options: {
    output: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      help: 'write the config to FILE instead of DIR/retarget.yaml (- for stdout)',
    },
    force: { type: 'boolean', help: 'overwrite an existing file' },
  },
  positionals: { max: 1, what: 'artifact folder at a time' },
  examples: ['retarget init ./migration-artifacts'],
  run: ({ values, positionals }, io) => initRun(values, positionals, io),
};

function initRun(values: OptionValues, positionals: string[], io: Io): number {
  const dir = positionals[0] ?? '.';
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new SourceError('no such directory', { path: dir });
  }
  if (!stat.isDirectory())
    throw new SourceError('is not a directory: give the artifact folder', { path: dir });
  const output = typeof values.output === 'string' ? values.output : join(dir, 'retarget.yaml');
  // The file init writes is no artifact (an earlier run's, overwritten with --force); `-`
  // (stdout) names no *.yaml file, so excluding it excludes nothing.
  const inputs = readInputs([dir], [output]);
  const found = findFiles(dir, (n) => n === 'Dockerfile').map((path) => ({
    path,
    evidence: dockerfileEvidenceOf(path),
  }));
  const scan = scanArtifacts(
    dir,
    inputs,
    dockerfileFolders(found),
    found.map((f) => ({ path: f.path, what: describeDockerfile(f.evidence) })),
  );
  if (!scan.workloads.length) {
    throw new SourceError(
      'no workload (Deployment, StatefulSet, ...) in the folder: is it the migration artifact folder with deployment_spec.yaml?',
      { path: dir },
    );
  }
  const text = renderInitConfig(scan, dir, output === '-' ? undefined : output);
  if (output === '-') {
    io.stdout(text);
    return 0;
  }
  // Through the commit (docs/file-safety.md): random exclusive temporary name, mode kept.
  if (values.force) commitFiles([{ path: output, text }], { writeThroughWithin: [output] });
  else writeNew(output, text);
  const todos = text.split('\n').filter((l) => /TODO/.test(l)).length;
  io.stderr(
    `info: wrote ${output}: ${scan.workloads.length} workload(s), runtime ${[...new Set(scan.runtimes.map((r) => r.kind ?? 'undecided'))].join(', ')}; ${todos} TODO line(s) to review, then fill ${/^awsWorkloadIdentity:/m.test(text) ? 'awsWorkloadIdentity.roleArn' : 'the identity section'}\n`,
  );
  return 0;
}

/**
 * Creates the file, never overwriting one (without --force): O_CREAT|O_EXCL, so an existing
 * name, a symlink included (even one pointing nowhere), is refused and never followed.
 */
function writeNew(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(
      code === 'EEXIST'
        ? 'already exists: not overwritten (use --force, or -o FILE to write elsewhere)'
        : `cannot write (${code ?? 'error'})`,
      { path },
    );
  }
}
