import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load';
import type { RetargetConfig } from '../config/types';
import { dockerfileOptions } from '../dockerfile/options';
import { patchDockerfile } from '../dockerfile/patch';
import { UsageError } from '../errors';
import { readText, writeFileAtomic } from '../io/files';
import { parseConfigText } from '../pipeline/file-mode';
import type { Command } from './commands';

const SYNOPSIS = 'retarget dockerfile -c CONFIG [DOCKERFILE | -] [--in-place]';
export const DOCKERFILE_USAGE = `${SYNOPSIS}\n${' '.repeat(40)}add the build-time steps (init env, token group) to a Dockerfile`;

const HELP = `Usage: ${SYNOPSIS}

Puts one marked block (# >>> retarget ... # <<< retarget) into the final build stage,
before its ENTRYPOINT or CMD, with what awsWorkloadIdentity.initSystem needs at build
time, and the token group (gid = fsGroup) for awsWorkloadIdentity.serviceUsers.
CONFIG is the Retarget config (or a ConfigMap of it). Running it again replaces the block.
The patched Dockerfile goes to stdout; --in-place rewrites DOCKERFILE. - or none reads stdin.
`;

/** `retarget dockerfile`: the CLI shell around the pure patchDockerfile. */
export const dockerfileCommand: Command = (argv, io) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', short: 'c' },
      'in-place': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (!values.config) throw new UsageError('dockerfile: -c CONFIG is required');
  if (positionals.length > 1) {
    throw new UsageError(`dockerfile: one Dockerfile at a time, got ${positionals.length}`);
  }
  const input = positionals[0] ?? '-';
  if (values['in-place'] && input === '-') {
    throw new UsageError('dockerfile: --in-place needs a Dockerfile path, not stdin');
  }
  const configPath = values.config;
  const value = parseConfigText(readText(configPath, configPath), configPath, 'Retarget');
  const config = loadConfig<RetargetConfig>('Retarget', value, { path: configPath });
  const options = dockerfileOptions(config, { path: configPath });
  const text = input === '-' ? io.readStdin() : readText(input, input);
  const patched = patchDockerfile(text, options, input === '-' ? '<stdin>' : input);
  if (!values['in-place']) io.stdout(patched);
  else if (patched !== text) writeFileAtomic(input, patched);
  return 0;
};
