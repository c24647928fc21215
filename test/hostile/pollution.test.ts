import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKrm } from '../../src/cli/krm';
import { loadConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';
import { findFunction } from '../../src/pipeline/functions';
import { parseConfigText, transformFiles } from '../../src/pipeline/file-mode';
import { HOSTILE } from './support';

/**
 * `__proto__`, `constructor` and `prototype` keys in inputs and configs are data: they are
 * kept in the output (inputs) or refused by the schema (configs), and never reach
 * Object.prototype. Checked in-process, where a pollution would be visible.
 */
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const before = PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort());

function expectClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort())).toEqual(before);
}

const hydrate = findFunction('hydrate')!;
const INPUT = readFileSync(join(HOSTILE, 'proto-keys/input.yaml'), 'utf8');
const RETARGET = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'Retarget',
  fsGroup: 2000,
  awsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/app', initSystem: 'systemd' },
};

function configProblems(kind: 'Retarget' | 'SetFsGroup', config: unknown): string[] {
  try {
    loadConfig(kind, config);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.field);
  }
}

describe('prototype keys', () => {
  afterEach(expectClean);

  test('inputs: __proto__ and constructor keys are kept as data in file mode', () => {
    const outcome = transformFiles(hydrate, RETARGET, 'c.yaml', [
      { path: 'in.yaml', outputName: 'in.yaml', text: INPUT },
    ]);
    expect(outcome.ok).toBe(true);
    const out = outcome.files[0].text;
    for (const kept of [
      '    __proto__: polluted',
      '    constructor: polluted',
      '- name: __proto__',
      '__proto__: \'{"polluted": true}\'',
      '  __proto__:\n    polluted: true',
      '  constructor:\n    prototype:\n      polluted: true',
      '  toString: polluted',
    ]) {
      expect(out).toContain(kept);
    }
    expect(out).toContain('fsGroup: 2000');
  });

  test('inputs: the same in KRM mode, with a functionConfig that carries such keys', () => {
    const list = [
      'apiVersion: config.kubernetes.io/v1',
      'kind: ResourceList',
      'items:',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    name: c',
      '    labels: {__proto__: x, constructor: y}',
      '  data: {__proto__: {polluted: "true"}}',
      'functionConfig:',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  data:',
      '    fsGroup: "2000"',
      '    __proto__.polluted: "true"',
      '    constructor.prototype.polluted: "true"',
      '',
    ].join('\n');
    const outcome = runKrm(findFunction('set-fs-group')!, list);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.results.map((r) => r.field?.path)).toEqual(
      expect.arrayContaining(['data.__proto__', 'data.constructor']),
    );
    expect(outcome.stdout).toContain('labels: {__proto__: x, constructor: y}');
  });

  test('configs: ConfigMap data keys and YAML values aimed at the prototype are refused by name', () => {
    const data = {
      fsGroup: '2000',
      '__proto__.polluted': 'true',
      'constructor.prototype.polluted': 'true',
      'selector.__proto__': 'x',
      selector:
        '{__proto__: {polluted: true}, labels: {constructor: {prototype: {polluted: true}}}}',
    };
    const problems = configProblems('SetFsGroup', { apiVersion: 'v1', kind: 'ConfigMap', data });
    expect(problems).toEqual(expect.arrayContaining(['data.__proto__', 'data.constructor']));
  });

  test('configs: a YAML config with __proto__ at any level is refused, naming the field', () => {
    const text = [
      'apiVersion: fn.retarget.dev/v1alpha1',
      'kind: Retarget',
      '__proto__:',
      '  polluted: true',
      'selector:',
      '  labels:',
      '    __proto__: x',
      '  __proto__: {polluted: true}',
      'awsWorkloadIdentity:',
      '  roleArn: arn:aws:iam::123456789012:role/app',
      '  constructor: {prototype: {polluted: true}}',
      '',
    ].join('\n');
    const problems = configProblems('Retarget', parseConfigText(text, 'c.yaml', 'Retarget'));
    expect(problems).toEqual(
      expect.arrayContaining([
        '__proto__',
        'selector.__proto__',
        'selector.labels',
        'awsWorkloadIdentity.constructor',
      ]),
    );
  });
});
