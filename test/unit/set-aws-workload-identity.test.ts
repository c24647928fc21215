import { parseAllDocuments } from 'yaml';
import {
  LEGACY_DEPLOYMENT,
  PLAIN_DEPLOYMENT,
  SERVICE,
  SERVICE_MANAGER_DEPLOYMENT,
  stream,
} from '../support/workloads';
import { runText } from '../support/run';

const ROLE = 'arn:aws:iam::123456789012:role/app-reader';
const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetAwsWorkloadIdentity',
  roleArn: ROLE,
  ...body,
});

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML
function all(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
}

describe('set-aws-workload-identity', () => {
  const input = stream(LEGACY_DEPLOYMENT, SERVICE_MANAGER_DEPLOYMENT, PLAIN_DEPLOYMENT, SERVICE);

  test('env, token volume and mount per container kind; the SA annotated', () => {
    const { output, ok, results } = runText(
      'set-aws-workload-identity',
      config({ initSystem: 'systemd', region: 'eu-west-1' }),
      input,
    );
    expect(ok).toBe(true);
    const docs = all(output);
    const env = (d: Obj) =>
      Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
    expect(env(docs[0])).toEqual({
      AWS_ROLE_ARN: ROLE,
      AWS_WEB_IDENTITY_TOKEN_FILE:
        '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(env(docs[1])).toMatchObject({
      HC_V2K_SERVICE_MANAGER: 'true',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    });
    expect(env(docs[2]).AWS_WEB_IDENTITY_TOKEN_FILE).toBe(
      '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    );
    for (const d of docs.slice(0, 3)) {
      const pod = d.spec.template.spec;
      expect(pod.volumes).toContainEqual({
        name: 'aws-iam-token',
        projected: {
          sources: [
            {
              serviceAccountToken: {
                audience: 'sts.amazonaws.com',
                expirationSeconds: 86400,
                path: 'token',
              },
            },
          ],
        },
      });
      expect(pod.containers[0].volumeMounts).toContainEqual({
        name: 'aws-iam-token',
        mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
        readOnly: true,
      });
    }
    const sas = docs.filter((d) => d.kind === 'ServiceAccount');
    expect(
      sas.map((s) => [
        s.metadata.namespace,
        s.metadata.name,
        s.metadata.annotations['eks.amazonaws.com/role-arn'],
      ]),
    ).toEqual([
      [undefined, 'default', ROLE],
      ['shop', 'default', ROLE],
    ]);
    // systemd drop-in only where systemd is PID 1: the legacy runtime.
    const cms = docs.filter((d) => d.kind === 'ConfigMap');
    expect(cms).toHaveLength(1);
    expect(cms[0].data['10-default-env.conf']).toContain(
      `DefaultEnvironment="AWS_ROLE_ARN=${ROLE}" "AWS_WEB_IDENTITY_TOKEN_FILE=/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token" "AWS_REGION=eu-west-1"`,
    );
    expect(docs[0].spec.template.spec.containers[0].volumeMounts).toContainEqual({
      name: 'retarget-systemd-env',
      mountPath: '/etc/systemd/system.conf.d/10-default-env.conf',
      subPath: '10-default-env.conf',
      readOnly: true,
    });
    expect(docs[1].spec.template.spec.containers[0].volumeMounts).toHaveLength(1);
    expect(results.filter((r) => r.severity !== 'info')).toEqual([]);
    expect(
      runText(
        'set-aws-workload-identity',
        config({ initSystem: 'systemd', region: 'eu-west-1' }),
        output,
      ).output,
    ).toBe(output);
  });

  test('a named ServiceAccount is bound, created once, and an existing one is merged', () => {
    const sa =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    team: billing\n';
    const { output } = runText(
      'set-aws-workload-identity',
      config({ serviceAccountName: 'app' }),
      stream(LEGACY_DEPLOYMENT, sa),
    );
    const docs = all(output);
    expect(docs[0].spec.template.spec.serviceAccountName).toBe('app');
    expect(docs.filter((d) => d.kind === 'ServiceAccount')).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: 'app',
          annotations: { team: 'billing', 'eks.amazonaws.com/role-arn': ROLE },
        },
      },
    ]);
    expect(
      runText('set-aws-workload-identity', config({ serviceAccountName: 'app' }), output).output,
    ).toBe(output);
  });

  test('the pods own serviceAccountName is used when the config names none', () => {
    const withSa = PLAIN_DEPLOYMENT.replace(
      '      containers:',
      '      serviceAccountName: tomcat-sa\n      containers:',
    );
    const docs = all(runText('set-aws-workload-identity', config(), withSa).output);
    expect(docs.find((d) => d.kind === 'ServiceAccount')?.metadata.name).toBe('tomcat-sa');
  });

  test('build-time steps are reported as info; a VM without initSystem is warned about', () => {
    const pam = runText(
      'set-aws-workload-identity',
      config({ initSystem: 'sysv-pam', serviceUsers: ['appuser'] }),
      LEGACY_DEPLOYMENT,
    );
    expect(pam.results).toContainEqual(
      expect.objectContaining({
        severity: 'info',
        message: expect.stringMatching(/pam_env.*aws-token.*appuser.*retarget dockerfile/s),
      }),
    );
    const none = runText('set-aws-workload-identity', config(), LEGACY_DEPLOYMENT);
    expect(none.results).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('initSystem'),
      }),
    );
  });

  test('a roleArn or user carrying shell syntax is refused, naming the field', () => {
    for (const [body, field] of [
      [{ roleArn: `${ROLE}"; rm -rf / #` }, 'roleArn'],
      [{ roleArn: `${ROLE}$(id)` }, 'roleArn'],
      [{ roleArn: `${ROLE}\nx` }, 'roleArn'],
      [{ serviceUsers: ['app;id'] }, 'serviceUsers[0]'],
      [{ services: ['../etc/passwd'] }, 'services[0]'],
      [{ region: 'eu-west-1`id`' }, 'region'],
      [{ initSystem: 'runit' }, 'initSystem'],
      [{ expirationSeconds: -5 }, 'expirationSeconds'],
    ] as const) {
      const { ok, results, output } = runText(
        'set-aws-workload-identity',
        config(body),
        LEGACY_DEPLOYMENT,
      );
      expect(ok).toBe(false);
      expect(results.map((r) => r.field?.path)).toContain(field);
      expect(output).toBe(LEGACY_DEPLOYMENT);
    }
  });

  test('an existing valueFrom env of the same name is replaced by the literal', () => {
    const withEnv = PLAIN_DEPLOYMENT.replace(
      '        name: tomcat\n',
      '        name: tomcat\n        env:\n        - name: AWS_ROLE_ARN\n          valueFrom:\n            configMapKeyRef: {name: x, key: y}\n',
    );
    const docs = all(runText('set-aws-workload-identity', config(), withEnv).output);
    expect(docs[0].spec.template.spec.containers[0].env[0]).toEqual({
      name: 'AWS_ROLE_ARN',
      value: ROLE,
    });
  });
});
