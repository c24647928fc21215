import { parseDockerfile } from '../../src/dockerfile/parse';
import {
  detectRuntime,
  dockerfileEvidence,
  isServiceManagerRuntimeImage,
  isV2kRuntimeImage,
  RuntimeUnknownError,
  stageByRef,
} from '../../src/dockerfile/runtime';

/**
 * What a Dockerfile says about its runtime, stated as whole evidence objects (kind,
 * what it allows, the reason a message quotes, the line it points at), per shape of
 * the final stage's ancestry.
 */
const RT = 'anthos-migrate.gcr.io/v2k-run-embedded';
const M2C =
  'us-docker.pkg.dev/migrate-modernize-public/modernize-plugins-prod/service-manager-runtime';
const BOTH = ['legacy', 'service-manager'];

const evidence = (text: string) => dockerfileEvidence(parseDockerfile(text), 'Dockerfile');

describe('dockerfileEvidence: whole answers', () => {
  test.each([
    [
      'no FROM at all',
      'ARG X\n',
      {
        kind: 'plain',
        allows: ['plain'],
        reason: 'no v2k runtime image in the final stage',
        where: 'Dockerfile:1',
      },
    ],
    [
      'no runtime image: the final FROM line',
      `FROM ${RT}:v1.3.0 AS rt\nRUN true\nFROM tomcat:9\n`,
      {
        kind: 'plain',
        allows: ['plain'],
        reason: 'no v2k runtime image in the final stage',
        where: 'Dockerfile:3',
      },
    ],
    [
      'another ENTRYPOINT: its line',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY --from=rt / /\nENTRYPOINT ["/usr/bin/app"]\n`,
      {
        kind: 'plain',
        allows: ['plain'],
        reason: "the final stage's ENTRYPOINT is not /.v2k.go",
        where: 'Dockerfile:4',
      },
    ],
    [
      'an empty exec-form ENTRYPOINT is not the runtime',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY --from=rt / /\nENTRYPOINT []\n`,
      {
        kind: 'plain',
        allows: ['plain'],
        reason: "the final stage's ENTRYPOINT is not /.v2k.go",
        where: 'Dockerfile:4',
      },
    ],
    [
      'the m2c CLI runtime: its FROM line',
      `ARG X\nFROM ${M2C}:1.0.3 AS smr\nFROM scratch\nCOPY --from=smr / /\n`,
      {
        kind: 'service-manager',
        allows: ['service-manager'],
        reason: `${M2C}:1.0.3 (the m2c CLI's service-manager runtime)`,
        where: 'Dockerfile:2',
      },
    ],
    [
      'v1.7: legacy only',
      `FROM ${RT}:v1.7.2 AS rt\nFROM c\nCOPY --from=rt / /\nADD services-config.yaml /.m4a/\n`,
      {
        kind: 'legacy',
        allows: ['legacy'],
        reason: `${RT}:v1.7.2 is before v1.8 (legacy runtime only)`,
        where: 'Dockerfile:1',
      },
    ],
    [
      'v0.9 (minor above 8, major below 1): legacy only',
      `FROM ${RT}:v0.9 AS rt\nFROM c\nCOPY --from=rt / /\n`,
      {
        kind: 'legacy',
        allows: ['legacy'],
        reason: `${RT}:v0.9 is before v1.8 (legacy runtime only)`,
        where: 'Dockerfile:1',
      },
    ],
    [
      'v1.8 without services-config.yaml: legacy, allowing either',
      `FROM ${RT}:v1.8 AS rt\nFROM c\nCOPY --from=rt / /\n`,
      {
        kind: 'legacy',
        allows: BOTH,
        reason: `${RT}:v1.8 without services-config.yaml (written only with v2kServiceManager: true)`,
        where: 'Dockerfile:1',
      },
    ],
    [
      'v1.10 (two-digit minor), ADD services-config.yaml: its line',
      `FROM ${RT}:v1.10.0 AS rt\nFROM c\nCOPY --from=rt / /\nRUN true\nADD services-config.yaml /.m4a/\n`,
      {
        kind: 'service-manager',
        allows: BOTH,
        reason: `${RT}:v1.10.0 with ADD services-config.yaml`,
        where: 'Dockerfile:5',
      },
    ],
    [
      'v10.0 (two-digit major), COPY of a .yml',
      `FROM ${RT}:v10.0 AS rt\nFROM c\nCOPY --from=rt / /\nCOPY conf/services-config.yml /.m4a/\n`,
      {
        kind: 'service-manager',
        allows: BOTH,
        reason: `${RT}:v10.0 with COPY services-config.yaml`,
        where: 'Dockerfile:4',
      },
    ],
    [
      'a tag without v, with a build suffix',
      `FROM ${RT}:2.0-gke.1 AS rt\nFROM c\nCOPY --from=rt / /\n`,
      {
        kind: 'legacy',
        allows: BOTH,
        reason: `${RT}:2.0-gke.1 without services-config.yaml (written only with v2kServiceManager: true)`,
        where: 'Dockerfile:1',
      },
    ],
    [
      'RUN servicemanager generate config: its line',
      `FROM ${RT}:v1.15.0 AS rt\nFROM c\nCOPY --from=rt / /\nRUN /servicemanager-cli  generate  config build-all\n`,
      {
        kind: 'service-manager',
        allows: BOTH,
        reason: `${RT}:v1.15.0 with RUN servicemanager generate config`,
        where: 'Dockerfile:4',
      },
    ],
    [
      'COPY --from with other flags still copies the runtime',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY --chown=0:0 --from=rt --link / /\nENTRYPOINT ["/.v2k.go"]\n`,
      {
        kind: 'legacy',
        allows: ['legacy'],
        reason: `${RT}:v1.3.0 is before v1.8 (legacy runtime only)`,
        where: 'Dockerfile:1',
      },
    ],
    [
      'a plain COPY before the COPY --from',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY app /app\nCOPY --from=rt / /\n`,
      {
        kind: 'legacy',
        allows: ['legacy'],
        reason: `${RT}:v1.3.0 is before v1.8 (legacy runtime only)`,
        where: 'Dockerfile:1',
      },
    ],
    [
      'COPY --from of the image itself: the COPY line',
      `FROM c\nRUN true\nCOPY --from=${RT}:v1.5.0 / /\n`,
      {
        kind: 'legacy',
        allows: ['legacy'],
        reason: `${RT}:v1.5.0 is before v1.8 (legacy runtime only)`,
        where: 'Dockerfile:3',
      },
    ],
  ])('%s', (_name, text, expected) => {
    expect(evidence(text)).toStrictEqual({ source: 'dockerfile', ...expected });
  });

  test('no path: no where', () => {
    expect(dockerfileEvidence(parseDockerfile('FROM tomcat:9\n'))).toStrictEqual({
      source: 'dockerfile',
      kind: 'plain',
      allows: ['plain'],
      reason: 'no v2k runtime image in the final stage',
    });
  });

  test('a two-digit major version without services-config.yaml: legacy, allowing either', () => {
    expect(evidence(`FROM ${RT}:v10.0 AS rt\nFROM c\nCOPY --from=rt / /\n`)).toMatchObject({
      kind: 'legacy',
      allows: BOTH,
    });
  });

  test('an ENTRYPOINT in shell form naming the runtime is the runtime', () => {
    expect(evidence(`FROM ${RT}:v1.3.0\nENTRYPOINT /.v2k.go\n`)).toMatchObject({ kind: 'legacy' });
    expect(
      evidence(`FROM ${M2C}:1.0.0\nENTRYPOINT ["/ko-app/service-manager-runtime", "start"]\n`),
    ).toMatchObject({ kind: 'service-manager' });
  });

  test('an ENTRYPOINT inherited from the stage the final one is built FROM counts', () => {
    expect(
      evidence(`FROM ${RT}:v1.3.0 AS rt\nENTRYPOINT ["/usr/bin/app"]\nFROM rt\nRUN true\n`),
    ).toMatchObject({ kind: 'plain', where: 'Dockerfile:2' });
    // The final stage's own ENTRYPOINT, the last one, wins over the inherited one.
    expect(
      evidence(
        `FROM ${RT}:v1.3.0 AS rt\nENTRYPOINT ["/usr/bin/app"]\nFROM rt\nENTRYPOINT ["/x"]\nENTRYPOINT ["/.v2k.go"]\n`,
      ),
    ).toMatchObject({ kind: 'legacy' });
  });

  test.each([
    [
      'services-config.yaml only as the destination',
      'ADD blocklist.yaml /.m4a/services-config.yaml',
    ],
    ['a services-config.yaml.bak', 'ADD services-config.yaml.bak /.m4a/'],
    ['a my-services-config.yaml', 'ADD my-services-config.yaml /.m4a/'],
    ['copied from another stage', 'COPY --from=rt /.m4a/services-config.yaml /.m4a/'],
    ['named in a LABEL, not run', 'LABEL note="servicemanager generate config"'],
    ['copied by a RUN', 'RUN cp /tmp/services-config.yaml /.m4a/'],
    ['a quote inside the name', `COPY "conf/'services-config.yaml" /.m4a/`],
    ['a RUN of something else', 'RUN servicemanager generate-config'],
  ])('v1.15, %s: not the service manager', (_name, line) => {
    expect(
      evidence(`FROM ${RT}:v1.15.0 AS rt\nFROM c\nCOPY --from=rt / /\n${line}\n`),
    ).toMatchObject({ kind: 'legacy', allows: BOTH });
  });

  test.each([
    ['a second source', 'ADD blocklist.yaml services-config.yaml /.m4a/'],
    ['quoted', 'COPY "services-config.yaml" /.m4a/'],
    ['single-quoted, in a directory', "COPY './conf/services-config.yaml' /.m4a/"],
    ['with flags', 'COPY --chown=0:0 services-config.yaml /.m4a/'],
  ])('v1.15, services-config.yaml as %s: the service manager', (_name, line) => {
    expect(
      evidence(`FROM ${RT}:v1.15.0 AS rt\nFROM c\nCOPY --from=rt / /\n${line}\n`),
    ).toMatchObject({ kind: 'service-manager', allows: BOTH, where: 'Dockerfile:4' });
  });

  test('a tag that is not a version: RuntimeUnknownError at the runtime FROM, with the whole message', () => {
    for (const tag of ['latest', 'v1.9_x', 'v1']) {
      const found = evidence(`FROM c\nFROM ${RT}:${tag} AS rt\nFROM c\nCOPY --from=rt / /\n`);
      expect(found).toBeInstanceOf(RuntimeUnknownError);
      expect((found as RuntimeUnknownError).line).toBe(1);
      expect((found as Error).message).toBe(
        `cannot tell the Migrate for Anthos runtime generation from "${RT}:${tag}" (no vMAJOR.MINOR tag, no services-config.yaml); give --spec or --plan, or set runtime: legacy or service-manager in the config`,
      );
    }
  });

  test('detectRuntime: the kind and reason, or the RuntimeUnknownError thrown', () => {
    expect(detectRuntime(parseDockerfile(`FROM ${RT}:v1.3.0\n`))).toStrictEqual({
      kind: 'legacy',
      reason: `${RT}:v1.3.0 is before v1.8 (legacy runtime only)`,
    });
    expect(() => detectRuntime(parseDockerfile(`FROM ${RT}:latest\n`))).toThrow(
      RuntimeUnknownError,
    );
  });
});

describe('stages by reference', () => {
  test('a FROM or COPY --from refers only to earlier stages', () => {
    // Stage 0 is built FROM an image called "b", not the later stage named b.
    expect(
      evidence(`FROM b AS a\nRUN true\nFROM ${RT}:v1.3.0 AS b\nFROM a\nRUN true\n`),
    ).toMatchObject({
      kind: 'plain',
    });
  });

  test('by index, also past 9, and by a name ending in digits', () => {
    const stages = Array.from({ length: 11 }, (_, i) => `FROM c AS s${i}\nRUN true\n`).join('');
    expect(
      evidence(`${stages}FROM ${RT}:v1.3.0 AS rt1\nFROM c\nCOPY --from=11 / /\n`),
    ).toMatchObject({ kind: 'legacy' });
    expect(evidence(`FROM ${RT}:v1.3.0 AS rt1\nFROM c\nCOPY --from=rt1 / /\n`)).toMatchObject({
      kind: 'legacy',
    });
    expect(evidence(`FROM ${RT}:v1.3.0 AS Rt\nFROM c\nCOPY --from=RT / /\n`)).toMatchObject({
      kind: 'legacy',
    });
  });

  test('stageByRef', () => {
    const { stages } = parseDockerfile('FROM a AS one\nFROM b AS two\nFROM c\n');
    expect(stageByRef(stages, 'TWO', 2)?.index).toBe(1);
    expect(stageByRef(stages, 'two', 1)).toBeUndefined();
    expect(stageByRef(stages, '0', 2)?.index).toBe(0);
    expect(stageByRef(stages, '2', 2)).toBeUndefined();
    expect(stageByRef(stages, 'x0', 2)).toBeUndefined();
  });

  test('a wide build graph is read in bounded time', () => {
    // Each stage copies from every earlier one: visiting a stage once keeps this linear.
    const n = 24;
    const lines = [`FROM c AS s0`];
    for (let i = 1; i < n; i++) {
      lines.push(
        `FROM c AS s${i}`,
        ...Array.from({ length: i }, (_, j) => `COPY --from=s${j} /x /x${j}`),
      );
    }
    const started = Date.now();
    expect(evidence(`${lines.join('\n')}\n`)).toMatchObject({ kind: 'plain' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('runtime image names', () => {
  test.each([
    [`${RT}:v1.3.0`, true, false],
    [`${RT}@sha256:${'a'.repeat(64)}`, true, false],
    ['v2k-run', true, false],
    ['localhost:5000/v2k-run:v1', true, false],
    ['gcr.io/p/v2k-run-embedded-extra', false, false],
    ['gcr.io/p/my-v2k-run', false, false],
    [`${M2C}:1.0.0`, true, true],
    ['service-manager-runtime', true, true],
    [`${M2C}@sha256:${'b'.repeat(64)}`, true, true],
    ['localhost:5000/service-manager-runtime', true, true],
    ['localhost:5000/x/service-manager-runtime:1.0', true, true],
    ['gcr.io/p/service-manager-runtime-x:1', false, false],
    ['gcr.io/p/my-service-manager-runtime:1', false, false],
    ['gcr.io/p/app:service-manager-runtime', false, false],
  ])('%s: v2k %s, m2c service manager %s', (image, v2k, m2c) => {
    expect(isV2kRuntimeImage(image)).toBe(v2k);
    expect(isServiceManagerRuntimeImage(image)).toBe(m2c);
  });
});
