import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InputFile } from '../io/files';
import { readText } from '../io/files';
import type { FolderArtifacts } from '../pipeline/artifact-files';

/**
 * The generated Dockerfile in each input folder, as runtime evidence for the workloads
 * read from that folder (so hydrate and `retarget dockerfile` decide alike). Only a
 * Dockerfile built on the Migrate for Anthos runtime counts: any other Dockerfile in a
 * folder says nothing about a migrated workload. dockerfile-ast is loaded only when a
 * folder has one.
 */
export function folderDockerfiles(inputs: readonly InputFile[]): FolderArtifacts[] {
  const dirs = [...new Set(inputs.filter((i) => i.path !== '-').map((i) => dirname(i.path)))];
  const out: FolderArtifacts[] = [];
  for (const dir of dirs) {
    const path = join(dir, 'Dockerfile');
    if (!existsSync(path)) continue;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { parseDockerfile } = require('../dockerfile/parse') as typeof import('../dockerfile/parse');
    const { dockerfileEvidence } = require('../dockerfile/runtime') as typeof import('../dockerfile/runtime');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const evidence = dockerfileEvidence(parseDockerfile(readText(path, path)), path);
    if (evidence instanceof Error || evidence.kind === 'plain') continue;
    out.push({ dir, evidence: [evidence] });
  }
  return out;
}
