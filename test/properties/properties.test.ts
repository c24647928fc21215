import fc from 'fast-check';
import { isMap, parseAllDocuments } from 'yaml';
import { parseDocumentStream, renderDocumentStream } from '../../src/yaml/document-stream';
import {
  packageText,
  retargetConfig,
  retargetConfigNoConflict,
  withLocalConfig,
} from '../support/arbitraries';
import { exercised } from '../support/exercised';
import { runText } from '../support/run';

// CI runs a fixed seed and a bounded number of runs; FC_RUNS / FC_SEED widen it locally.
const runs = Number(process.env.FC_RUNS ?? 60);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125;
const params = { numRuns: runs, seed };

function commentLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trimStart().startsWith('#') || / #/.test(l))
    .map((l) => l.slice(l.indexOf('#')));
}

/** Each comment with how many times it occurs: a duplicated comment lost once shows. */
function commentCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of commentLines(text)) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

// The errors a generated package can meet: an existing fsGroup the config conflicts with.
const EXPECTED_ERROR =
  /^fsGroup is \d+, the config asks for \d+; set override: true to replace it$/;

/**
 * One run of a function over a package: an ok run is idempotent; an error run reports only
 * expected, located errors, the same ones again. Returns whether the run reached the code
 * under test: it changed the package or reported a conflict.
 */
function checkRun(fn: string, config: unknown, text: string): boolean {
  const once = runText(fn, config, text);
  if (!once.ok) {
    const errors = once.results.filter((r) => r.severity === 'error');
    for (const e of errors) {
      expect(e.message).toMatch(EXPECTED_ERROR);
      expect(e.field?.path).toMatch(/securityContext\.fsGroup$/);
      expect(e.tags?.line).toBeDefined();
    }
    expect(runText(fn, config, text).results).toEqual(once.results);
    return errors.length > 0;
  }
  const twice = runText(fn, config, once.output);
  expect(twice.ok).toBe(true);
  expect(twice.output).toBe(once.output);
  return once.output !== text;
}

describe('properties', () => {
  test('a no-op pass returns every package byte for byte', () => {
    fc.assert(
      fc.property(packageText, (text) => {
        expect(renderDocumentStream(parseDocumentStream(text, 'p.yaml'))).toBe(text);
      }),
      params,
    );
  });

  test('hydrate is idempotent, byte for byte', () => {
    const reach = exercised('hydrate idempotence');
    fc.assert(
      fc.property(packageText, retargetConfig, (text, config) => {
        reach.run(checkRun('hydrate', config, text));
      }),
      params,
    );
    reach.assert();
  });

  test('each function alone is idempotent, byte for byte', () => {
    const base = { apiVersion: 'fn.retarget.dev/v1alpha1' };
    const configs = fc.constantFrom(
      [
        'set-image-pull-secrets',
        {
          ...base,
          kind: 'SetImagePullSecrets',
          names: ['a', 'existing'],
          serviceAccounts: ['default'],
        },
      ],
      [
        'set-image-pull-secrets',
        {
          ...base,
          kind: 'SetImagePullSecrets',
          names: ['b'],
          registries: ['gcr.io/src-project', 'europe-docker.pkg.dev/src-project', 'quay.io'],
        },
      ],
      [
        'set-fs-group',
        {
          ...base,
          kind: 'SetFsGroup',
          fsGroup: 2000,
          override: true,
          fsGroupChangePolicy: 'Always',
        },
      ],
      [
        'link-kubernetes-info-secrets',
        { ...base, kind: 'LinkKubernetesInfoSecrets', initSystem: 'systemd' },
      ],
      [
        'link-kubernetes-info-secrets',
        { ...base, kind: 'LinkKubernetesInfoSecrets', runtime: 'legacy' },
      ],
      [
        'set-aws-workload-identity',
        {
          ...base,
          kind: 'SetAwsWorkloadIdentity',
          roleArn: 'arn:aws:iam::123456789012:role/x',
          initSystem: 'systemd',
          serviceAccountName: 'sa',
        },
      ],
      [
        'set-aws-workload-identity',
        {
          ...base,
          kind: 'SetAwsWorkloadIdentity',
          roleArn: 'arn:aws:iam::123456789012:role/x',
          stsRegionalEndpoints: 'regional',
        },
      ],
    );
    const reach = new Map<string, ReturnType<typeof exercised>>();
    fc.assert(
      fc.property(packageText, configs, (text, [fn, config]) => {
        const name = `${fn as string} ${JSON.stringify(config)}`;
        if (!reach.has(name)) reach.set(name, exercised(name));
        reach.get(name)!.run(checkRun(fn as string, config, text));
      }),
      { ...params, numRuns: Math.max(params.numRuns, 140) },
    );
    // Every function and config, not only most runs overall, was put to work.
    expect(reach.size).toBe(7);
    for (const r of reach.values()) r.assert();
  });

  // Apart from the test above, so its draws (and each config's share of them) stay as they are.
  test('set-gcp-workload-identity alone is idempotent, byte for byte', () => {
    const base = { apiVersion: 'fn.retarget.dev/v1alpha1' };
    const configs = fc.constantFrom(
      [
        'set-gcp-workload-identity',
        {
          ...base,
          kind: 'SetGcpWorkloadIdentity',
          projectId: 'prod-cluster',
          gcpServiceAccount: 'workload@prod-cluster.iam.gserviceaccount.com',
          // emitIamPolicyMember is left out: a package without namespaces makes it an error.
          override: true,
        },
      ],
      [
        'set-gcp-workload-identity',
        {
          ...base,
          kind: 'SetGcpWorkloadIdentity',
          projectId: 'prod-cluster',
          principal: 'direct',
          projectNumber: '123456789012',
          roles: ['roles/storage.objectViewer'],
          platform: 'gke-autopilot',
          serviceAccountName: 'sa',
        },
      ],
    );
    const reach = new Map<string, ReturnType<typeof exercised>>();
    fc.assert(
      fc.property(packageText, configs, (text, [fn, config]) => {
        const name = `${fn as string} ${JSON.stringify(config)}`;
        if (!reach.has(name)) reach.set(name, exercised(name));
        reach.get(name)!.run(checkRun(fn as string, config, text));
      }),
      { ...params, numRuns: Math.max(params.numRuns, 40) },
    );
    expect(reach.size).toBe(2);
    for (const r of reach.values()) r.assert();
  });

  test('no document and no comment is lost', () => {
    const reach = exercised('no document lost');
    fc.assert(
      fc.property(packageText, retargetConfigNoConflict, (text, config) => {
        const { output, ok } = runText('hydrate', config, text);
        // An error run writes nothing: there is no output to lose anything from.
        if (!reach.run(ok && output !== text)) return;
        const before = parseAllDocuments(text).filter((d) => isMap(d.contents));
        const after = parseAllDocuments(output).filter((d) => isMap(d.contents));
        expect(after.length).toBeGreaterThanOrEqual(before.length);
        const kept = after
          .slice(0, before.length)
          .map((d) => [d.get('kind'), d.getIn(['metadata', 'name'])]);
        expect(kept).toEqual(before.map((d) => [d.get('kind'), d.getIn(['metadata', 'name'])]));
        const out = commentCounts(output);
        for (const [c, n] of commentCounts(text)) expect(out.get(c) ?? 0).toBeGreaterThanOrEqual(n);
      }),
      params,
    );
    reach.assert();
  });

  test('resources the config excludes stay byte-identical', () => {
    const reach = exercised('local-config kept');
    fc.assert(
      fc.property(withLocalConfig(packageText), retargetConfigNoConflict, (text, config) => {
        const { output, ok } = runText(
          'hydrate',
          { ...config, selector: { kinds: ['NoSuchKind'] } },
          text,
        );
        expect(ok).toBe(true);
        expect(output).toBe(text);
        // local-config documents are never changed: their source text survives whole.
        const stream = parseDocumentStream(text, 'p.yaml');
        const result = runText('hydrate', config, text);
        expect(result.ok).toBe(true);
        let local = 0;
        for (const d of stream.documents) {
          const annotations = d.doc.getIn(['metadata', 'annotations']) as
            { get?(k: string): unknown } | undefined;
          if (annotations?.get?.('config.kubernetes.io/local-config') === 'true') {
            expect(result.output).toContain(text.slice(d.start, d.end));
            local++;
          }
        }
        reach.run(local > 0);
      }),
      params,
    );
    reach.assert();
  });
});
