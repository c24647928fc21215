import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config/load';
import type { RetargetConfig } from '../config/types';
import { dockerfileOptions } from '../dockerfile/options';
import { patchDockerfile } from '../dockerfile/patch';
import { printable, UsageError } from '../errors';
import { readText } from '../io/files';
import { commitFiles } from '../io/commit';
import { lockInputDirectories } from '../io/commit-lock';
import { formatResult } from '../krm/results';
import { planFileEvidence, specFileEvidence } from '../runtime/artifacts';
import type { RuntimeEvidence } from '../runtime/evidence';
import type { Result } from '../krm/results';
import { parseConfigText } from '../pipeline/file-mode';
import type { CommandSpec } from './command';

/** The generators' names for the spec and the plan beside the Dockerfile. */
const SPEC_BESIDE = 'deployment_spec.yaml';
const PLAN_BESIDE = 'migration.yaml';

/** `retarget dockerfile`: the CLI shell around the pure patchDockerfile. */
export const command: CommandSpec = {
  invocation: 'retarget dockerfile',
  summary: 'add the build-time steps (init env, token group) to a Dockerfile',
  synopsis:
    'retarget dockerfile -c CONFIG [--spec FILE] [--plan FILE] [DOCKERFILE | -] [--in-place]',
  description: `Puts one marked block (# >>> retarget ... # <<< retarget) into the final build stage,
before its ENTRYPOINT or CMD, with what awsWorkloadIdentity.initSystem needs at build
time, and the token group (gid = fsGroup) for awsWorkloadIdentity.serviceUsers.
CONFIG is the Retarget config (or a ConfigMap of it). Running it again replaces the block.
The patched Dockerfile goes to stdout; --in-place rewrites DOCKERFILE. - or none reads stdin.

The runtime (legacy, service-manager or plain) decides the token path and what the block
holds. It comes from the config's runtime when set, else from the deployment spec, the
migration plan (v2kServiceManager) and the Dockerfile itself, strongest first; an info says
which decided, and artifacts that contradict each other are an error (exit 1).
A service-manager image gets no init-system edits (that runtime passes the container env to
its services); legacy SysV/Upstart images get an init script or job that recreates the
/var/run/secrets link at boot.`,
  options: {
    config: { type: 'string', short: 'c', value: 'CONFIG', help: 'the Retarget config' },
    spec: {
      type: 'string',
      value: 'FILE',
      help: 'the deployment spec (default: deployment_spec.yaml beside DOCKERFILE; none: read none)',
    },
    plan: {
      type: 'string',
      value: 'FILE',
      help: 'the migration plan (default: migration.yaml beside DOCKERFILE; none: read none)',
    },
    'in-place': { type: 'boolean', help: 'rewrite DOCKERFILE (atomically) instead of printing' },
  },
  positionals: { max: 1, what: 'Dockerfile at a time' },
  examples: ['retarget dockerfile -c retarget.yaml Dockerfile > Dockerfile.patched'],
  run: ({ values: raw, positionals }, io) => {
    const values = {
      config: str(raw.config),
      spec: str(raw.spec),
      plan: str(raw.plan),
      'in-place': raw['in-place'] === true,
    };
    if (!values.config) throw new UsageError('-c CONFIG is required');
    const input = positionals[0] ?? '-';
    if (values['in-place'] && input === '-') {
      throw new UsageError('--in-place needs a Dockerfile path, not stdin');
    }
    const configPath = values.config;
    const value = parseConfigText(readText(configPath, configPath), configPath, 'Retarget');
    const config = loadConfig<RetargetConfig>('Retarget', value, { path: configPath });
    const options = dockerfileOptions(config, { path: configPath });
    const beside = (name: string) => {
      const path = input === '-' ? undefined : join(dirname(input), name);
      return path && existsSync(path) ? path : undefined;
    };
    const evidence: RuntimeEvidence[] = [];
    const spec = artifactPath(values.spec, beside(SPEC_BESIDE));
    if (spec) evidence.push(...specFileEvidence(readText(spec, spec), spec));
    const plan = artifactPath(values.plan, beside(PLAN_BESIDE));
    if (plan) evidence.push(...planFileEvidence(readText(plan, plan), plan));
    options.evidence = evidence;
    const report = (result: Result) => io.stderr(`${formatResult(result)}\n`);
    if (!values['in-place']) {
      const text = input === '-' ? io.readStdin() : readText(input, input);
      io.stdout(patchDockerfile(text, options, input === '-' ? '<stdin>' : input, report));
      return 0;
    }
    // As YAML --in-place (src/io/commit.ts): locked before it is read, a random temporary
    // name created exclusively, mode and owner kept, a symlink written where it points.
    const notice = (message: string) => io.stderr(`notice: ${printable(message)}\n`);
    const lock = lockInputDirectories([{ path: input }], notice);
    try {
      const text = readText(input, input);
      const patched = patchDockerfile(text, options, input, report);
      if (patched !== text)
        commitFiles([{ path: input, text: patched }], {
          lock,
          writeThroughWithin: [input],
          notice,
        });
    } finally {
      lock.release();
    }
    return 0;
  },
};

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The file given, else the one beside the Dockerfile; `none` reads neither. */
function artifactPath(given: string | undefined, beside: string | undefined): string | undefined {
  if (given === 'none') return undefined;
  return given ?? beside;
}
