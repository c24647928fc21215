import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InputFile } from '../io/files';
import { readText } from '../io/files';
import type { FolderArtifacts } from '../pipeline/artifact-files';
import type { RuntimeEvidence } from '../runtime/evidence';

/**
 * The generated Dockerfile in each input folder, as runtime evidence for the workloads
 * read from that folder (so hydrate and `retarget dockerfile` decide alike). Only a
 * Dockerfile built on the Migrate for Anthos runtime counts: any other Dockerfile in a
 * folder says nothing about a migrated workload. dockerfile-ast is loaded only when a
 * folder has one.
 */
export function folderDockerfiles(inputs: readonly InputFile[]): FolderArtifacts[] {
  const dirs = [...new Set(inputs.filter((i) => i.path !== '-').map((i) => dirname(i.path)))];
  const paths = dirs.map((dir) => join(dir, 'Dockerfile')).filter((p) => existsSync(p));
  return dockerfileFolders(paths.map((path) => ({ path, evidence: dockerfileEvidenceOf(path) })));
}

/** Only runtime-image Dockerfiles with an answer are evidence for their folder. */
export function dockerfileFolders(
  found: readonly { path: string; evidence: RuntimeEvidence | Error }[],
): FolderArtifacts[] {
  return found
    .filter(
      (f): f is { path: string; evidence: RuntimeEvidence } =>
        !(f.evidence instanceof Error) && f.evidence.kind !== 'plain',
    )
    .map((f) => ({ dir: dirname(f.path), evidence: [f.evidence] }));
}

/** What a Dockerfile says about the runtime (an Error when it cannot tell). */
export function dockerfileEvidenceOf(path: string): RuntimeEvidence | Error {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parseDockerfile } =
    require('../dockerfile/parse') as typeof import('../dockerfile/parse');
  const { dockerfileEvidence } =
    require('../dockerfile/runtime') as typeof import('../dockerfile/runtime');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return dockerfileEvidence(parseDockerfile(readText(path, path)), path);
}
