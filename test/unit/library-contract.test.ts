import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  hydrate,
  linkKubernetesInfoSecrets,
  patchDockerfile,
  portDataVolumes,
  preflight,
  setAwsWorkloadIdentity,
  setFsGroup,
  setGcpWorkloadIdentity,
  setImagePullSecrets,
} from '../../src';
import type { KubernetesObject, RetargetFunction } from '../../src';
import { ConfigError, SourceError } from '../../src/errors';
import { REPO, SHAPES } from '../support/run';

/**
 * The library's contract (src/index.ts) where a caller depends on it: each export runs its
 * own function, errors come back as exact results naming the file (input.yaml and
 * config.yaml when no path is given), the input comes back untouched, and every form a
 * config may take is read the same way.
 */
const SPEC = readFileSync(join(SHAPES, 'm4a-v1-legacy/deployment_spec.yaml'), 'utf8');
const OBJECTS = parseAllDocuments(SPEC)
  .map((d) => d.toJS() as KubernetesObject | null)
  .filter((o): o is KubernetesObject => o !== null);
const NOTHING = { changed: 0, created: 0, unchanged: 0 };
/** What the yaml parser says of an unclosed flow sequence: line 2, column 1. */
const UNCLOSED = 'Flow sequence in block collection must be sufficiently indented and end with a ]';

describe('each export runs its own function', () => {
  const exports: [string, RetargetFunction<never>][] = [
    ['Retarget', hydrate],
    ['SetImagePullSecrets', setImagePullSecrets],
    ['SetFsGroup', setFsGroup],
    ['LinkKubernetesInfoSecrets', linkKubernetesInfoSecrets],
    ['SetAwsWorkloadIdentity', setAwsWorkloadIdentity],
    ['SetGcpWorkloadIdentity', setGcpWorkloadIdentity],
    ['PortDataVolumes', portDataVolumes],
    ['Preflight', preflight],
  ];

  test.each(exports)('%s: an unknown field is reported against that kind', (kind, fn) => {
    const expected = {
      severity: 'error',
      message: `invalid ${kind} config: bogus: unknown field`,
      field: { path: 'bogus' },
    };
    const text = fn(SPEC, { bogus: 1 } as never);
    expect(text).toMatchObject({ ok: false, output: SPEC, summary: NOTHING });
    expect(text.results).toContainEqual(expected);
    const objects = fn(OBJECTS, { bogus: 1 } as never);
    expect(objects.ok).toBe(false);
    expect(objects.output).toEqual(OBJECTS);
    expect(objects.results).toContainEqual(expected);
  });
});

describe('errors as results: located, the input unchanged', () => {
  test('unreadable input YAML names input.yaml when no path is given, with line and column', () => {
    expect(setFsGroup('a: [\n', { fsGroup: 1 })).toEqual({
      ok: false,
      output: 'a: [\n',
      results: [
        {
          severity: 'error',
          message: UNCLOSED,
          file: { path: 'input.yaml' },
          tags: { line: '2', column: '1' },
        },
      ],
      summary: NOTHING,
    });
    expect(setFsGroup('a: [\n', { fsGroup: 1 }, { path: 'app/spec.yaml' }).results).toEqual([
      {
        severity: 'error',
        message: UNCLOSED,
        file: { path: 'app/spec.yaml' },
        tags: { line: '2', column: '1' },
      },
    ]);
  });

  test('unreadable config text names config.yaml when no configPath is given', () => {
    const located = (path: string) => [
      { severity: 'error', message: UNCLOSED, file: { path }, tags: { line: '2', column: '1' } },
    ];
    expect(setFsGroup(SPEC, 'a: [\n')).toEqual({
      ok: false,
      output: SPEC,
      results: located('config.yaml'),
      summary: NOTHING,
    });
    expect(setFsGroup(SPEC, 'a: [\n', { configPath: 'fn/fs.yaml' }).results).toEqual(
      located('fn/fs.yaml'),
    );
  });

  test('objects: unreadable config text gives back a copy of the input, with the located error', () => {
    const input = structuredClone(OBJECTS);
    const out = setImagePullSecrets(input, 'names: [\n', { configPath: 'pull.yaml' });
    expect(out).toEqual({
      ok: false,
      output: OBJECTS,
      results: [
        {
          severity: 'error',
          message: UNCLOSED,
          file: { path: 'pull.yaml' },
          tags: { line: '2', column: '1' },
        },
      ],
    });
    expect(out.output).not.toBe(input);
    expect(out.output[0]).not.toBe(input[0]);
    (out.output[0].metadata as { name: string }).name = 'edited';
    expect(input).toEqual(OBJECTS);
  });

  test('objects: an empty list stays empty, with no result', () => {
    expect(setFsGroup([], { fsGroup: 1000 })).toEqual({ ok: true, output: [], results: [] });
  });

  test('text: only migration artifacts give an empty output and a warning, not an error', () => {
    expect(hydrate('v2kServiceManager: true\nglobal:\n  image: {}\n', { fsGroup: 1000 })).toEqual({
      ok: true,
      output: '',
      results: [
        {
          severity: 'info',
          message: 'left out: a migration plan, a migration artifact, not for the target cluster',
          file: { path: 'input.yaml' },
        },
        {
          severity: 'warning',
          message:
            'no Kubernetes resources in the input (input.yaml): every file is a migration artifact, the output is empty',
        },
      ],
      summary: NOTHING,
    });
  });
});

describe("a caller's own exception is thrown on, not turned into a result", () => {
  const config = {
    get fsGroup(): number {
      throw new RangeError('from the caller');
    },
  };

  test.each([
    ['text', SPEC],
    ['objects', OBJECTS],
  ])('%s', (_, input) => {
    expect(() => setFsGroup(input as never, config)).toThrow(new RangeError('from the caller'));
  });
});

describe('every form of config is read the same way', () => {
  const required = [
    {
      severity: 'error',
      message: 'invalid SetFsGroup config: fsGroup: is required',
      field: { path: 'fsGroup' },
    },
  ];

  test.each([
    ['no fields', {}],
    ['null', null],
    ['a number', 42],
  ])('%s: the fields are missing, reported as results (never thrown)', (_, config) => {
    expect(setFsGroup(SPEC, config as never)).toEqual({
      ok: false,
      output: SPEC,
      results: required,
      summary: NOTHING,
    });
    expect(setFsGroup(OBJECTS, config as never).results).toEqual(required);
  });

  test('a document with a kind but no apiVersion is refused, not completed', () => {
    const out = setFsGroup(SPEC, { kind: 'SetFsGroup', fsGroup: 1000 } as never);
    expect(out.results).toEqual([
      {
        severity: 'error',
        message: 'invalid SetFsGroup config: apiVersion: must be fn.retarget.dev/v1alpha1',
        field: { path: 'apiVersion' },
      },
    ]);
  });

  test('fields may not smuggle another kind in: a document of another kind is refused', () => {
    const out = setFsGroup(SPEC, {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'SetImagePullSecrets',
      fsGroup: 1000,
    } as never);
    expect(out).toMatchObject({ ok: false, output: SPEC });
    expect(out.results).toContainEqual({
      severity: 'error',
      message: 'invalid SetFsGroup config: kind: must be SetFsGroup or ConfigMap',
      field: { path: 'kind' },
    });
  });
});

describe('patchDockerfile: thrown errors name the file', () => {
  const DOCKERFILE = readFileSync(join(REPO, 'examples/quickstart/Dockerfile'), 'utf8');
  const AWS = {
    awsWorkloadIdentity: {
      roleArn: 'arn:aws:iam::123456789012:role/app',
      initSystem: 'systemd' as const,
    },
  };

  function thrown(fn: () => unknown): unknown {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error('expected a throw');
  }

  test('a config it cannot use: a ConfigError located at configPath', () => {
    const error = thrown(() =>
      patchDockerfile(DOCKERFILE, { fsGroup: 2000 }, { configPath: 'retarget.yaml' }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).location).toEqual({ path: 'retarget.yaml' });
    expect((error as ConfigError).problems).toEqual([
      { field: 'awsWorkloadIdentity', message: 'is required by retarget dockerfile' },
    ]);
    const invalid = thrown(() =>
      patchDockerfile(DOCKERFILE, { ...AWS, fsGroup: -1 }, { configPath: 'retarget.yaml' }),
    );
    expect((invalid as ConfigError).location).toEqual({ path: 'retarget.yaml' });
  });

  test('a Dockerfile it cannot patch: a SourceError at options.path and its line', () => {
    const error = thrown(() => patchDockerfile('RUN true\n', AWS, { path: 'app/Dockerfile' }));
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).location).toEqual({ path: 'app/Dockerfile', line: 1 });
  });
});
