import { parseDockerfile } from '../../src/dockerfile/parse';
import {
  detectRuntime,
  isV2kRuntimeImage,
  RuntimeUnknownError,
} from '../../src/dockerfile/runtime';

const RT = 'anthos-migrate.gcr.io/v2k-run-embedded';
const M2C =
  'us-docker.pkg.dev/migrate-modernize-public/modernize-plugins-prod/service-manager-runtime';

function kind(text: string): string {
  return detectRuntime(parseDockerfile(text)).kind;
}

describe('runtime: auto, read from the Dockerfile', () => {
  test.each([
    [
      'generated v1.x layout',
      `FROM ${RT}:v1.3.0 as rt\nFROM content:1 as c\nCOPY --from=rt / /\nENTRYPOINT [ "/.v2k.go" ]\n`,
      'legacy',
    ],
    ['v1.8 is still legacy', `FROM ${RT}:v1.8.1 AS rt\nFROM c\nCOPY --from=rt / /\n`, 'legacy'],
    [
      'v1.9 with services-config.yaml is the service manager',
      `FROM ${RT}:v1.9.0 AS rt\nFROM c\nCOPY --from=rt / /\nADD services-config.yaml /.m4a/\nENTRYPOINT ["/.v2k.go"]\n`,
      'service-manager',
    ],
    [
      'v1.9 without services-config.yaml (v2kServiceManager: false) is legacy',
      `FROM ${RT}:v1.9.0 AS rt\nFROM c\nCOPY --from=rt / /\nADD blocklist.yaml /.m4a/blocklist.yaml\nENTRYPOINT ["/.v2k.go"]\n`,
      'legacy',
    ],
    [
      'v1.15 with services-config.yaml',
      `FROM ${RT}:v1.15.0 as rt\nFROM c\nCOPY --from=rt / /\nADD services-config.yaml /.m4a/\nENTRYPOINT [ "/.v2k.go" ]`,
      'service-manager',
    ],
    [
      'v1.15 converted by hand: RUN servicemanager generate config',
      `FROM ${RT}:v1.15.0 as rt\nFROM c\nCOPY --from=rt / /\nRUN /servicemanager generate config build-all -o /.m4a/\nENTRYPOINT [ "/.v2k.go" ]`,
      'service-manager',
    ],
    [
      'services-config.yaml in the stage the final one is built FROM',
      `FROM ${RT}:v2.0.1 AS rt\nFROM c AS mid\nCOPY --from=rt / /\nCOPY ./services-config.yaml /.m4a/services-config.yaml\nFROM mid\n`,
      'service-manager',
    ],
    [
      'a v1.3 image only has the legacy runtime, services-config.yaml or not',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY --from=rt / /\nADD services-config.yaml /.m4a/\n`,
      'legacy',
    ],
    [
      'an unversioned runtime with services-config.yaml',
      `FROM ${RT}:latest AS rt\nFROM c\nCOPY --from=rt / /\nADD services-config.yaml /.m4a/\n`,
      'service-manager',
    ],
    ['COPY --from a stage index', `FROM ${RT}:v1.4.0\nFROM c\nCOPY --from=0 / /\n`, 'legacy'],
    [
      'COPY --from the image itself',
      `FROM c\nCOPY --from=${RT}:v1.5.0 / /\nENTRYPOINT /.v2k.go\n`,
      'legacy',
    ],
    ['built FROM the runtime image', `FROM ${RT}:v1.6.2\nCOPY app /app\n`, 'legacy'],
    [
      'through a chain of stages',
      `FROM ${RT}:v1.2.0 AS Runtime\nFROM c AS mid\nCOPY --from=runtime / /\nFROM mid\nRUN true\n`,
      'legacy',
    ],
    [
      'a tag with a digest',
      `FROM ${RT}:v1.4.0@sha256:${'a'.repeat(64)} AS rt\nFROM c\nCOPY --from=rt / /\n`,
      'legacy',
    ],
    [
      'an ENTRYPOINT that is not the runtime',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nCOPY --from=rt / /\nENTRYPOINT ["/usr/bin/app"]\n`,
      'plain',
    ],
    [
      'the m2c CLI runtime (its own 1.0.x tags) is the service manager',
      `FROM ${M2C}:1.0.3 as service-manager-runtime\nFROM scratch\nADD vmFiles.tar.gz /\nCOPY --from=service-manager-runtime / /\nENTRYPOINT [ "/ko-app/service-manager-runtime", "start", "-c", "/.m4a/" ]\n`,
      'service-manager',
    ],
    [
      'the m2c CLI runtime with another ENTRYPOINT',
      `FROM ${M2C}:1.0.3 AS rt\nFROM scratch\nCOPY --from=rt / /\nENTRYPOINT ["/usr/bin/app"]\n`,
      'plain',
    ],
    ['no runtime image at all', 'FROM tomcat:9\nENTRYPOINT ["catalina.sh", "run"]\n', 'plain'],
    [
      'the runtime only in a stage the final one ignores',
      `FROM ${RT}:v1.3.0 AS rt\nFROM c\nRUN true\n`,
      'plain',
    ],
  ])('%s', (_name, text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  test('a tag that is not a version cannot tell: the error names the FROM line', () => {
    const text = `FROM c\nFROM ${RT}:latest AS rt\nFROM c\nCOPY --from=rt / /\n`;
    expect(() => kind(text)).toThrow(RuntimeUnknownError);
    try {
      kind(text);
    } catch (error) {
      expect((error as RuntimeUnknownError).line).toBe(1);
      expect((error as Error).message).toContain('set runtime: legacy or service-manager');
    }
  });

  test.each([
    [`${RT}:v1.3.0`, true],
    ['gcr.io/p/v2k-run-embedded', true],
    ['localhost:5000/mirror/v2k-run-embedded:v1.15.0', true],
    ['gcr.io/p/v2k-run-embedded-extra:v1', false],
    ['gcr.io/p/not-v2k-run-embedded:v1', false],
  ])('%s is the runtime image: %s', (image, expected) => {
    expect(isV2kRuntimeImage(image)).toBe(expected);
  });
});

describe('the m2c CLI runtime image', () => {
  test('service-manager-runtime is the service manager, whatever its tag', () => {
    const text = `FROM us-docker.pkg.dev/migrate-modernize-public/modernize-plugins-prod/service-manager-runtime:1.0.0 as service-manager-runtime\nFROM scratch\nADD vmFiles.tar.gz /\nCOPY --from=service-manager-runtime / /\nADD services-config.yaml /.m4a/\n`;
    expect(kind(text)).toBe('service-manager');
    expect(kind(`${text}ENTRYPOINT ["/ko-app/service-manager-runtime", "start"]\n`)).toBe(
      'service-manager',
    );
    expect(kind(`${text}ENTRYPOINT ["/usr/bin/app"]\n`)).toBe('plain');
  });
});
