import { parseAllDocuments } from 'yaml';
import { CHAIN_ARG0 } from '../../src/shell/link-script';
import {
  LEGACY_DEPLOYMENT,
  PLAIN_DEPLOYMENT,
  SERVICE_MANAGER_DEPLOYMENT,
  stream,
} from '../support/workloads';
import { runText } from '../support/run';

const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'LinkKubernetesInfoSecrets',
  ...body,
});

type Container = {
  name: string;
  lifecycle?: { postStart?: { exec?: { command: string[] } } };
  volumeMounts?: unknown[];
};
function containers(text: string, index: number): Container[] {
  const doc = parseAllDocuments(text)[index].toJS() as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  return doc.spec.template.spec.containers;
}

describe('link-kubernetes-info-secrets', () => {
  test('adds the postStart link only to legacy-runtime containers', () => {
    const input = stream(LEGACY_DEPLOYMENT, SERVICE_MANAGER_DEPLOYMENT, PLAIN_DEPLOYMENT);
    const { output, ok } = runText('link-kubernetes-info-secrets', config(), input);
    expect(ok).toBe(true);
    const [legacy] = containers(output, 0);
    expect(legacy.lifecycle?.postStart?.exec?.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(legacy.lifecycle?.postStart?.exec?.command[2]).toContain(
      "src='/kubernetes-info/secrets' dst='/var/run/secrets'",
    );
    expect(containers(output, 1)[0].lifecycle).toBeUndefined();
    expect(containers(output, 2)[0].lifecycle).toBeUndefined();
    expect(runText('link-kubernetes-info-secrets', config(), output).output).toBe(output);
  });

  test('chains an existing exec postStart hook with its argv intact', () => {
    const input = LEGACY_DEPLOYMENT.replace(
      '        resources: {}\n',
      '        lifecycle:\n          postStart:\n            exec:\n              command: ["/usr/local/bin/warm-up", "--quick", "a b"]\n        resources: {}\n',
    );
    const { output } = runText('link-kubernetes-info-secrets', config(), input);
    const command = containers(output, 0)[0].lifecycle?.postStart?.exec?.command ?? [];
    expect(command.slice(3)).toEqual([CHAIN_ARG0, '/usr/local/bin/warm-up', '--quick', 'a b']);
    expect(command[2]).toMatch(/exec "\$@"\n$/);
    expect(runText('link-kubernetes-info-secrets', config(), output).output).toBe(output);
    // A new source path replaces the script and keeps the chained hook.
    const moved = runText(
      'link-kubernetes-info-secrets',
      config({ source: '/kubernetes-info/other' }),
      output,
    );
    const again = containers(moved.output, 0)[0].lifecycle?.postStart?.exec?.command ?? [];
    expect(again.slice(3)).toEqual([CHAIN_ARG0, '/usr/local/bin/warm-up', '--quick', 'a b']);
    expect(again[2]).toContain("src='/kubernetes-info/other'");
  });

  test('a postStart that cannot be chained is an error result', () => {
    const input = LEGACY_DEPLOYMENT.replace(
      '        resources: {}\n',
      '        lifecycle:\n          postStart:\n            httpGet:\n              path: /warm\n              port: 8080\n        resources: {}\n',
    );
    const { ok, results, output } = runText('link-kubernetes-info-secrets', config(), input);
    expect(ok).toBe(false);
    expect(results[0]).toMatchObject({
      severity: 'error',
      field: { path: 'spec.template.spec.containers[0].lifecycle.postStart' },
      message: expect.stringContaining('httpGet'),
    });
    expect(output).toBe(input);
  });

  test('systemd images also get the tmpfiles.d drop-in', () => {
    const { output } = runText(
      'link-kubernetes-info-secrets',
      config({ initSystem: 'systemd' }),
      LEGACY_DEPLOYMENT,
    );
    expect(containers(output, 0)[0].volumeMounts).toContainEqual({
      name: 'retarget-tmpfiles',
      mountPath: '/etc/tmpfiles.d/retarget-kubernetes-info-secrets.conf',
      subPath: 'retarget-kubernetes-info-secrets.conf',
      readOnly: true,
    });
    const cm = parseAllDocuments(output)
      .map((d) => d.toJS())
      .find((d) => d?.kind === 'ConfigMap');
    expect(cm.data['retarget-kubernetes-info-secrets.conf']).toBe(
      'L /run/secrets - - - - /kubernetes-info/secrets\n',
    );
    expect(
      runText('link-kubernetes-info-secrets', config({ initSystem: 'systemd' }), output).output,
    ).toBe(output);
  });

  test('runtime can be forced for all or some containers', () => {
    const forced = runText(
      'link-kubernetes-info-secrets',
      config({ runtime: 'legacy' }),
      PLAIN_DEPLOYMENT,
    );
    expect(containers(forced.output, 0)[0].lifecycle).toBeDefined();
    const byName = runText(
      'link-kubernetes-info-secrets',
      config({ containerRuntimes: { web: 'plain' } }),
      LEGACY_DEPLOYMENT,
    );
    expect(byName.output).toBe(LEGACY_DEPLOYMENT);
  });

  test('paths that could inject shell are refused', () => {
    for (const source of ["/x';reboot;'", '/x/../etc', 'relative', '/a b', '/x\n/y', '/$(id)']) {
      const { ok, results } = runText(
        'link-kubernetes-info-secrets',
        config({ source }),
        LEGACY_DEPLOYMENT,
      );
      expect(ok).toBe(false);
      expect(results[0].field?.path).toBe('source');
    }
  });

  // The hook a legacy container ends with, by what its postStart held before.
  describe('what becomes of an existing postStart', () => {
    const withLifecycle = (lifecycle: string) =>
      LEGACY_DEPLOYMENT.replace(
        '        resources: {}\n',
        `        lifecycle:\n${lifecycle}        resources: {}\n`,
      );
    const hookOf = (text: string) => containers(text, 0)[0].lifecycle?.postStart?.exec?.command;

    test.each([
      ['an exec with no command', '          postStart:\n            exec: {}\n'],
      [
        'an exec with an empty command',
        '          postStart:\n            exec:\n              command: []\n',
      ],
      ['an empty postStart', '          postStart: {}\n'],
      [
        'an empty lifecycle',
        '          preStop:\n            exec:\n              command: [/bin/stop]\n',
      ],
    ])('%s gets the plain link step, nothing chained', (_, lifecycle) => {
      const input = withLifecycle(lifecycle);
      const { ok, output } = runText('link-kubernetes-info-secrets', config(), input);
      expect(ok).toBe(true);
      const hook = hookOf(output) ?? [];
      expect(hook).toHaveLength(3);
      expect(hook.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      expect(hook[2]).toMatch(/^# retarget: link-kubernetes-info-secrets\n[^]*\nexit 0\n$/);
      expect(runText('link-kubernetes-info-secrets', config(), output).output).toBe(output);
    });

    test('a hook that is itself `/bin/sh -c` without a script is chained, not taken for ours', () => {
      const input = withLifecycle(
        '          postStart:\n            exec:\n              command: [/bin/sh, -c]\n',
      );
      const hook = hookOf(runText('link-kubernetes-info-secrets', config(), input).output) ?? [];
      expect(hook.slice(3)).toEqual([CHAIN_ARG0, '/bin/sh', '-c']);
      expect(hook[2]).toMatch(/\nexec "\$@"\n$/);
    });

    test.each([
      ['another shell', ['/bin/bash', '-c']],
      ['another flag', ['/bin/sh', '-e']],
    ])('a hook run by %s is not taken for ours, even with our marker: it is chained', (_, head) => {
      const script = '# retarget: link-kubernetes-info-secrets\necho warm\n';
      const input = withLifecycle(
        `          postStart:\n            exec:\n              command: ${JSON.stringify([...head, script])}\n`,
      );
      const hook = hookOf(runText('link-kubernetes-info-secrets', config(), input).output) ?? [];
      expect(hook.slice(3)).toEqual([CHAIN_ARG0, ...head, script]);
    });

    test('a link step already there is left byte for byte, whatever its YAML style', () => {
      const linked = runText('link-kubernetes-info-secrets', config(), LEGACY_DEPLOYMENT).output;
      const hook = hookOf(linked) ?? [];
      // The same argv, written by hand in flow style with double quotes and a comment.
      const flow = withLifecycle(
        `          postStart:\n            exec:\n              # written by hand\n              command: [${hook.map((a) => JSON.stringify(a)).join(', ')}]\n`,
      );
      const again = runText('link-kubernetes-info-secrets', config(), flow);
      expect(again.ok).toBe(true);
      expect(again.output).toBe(flow);
    });

    test('a postStart with several handlers other than exec names them all', () => {
      const input = withLifecycle(
        '          postStart:\n            httpGet: {path: /warm, port: 8080}\n            tcpSocket: {port: 8080}\n',
      );
      const { ok, output, results } = runText('link-kubernetes-info-secrets', config(), input);
      expect(ok).toBe(false);
      expect(output).toBe(input);
      expect(results).toEqual([
        expect.objectContaining({
          severity: 'error',
          message:
            'postStart is a httpGet, tcpSocket handler, which cannot be chained with the link step; turn it into an exec hook',
          field: { path: 'spec.template.spec.containers[0].lifecycle.postStart' },
          tags: expect.objectContaining({ line: '31' }),
        }),
      ]);
    });

    test.each([
      ['lifecycle', '          - x\n', 'spec.template.spec.containers[0].lifecycle', 'a map'],
      [
        'postStart',
        '          postStart: [x]\n',
        'spec.template.spec.containers[0].lifecycle.postStart',
        'a map',
      ],
      [
        'exec',
        '          postStart:\n            exec: /bin/true\n',
        'spec.template.spec.containers[0].lifecycle.postStart.exec',
        'a map',
      ],
      [
        'exec.command',
        '          postStart:\n            exec:\n              command: /bin/true\n',
        'spec.template.spec.containers[0].lifecycle.postStart.exec.command',
        'a list',
      ],
      [
        'an argument',
        '          postStart:\n            exec:\n              command: [/bin/warm, 3]\n',
        'spec.template.spec.containers[0].lifecycle.postStart.exec.command[1]',
        'a string',
      ],
    ])('a mistyped %s is a located error, nothing written', (_, lifecycle, path, expected) => {
      const input = withLifecycle(lifecycle);
      const { ok, output, results } = runText('link-kubernetes-info-secrets', config(), input);
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

  describe('which containers and pods', () => {
    const TWO_LEGACY = LEGACY_DEPLOYMENT.replace(
      '      volumes:\n',
      '      - image: gcr.io/source-project/web:v1\n        name: sidecar\n        securityContext:\n          privileged: true\n        volumeMounts:\n        - mountPath: /sys/fs/cgroup\n          name: cgroups\n      volumes:\n',
    );

    test('the container selector limits the link step and the drop-in to the containers it names', () => {
      const { ok, output } = runText(
        'link-kubernetes-info-secrets',
        config({ initSystem: 'systemd', selector: { containers: ['sidecar'] } }),
        TWO_LEGACY,
      );
      expect(ok).toBe(true);
      const [web, sidecar] = containers(output, 0);
      expect(web.name).toBe('web');
      expect(web.lifecycle).toBeUndefined();
      expect(web.volumeMounts).toHaveLength(1);
      expect(sidecar.lifecycle?.postStart?.exec?.command[0]).toBe('/bin/sh');
      expect(sidecar.volumeMounts).toHaveLength(2);
    });

    test('systemd with no legacy container: no ConfigMap, no volume, nothing at all', () => {
      const input = stream(PLAIN_DEPLOYMENT, SERVICE_MANAGER_DEPLOYMENT);
      const { ok, output } = runText(
        'link-kubernetes-info-secrets',
        config({ initSystem: 'systemd' }),
        input,
      );
      expect(ok).toBe(true);
      expect(output).toBe(input);
    });

    test("the drop-in's ConfigMap is created in the workload's namespace", () => {
      const input = LEGACY_DEPLOYMENT.replace(
        '  name: web\nspec:',
        '  name: web\n  namespace: shop\nspec:',
      );
      const { output } = runText(
        'link-kubernetes-info-secrets',
        config({ initSystem: 'systemd' }),
        input,
      );
      const cm = parseAllDocuments(output)
        .map((d) => d.toJS())
        .find((d) => d?.kind === 'ConfigMap');
      expect(cm.metadata).toEqual({ name: 'retarget-kubernetes-info-secrets', namespace: 'shop' });
    });
  });
});
