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
    // The webhook's order: region first, then the web identity pair.
    expect(Object.entries(env(docs[0]))).toEqual([
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_ROLE_ARN', ROLE],
      [
        'AWS_WEB_IDENTITY_TOKEN_FILE',
        '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token',
      ],
    ]);
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
      [undefined, 'web', ROLE],
      ['shop', 'api', ROLE],
      [undefined, 'tomcat', ROLE],
    ]);
    // Least privilege: each workload on its own ServiceAccount, never the namespace's default.
    expect(docs.slice(0, 3).map((d) => d.spec.template.spec.serviceAccountName)).toEqual([
      'web',
      'api',
      'tomcat',
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

  test('an existing valueFrom env is kept, as the webhook keeps it; override replaces it', () => {
    const withEnv = PLAIN_DEPLOYMENT.replace(
      '        name: tomcat\n',
      '        name: tomcat\n        env:\n        - name: AWS_ROLE_ARN\n          valueFrom:\n            configMapKeyRef: {name: x, key: y}\n',
    );
    const kept = runText('set-aws-workload-identity', config(), withEnv);
    const env = all(kept.output)[0].spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'AWS_ROLE_ARN', valueFrom: { configMapKeyRef: { name: 'x', key: 'y' } } },
    ]);
    expect(kept.results).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: `container tomcat sets AWS_ROLE_ARN from valueFrom: kept, where the config gives ${ROLE}`,
      }),
    );
    const replaced = runText('set-aws-workload-identity', config({ override: true }), withEnv);
    expect(all(replaced.output)[0].spec.template.spec.containers[0].env).toEqual([
      { name: 'AWS_ROLE_ARN', value: ROLE },
      {
        name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
        value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
      },
    ]);
  });

  test('a container with AWS_REGION keeps it and gets no AWS_DEFAULT_REGION of another region', () => {
    const withRegion = PLAIN_DEPLOYMENT.replace(
      '        name: tomcat\n',
      '        name: tomcat\n        env:\n        - name: AWS_REGION\n          value: us-east-1\n',
    );
    const { output, results } = runText(
      'set-aws-workload-identity',
      config({ region: 'eu-west-1' }),
      withRegion,
    );
    const env = all(output)[0].spec.template.spec.containers[0].env.map((e: Obj) => e.name);
    expect(env).toEqual(['AWS_REGION', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
    expect(results).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message:
          'container tomcat sets AWS_REGION=us-east-1: kept, where the config gives eu-west-1',
      }),
    );
  });

  test('role from the package: no roleArn needed; a different config role is an error naming both', () => {
    const sa = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: tomcat-sa\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws-us-gov:iam::123456789012:role/gov-reader\n`;
    const withSa = PLAIN_DEPLOYMENT.replace(
      '      containers:',
      '      serviceAccountName: tomcat-sa\n      containers:',
    );
    const input = stream(withSa, sa);
    const noRole = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'SetAwsWorkloadIdentity' };
    const fromPackage = runText('set-aws-workload-identity', noRole, input);
    expect(fromPackage.ok).toBe(true);
    const env = all(fromPackage.output)[0].spec.template.spec.containers[0].env;
    expect(env[0]).toEqual({
      name: 'AWS_ROLE_ARN',
      value: 'arn:aws-us-gov:iam::123456789012:role/gov-reader',
    });
    const conflict = runText('set-aws-workload-identity', config(), input);
    expect(conflict.ok).toBe(false);
    expect(conflict.output).toBe(input);
    expect(conflict.results).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /arn:aws-us-gov:iam::123456789012:role\/gov-reader.*app-reader.*override: true/,
        ),
        field: expect.objectContaining({
          path: 'metadata.annotations.eks.amazonaws.com/role-arn',
        }),
      }),
    );
    const overridden = runText('set-aws-workload-identity', config({ override: true }), input);
    expect(overridden.ok).toBe(true);
    expect(all(overridden.output)[1].metadata.annotations['eks.amazonaws.com/role-arn']).toBe(ROLE);
    // Nothing to bind to: an error that says what to set.
    const none = runText('set-aws-workload-identity', noRole, PLAIN_DEPLOYMENT);
    expect(none.ok).toBe(false);
    expect(none.results).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/set roleArn in the config/),
      }),
    );
  });

  test('a role annotation that is no role ARN is refused before it reaches the drop-in', () => {
    const withSa = LEGACY_DEPLOYMENT.replace(
      '    spec:\n      containers:',
      '    spec:\n      serviceAccountName: web-sa\n      containers:',
    );
    const sa = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-sa\n  annotations:\n    eks.amazonaws.com/role-arn: 'arn:aws:iam::123456789012:role/x" "LD_PRELOAD=/tmp/x.so'\n`;
    const input = stream(withSa, sa);
    const { ok, output, results } = runText(
      'set-aws-workload-identity',
      {
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'SetAwsWorkloadIdentity',
        initSystem: 'systemd',
      },
      input,
    );
    expect(ok).toBe(false);
    expect(output).toBe(input);
    expect(results).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('is not an IAM role ARN'),
        field: { path: 'metadata.annotations.eks.amazonaws.com/role-arn' },
      }),
    );
  });

  test('ARNs of every partition are accepted', () => {
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov']) {
      const role = `arn:${partition}:iam::123456789012:role/path/app`;
      const { ok, output } = runText(
        'set-aws-workload-identity',
        config({ roleArn: role }),
        PLAIN_DEPLOYMENT,
      );
      expect(ok).toBe(true);
      expect(all(output)[1].metadata.annotations['eks.amazonaws.com/role-arn']).toBe(role);
    }
    expect(
      runText(
        'set-aws-workload-identity',
        config({ roleArn: 'arn:gcp:iam::123456789012:role/x' }),
        PLAIN_DEPLOYMENT,
      ).ok,
    ).toBe(false);
  });

  test('skip-containers and token-expiration on the pod template are honoured', () => {
    const annotated = PLAIN_DEPLOYMENT.replace(
      '    spec:\n      containers:',
      '    metadata:\n      annotations:\n        eks.amazonaws.com/skip-containers: "tomcat"\n    spec:\n      containers:',
    );
    expect(annotated).not.toBe(PLAIN_DEPLOYMENT);
    const skipped = all(runText('set-aws-workload-identity', config(), annotated).output)[0];
    expect(skipped.spec.template.spec.containers[0].env).toBeUndefined();
    const expiring = PLAIN_DEPLOYMENT.replace(
      '    spec:\n      containers:',
      '    metadata:\n      annotations:\n        eks.amazonaws.com/token-expiration: "120"\n    spec:\n      containers:',
    );
    const pod = all(runText('set-aws-workload-identity', config(), expiring).output)[0].spec
      .template.spec;
    expect(pod.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds).toBe(600);
  });
});
