import {
  artifactEvidenceOf,
  asRecord,
  attachArtifactEvidence,
  configEvidence,
  decideRuntime,
  describeEvidence,
  EVIDENCE_ORDER,
  KIND_LABEL,
  LEGACY_PROBE,
  planBody,
  planEvidence,
  RuntimeConflictError,
  SERVICE_MANAGER_PROBES,
} from '../../src/runtime/evidence';
import type { RuntimeEvidence } from '../../src/runtime/evidence';

/**
 * The rules of src/runtime/evidence.ts stated as a table: which piece decides, which
 * combinations contradict, the exact messages, and what a plan says, shape by shape.
 */
const piece = (
  source: RuntimeEvidence['source'],
  kind: RuntimeEvidence['kind'],
  allows: RuntimeEvidence['allows'] = [kind],
  where?: string,
): RuntimeEvidence => ({
  source,
  kind,
  allows,
  reason: `${source} says ${kind}`,
  ...(where ? { where } : {}),
});

describe('the constants the messages and decisions use', () => {
  test('strength order, labels, probe programs', () => {
    expect(EVIDENCE_ORDER).toEqual(['config', 'spec', 'plan', 'dockerfile']);
    expect(KIND_LABEL).toEqual({
      legacy: 'legacy runtime',
      'service-manager': 'service-manager runtime',
      plain: 'plain container',
    });
    expect(SERVICE_MANAGER_PROBES).toEqual(['/gamma', 'gamma', '/ko-app/service-manager-runtime']);
    expect(LEGACY_PROBE).toBe('/code/ready.sh');
  });
});

describe('describeEvidence', () => {
  test.each([
    [
      piece('spec', 'legacy', ['legacy'], 's.yaml:9'),
      'spec s.yaml:9: spec says legacy (legacy runtime)',
    ],
    [piece('plan', 'service-manager'), 'plan: plan says service-manager (service-manager runtime)'],
    [
      piece('dockerfile', 'plain', ['plain'], 'Dockerfile:1'),
      'dockerfile Dockerfile:1: dockerfile says plain (plain container)',
    ],
  ])('%j', (e, text) => {
    expect(describeEvidence(e)).toBe(text);
  });
});

describe('decideRuntime', () => {
  test('no evidence: no answer', () => {
    expect(decideRuntime([])).toBeUndefined();
  });

  test('the strongest piece decides whatever the order given; evidence comes back strongest first', () => {
    const dockerfile = piece('dockerfile', 'legacy', ['legacy', 'service-manager']);
    const plan = piece('plan', 'legacy');
    const spec = piece('spec', 'legacy', ['legacy'], 'd.yaml:3');
    const d = decideRuntime([dockerfile, plan, spec]);
    expect(d).toEqual({ kind: 'legacy', decidedBy: spec, evidence: [spec, plan, dockerfile] });
    expect(decideRuntime([plan, dockerfile])).toEqual({
      kind: 'legacy',
      decidedBy: plan,
      evidence: [plan, dockerfile],
    });
  });

  test('a weaker piece that allows the answer (a v1.9+ image) agrees', () => {
    const plan = piece('plan', 'service-manager');
    const dockerfile = piece('dockerfile', 'legacy', ['legacy', 'service-manager']);
    expect(decideRuntime([dockerfile, plan])).toEqual({
      kind: 'service-manager',
      decidedBy: plan,
      evidence: [plan, dockerfile],
    });
  });

  test('the config decides alone, even against every artifact', () => {
    const config = piece('config', 'plain');
    const spec = piece('spec', 'legacy');
    expect(decideRuntime([spec, config])).toEqual({
      kind: 'plain',
      decidedBy: config,
      evidence: [config, spec],
    });
  });

  test('two pieces of the same strength that agree: no conflict', () => {
    const a = piece('spec', 'legacy', ['legacy'], 'a.yaml:1');
    const b = piece('spec', 'legacy', ['legacy'], 'b.yaml:1');
    expect(decideRuntime([a, b])?.kind).toBe('legacy');
  });

  test('two of the same strength that disagree, even where each allows the other: a conflict', () => {
    const a = piece('dockerfile', 'legacy', ['legacy', 'service-manager']);
    const b = piece('dockerfile', 'service-manager', ['legacy', 'service-manager']);
    expect(() => decideRuntime([a, b])).toThrow(RuntimeConflictError);
  });

  test('a weaker piece that rules the answer out: the conflict names every piece, strongest first', () => {
    const plan = piece('plan', 'service-manager', ['service-manager'], 'migration.yaml');
    const spec = piece('spec', 'legacy', ['legacy'], 'd.yaml:9');
    let error: unknown;
    try {
      decideRuntime([plan, spec]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeConflictError);
    const conflict = error as RuntimeConflictError;
    expect(conflict.name).toBe('RuntimeConflictError');
    expect(conflict.kind).toBe('legacy');
    expect(conflict.evidence).toEqual([spec, plan]);
    expect(conflict.message).toBe(
      'the migration artifacts disagree on the runtime: spec d.yaml:9: spec says legacy (legacy runtime); plan migration.yaml: plan says service-manager (service-manager runtime); fix the artifact that was edited or belongs to another workload, or set runtime in the config',
    );
  });
});

describe('configEvidence', () => {
  test.each(['legacy', 'service-manager', 'plain'] as const)('runtime: %s decides', (runtime) => {
    expect(configEvidence(runtime)).toEqual({
      source: 'config',
      kind: runtime,
      allows: [runtime],
      reason: `runtime: ${runtime}`,
    });
  });

  test('the reason names the field it came from', () => {
    expect(configEvidence('plain', 'spec.runtime')?.reason).toBe('spec.runtime: plain');
  });

  test.each([['auto'], [undefined], ['Legacy'], ['']])('%j gives no evidence', (runtime) => {
    expect(configEvidence(runtime)).toBeUndefined();
  });
});

describe('planEvidence', () => {
  const probes = (...commands: unknown[]) => ({
    deployment: {
      probes: Object.fromEntries(commands.map((c, i) => [`p${i}`, { exec: { command: c } }])),
    },
  });

  test.each([
    [true, 'service-manager'],
    [false, 'legacy'],
  ] as const)('v2kServiceManager: %s', (flag, kind) => {
    expect(planEvidence({ v2kServiceManager: flag }, 'migration.yaml')).toStrictEqual({
      source: 'plan',
      kind,
      allows: [kind],
      reason: `v2kServiceManager: ${flag}`,
      where: 'migration.yaml',
    });
    // No place given: no `where` key at all.
    expect(planEvidence({ v2kServiceManager: flag })).toStrictEqual({
      source: 'plan',
      kind,
      allows: [kind],
      reason: `v2kServiceManager: ${flag}`,
    });
  });

  test('the flag wins over probes; a flag that is not a boolean is no flag', () => {
    const legacyProbes = probes(['/code/ready.sh']);
    expect(planEvidence({ v2kServiceManager: true, ...legacyProbes })?.kind).toBe(
      'service-manager',
    );
    expect(planEvidence({ v2kServiceManager: 'true', ...legacyProbes })?.kind).toBe('legacy');
  });

  test.each(['/gamma', 'gamma', '/ko-app/service-manager-runtime'])(
    'probe %s: the service manager',
    (program) => {
      expect(planEvidence(probes([program, 'probe']), 'plan.yaml')).toStrictEqual({
        source: 'plan',
        kind: 'service-manager',
        allows: ['service-manager'],
        reason: `probe ${program}`,
        where: 'plan.yaml',
      });
    },
  );

  test('probe /code/ready.sh: the legacy runtime', () => {
    expect(planEvidence(probes(['/code/ready.sh']), 'plan.yaml')).toStrictEqual({
      source: 'plan',
      kind: 'legacy',
      allows: ['legacy'],
      reason: 'probe /code/ready.sh',
      where: 'plan.yaml',
    });
    expect(planEvidence(probes(['/code/ready.sh']))).toStrictEqual({
      source: 'plan',
      kind: 'legacy',
      allows: ['legacy'],
      reason: 'probe /code/ready.sh',
    });
  });

  test('probes that say nothing are passed over for the next one', () => {
    expect(planEvidence(probes(['/bin/true'], 'gamma', [7], [], ['/gamma']))?.reason).toBe(
      'probe /gamma',
    );
    const plan = {
      deployment: {
        probes: {
          a: 'text',
          b: { httpGet: {} },
          c: { exec: 'x' },
          d: { exec: { command: ['gamma'] } },
        },
      },
    };
    expect(planEvidence(plan)?.reason).toBe('probe gamma');
  });

  test.each([
    ['no deployment', { global: {} }],
    ['deployment not a map', { deployment: 'x' }],
    ['no probes', { deployment: {} }],
    ['probes not a map', { deployment: { probes: ['x'] } }],
    [
      'only unknown probe programs',
      { deployment: { probes: { a: { exec: { command: ['/x'] } } } } },
    ],
    ['not a map', 'v2kServiceManager: true'],
    ['null', null],
  ])('%s: no evidence', (_n, plan) => {
    expect(planEvidence(plan)).toBeUndefined();
  });
});

describe('planBody', () => {
  test('a plan without apiVersion is its own body', () => {
    const plan = { v2kServiceManager: true, spec: { x: 1 } };
    expect(planBody(plan)).toBe(plan);
  });

  test('an object with a kind: its spec', () => {
    const spec = { v2kServiceManager: false };
    expect(planBody({ kind: 'GenerateArtifactsFlow', spec })).toBe(spec);
    // A kind that is not a string, or no spec: the object itself.
    const odd = { kind: 3, spec };
    expect(planBody(odd)).toBe(odd);
    const bare = { kind: 'GenerateArtifactsFlow' };
    expect(planBody(bare)).toBe(bare);
  });

  test('an AppX dump: the plan parsed from its text', () => {
    expect(
      planBody({
        kind: 'AppXGenerateArtifactsFlow',
        spec: { appXGenerateArtifactsConfig: 'v2kServiceManager: true\n' },
      }),
    ).toEqual({ v2kServiceManager: true });
    // Without a kind too: the text is what counts.
    expect(planBody({ spec: { appXGenerateArtifactsConfig: 'a: 1\n' } })).toEqual({ a: 1 });
  });

  test.each([
    ['text that is no YAML', 'a: [1\n'],
    ['text that is a list', '- a\n'],
    ['text that is a scalar', 'just words'],
  ])('an AppX dump whose %s: no body', (_n, text) => {
    expect(
      planBody({ kind: 'AppXGenerateArtifactsFlow', spec: { appXGenerateArtifactsConfig: text } }),
    ).toBeUndefined();
  });

  test('an AppX config that is not text: the spec', () => {
    const spec = { appXGenerateArtifactsConfig: { v2kServiceManager: true } };
    expect(planBody({ kind: 'AppXGenerateArtifactsFlow', spec })).toBe(spec);
  });

  test.each([[null], [[1]], ['text'], [3]])('%j: no body', (value) => {
    expect(planBody(value)).toBeUndefined();
  });
});

describe('asRecord', () => {
  test('a map is itself; a list, null, a scalar are not maps', () => {
    const map = { a: 1 };
    expect(asRecord(map)).toBe(map);
    for (const v of [[], null, undefined, 'a', 1, true]) expect(asRecord(v)).toBeUndefined();
  });
});

describe('artifact evidence attached to a resource', () => {
  test('what is attached is read back, as a copy; nothing attached reads as none', () => {
    const resource = {};
    const evidence = [piece('plan', 'legacy')];
    attachArtifactEvidence(resource, evidence);
    evidence.push(piece('dockerfile', 'plain'));
    expect(artifactEvidenceOf(resource)).toEqual([piece('plan', 'legacy')]);
    expect(artifactEvidenceOf({})).toEqual([]);
  });

  test('attaching no evidence leaves earlier evidence in place', () => {
    const resource = {};
    attachArtifactEvidence(resource, [piece('spec', 'legacy')]);
    attachArtifactEvidence(resource, []);
    expect(artifactEvidenceOf(resource)).toEqual([piece('spec', 'legacy')]);
  });
});
