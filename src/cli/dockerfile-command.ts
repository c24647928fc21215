import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load';
import type { RetargetConfig } from '../config/types';
import { dockerfileOptions } from '../dockerfile/options';
import { patchDockerfile } from '../dockerfile/patch';
import { printable, UsageError } from '../errors';
import { readText } from '../io/files';
import { commitFiles } from '../io/commit';
import { lockInputDirectories } from '../io/commit-lock';
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
  if (!values['in-place']) {
    const text = input === '-' ? io.readStdin() : readText(input, input);
    io.stdout(patchDockerfile(text, options, input === '-' ? '<stdin>' : input));
    return 0;
  }
  // As YAML --in-place (src/io/commit.ts): locked before it is read, a random temporary
  // name created exclusively, mode and owner kept, a symlink written where it points.
  const notice = (message: string) => io.stderr(`notice: ${printable(message)}\n`);
  const lock = lockInputDirectories([{ path: input }], notice);
  try {
    const text = readText(input, input);
    const patched = patchDockerfile(text, options, input);
    if (patched !== text)
      commitFiles([{ path: input, text: patched }], { lock, writeThroughWithin: [input], notice });
  } finally {
    lock.release();
  }
  return 0;
};
