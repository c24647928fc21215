import fc from 'fast-check';
import { isMap, parseAllDocuments } from 'yaml';
import { parseDocumentStream, renderDocumentStream } from '../../src/yaml/document-stream';
import { packageText, retargetConfig } from '../support/arbitraries';
import { runText } from '../support/run';

// CI runs a fixed seed and a bounded number of runs; FC_RUNS / FC_SEED widen it locally.
const runs = Number(process.env.FC_RUNS ?? 60);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125;
const params = { numRuns: runs, seed };

function commentLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trimStart().startsWith('#') || / #/.test(l))
    .map((l) => l.slice(l.indexOf('#')));
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
    fc.assert(
      fc.property(packageText, retargetConfig, (text, config) => {
        const once = runText('hydrate', config, text);
        if (!once.ok) return; // e.g. a chained hook that is not exec; covered by unit tests
        expect(runText('hydrate', config, once.output).output).toBe(once.output);
      }),
      params,
    );
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
        { ...base, kind: 'SetImagePullSecrets', names: ['b'], registries: ['gcr.io/src-project'] },
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
    fc.assert(
      fc.property(packageText, configs, (text, [fn, config]) => {
        const once = runText(fn as string, config, text);
        if (!once.ok) return;
        expect(runText(fn as string, config, once.output).output).toBe(once.output);
      }),
      params,
    );
  });

  test('no document and no comment is lost', () => {
    fc.assert(
      fc.property(packageText, retargetConfig, (text, config) => {
        const { output, ok } = runText('hydrate', config, text);
        if (!ok) return;
        const before = parseAllDocuments(text).filter((d) => isMap(d.contents));
        const after = parseAllDocuments(output).filter((d) => isMap(d.contents));
        expect(after.length).toBeGreaterThanOrEqual(before.length);
        const kept = after
          .slice(0, before.length)
          .map((d) => [d.get('kind'), d.getIn(['metadata', 'name'])]);
        expect(kept).toEqual(before.map((d) => [d.get('kind'), d.getIn(['metadata', 'name'])]));
        const out = commentLines(output);
        for (const c of commentLines(text)) expect(out).toContain(c);
      }),
      params,
    );
  });

  test('resources the config excludes stay byte-identical', () => {
    fc.assert(
      fc.property(packageText, retargetConfig, (text, config) => {
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
        if (!result.ok) return;
        for (const d of stream.documents) {
          const annotations = d.doc.getIn(['metadata', 'annotations']) as
            { get?(k: string): unknown } | undefined;
          if (annotations?.get?.('config.kubernetes.io/local-config') === 'true') {
            expect(result.output).toContain(text.slice(d.start, d.end));
          }
        }
      }),
      params,
    );
  });
});
