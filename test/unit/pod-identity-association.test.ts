import { parseAllDocuments } from 'yaml';
import {
  associationCommand,
  associationObject,
} from '../../src/transforms/pod-identity-association';
import { runText } from '../support/run';

/**
 * The EKS Pod Identity association retarget cannot make offline: the exact
 * `aws eks create-pod-identity-association` command per ServiceAccount, and on request the
 * ACK EKS controller's PodIdentityAssociation (aws-controllers-k8s/eks-controller,
 * config/crd/bases/eks.services.k8s.aws_podidentityassociations.yaml: spec clusterName,
 * namespace, serviceAccount, roleARN). Results are asserted whole: message, severity,
 * where they point.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const ROLE = 'arn:aws:iam::123456789012:role/orders';
const NAMESPACE_PARAM = '"${NAMESPACE:?the namespace the workload is applied to}"';
const CLUSTER_PARAM = '"${EKS_CLUSTER_NAME:?the EKS cluster name}"';

const config = (body: Record<string, unknown> = {}) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetAwsWorkloadIdentity',
  mechanism: 'pod-identity',
  roleArn: ROLE,
  ...body,
});

function deployment(name: string, namespace?: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1
`;
}

function association(spec: string, namespace = 'shop', name = 'orders'): string {
  return `apiVersion: eks.services.k8s.aws/v1alpha1
kind: PodIdentityAssociation
metadata:
  name: ${name}
  namespace: ${namespace}
${spec}`;
}

const MATCHING_SPEC = `spec:
  clusterName: prod-eks
  namespace: shop
  serviceAccount: orders
  roleARN: ${ROLE}
`;

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}

function info(name: string, namespace?: string, cluster = "'prod-eks'") {
  const ns = namespace ? `'${namespace}'` : NAMESPACE_PARAM;
  return {
    severity: 'info',
    message: `EKS Pod Identity needs an association of role ${ROLE} with ServiceAccount ${name}${namespace ? ` in namespace ${namespace}` : ''}; make it with: aws eks create-pod-identity-association --cluster-name ${cluster} --namespace ${ns} --service-account '${name}' --role-arn '${ROLE}'`,
    resourceRef: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name,
      ...(namespace ? { namespace } : {}),
    },
  };
}

describe('pod-identity association: the command, one info per ServiceAccount', () => {
  test('without emitPodIdentityAssociation: the command only, no object written', () => {
    const { ok, output, results } = runText(
      'set-aws-workload-identity',
      config({ clusterName: 'prod-eks' }),
      deployment('orders', 'shop'),
    );
    expect(ok).toBe(true);
    expect(results).toStrictEqual([info('orders', 'shop')]);
    expect(docs(output).map((d) => d.kind)).toEqual(['Deployment', 'ServiceAccount']);
  });

  test('no cluster name nor namespace: shell parameters that stop the command, never a guess', () => {
    const { ok, results } = runText('set-aws-workload-identity', config(), deployment('orders'));
    expect(ok).toBe(true);
    expect(results).toStrictEqual([info('orders', undefined, CLUSTER_PARAM)]);
  });

  test('two workloads: one result each, in the order of the package', () => {
    const { results } = runText(
      'set-aws-workload-identity',
      config({ clusterName: 'prod-eks' }),
      `${deployment('orders', 'shop')}---\n${deployment('billing', 'back')}`,
    );
    expect(results).toStrictEqual([info('orders', 'shop'), info('billing', 'back')]);
  });

  test('associationCommand and associationObject, exactly', () => {
    expect(associationCommand({ roleArn: ROLE, name: 'orders', namespace: 'shop' }, 'c')).toBe(
      `aws eks create-pod-identity-association --cluster-name 'c' --namespace 'shop' --service-account 'orders' --role-arn '${ROLE}'`,
    );
    expect(
      associationObject({ roleArn: ROLE, name: 'orders', namespace: 'shop' }, 'prod-eks'),
    ).toStrictEqual({
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'PodIdentityAssociation',
      metadata: { name: 'orders', namespace: 'shop' },
      spec: { clusterName: 'prod-eks', namespace: 'shop', serviceAccount: 'orders', roleARN: ROLE },
    });
  });
});

describe('pod-identity association: the PodIdentityAssociation objects', () => {
  const emit = config({ clusterName: 'prod-eks', emitPodIdentityAssociation: true });

  test('written in the ServiceAccount namespace; a rerun finds it and says nothing more', () => {
    const first = runText('set-aws-workload-identity', emit, deployment('orders', 'shop'));
    expect(first.ok).toBe(true);
    expect(first.results).toStrictEqual([info('orders', 'shop')]);
    const objects = docs(first.output).filter((d) => d.kind === 'PodIdentityAssociation');
    expect(objects).toStrictEqual([docs(association(MATCHING_SPEC))[0]]);
    const again = runText('set-aws-workload-identity', emit, first.output);
    expect(again.output).toBe(first.output);
    expect(again.results).toStrictEqual([info('orders', 'shop')]);
  });

  test('no clusterName: one error on the config field, and no object', () => {
    const { ok, output, results } = runText(
      'set-aws-workload-identity',
      config({ emitPodIdentityAssociation: true }),
      deployment('orders', 'shop'),
    );
    expect(ok).toBe(false);
    expect(results).toStrictEqual([
      info('orders', 'shop', CLUSTER_PARAM),
      {
        severity: 'error',
        message:
          'emitPodIdentityAssociation needs clusterName: the PodIdentityAssociation names the EKS cluster it is made in',
        field: { path: 'clusterName' },
      },
    ]);
    expect(output).not.toContain('PodIdentityAssociation');
  });

  test('a workload without a namespace: an error for it, the namespaced one still gets its object', () => {
    const { ok, output, results } = runText(
      'set-aws-workload-identity',
      emit,
      `${deployment('loose')}---\n${deployment('orders', 'shop')}`,
    );
    expect(ok).toBe(false);
    expect(results).toStrictEqual([
      info('loose'),
      info('orders', 'shop'),
      {
        severity: 'error',
        message:
          'no PodIdentityAssociation for ServiceAccount loose: the workload has no metadata.namespace, and the association must name the namespace',
        resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'loose' },
      },
    ]);
    expect(
      docs(output)
        .filter((d) => d.kind === 'PodIdentityAssociation')
        .map((d) => [d.metadata.namespace, d.metadata.name]),
    ).toEqual([['shop', 'orders']]);
  });

  test('one of the package that matches: kept, nothing said, no second one', () => {
    const input = `${deployment('orders', 'shop')}---\n${association(MATCHING_SPEC)}`;
    const { ok, output, results } = runText('set-aws-workload-identity', emit, input);
    expect(ok).toBe(true);
    expect(results).toStrictEqual([info('orders', 'shop')]);
    expect(docs(output).filter((d) => d.kind === 'PodIdentityAssociation')).toHaveLength(1);
  });

  test('one of another namespace is not that ServiceAccount’s: a new one is written', () => {
    const input = `${deployment('orders', 'shop')}---\n${association(MATCHING_SPEC, 'other')}`;
    const { output, results } = runText('set-aws-workload-identity', emit, input);
    expect(results).toStrictEqual([info('orders', 'shop')]);
    expect(
      docs(output)
        .filter((d) => d.kind === 'PodIdentityAssociation')
        .map((d) => d.metadata.namespace),
    ).toEqual(['other', 'shop']);
  });

  const where = (line: number) => ({
    resourceRef: {
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'PodIdentityAssociation',
      name: 'orders',
      namespace: 'shop',
    },
    field: { path: 'spec' },
    file: { path: 'input.yaml', index: 1 },
    tags: { line: String(line), column: '1' },
  });

  test('one field differs: kept byte for byte, one warning naming it and the wanted value', () => {
    const spec = MATCHING_SPEC.replace('clusterName: prod-eks', 'clusterName: staging');
    const input = `${deployment('orders', 'shop')}---\n${association(spec)}`;
    const { ok, output, results } = runText('set-aws-workload-identity', emit, input);
    expect(ok).toBe(true);
    expect(output.endsWith(`---\n${association(spec)}---\n${docsTail(output)}`)).toBe(true);
    expect(results).toStrictEqual([
      info('orders', 'shop'),
      {
        severity: 'warning',
        message:
          'PodIdentityAssociation orders is kept as the package has it: its spec.clusterName differs from the association the config describes (clusterName: prod-eks)',
        ...where(13),
      },
    ]);
  });

  test('several fields differ: all named, in the spec order, with "differ"', () => {
    const spec = `spec:
  clusterName: prod-eks
  namespace: shop
  serviceAccount: someone
  roleARN: arn:aws:iam::123456789012:role/other
`;
    const input = `${deployment('orders', 'shop')}---\n${association(spec)}`;
    const { results } = runText('set-aws-workload-identity', emit, input);
    expect(results[1]).toStrictEqual({
      severity: 'warning',
      message: `PodIdentityAssociation orders is kept as the package has it: its spec.serviceAccount, spec.roleARN differ from the association the config describes (serviceAccount: orders, roleARN: ${ROLE})`,
      ...where(13),
    });
  });

  test('no spec at all: every field is said to differ', () => {
    const input = `${deployment('orders', 'shop')}---\n${association('')}`;
    const { results } = runText('set-aws-workload-identity', emit, input);
    expect(results[1]).toMatchObject({
      severity: 'warning',
      message: `PodIdentityAssociation orders is kept as the package has it: its spec.clusterName, spec.namespace, spec.serviceAccount, spec.roleARN differ from the association the config describes (clusterName: prod-eks, namespace: shop, serviceAccount: orders, roleARN: ${ROLE})`,
    });
  });

  test('a spec that is no map: a located error on it, the object left as it is', () => {
    const input = `${deployment('orders', 'shop')}---\n${association('spec: [1]\n')}`;
    const { ok, output, results } = runText('set-aws-workload-identity', emit, input);
    expect(ok).toBe(false);
    expect(output).toContain(`---\n${association('spec: [1]\n')}---\n`);
    expect(docs(output).filter((d) => d.kind === 'PodIdentityAssociation')).toHaveLength(1);
    expect(results.filter((r) => r.severity === 'error').map((r) => r.field?.path)).toEqual([
      'spec',
    ]);
  });
});

/** The documents after the package's own (the ServiceAccount written by the run). */
function docsTail(output: string): string {
  return output.slice(output.indexOf('apiVersion: v1\nkind: ServiceAccount'));
}
