import { BLOCK_BEGIN, BLOCK_END } from '../../src/dockerfile/block';
import type { DockerfilePatchOptions } from '../../src/dockerfile/options';
import { patchDockerfile, removeBlocks } from '../../src/dockerfile/patch';
import { ConfigError, SourceError } from '../../src/errors';
import type { RuntimeEvidence } from '../../src/runtime/evidence';
import { optionsFromYaml } from './harness';

/**
 * Where the block goes and what it must respect, case by case: comment lines that
 * belong to ENTRYPOINT/CMD, the SHELL and USER in effect there (own or inherited),
 * blocks already in the file, the runtime decision and its info line, and each
 * refusal with its reason and line.
 */
const RT = 'anthos-migrate.gcr.io/v2k-run-embedded';
const LEGACY = `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY --from=rt / /\n`;
const V115 = `FROM ${RT}:v1.15.0 AS rt\nFROM c\nCOPY --from=rt / /\n`;
const ROLE = 'arn:aws:iam::123456789012:role/app';

const options = (aws = '  initSystem: systemd\n', top = 'linkKubernetesInfoSecrets: false\n') =>
  optionsFromYaml(
    `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\n${top}awsWorkloadIdentity:\n  roleArn: ${ROLE}\n${aws}`,
  );

function patch(
  text: string,
  o: DockerfilePatchOptions = options(),
  path: string | undefined = 'Dockerfile',
) {
  const infos: string[] = [];
  const out = patchDockerfile(text, o, path, (r) => {
    expect(r.severity).toBe('info');
    infos.push(r.message);
  });
  return { out, infos, lines: out.split('\n') };
}

function refusal(text: string, o: DockerfilePatchOptions = options(), path?: string): SourceError {
  try {
    patchDockerfile(text, o, path);
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('accepted');
}

/** The lines before the block, and the lines after it. */
function around(out: string): [string[], string[]] {
  const lines = out.split('\n');
  const begin = lines.indexOf(BLOCK_BEGIN);
  const end = lines.indexOf(BLOCK_END);
  expect(begin).toBeGreaterThanOrEqual(0);
  return [lines.slice(0, begin), lines.slice(end + 1)];
}

describe('where the block goes', () => {
  test('above the comment lines directly over ENTRYPOINT, indented ones too', () => {
    const text = `${LEGACY}RUN x\n\n# start the app\n  # with the runtime\nENTRYPOINT ["/.v2k.go"]\n`;
    const [before, after] = around(patch(text).out);
    expect(before).toEqual([
      'FROM anthos-migrate.gcr.io/v2k-run-embedded:v1.3.0 AS rt',
      'FROM c',
      'COPY --from=rt / /',
      'RUN x',
      '',
    ]);
    expect(after).toEqual([
      '# start the app',
      '  # with the runtime',
      'ENTRYPOINT ["/.v2k.go"]',
      '',
    ]);
  });

  test('a blank line stops the comments that go with ENTRYPOINT', () => {
    const text = `${LEGACY}# about x\n\nENTRYPOINT ["/.v2k.go"]\n`;
    const [, after] = around(patch(text).out);
    expect(after).toEqual(['ENTRYPOINT ["/.v2k.go"]', '']);
  });

  test('before CMD when there is no ENTRYPOINT, before the first of the two otherwise', () => {
    expect(around(patch(`${LEGACY}CMD ["x"]\n`).out)[1]).toEqual(['CMD ["x"]', '']);
    expect(around(patch(`${LEGACY}CMD ["x"]\nENTRYPOINT ["/.v2k.go"]\n`).out)[1]).toEqual([
      'CMD ["x"]',
      'ENTRYPOINT ["/.v2k.go"]',
      '',
    ]);
  });

  test('at the end without ENTRYPOINT or CMD; without a final newline the file still ends without one', () => {
    expect(patch(`${LEGACY}RUN x\n`).out.endsWith(`\n${BLOCK_END}\n`)).toBe(true);
    const out = patch(`${LEGACY}RUN x`).out;
    expect(out.startsWith(`${LEGACY}RUN x\n${BLOCK_BEGIN}\n`)).toBe(true);
    expect(out.endsWith(`\n${BLOCK_END}`)).toBe(true);
    expect(patch(out).out).toBe(out);
  });
});

describe('the SHELL in effect', () => {
  test.each([
    ['SHELL ["/bin/bash", "-c"]'],
    ['SHELL ["bash", "-o", "pipefail", "-c"]'],
    ['SHELL ["/usr/bin/zsh", "-c"]'],
  ])('%s: a POSIX shell, accepted', (shell) => {
    expect(patch(`${LEGACY}${shell}\nENTRYPOINT ["/.v2k.go"]\n`).out).toContain(BLOCK_BEGIN);
  });

  test.each([
    ['SHELL ["/usr/bin/fish", "-c"]', 'SHELL ["/usr/bin/fish", "-c"]'],
    ['SHELL ["/usr/bin/shellwrap", "-c"]', 'SHELL ["/usr/bin/shellwrap", "-c"]'],
    ['SHELL ["cmd", "/S", "/C"]', 'SHELL ["cmd", "/S", "/C"]'],
    ['SHELL []', 'SHELL []'],
    ['SHELL   /bin/sh -c  ', 'SHELL /bin/sh -c'],
  ])('%s: refused at its line', (shell, shown) => {
    const error = refusal(
      `${LEGACY}RUN x\n${shell}\nENTRYPOINT ["/.v2k.go"]\n`,
      options(),
      'Dockerfile',
    );
    expect(error.reason).toBe(
      `${shown} is in effect where the retarget block goes; its RUN lines need a POSIX sh (set SHELL ["/bin/sh", "-c"] before the block's place, or reset it after)`,
    );
    expect(error.location).toEqual({ path: 'Dockerfile', line: 5 });
  });

  test('a SHELL after the block, or in a stage the final one does not build on, does not count', () => {
    expect(patch(`${LEGACY}ENTRYPOINT ["/.v2k.go"]\nSHELL ["pwsh", "-c"]\n`).out).toContain(
      BLOCK_BEGIN,
    );
    expect(patch(`FROM x AS other\nSHELL ["pwsh", "-c"]\n${LEGACY}`).out).toContain(BLOCK_BEGIN);
  });

  test('a SHELL inherited from the stage the final one is built FROM counts', () => {
    const error = refusal(`FROM ${RT}:v1.3.0 AS base\nSHELL ["pwsh", "-c"]\nFROM base\nRUN x\n`);
    expect(error.location.line).toBe(2);
  });
});

describe('the USER in effect', () => {
  const userLines = (out: string) => out.split('\n').filter((l) => l.startsWith('USER '));

  test.each([
    ['USER app', ['USER app', 'USER root', 'USER app']],
    ['USER  app:app  ', ['USER  app:app  ', 'USER root', 'USER app:app']],
    ['USER 1000:0', ['USER 1000:0', 'USER root', 'USER 1000:0']],
    ['USER rooty', ['USER rooty', 'USER root', 'USER rooty']],
    ['USER root', ['USER root']],
    ['USER root:root', ['USER root:root']],
    ['USER 0', ['USER 0']],
    ['USER 0:0', ['USER 0:0']],
  ])('%s before the block', (user, expected) => {
    expect(userLines(patch(`${LEGACY}${user}\nENTRYPOINT ["/.v2k.go"]\n`).out)).toEqual(expected);
  });

  test('only the last USER before the block counts; one after it does not', () => {
    expect(
      userLines(patch(`${LEGACY}USER root\nUSER app\nENTRYPOINT ["/.v2k.go"]\nUSER other\n`).out),
    ).toEqual(['USER root', 'USER app', 'USER root', 'USER app', 'USER other']);
    expect(userLines(patch(`${LEGACY}USER app\nUSER root\nENTRYPOINT ["/.v2k.go"]\n`).out)).toEqual(
      ['USER app', 'USER root'],
    );
  });

  test('with the block at the end, every USER of the stage is before it', () => {
    expect(userLines(patch(`${LEGACY}USER app\nRUN x\n`).out)).toEqual([
      'USER app',
      'USER root',
      'USER app',
    ]);
  });

  test('a USER of the stage the final one is built FROM is in effect, wherever it stands there', () => {
    const text = `FROM ${RT}:v1.3.0 AS base\nUSER app\nENTRYPOINT ["/.v2k.go"]\nFROM base\nRUN x\nCMD ["y"]\n`;
    expect(userLines(patch(text).out)).toEqual(['USER app', 'USER root', 'USER app']);
  });
});

describe('the runtime decision, reported', () => {
  test('the Dockerfile alone: one line, nothing agreeing or overruled', () => {
    expect(patch(`${LEGACY}ENTRYPOINT ["/.v2k.go"]\n`).infos).toEqual([
      `runtime: legacy runtime, decided by dockerfile Dockerfile:1: ${RT}:v1.3.0 is before v1.8 (legacy runtime only) (legacy runtime)`,
    ]);
  });

  test('evidence that agrees is named after the deciding piece', () => {
    const o = options();
    const plan: RuntimeEvidence = {
      source: 'plan',
      kind: 'legacy',
      allows: ['legacy'],
      reason: 'v2kServiceManager: false',
      where: 'migration.yaml',
    };
    o.evidence = [plan];
    expect(patch(V115, o).infos).toEqual([
      `runtime: legacy runtime, decided by plan migration.yaml: v2kServiceManager: false (legacy runtime); agreeing: dockerfile Dockerfile:1: ${RT}:v1.15.0 without services-config.yaml (written only with v2kServiceManager: true) (legacy runtime)`,
    ]);
  });

  test('a Dockerfile that cannot tell is no error when the config decides', () => {
    const o = options(
      '  initSystem: systemd\n',
      'linkKubernetesInfoSecrets: false\nruntime: legacy\n',
    );
    const { infos, out } = patch(`FROM ${RT}:latest\nRUN x\n`, o);
    expect(out).toContain(BLOCK_BEGIN);
    expect(infos).toEqual([
      'runtime: legacy runtime, decided by config: runtime: legacy (legacy runtime)',
    ]);
  });

  test('a Dockerfile that cannot tell, and nothing else: refused at the runtime FROM', () => {
    const error = refusal(`FROM c\nFROM ${RT}:latest\nRUN x\n`, options(), 'Dockerfile');
    expect(error.location).toEqual({ path: 'Dockerfile', line: 2 });
    expect(error.reason).toMatch(/^cannot tell the Migrate for Anthos runtime generation from /);
  });

  test('a contradiction points at the Dockerfile line that takes part in it', () => {
    const planTrue: RuntimeEvidence = {
      source: 'plan',
      kind: 'service-manager',
      allows: ['service-manager'],
      reason: 'v2kServiceManager: true',
      where: 'migration.yaml',
    };
    const o = options();
    o.evidence = [planTrue];
    const error = refusal(`ARG X\nARG Y\n${LEGACY}`, o, 'Dockerfile');
    expect(error.location).toEqual({ path: 'Dockerfile', line: 3 });
    expect(error.reason).toMatch(
      /^the migration artifacts disagree on the runtime: plan migration\.yaml/,
    );
    // The Dockerfile cannot tell, and a plan and the spec disagree: the runtime FROM line.
    const specLegacy: RuntimeEvidence = {
      source: 'spec',
      kind: 'legacy',
      allows: ['legacy'],
      reason: 'probe',
    };
    o.evidence = [planTrue, specLegacy];
    expect(refusal(`FROM c\nFROM ${RT}:latest\n`, o, 'Dockerfile').location).toEqual({
      path: 'Dockerfile',
      line: 2,
    });
    // Lines past 9, and a path with a colon in it.
    o.evidence = [planTrue];
    const padded = `${'ARG X\n'.repeat(11)}${LEGACY}`;
    expect(refusal(padded, o, 'ci:2/Dockerfile').location).toEqual({
      path: 'ci:2/Dockerfile',
      line: 12,
    });
  });

  test('without a path, a contradiction has no line to point at', () => {
    const o = options();
    o.evidence = [
      {
        source: 'plan',
        kind: 'service-manager',
        allows: ['service-manager'],
        reason: 'v2kServiceManager: true',
      },
    ];
    expect(refusal(LEGACY, o).location).toEqual({});
  });
});

describe('what the init system and users require', () => {
  test('no initSystem: refused for a legacy or plain image, naming the field, at the config', () => {
    for (const [text, label] of [
      [LEGACY, 'legacy runtime'],
      ['FROM tomcat:9\n', 'plain container'],
    ]) {
      const o = options('');
      o.location = { path: 'retarget.yaml' };
      let error: unknown;
      try {
        patchDockerfile(text, o, 'Dockerfile');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        {
          field: 'awsWorkloadIdentity.initSystem',
          message: `is required by retarget dockerfile for a ${label} image (systemd, sysv-pam, sysv or upstart), unless serviceUsers alone are to join the token group`,
        },
      ]);
      expect((error as ConfigError).location).toEqual({ path: 'retarget.yaml' });
    }
    const noLocation = options('');
    delete noLocation.location;
    expect(() => patchDockerfile(LEGACY, noLocation)).toThrow(ConfigError);
  });

  test('no initSystem but service users: only the token group', () => {
    const o = options(
      '  serviceUsers: [app]\n',
      'fsGroup: 2000\nlinkKubernetesInfoSecrets: false\n',
    );
    const { out, infos } = patch(LEGACY, o);
    expect(out.split('\n').filter((l) => l.startsWith('RUN '))).toHaveLength(1);
    expect(out).toContain('groupadd --gid 2000 aws-token');
    expect(infos).toHaveLength(1);
  });

  test('the service manager: no init-system edits, said once, and the token group said too', () => {
    const sm = `${V115}ADD services-config.yaml /.m4a/\n`;
    expect(patch(sm).infos[1]).toBe(
      "no systemd edits: the service-manager runtime starts every service itself with the container's env, where hydrate puts the AWS variables",
    );
    expect(patch(sm).out).toBe(sm);
    const withUsers = options('  initSystem: sysv-pam\n  serviceUsers: [app]\n', 'fsGroup: 2000\n');
    expect(patch(sm, withUsers).infos[1]).toBe(
      "no sysv-pam edits: the service-manager runtime starts every service itself with the container's env, where hydrate puts the AWS variables; the token group for serviceUsers is still added",
    );
    expect(patch(sm, options('')).infos).toHaveLength(1);
  });

  test('nothing to add: an old block is taken out and the rest kept byte for byte', () => {
    const sm = `${V115}ADD services-config.yaml /.m4a/\n`;
    const withOld = `${V115}${BLOCK_BEGIN}\nRUN old\n${BLOCK_END}\nADD services-config.yaml /.m4a/\n`;
    expect(patch(withOld).out).toBe(sm);
  });
});

describe('blocks already in the file', () => {
  test('every block is taken out, the new one put in once', () => {
    const text = `${BLOCK_BEGIN}\nRUN a\n${BLOCK_END}\n${LEGACY}# >>> retarget old\nRUN b\n# <<< retarget old\nENTRYPOINT ["/.v2k.go"]\n`;
    const { out } = patch(text);
    expect(out.split('\n').filter((l) => l === BLOCK_BEGIN)).toHaveLength(1);
    expect(out).not.toContain('RUN a');
    expect(out).not.toContain('RUN b');
    expect(out.startsWith(LEGACY)).toBe(true);
  });

  test('removeBlocks undoes a block at the end of a file without a final newline, and one alone', () => {
    expect(removeBlocks(`${LEGACY}RUN x\n${BLOCK_BEGIN}\nRUN y\n${BLOCK_END}`)).toBe(
      `${LEGACY}RUN x`,
    );
    expect(removeBlocks(`${BLOCK_BEGIN}\n${BLOCK_END}`)).toBe('');
    expect(removeBlocks(`${BLOCK_BEGIN}\r\n${BLOCK_END}\r\nFROM a\r\n`)).toBe('FROM a\r\n');
  });

  test('marker lines inside an instruction (a heredoc) are not a block', () => {
    const text = `${LEGACY}RUN <<EOF\n# >>> retarget\nset -e\n# <<< retarget\nEOF\nENTRYPOINT ["/.v2k.go"]\n`;
    const { out } = patch(text);
    expect(removeBlocks(out)).toBe(text);
    expect(out.split('\n').filter((l) => l === BLOCK_BEGIN)).toHaveLength(1);
  });

  test.each([
    [
      `${LEGACY}# >>> retarget\nRUN x\n# >>> retarget\n# <<< retarget\n`,
      'a second "# >>> retarget" line before the block opened at line 4 is closed',
      6,
    ],
    [`${LEGACY}RUN x\n# <<< retarget\n`, '"# <<< retarget" closes no block', 5],
    [
      `${LEGACY}# >>> retarget\nRUN x\n`,
      'the retarget block opened here has no "# <<< retarget" line',
      4,
    ],
  ])('refused: %j', (text, reason, line) => {
    const error = refusal(text, options(), 'Dockerfile');
    expect(error.reason).toBe(reason);
    expect(error.location).toEqual({ path: 'Dockerfile', line });
    expect(() => removeBlocks(text, 'Dockerfile')).toThrow(reason);
  });
});

describe('refusals of the file itself', () => {
  test('no FROM', () => {
    const error = refusal('ARG X\n', options(), 'Dockerfile');
    expect(error.reason).toBe(
      'no FROM instruction: the retarget block goes in the final build stage',
    );
    expect(error.location).toEqual({ path: 'Dockerfile', line: 1 });
  });

  test('an instruction left open at the end runs on into the block', () => {
    const error = refusal(`${LEGACY}RUN a \\\n`, options(), 'Dockerfile');
    expect(error.reason).toBe(
      'the retarget block cannot be placed here: the instruction before it runs on into it (a line continuation or heredoc left open)',
    );
    // The open instruction's line (the file's line count, the block being appended).
    expect(error.location).toEqual({ path: 'Dockerfile', line: 4 });
  });
});
