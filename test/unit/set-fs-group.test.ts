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

  const PVC_POD = PLAIN_DEPLOYMENT.replace(
    '        name: tomcat\n',
    '        name: tomcat\n        volumeMounts:\n        - name: data\n          mountPath: /var/lib/tomcat\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: tomcat-data\n',
  );
  const CLAIM_TEMPLATE_SET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      containers:
      - name: db
        image: db:1
        volumeMounts:
        - name: pgdata
          mountPath: /var/lib/postgresql
  volumeClaimTemplates:
  - metadata:
      name: pgdata
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 10Gi
`;

  test('a pod that mounts a claim gets OnRootMismatch, with an info; once', () => {
    for (const [input, claim, index] of [
      [PVC_POD, 'PersistentVolumeClaim tomcat-data', 0],
      [CLAIM_TEMPLATE_SET, 'volumeClaimTemplates pgdata', 0],
      [stream(SERVICE, PVC_POD), 'PersistentVolumeClaim tomcat-data', 1],
    ] as const) {
      const { output, results, ok } = runText('set-fs-group', config({ fsGroup: 2000 }), input);
      expect(ok).toBe(true);
      expect(podSecurityContext(output, index)).toEqual({
        fsGroup: 2000,
        fsGroupChangePolicy: 'OnRootMismatch',
      });
      expect(results).toEqual([
        expect.objectContaining({
          severity: 'info',
          message: expect.stringContaining(
            `fsGroupChangePolicy: OnRootMismatch, as the pod mounts ${claim}`,
          ),
          field: { path: 'spec.template.spec.securityContext.fsGroupChangePolicy' },
        }),
      ]);
      const again = runText('set-fs-group', config({ fsGroup: 2000 }), output);
      expect(again.output).toBe(output);
      expect(again.results).toEqual(results);
    }
    // No claim, no policy.
    expect(
      podSecurityContext(
        runText('set-fs-group', config({ fsGroup: 2000 }), PLAIN_DEPLOYMENT).output,
      ),
    ).toEqual({ fsGroup: 2000 });
  });

  test('a policy in the config or the manifest wins', () => {
    const always = runText(
      'set-fs-group',
      config({ fsGroup: 2000, fsGroupChangePolicy: 'Always' }),
      PVC_POD,
    );
    expect(podSecurityContext(always.output)).toEqual({
      fsGroup: 2000,
      fsGroupChangePolicy: 'Always',
    });
    expect(always.results).toEqual([]);
    const manifest = PVC_POD.replace(
      '    spec:\n',
      '    spec:\n      securityContext:\n        fsGroupChangePolicy: Always\n',
    );
    const kept = runText('set-fs-group', config({ fsGroup: 2000 }), manifest);
    expect(podSecurityContext(kept.output)).toEqual({
      fsGroupChangePolicy: 'Always',
      fsGroup: 2000,
    });
    expect(kept.results).toEqual([]);
  });

  test('dataVolumes: skip leaves fsGroup off pods that mount data, and says so', () => {
    const input = stream(PVC_POD, CLAIM_TEMPLATE_SET, LEGACY_DEPLOYMENT);
    const { output, results, ok } = runText(
      'set-fs-group',
      config({ fsGroup: 2000, dataVolumes: 'skip' }),
      input,
    );
    expect(ok).toBe(true);
    expect(podSecurityContext(output, 0)).toBeUndefined();
    expect(podSecurityContext(output, 1)).toBeUndefined();
    expect(podSecurityContext(output, 2)).toEqual({ fsGroup: 2000 });
    expect(results.map((r) => [r.severity, r.resourceRef?.name])).toEqual([
      ['info', 'tomcat'],
      ['info', 'db'],
    ]);
  });

  // Which volumes count as the VM's data (and so get OnRootMismatch, or no fsGroup with
  // dataVolumes: skip), stated per volume kind, independent of the golden cases.
  describe('the data volumes a pod mounts', () => {
    const policyInfo = (mounts: string) =>
      `fsGroupChangePolicy: OnRootMismatch, as the pod mounts ${mounts}: with fsGroup the kubelet otherwise changes the group of every file on it at every mount; set fsGroupChangePolicy (or dataVolumes: skip) in the config to choose`;
    const withVolumes = (volumes: string) =>
      PLAIN_DEPLOYMENT.replace(
        '        name: tomcat\n',
        `        name: tomcat\n      volumes:\n${volumes}`,
      );
    const statefulSet = (
      mounts: string,
      templates: string,
      kind = 'StatefulSet',
    ) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: db
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: db:1
${mounts}
      containers:
      - name: db
        image: db:1
  volumeClaimTemplates:
${templates}`;

    test.each([
      [
        'two claims, each named by its claim',
        '      - name: data\n        persistentVolumeClaim:\n          claimName: tomcat-data\n      - name: logs\n        persistentVolumeClaim:\n          claimName: tomcat-logs\n',
        'PersistentVolumeClaim tomcat-data, PersistentVolumeClaim tomcat-logs',
      ],
      [
        'a claim without claimName, named by its volume',
        '      - name: data\n        persistentVolumeClaim: {readOnly: true}\n',
        'PersistentVolumeClaim data',
      ],
      [
        'a generic ephemeral volume',
        '      - name: scratch\n        ephemeral:\n          volumeClaimTemplate:\n            spec: {accessModes: [ReadWriteOnce]}\n',
        'ephemeral volume scratch',
      ],
      [
        'a claim and an ephemeral volume, an emptyDir left out',
        '      - name: tmp\n        emptyDir: {}\n      - name: data\n        persistentVolumeClaim:\n          claimName: d\n      - name: scratch\n        ephemeral: {}\n',
        'PersistentVolumeClaim d, ephemeral volume scratch',
      ],
    ])('%s', (_, volumes, mounts) => {
      const input = withVolumes(volumes);
      const set = runText('set-fs-group', config({ fsGroup: 2000 }), input);
      expect(set.ok).toBe(true);
      expect(set.results.map((r) => r.message)).toEqual([policyInfo(mounts)]);
      expect(podSecurityContext(set.output)).toEqual({
        fsGroup: 2000,
        fsGroupChangePolicy: 'OnRootMismatch',
      });
      const skip = runText('set-fs-group', config({ fsGroup: 2000, dataVolumes: 'skip' }), input);
      expect(skip.output).toBe(input);
      expect(skip.results).toEqual([
        expect.objectContaining({
          severity: 'info',
          message: `fsGroup not set (dataVolumes: skip): the pod mounts ${mounts}, whose files the kubelet would regroup; give the service users access in the image instead`,
          field: { path: 'spec.template.spec.securityContext.fsGroup' },
        }),
      ]);
    });

    test('volumes without data (emptyDir, configMap, secret) leave the policy alone', () => {
      const input = withVolumes(
        '      - name: tmp\n        emptyDir: {}\n      - name: conf\n        configMap: {name: c}\n      - name: s\n        secret: {secretName: s}\n',
      );
      const { output, results } = runText('set-fs-group', config({ fsGroup: 2000 }), input);
      expect(results).toEqual([]);
      expect(podSecurityContext(output)).toEqual({ fsGroup: 2000 });
    });

    test('a StatefulSet counts the claim templates its containers or init containers mount, only those', () => {
      const input = statefulSet(
        '        volumeMounts:\n        - name: pgdata\n          mountPath: /data\n        - name: 5\n          mountPath: /five',
        '  - metadata: {name: pgdata}\n  - metadata: {name: unused}\n  - metadata: {name: 5}\n  - spec: {}\n',
      );
      const { ok, results } = runText('set-fs-group', config({ fsGroup: 2000 }), input);
      expect(ok).toBe(true);
      expect(results.map((r) => r.message)).toEqual([policyInfo('volumeClaimTemplates pgdata')]);
    });

    test('claim templates of a kind other than StatefulSet are not volumes', () => {
      const input = statefulSet(
        '        volumeMounts:\n        - name: pgdata\n          mountPath: /data',
        '  - metadata: {name: pgdata}\n',
        'Deployment',
      );
      const { ok, output, results } = runText('set-fs-group', config({ fsGroup: 2000 }), input);
      expect(ok).toBe(true);
      expect(results).toEqual([]);
      expect(podSecurityContext(output)).toEqual({ fsGroup: 2000 });
    });

    test('a StatefulSet whose pod spec sits at a custom path and has no spec has no claim templates', () => {
      const input = `apiVersion: apps.example.com/v1
kind: StatefulSet
metadata:
  name: db
template:
  spec:
    containers:
    - name: db
      image: db:1
`;
      const cfg = config({
        fsGroup: 2000,
        podTemplatePaths: [{ kind: 'StatefulSet', path: 'template.spec' }],
      });
      const { ok, output, results } = runText('set-fs-group', cfg, input);
      expect(ok).toBe(true);
      expect(results).toEqual([]);
      expect(output).toBe(`${input}    securityContext:\n      fsGroup: 2000\n`);
      const badSpec = runText('set-fs-group', cfg, `${input}spec: 5\n`);
      expect(badSpec.ok).toBe(false);
      expect(badSpec.results).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: 'expected a map, found number',
          field: { path: 'spec' },
          tags: expect.objectContaining({ line: '10' }),
        }),
      ]);
    });

    test.each([
      [
        'volumes that are not a list',
        withVolumes('        data\n'),
        'spec.template.spec.volumes',
        'a list',
      ],
      [
        'a volume that is not a map',
        withVolumes('      - data\n'),
        'spec.template.spec.volumes[0]',
        'a map',
      ],
      [
        'a persistentVolumeClaim that is not a map',
        withVolumes(
          '      - name: tmp\n        emptyDir: {}\n      - name: data\n        persistentVolumeClaim: data\n',
        ),
        'spec.template.spec.volumes[1].persistentVolumeClaim',
        'a map',
      ],
      [
        'claim templates that are not a list',
        statefulSet('        volumeMounts: []', '    pgdata\n'),
        'spec.volumeClaimTemplates',
        'a list',
      ],
      [
        'a claim template that is not a map',
        statefulSet('        volumeMounts: []', '  - pgdata\n'),
        'spec.volumeClaimTemplates[0]',
        'a map',
      ],
      [
        'a claim template whose metadata is not a map',
        statefulSet('        volumeMounts: []', '  - metadata: {name: a}\n  - metadata: pgdata\n'),
        'spec.volumeClaimTemplates[1].metadata',
        'a map',
      ],
      [
        'volumeMounts that are not a list',
        statefulSet('        volumeMounts: pgdata', '  - metadata: {name: pgdata}\n'),
        'spec.template.spec.initContainers[0].volumeMounts',
        'a list',
      ],
    ])('%s is a located error, nothing written', (_, input, path, expected) => {
      const { ok, output, results } = runText('set-fs-group', config({ fsGroup: 2000 }), input);
      expect(ok).toBe(false);
      expect(output).toBe(input);
      expect(results).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(new RegExp(`^expected ${expected}, found `)),
          field: { path },
        }),
      ]);
    });
  });
});
