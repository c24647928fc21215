import { closest } from '../closest';
import { loadConfig } from '../config/load';
import type { PreflightConfig, RetargetConfig } from '../config/types';
import { ConfigError, SourceError, UsageError } from '../errors';
import { findInputs, readFound, readText } from '../io/files';
import { StreamResourceSet } from '../io/stream-set';
import { hasErrors } from '../krm/results';
import type { Result } from '../krm/results';
import { parseConfigText } from '../pipeline/file-mode';
import { findFunction } from '../pipeline/functions';
import { configErrorResults } from '../pipeline/run';
import { preflight } from '../preflight/preflight';
import { buildReport, renderReport, REPORT_FORMATS } from '../preflight/report';
import type { ReportFormat } from '../preflight/report';
import { stagesOf } from '../transforms/hydrate';
import { parseDocumentStream } from '../yaml/document-stream';
import type { CommandSpec } from './command';
import { folderDockerfiles } from './folder-artifacts';
import type { Io } from './io';
import { attachFolderEvidence, classifyStream } from '../pipeline/artifact-files';

/** `retarget preflight`: reports findings, changes no file. */
export const command: CommandSpec = {
  invocation: 'retarget preflight',
  summary: 'predict what will fail on the target cluster (exit 1 on an error)',
  synopsis: 'retarget preflight -c CONFIG [PATH ...] [--format table|json|yaml]',
  description: `Checks the given manifests as they are against the target cluster: image pull access
(pull Secrets, node credentials, cross-project GCR / Artifact Registry grants, ECR node
profile), AWS workload identity, Pod Security / GKE Autopilot admission, plaintext
registry credentials and the Kubernetes schema. Each finding has a check id, the
resource, field and line, and the fix.

CONFIG is a Preflight config, or a Retarget config whose target: section describes the
cluster (retarget hydrate runs the same checks after its transforms).
--format table (default) is for people; json and yaml for machines.
Exit 0: no error (warnings may remain); 1: an error finding, a bad config or unreadable
input (reported in the chosen format); 2: a usage mistake.`,
  options: {
    config: {
      type: 'string',
      short: 'c',
      value: 'CONFIG',
      help: 'the Preflight (or Retarget) config',
    },
    format: {
      type: 'string',
      short: 'f',
      value: 'FORMAT',
      default: 'table',
      help: `report format: ${REPORT_FORMATS.join(', ')}`,
    },
  },
  examples: ['retarget preflight -c preflight.yaml deployment_spec.yaml --format json'],
  run: ({ values, positionals }, io) => {
    const configPath = values.config;
    if (typeof configPath !== 'string') throw new UsageError('-c CONFIG is required');
    const format = values.format as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) {
      const guess = closest(String(format), REPORT_FORMATS);
      throw new UsageError(
        `--format must be one of ${REPORT_FORMATS.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
      );
    }
    const { results, added } = run(configPath, positionals, io);
    io.stdout(renderReport(buildReport(results, added), format));
    return hasErrors(results) ? 1 : 0;
  },
};

function run(
  configPath: string,
  paths: readonly string[],
  io: Io,
): { results: Result[]; added: Record<string, unknown>[] } {
  try {
    const config = preflightConfig(configPath);
    // The config file is no input, even in a folder given; there is no output tree to skip.
    const inputs = readFound(findInputs(paths, [configPath]), (limit, total) =>
      io.readStdin(limit, total),
    );
    // Migration artifacts are not for the target cluster: left out (an info each), and the
    // plan and the folder's Dockerfile are runtime evidence, as in hydrate.
    const files = inputs.map((input) => {
      const stream = parseDocumentStream(input.text, input.path);
      return { stream, ...classifyStream(stream, true) };
    });
    const results: Result[] = files.flatMap((f) => f.results);
    if (hasErrors(results)) return { results, added: [] };
    const streams = files.filter((f) => !f.artifact).map((f) => f.stream);
    // Only artifact files hold plans here: one mixed with manifests is an error above.
    const plans = files.flatMap((f) => f.plans.map((value) => ({ path: f.stream.path, value })));
    const set = new StreamResourceSet(streams);
    attachFolderEvidence(set.resources, plans, folderDockerfiles(inputs));
    const before = set.resources.length;
    preflight({ set, results }, config);
    const added = set.resources
      .slice(before)
      .map((r) => r.node.toJSON() as Record<string, unknown>);
    return { results, added };
  } catch (error) {
    if (error instanceof ConfigError) {
      return { results: configErrorResults(error, findFunction('preflight')), added: [] };
    }
    if (error instanceof SourceError) {
      const result: Result = { severity: 'error', message: error.reason };
      if (error.location.path) result.file = { path: error.location.path };
      if (error.location.line !== undefined) result.tags = { line: String(error.location.line) };
      return { results: [result], added: [] };
    }
    throw error;
  }
}

/** A Preflight config, or the target: section of a Retarget config. */
function preflightConfig(configPath: string): PreflightConfig {
  const value = parseConfigText(readText(configPath, configPath), configPath, 'Preflight');
  const location = { path: configPath };
  if ((value as { kind?: unknown } | null)?.kind !== 'Retarget') {
    return loadConfig<PreflightConfig>('Preflight', value, location);
  }
  const stages = stagesOf(loadConfig<RetargetConfig>('Retarget', value, location));
  if (!stages.preflight) {
    throw new ConfigError(
      [{ field: 'target', message: 'is required to run preflight with a Retarget config' }],
      location,
    );
  }
  return stages.preflight;
}
