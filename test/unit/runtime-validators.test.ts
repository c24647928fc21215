import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { ConfigKind } from '../../src/config/schemas';

/**
 * The mutation runs validate configs with validators compiled at test time from the
 * (mutated) schemas, test/support/runtime-validators.js, in place of the precompiled ones
 * (stryker.config.json's moduleNameMapper). They must be the same validators, and the
 * mapping must catch the module src/config/load.ts imports, or a schema mutant is again
 * out of every test's reach.
 */
const root = join(__dirname, '../..');
type Validators = Record<ConfigKind, ValidateFunction>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generated = require('../../src/config/validators.generated.js') as Validators;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../support/runtime-validators.js') as Validators;

const CASES: [ConfigKind, Record<string, unknown>][] = [
  ['SetImagePullSecrets', { names: ['gcr-json-key'] }],
  ['SetImagePullSecrets', { names: ['GCR'] }],
  ['SetFsGroup', { fsGroup: 1000 }],
  ['SetFsGroup', { fsGroup: 0 }],
  ['SetFsGroup', { fsGroup: 1000, fsGroupChangePolicy: 'Sometimes' }],
  ['LinkKubernetesInfoSecrets', {}],
  ['SetAwsWorkloadIdentity', { roleArn: 'arn:aws:iam::123456789012:role/app' }],
  ['SetAwsWorkloadIdentity', { roleArn: 'arn:aws:iam::123456789012:role/app', extra: 1 }],
  ['SetAwsWorkloadIdentity', { roleArn: 'arn:aws:iam::12345678901:role/app' }],
  ['Retarget', {}],
  ['Preflight', {}],
  ['PortDataVolumes', { platform: 'gke' }],
  ['PortDataVolumes', { platform: 'openshift' }],
];

describe('validators compiled at test time (mutation runs)', () => {
  test.each(CASES)(
    '%s %j: same verdict, errors and defaults as the precompiled one',
    (kind, body) => {
      const a = structuredClone(body);
      const b = structuredClone(body);
      const okA = generated[kind](a);
      const okB = runtime[kind](b);
      expect(okB).toBe(okA);
      expect(runtime[kind].errors ?? null).toEqual(generated[kind].errors ?? null);
      expect(b).toEqual(a);
    },
  );

  test('every config kind is there, as in the generated module', () => {
    expect(Object.keys(runtime).sort()).toEqual(Object.keys(generated).sort());
  });

  test('they read the schemas when first used: a changed schema is the one validating', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CONFIG_SCHEMAS } = require('../../src/config/schemas') as {
        CONFIG_SCHEMAS: Record<string, { properties: Record<string, Record<string, unknown>> }>;
      };
      CONFIG_SCHEMAS.SetImagePullSecrets.properties.names = { type: 'array', maxItems: 0 };
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../support/runtime-validators.js') as Validators;
      expect(fresh.SetImagePullSecrets({ names: ['gcr-json-key'] })).toBe(false);
    });
  });

  test('stryker.config.json maps the module src/config/load.ts imports to them', () => {
    const stryker = JSON.parse(readFileSync(join(root, 'stryker.config.json'), 'utf8')) as {
      jest: { config: { moduleNameMapper: Record<string, string> } };
    };
    const load = readFileSync(join(root, 'src/config/load.ts'), 'utf8');
    const imported = /import validators from '([^']+)'/.exec(load)?.[1];
    expect(imported).toBe('./validators.generated');
    const entries = Object.entries(stryker.jest.config.moduleNameMapper);
    const hits = entries.filter(([pattern]) => new RegExp(pattern).test(imported!));
    expect(hits.map(([, target]) => target)).toEqual([
      '<rootDir>/test/support/runtime-validators.js',
    ]);
    // Nothing else is caught by the mapping (the schemas themselves, the loader).
    for (const other of ['./schemas', './load', '../config/validators.generated.d'])
      expect(entries.some(([pattern]) => new RegExp(pattern).test(other))).toBe(false);
  });
});
