import { Configs, FileFormat, parse, runFnWithConfigs, stringify } from 'kpt-functions';
import { parse as parseYaml } from 'yaml';
import type { KubernetesObject } from 'kpt-functions';
import {
  hydrate,
  KPT_FUNCTIONS,
  setAwsWorkloadIdentity,
  setFsGroup,
} from '../../src/interop/kpt-functions';
import { FUNCTIONS } from '../../src/pipeline/functions';

// Objects as the kpt-functions SDK holds them (what js-yaml 3 gives it from a ResourceList).
type Obj = KubernetesObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into objects

function legacyDeployment(fsGroup?: number): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'billing',
      annotations: {
        'config.kubernetes.io/path': 'billing.yaml',
        'config.kubernetes.io/index': '0',
      },
    },
    spec: {
      template: {
        spec: {
          ...(fsGroup === undefined ? {} : { securityContext: { fsGroup } }),
          containers: [
            {
              name: 'billing',
              image: 'gcr.io/source-project/billing:v1',
              readinessProbe: { exec: { command: ['/code/ready.sh'] } },
              securityContext: { privileged: true },
            },
          ],
        },
      },
    },
  };
}

const service: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'billing' },
  spec: { selector: { app: 'billing' }, clusterIP: 'None' },
};

function retargetConfig(extra: Record<string, unknown>): Obj {
  return {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Retarget',
    metadata: { name: 'billing' },
    ...extra,
  };
}

function find(configs: Configs, kind: string, name: string): Obj | undefined {
  return configs.getAll().find((o) => o.kind === kind && o.metadata.name === name) as Obj;
}

test('every function is a KptFunc with a usage', () => {
  expect(Object.keys(KPT_FUNCTIONS).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
  for (const fn of Object.values(KPT_FUNCTIONS)) {
    expect(typeof fn).toBe('function');
    expect(fn.usage).toMatch(
      /functionConfig: a [A-Za-z]+ \(apiVersion fn\.retarget\.dev\/v1alpha1\)/,
    );
  }
});

test('hydrate edits the Configs in place and inserts the new resources into the workload file', async () => {
  const configs = new Configs(
    [legacyDeployment(), service],
    retargetConfig({
      imagePullSecrets: ['gcr-json-key'],
      fsGroup: 2000,
      awsWorkloadIdentity: {
        roleArn: 'arn:aws:iam::123456789012:role/billing',
        initSystem: 'systemd',
        serviceAccountName: 'billing',
      },
    }),
  );
  await hydrate(configs);
  expect(configs.getResults().filter((r) => r.severity === 'error')).toEqual([]);
  const pod = find(configs, 'Deployment', 'billing')!.spec.template.spec;
  expect(pod.imagePullSecrets).toEqual([{ name: 'gcr-json-key' }]);
  expect(pod.securityContext).toEqual({ fsGroup: 2000 });
  expect(pod.serviceAccountName).toBe('billing');
  expect(pod.containers[0].lifecycle.postStart.exec.command[0]).toBe('/bin/sh');
  expect(find(configs, 'Service', 'billing')).toEqual(service);
  const sa = find(configs, 'ServiceAccount', 'billing')!;
  expect(sa.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
    'arn:aws:iam::123456789012:role/billing',
  );
  // New objects name the workload's file, so the SDK's writer puts them beside it.
  expect(sa.metadata.annotations?.['config.kubernetes.io/path']).toBe('billing.yaml');
  expect(Number(sa.metadata.annotations?.['config.kubernetes.io/index'])).toBeGreaterThan(0);
});

test('a KRM `warning` reaches the SDK as its `warn`', async () => {
  const configs = new Configs(
    [legacyDeployment()],
    retargetConfig({ awsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/billing' } }),
  );
  await hydrate(configs);
  const severities = configs.getResults().map((r) => r.severity);
  expect(severities).toContain('warn');
  expect(severities).not.toContain('warning');
  const warn = configs.getResults().find((r) => r.severity === 'warn')!;
  expect(warn.message).toMatch(/initSystem is not set/);
});

test('an error result leaves every object as it was and names the resource and field', async () => {
  const input = [legacyDeployment(1000), service];
  const configs = new Configs(structuredClone(input), {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetFsGroup',
    metadata: { name: 'fs' },
    fsGroup: 2000,
  } as Obj);
  await setFsGroup(configs);
  const errors = configs.getResults().filter((r) => r.severity === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0].resourceRef).toEqual({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'billing',
    namespace: '',
  });
  expect(errors[0].field?.path).toBe('spec.template.spec.securityContext.fsGroup');
  expect(configs.getAll()).toEqual(new Configs(structuredClone(input)).getAll());
});

test('a bad config is an error result naming the field, from a ConfigMap too', async () => {
  const configs = new Configs([legacyDeployment()], {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'aws' },
    data: { roleArn: 'not-an-arn' },
  } as Obj);
  await setAwsWorkloadIdentity(configs);
  const [error] = configs.getResults();
  expect(error.severity).toBe('error');
  expect(error.message).toMatch(/roleArn/);
});

test("the SDK's own I/O and runner drive hydrate over a kpt ResourceList", async () => {
  const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: billing
    annotations:
      config.kubernetes.io/path: 'billing.yaml'
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: 'billing.yaml'
      internal.config.kubernetes.io/index: '0'
  spec:
    template:
      spec:
        containers:
        - name: billing
          image: gcr.io/source-project/billing:v1
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: retarget
  data:
    fsGroup: "2000"
    awsWorkloadIdentity.roleArn: arn:aws:iam::123456789012:role/billing
    awsWorkloadIdentity.serviceAccountName: billing
`;
  const configs = parse(input, FileFormat.YAML);
  await runFnWithConfigs(hydrate, configs);
  expect(configs.getResults().filter((r) => r.severity === 'error')).toEqual([]);
  const output = stringify(configs, FileFormat.YAML);
  const items = (parseYaml(output) as { items: Obj[] }).items;
  const sa = items.find((o) => o.kind === 'ServiceAccount')!;
  // The SDK reconciles legacy and internal path annotations; ours agree, so it keeps both.
  expect(sa.metadata.annotations?.['config.kubernetes.io/path']).toBe('billing.yaml');
  expect(sa.metadata.annotations?.['internal.config.kubernetes.io/path']).toBe('billing.yaml');
  const pod = items.find((o) => o.kind === 'Deployment')!.spec.template.spec;
  expect(pod.securityContext.fsGroup).toBe(2000);
  expect(pod.serviceAccountName).toBe('billing');
});
