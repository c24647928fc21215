import { loadConfig } from '../config/load';
import type { RetargetConfig } from '../config/types';
import { dockerfileOptions } from '../dockerfile/options';
import { patchDockerfile } from '../dockerfile/patch';
import { UsageError } from '../errors';
import { readText, writeFileAtomic } from '../io/files';
import { parseConfigText } from '../pipeline/file-mode';
import type { CommandSpec } from './command';

/** `retarget dockerfile`: the CLI shell around the pure patchDockerfile. */
export const command: CommandSpec = {
  invocation: 'retarget dockerfile',
  summary: 'add the build-time steps (init env, token group) to a Dockerfile',
  synopsis: 'retarget dockerfile -c CONFIG [DOCKERFILE | -] [--in-place]',
  description: `Puts one marked block (# >>> retarget ... # <<< retarget) into the final build stage,
before its ENTRYPOINT or CMD, with what awsWorkloadIdentity.initSystem needs at build
time, and the token group (gid = fsGroup) for awsWorkloadIdentity.serviceUsers.
CONFIG is the Retarget config (or a ConfigMap of it). Running it again replaces the block.
The patched Dockerfile goes to stdout; --in-place rewrites DOCKERFILE. - or none reads stdin.`,
  options: {
    config: { type: 'string', short: 'c', value: 'CONFIG', help: 'the Retarget config' },
    'in-place': { type: 'boolean', help: 'rewrite DOCKERFILE (atomically) instead of printing' },
  },
  positionals: { max: 1, what: 'Dockerfile at a time' },
  examples: ['retarget dockerfile -c retarget.yaml Dockerfile > Dockerfile.patched'],
  run: ({ values, positionals }, io) => {
    const configPath = values.config;
    if (typeof configPath !== 'string') throw new UsageError('-c CONFIG is required');
    const input = positionals[0] ?? '-';
    if (values['in-place'] && input === '-') {
      throw new UsageError('--in-place needs a Dockerfile path, not stdin');
    }
    const value = parseConfigText(readText(configPath, configPath), configPath, 'Retarget');
    const config = loadConfig<RetargetConfig>('Retarget', value, { path: configPath });
    const options = dockerfileOptions(config, { path: configPath });
    const text = input === '-' ? io.readStdin() : readText(input, input);
    const patched = patchDockerfile(text, options, input === '-' ? '<stdin>' : input);
    if (!values['in-place']) io.stdout(patched);
    else if (patched !== text) writeFileAtomic(input, patched);
    return 0;
  },
};
