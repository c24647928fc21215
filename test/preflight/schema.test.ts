import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownGroupVersions, modelFor } from '../../src/preflight/schema/kubernetes-models';
import { DIST, REPO } from '../support/run';

describe('the Kubernetes schemas come from kubernetes-models', () => {
  test('every group-version the package exports is in the table, and nothing else', () => {
    const pkg = JSON.parse(
      readFileSync(join(REPO, 'node_modules/kubernetes-models/package.json'), 'utf8'),
    ) as { exports: Record<string, unknown> };
    const exported = Object.keys(pkg.exports)
      .filter((key) => key !== '.' && !key.endsWith('/*'))
      .map((key) => key.slice(2))
      .filter((key) => key === 'v1' || key.includes('/'));
    expect(knownGroupVersions().sort()).toEqual(exported.sort());
  });

  test('kinds resolve to validators by apiVersion and kind; sub-objects and unknowns do not', () => {
    const deployment = modelFor('apps/v1', 'Deployment');
    expect(typeof deployment).toBe('function');
    expect(modelFor('apps/v1', 'DeploymentSpec')).toBe('unknown-kind');
    expect(modelFor('apps/v1', 'toString')).toBe('unknown-kind');
    expect(modelFor('apps/v9', 'Deployment')).toBe('unknown-version');
    if (typeof deployment !== 'function') return;
    expect(() =>
      new deployment({ metadata: { name: 'x' }, spec: { selector: {}, template: {} } }).validate(),
    ).not.toThrow();
    expect(() =>
      new deployment({ metadata: { name: 'x' }, spec: { replicas: 'two' } }).validate(),
    ).toThrow();
  });

  test('the bundle keeps the schemas in their own file, out of every executable', () => {
    if (!existsSync(join(DIST, 'kubernetes-models.js'))) {
      if (process.env.CI === 'true') throw new Error('dist/ is not built');
      console.warn('*** SKIPPING bundle layout check: run npm run build first ***');
      return;
    }
    for (const bin of [
      'retarget',
      'retarget-preflight',
      'retarget-hydrate',
      'retarget-set-fs-group',
    ]) {
      const text = readFileSync(join(DIST, `${bin}.js`), 'utf8');
      expect(text).not.toContain('IoK8sApiAppsV1Deployment');
    }
    expect(readFileSync(join(DIST, 'retarget-preflight.js'), 'utf8')).toContain(
      'require("./kubernetes-models.js")',
    );
    expect(readFileSync(join(DIST, 'kubernetes-models.js'), 'utf8')).toContain(
      'IoK8sApiAppsV1Deployment',
    );
  });
});
