import { parseAllDocuments } from 'yaml';
import { findFunction } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';
import { runText } from '../support/run';
import { LEGACY_DEPLOYMENT } from '../support/workloads';

/*
 * The link step's systemd drop-in, written out from the README (a ConfigMap
 * retarget-kubernetes-info-secrets holding retarget-kubernetes-info-secrets.conf, the
 * volume retarget-tmpfiles that mounts it, subPath, read-only, under /etc/tmpfiles.d):
 * every field of the pod's volume and of the ConfigMap, in the workload's namespace, and
 * a second run that leaves the file as it is (not rewritten).
 */

const config = {
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'LinkKubernetesInfoSecrets',
  initSystem: 'systemd',
};
const INPUT = LEGACY_DEPLOYMENT.replace('  name: web\n', '  name: web\n  namespace: shop\n');

test('the pod gets the tmpfiles volume, the namespace the ConfigMap, each exactly', () => {
  const r = runText('link-kubernetes-info-secrets', config, INPUT);
  expect(r.ok).toBe(true);
  const [deployment, configMap, ...rest] = parseAllDocuments(r.output).map((d) => d.toJS());
  expect(rest).toEqual([]);
  expect(deployment.spec.template.spec.volumes).toEqual([
    { hostPath: { path: '/sys/fs/cgroup', type: 'Directory' }, name: 'cgroups' },
    { name: 'retarget-tmpfiles', configMap: { name: 'retarget-kubernetes-info-secrets' } },
  ]);
  expect(deployment.spec.template.spec.containers[0].volumeMounts).toEqual([
    { mountPath: '/sys/fs/cgroup', name: 'cgroups' },
    {
      name: 'retarget-tmpfiles',
      mountPath: '/etc/tmpfiles.d/retarget-kubernetes-info-secrets.conf',
      subPath: 'retarget-kubernetes-info-secrets.conf',
      readOnly: true,
    },
  ]);
  expect(configMap).toStrictEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'retarget-kubernetes-info-secrets', namespace: 'shop' },
    data: {
      'retarget-kubernetes-info-secrets.conf': 'L /run/secrets - - - - /kubernetes-info/secrets\n',
    },
  });
});

test('a second run changes nothing: same bytes, the file not marked changed', () => {
  const first = runText('link-kubernetes-info-secrets', config, INPUT).output;
  const fn = findFunction('link-kubernetes-info-secrets')!;
  const outcome = transformFiles(fn, config, 'config.yaml', [
    { path: 'in.yaml', outputName: 'in.yaml', text: first },
  ]);
  expect(outcome.files[0].text).toBe(first);
  expect(outcome.files[0].changed).toBe(false);
});
