import { parseAllDocuments } from 'yaml';
import { LEGACY_DEPLOYMENT, PLAIN_DEPLOYMENT, SERVICE, stream } from '../support/workloads';
import { runText } from '../support/run';

const config = (body: Record<string, unknown>) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetFsGroup',
  ...body,
});

function podSecurityContext(text: string, index = 0): unknown {
  const doc = parseAllDocuments(text)[index].toJS() as {
    spec: { template: { spec: { securityContext?: unknown } } };
  };
  return doc.spec.template.spec.securityContext;
}

describe('set-fs-group', () => {
  test('sets fsGroup and the change policy on every workload, once', () => {
    const input = stream(LEGACY_DEPLOYMENT, SERVICE, PLAIN_DEPLOYMENT);
    const cfg = config({ fsGroup: 1234, fsGroupChangePolicy: 'OnRootMismatch' });
    const { output, ok } = runText('set-fs-group', cfg, input);
    expect(ok).toBe(true);
    expect(podSecurityContext(output, 0)).toEqual({
      fsGroup: 1234,
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expect(podSecurityContext(output, 2)).toEqual({
      fsGroup: 1234,
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expect(runText('set-fs-group', cfg, output).output).toBe(output);
  });

  test('an empty flow securityContext becomes a block map', () => {
    const input = PLAIN_DEPLOYMENT.replace('    spec:\n', '    spec:\n      securityContext: {}\n');
    const { output } = runText('set-fs-group', config({ fsGroup: 7 }), input);
    expect(output).toContain('      securityContext:\n        fsGroup: 7\n');
  });

  test('a different existing fsGroup is a conflict unless override is set', () => {
    const input = PLAIN_DEPLOYMENT.replace(
      '    spec:\n',
      '    spec:\n      securityContext:\n        fsGroup: 1000\n',
    );
    const conflict = runText('set-fs-group', config({ fsGroup: 2000 }), input);
    expect(conflict.ok).toBe(false);
    expect(conflict.results[0]).toMatchObject({
      severity: 'error',
      resourceRef: { kind: 'Deployment', name: 'tomcat' },
      field: {
        path: 'spec.template.spec.securityContext.fsGroup',
        currentValue: 1000,
        proposedValue: 2000,
      },
      file: { path: 'input.yaml' },
      tags: { line: '11' },
    });
    const override = runText('set-fs-group', config({ fsGroup: 2000, override: true }), input);
    expect(override.ok).toBe(true);
    expect(podSecurityContext(override.output)).toEqual({ fsGroup: 2000 });
  });

  test('an existing fsGroup: 0 is a value (root group), not an absence: a conflict unless override', () => {
    const input = PLAIN_DEPLOYMENT.replace(
      '    spec:\n',
      '    spec:\n      securityContext:\n        fsGroup: 0\n',
    );
    const conflict = runText('set-fs-group', config({ fsGroup: 2000 }), input);
    expect(conflict.ok).toBe(false);
    expect(conflict.results).toHaveLength(1);
    expect(conflict.results[0]).toMatchObject({
      severity: 'error',
      message: 'fsGroup is 0, the config asks for 2000; set override: true to replace it',
      field: {
        path: 'spec.template.spec.securityContext.fsGroup',
        currentValue: 0,
        proposedValue: 2000,
      },
      tags: { line: '11' },
    });
    expect(conflict.output).toBe(input);
    const override = runText('set-fs-group', config({ fsGroup: 2000, override: true }), input);
    expect(override.ok).toBe(true);
    expect(podSecurityContext(override.output)).toEqual({ fsGroup: 2000 });
  });

  test('a wrong-typed fsGroup or securityContext is a located error', () => {
    const asString = PLAIN_DEPLOYMENT.replace(
      '    spec:\n',
      '    spec:\n      securityContext:\n        fsGroup: "1000"\n',
    );
    const r1 = runText('set-fs-group', config({ fsGroup: 2000 }), asString);
    expect(r1.ok).toBe(false);
    expect(r1.results[0]).toMatchObject({
      field: { path: 'spec.template.spec.securityContext.fsGroup' },
      tags: { line: '11' },
    });
    const scString = PLAIN_DEPLOYMENT.replace(
      '    spec:\n',
      '    spec:\n      securityContext: privileged\n',
    );
    const r2 = runText('set-fs-group', config({ fsGroup: 2000 }), scString);
    expect(r2.results[0]).toMatchObject({
      field: { path: 'spec.template.spec.securityContext' },
      message: expect.stringMatching(/map/),
    });
  });

  test('an existing fsGroupChangePolicy that is not a scalar is a located error, nothing written', () => {
    const input = PLAIN_DEPLOYMENT.replace(
      '    spec:\n',
      '    spec:\n      securityContext:\n        fsGroupChangePolicy: [Always]\n',
    );
    const r = runText(
      'set-fs-group',
      config({ fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch' }),
      input,
    );
    expect(r.ok).toBe(false);
    expect(r.results).toHaveLength(1);
    expect(r.results[0]).toMatchObject({
      severity: 'error',
      field: { path: 'spec.template.spec.securityContext.fsGroupChangePolicy' },
      tags: { line: '11' },
    });
  });

  test('out-of-range and mistyped configs name the field', () => {
    for (const [body, field] of [
      [{ fsGroup: -1 }, 'fsGroup'],
      [{ fsGroup: 'abc' }, 'fsGroup'],
      [{ fsGroup: 1, fsGroupChangePolicy: 'Sometimes' }, 'fsGroupChangePolicy'],
      [{}, 'fsGroup'],
      [{ fsGroup: 1, surprise: true }, 'surprise'],
    ] as const) {
      const { ok, results } = runText('set-fs-group', config(body), SERVICE);
      expect(ok).toBe(false);
      expect(results.map((r) => r.field?.path)).toContain(field);
    }
  });

  test('the selector limits the change', () => {
    const input = stream(LEGACY_DEPLOYMENT, PLAIN_DEPLOYMENT);
    const { output } = runText(
      'set-fs-group',
      config({ fsGroup: 5, selector: { names: ['tomcat'] } }),
      input,
    );
    expect(podSecurityContext(output, 0)).toBeUndefined();
    expect(podSecurityContext(output, 1)).toEqual({ fsGroup: 5 });
  });
});
