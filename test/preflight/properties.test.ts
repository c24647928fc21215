import fc from 'fast-check';
import { PREFLIGHT_CHECK_IDS } from '../../src/config/schemas';
import { packageText, retargetConfig } from '../support/arbitraries';
import { exercised } from '../support/exercised';
import { runText } from '../support/run';

// A fixed seed and bounded runs in CI; FC_RUNS / FC_SEED widen them locally.
const params = {
  numRuns: Number(process.env.FC_RUNS ?? 40),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125,
};

const target = fc.record({
  apiVersion: fc.constant('fn.retarget.dev/v1alpha1'),
  kind: fc.constant('Preflight'),
  platform: fc.constantFrom('gke', 'gke-autopilot', 'anthos-aws', 'eks', 'generic'),
  gcpProjectId: fc.constantFrom('src-project', 'project-b'),
  gcpProjectNumber: fc.constant('123456789012'),
  podSecurity: fc.constantFrom('privileged', 'baseline', 'restricted'),
  emitIamPolicyMember: fc.boolean(),
});

describe('preflight: properties over generated packages', () => {
  test('never throws, locates every finding, changes nothing but emitted grants, and is idempotent', () => {
    const reach = exercised('preflight findings');
    fc.assert(
      fc.property(packageText, target, (text, config) => {
        const once = runText('preflight', config, text);
        for (const r of once.results) {
          expect(PREFLIGHT_CHECK_IDS).toContain(r.tags?.check);
          expect(r.resourceRef).toBeDefined();
          expect(r.tags?.fix).toBeTruthy();
        }
        if (!config.emitIamPolicyMember) expect(once.output).toBe(text);
        else expect(once.output.startsWith(text.replace(/\n?$/, ''))).toBe(true);
        const twice = runText('preflight', config, once.output);
        expect(twice.output).toBe(once.output);
        reach.run(once.results.length > 0);
      }),
      params,
    );
    reach.assert();
  });

  test('as the last stage of hydrate, the output is still idempotent', () => {
    const reach = exercised('preflight stage');
    fc.assert(
      fc.property(packageText, retargetConfig, target, (text, retarget, t) => {
        const section: Record<string, unknown> = { ...t };
        delete section.apiVersion;
        delete section.kind;
        const config = { ...(retarget as Record<string, unknown>), target: section };
        const once = runText('hydrate', config, text);
        if (!once.ok) {
          // An error finding (or an fsGroup conflict): reported again the same, nothing added.
          expect(once.results.some((r) => r.severity === 'error')).toBe(true);
          expect(runText('hydrate', config, text).results).toEqual(once.results);
          reach.run(true);
          return;
        }
        reach.run(once.results.some((r) => r.tags?.check !== undefined) || once.output !== text);
        const twice = runText('hydrate', config, once.output);
        expect(twice.ok).toBe(true);
        expect(twice.output).toBe(once.output);
      }),
      params,
    );
    reach.assert();
  });
});
