import { parse } from 'yaml';
import { runText } from '../support/run';
import { LEGACY_DEPLOYMENT, SERVICE_MANAGER_DEPLOYMENT } from '../support/workloads';

/** hydrate (and so KRM mode) points at `retarget dockerfile` when the image needs build steps. */
function hydrate(aws: string, spec = LEGACY_DEPLOYMENT) {
  const config = parse(
    `apiVersion: fn.retarget.dev/v1alpha1\nkind: Retarget\nfsGroup: 2000\nawsWorkloadIdentity:\n  roleArn: arn:aws:iam::123456789012:role/app\n${aws}`,
  );
  return runText('hydrate', config, spec).results.filter((r) => r.severity === 'info');
}

const names = (infos: { message: string }[]) =>
  infos.filter((r) => r.message.includes('retarget dockerfile -c CONFIG Dockerfile'));

test.each([
  ['sysv-pam', '  initSystem: sysv-pam\n', /pam_env.*\/etc\/environment/],
  ['sysv', '  initSystem: sysv\n  services: [httpd]\n', /export lines.*httpd/],
  ['upstart', '  initSystem: upstart\n  services: [worker]\n', /env stanzas.*worker/],
  [
    'systemd + service users',
    '  initSystem: systemd\n  serviceUsers: [app]\n',
    /aws-token group.*app/,
  ],
])('%s: an info result names the command and the steps', (_n, aws, steps) => {
  const infos = names(hydrate(aws));
  expect(infos).toHaveLength(1);
  expect(infos[0].message).toMatch(steps);
  expect(infos[0].message).toContain('Retarget config');
});

test('systemd alone needs no build step in manifests mode (the drop-in is mounted)', () => {
  expect(names(hydrate('  initSystem: systemd\n'))).toHaveLength(0);
});

test('the service-manager runtime passes the container env to services: no build step', () => {
  expect(names(hydrate('  initSystem: sysv-pam\n', SERVICE_MANAGER_DEPLOYMENT))).toHaveLength(0);
});
