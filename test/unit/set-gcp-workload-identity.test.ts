import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { setGcpWorkloadIdentity as libraryFunction } from '../../src/index';
import type { Result } from '../../src/krm/results';
import { grantCommand } from '../../src/transforms/gcp-iam-grants';
import { describeReal, FIXTURES, REPO, runText } from '../support/run';
import { LEGACY_DEPLOYMENT, SERVICE_MANAGER_DEPLOYMENT, stream } from '../support/workloads';

/**
 * Workload Identity Federation for GKE against Google's guide
 * (cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): the ServiceAccount
 * and its iam.gke.io/gcp-service-account annotation, the metadata-server nodeSelector on
 * Standard and not on Autopilot, the grant commands (run by a real shell), and on real
 * generated specs through hydrate with the strict schema preflight.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access into parsed YAML

const GSA = 'orders-vm@app-project.iam.gserviceaccount.com';
const SELECTOR = 'iam.gke.io/gke-metadata-server-enabled';
const ANNOTATION = 'iam.gke.io/gcp-service-account';

function docs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => !!d);
}

function inNamespace(text: string, namespace: string): string {
  return text.replace(/^metadata:\n/gm, `metadata:\n  namespace: ${namespace}\n`);
}

const gcp = (fields: Record<string, unknown>) => ({
  apiVersion: 'fn.retarget.dev/v1alpha1',
  kind: 'SetGcpWorkloadIdentity',
  projectId: 'prod-cluster',
  ...fields,
});

const messages = (results: Result[], severity: string) =>
  results.filter((r) => r.severity === severity).map((r) => r.message);

function retarget(section: Record<string, unknown>, target: Record<string, unknown> = {}) {
  return {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Retarget',
    gcpWorkloadIdentity: section,
    target: {
      platform: 'gke',
      gcpProjectId: 'prod-cluster',
      gcpProjectNumber: '123456789012',
      // The images are in the migration's project: the pull grant is emitted, not missing.
      emitIamPolicyMember: true,
      ...target,
    },
  };
}

/** The generated specs of every shape: both runtimes, real and the project's own. */
const SPECS: [string, string][] = [
  ['real mfa (legacy runtime)', join(FIXTURES, 'mfa__deployment_spec.yaml')],
  ['real dockertest (service-manager)', join(FIXTURES, 'dockertest__deployment_spec.yaml')],
];
const SHAPES: [string, string][] = ['m4a-v1-legacy', 'm4a-v1.9-service-manager', 'm2c-cli'].map(
  (name) => [name, join(REPO, 'testdata/generator-shapes', name, 'deployment_spec.yaml')],
);

function checkGeneratedSpec(path: string): void {
  for (const principal of ['service-account', 'direct'] as const) {
    const section =
      principal === 'direct'
        ? { principal, roles: ['roles/storage.objectViewer'], emitIamPolicyMember: true }
        : { gcpServiceAccount: GSA, emitIamPolicyMember: true };
    const input = inNamespace(readFileSync(path, 'utf8'), 'migrated');
    const first = runText('hydrate', retarget(section), input, 'deployment_spec.yaml');
    // Strict schema preflight included: nothing but infos on the output.
    expect(first.results.filter((r) => r.severity !== 'info')).toEqual([]);
    expect(first.ok).toBe(true);
    const out = docs(first.output);
    const workload = out.find((d) => ['Deployment', 'StatefulSet'].includes(d.kind))!;
    const name = workload.metadata.name as string;
    const pod = workload.spec.template.spec;
    expect(pod.serviceAccountName).toBe(name);
    expect(pod.nodeSelector[SELECTOR]).toBe('true');
    // The metadata server serves every process of the pod: no env, volume or mount added.
    const before = docs(input).find((d) => d.kind === workload.kind)!.spec.template.spec;
    for (const [i, container] of (pod.containers as Obj[]).entries()) {
      expect(container.env).toEqual(before.containers[i].env);
    }
    const sa = out.find((d) => d.kind === 'ServiceAccount' && d.metadata.name === name)!;
    expect(sa.metadata.namespace).toBe('migrated');
    if (principal === 'direct') expect(sa.metadata.annotations).toBeUndefined();
    else expect(sa.metadata.annotations).toEqual({ [ANNOTATION]: GSA });
    const members = out
      .filter((d) => d.kind === 'IAMPolicyMember' && d.metadata.name.startsWith('workload-'))
      .map((d) => d.spec.member as string);
    expect(members).toEqual([
      principal === 'direct'
        ? `principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/prod-cluster.svc.id.goog/subject/ns/migrated/sa/${name}`
        : `serviceAccount:prod-cluster.svc.id.goog[migrated/${name}]`,
    ]);
    expect(messages(first.results, 'info').join('\n')).toContain(
      principal === 'direct'
        ? `gcloud projects add-iam-policy-binding 'projects/prod-cluster' --role='roles/storage.objectViewer' --member='principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/prod-cluster.svc.id.goog/subject/ns/migrated/sa/${name}' --condition=None`
        : `gcloud iam service-accounts add-iam-policy-binding '${GSA}' --role='roles/iam.workloadIdentityUser' --member='serviceAccount:prod-cluster.svc.id.goog[migrated/${name}]'`,
    );
    const again = runText('hydrate', retarget(section), first.output, 'deployment_spec.yaml');
    expect(again.output).toBe(first.output);
    // The same results, but for the pull grant, which the first run put in the package.
    const pullGrant = (r: Result) => /-cross-project$/.test(r.tags?.check ?? '');
    expect(first.results.filter(pullGrant)).toHaveLength(1);
    expect(again.results).toEqual(first.results.filter((r) => !pullGrant(r)));
  }
}

describeReal('set-gcp-workload-identity on real generated specs', () => {
  test.each(SPECS)('%s: both principals, schema-clean, second run identical', (_name, path) =>
    checkGeneratedSpec(path),
  );
});

describe('set-gcp-workload-identity on the generator shapes', () => {
  test.each(SHAPES)('%s: both principals, schema-clean, second run identical', (_name, path) =>
    checkGeneratedSpec(path),
  );
});

describe('the grant command, run by a real shell', () => {
  /** Runs the command with gcloud as a function that prints its arguments, one per line. */
  function argv(command: string, env: Record<string, string> = {}) {
    const r = spawnSync('sh', ['-c', `gcloud() { printf '%s\\n' "$@"; }; ${command}`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { status: r.status, args: r.stdout.split('\n').slice(0, -1), stderr: r.stderr };
  }
  const config = (fields: Record<string, unknown>) =>
    ({ projectId: 'prod-cluster', principal: 'service-account', ...fields }) as Parameters<
      typeof grantCommand
    >[0];

  test('service-account: the binding on the Google service account, every value one word', () => {
    // Names from the package are not validated by the config schema: quoting holds them.
    const ksa = { name: "it's $(id)", namespace: 'a b;`x`' };
    const r = argv(grantCommand(config({ gcpServiceAccount: GSA }), ksa));
    expect(r.status).toBe(0);
    expect(r.args).toEqual([
      'iam',
      'service-accounts',
      'add-iam-policy-binding',
      GSA,
      '--role=roles/iam.workloadIdentityUser',
      "--member=serviceAccount:prod-cluster.svc.id.goog[a b;`x`/it's $(id)]",
    ]);
  });

  test('unknown namespace: a parameter that stops the command when unset', () => {
    const command = grantCommand(config({ gcpServiceAccount: GSA }), {
      name: 'catalog',
      namespace: undefined,
    });
    const unset = argv(command);
    expect(unset.status).not.toBe(0);
    expect(unset.args).toEqual([]);
    expect(unset.stderr).toContain('the namespace the workload is applied to');
    expect(argv(command, { NAMESPACE: 'shop' }).args.at(-1)).toBe(
      '--member=serviceAccount:prod-cluster.svc.id.goog[shop/catalog]',
    );
  });

  test('direct: one project binding per role, with the principal identifier', () => {
    const command = grantCommand(
      config({
        principal: 'direct',
        projectNumber: 123456789012,
        roles: ['roles/storage.objectViewer', 'projects/prod-cluster/roles/orderReader'],
      }),
      { name: 'inventory', namespace: 'stock' },
    );
    const r = argv(command);
    expect(r.status).toBe(0);
    const principal =
      'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/prod-cluster.svc.id.goog/subject/ns/stock/sa/inventory';
    const binding = (role: string) => [
      'projects',
      'add-iam-policy-binding',
      'projects/prod-cluster',
      `--role=${role}`,
      `--member=${principal}`,
      '--condition=None',
    ];
    expect(r.args).toEqual([
      ...binding('roles/storage.objectViewer'),
      ...binding('projects/prod-cluster/roles/orderReader'),
    ]);
  });
});

describe('the config', () => {
  const LEGACY = LEGACY_DEPLOYMENT;
  const invalid = (config: unknown, text = LEGACY) => {
    const r = runText('set-gcp-workload-identity', config, text);
    expect(r.ok).toBe(false);
    expect(r.output).toBe(text);
    return r.results.map((x) => `${x.field?.path}: ${x.message}`);
  };

  test('service-account needs gcpServiceAccount and takes no roles', () => {
    expect(invalid(gcp({}))).toEqual([
      'gcpServiceAccount: invalid SetGcpWorkloadIdentity config: gcpServiceAccount: is required',
    ]);
    expect(invalid(gcp({ gcpServiceAccount: GSA, roles: ['roles/storage.objectViewer'] }))).toEqual(
      [
        "roles: invalid SetGcpWorkloadIdentity config: roles: is for principal direct: with service-account the Google service account's own roles apply (grant them to it)",
      ],
    );
  });

  test('direct needs projectNumber and roles, and refuses gcpServiceAccount', () => {
    expect(invalid(gcp({ principal: 'direct' }))).toEqual([
      'projectNumber: invalid SetGcpWorkloadIdentity config: projectNumber: is required',
      'roles: invalid SetGcpWorkloadIdentity config: roles: is required',
    ]);
    const refused = invalid(
      gcp({
        principal: 'direct',
        projectNumber: '123456789012',
        roles: ['roles/storage.objectViewer'],
        gcpServiceAccount: GSA,
      }),
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('gcpServiceAccount: is refused with principal direct');
  });

  test('projectId is required; roles are IAM role names', () => {
    expect(invalid({ ...gcp({ gcpServiceAccount: GSA }), projectId: undefined })).toEqual([
      'projectId: invalid SetGcpWorkloadIdentity config: projectId: is required',
    ]);
    const direct = (role: string) =>
      runText(
        'set-gcp-workload-identity',
        gcp({ principal: 'direct', projectNumber: '123456789012', roles: [role] }),
        LEGACY,
      ).ok;
    for (const role of [
      'roles/storage.objectViewer',
      'projects/my-project/roles/orderReader',
      'organizations/123456789/roles/orderReader',
    ])
      expect(direct(role)).toBe(true);
    for (const role of [
      'storage.objectViewer',
      'roles/',
      'roles/a b',
      "roles/a'b",
      'projects/X/roles/y',
    ])
      expect(direct(role)).toBe(false);
  });

  test('a ConfigMap config (kpt fn eval -- key=value)', () => {
    const r = runText(
      'set-gcp-workload-identity',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        data: { projectId: 'prod-cluster', gcpServiceAccount: GSA },
      },
      LEGACY,
    );
    expect(r.ok).toBe(true);
    expect(r.output).toContain(`${ANNOTATION}: ${GSA}`);
  });

  test('hydrate: one identity mechanism, a GKE target, the cluster named once', () => {
    const run = (config: unknown) => runText('hydrate', config, LEGACY);
    const errors = (config: unknown) => messages(run(config).results, 'error');
    const aws = { roleArn: 'arn:aws:iam::123456789012:role/app' };
    expect(
      errors({ ...retarget({ gcpServiceAccount: GSA }), awsWorkloadIdentity: aws }).join(),
    ).toContain('gcpWorkloadIdentity: cannot be used with awsWorkloadIdentity');
    expect(errors(retarget({ gcpServiceAccount: GSA }, { platform: 'eks' })).join()).toContain(
      'target.platform: eks is no GKE cluster',
    );
    expect(
      errors(retarget({ gcpServiceAccount: GSA, projectId: 'other-project' })).join(),
    ).toContain('gcpWorkloadIdentity.projectId: other-project differs from the target');
    // Without a target the section names the cluster itself, and its errors are located.
    expect(
      errors({
        apiVersion: 'fn.retarget.dev/v1alpha1',
        kind: 'Retarget',
        gcpWorkloadIdentity: { gcpServiceAccount: GSA },
      }),
    ).toEqual(['invalid Retarget config: gcpWorkloadIdentity.projectId: is required']);
    // Autopilot from the target: no nodeSelector.
    const autopilot = run(retarget({ gcpServiceAccount: GSA }, { platform: 'gke-autopilot' }));
    expect(autopilot.output).not.toContain(SELECTOR);
    expect(autopilot.output).toContain(`${ANNOTATION}: ${GSA}`);
  });
});

describe('what the package already says', () => {
  const sa = (annotation?: string) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
${annotation ? `  annotations:\n    ${ANNOTATION}: ${annotation}\n` : ''}`;
  const other = 'api-old@app-project.iam.gserviceaccount.com';

  test('a different Google service account on the ServiceAccount: error, or replaced with override', () => {
    const text = stream(SERVICE_MANAGER_DEPLOYMENT, sa(other));
    const refused = runText('set-gcp-workload-identity', gcp({ gcpServiceAccount: GSA }), text);
    expect(refused.ok).toBe(false);
    const error = refused.results.find((r) => r.severity === 'error')!;
    expect(error.message).toBe(
      `ServiceAccount api has ${ANNOTATION}: ${other}, the config asks for ${GSA}; set override: true to replace it`,
    );
    expect(error.field).toMatchObject({ currentValue: other, proposedValue: GSA });
    const replaced = runText(
      'set-gcp-workload-identity',
      gcp({ gcpServiceAccount: GSA, override: true }),
      text,
    );
    expect(replaced.ok).toBe(true);
    const account = docs(replaced.output).find((d) => d.kind === 'ServiceAccount')!;
    expect(account.metadata.annotations[ANNOTATION]).toBe(GSA);
    expect(messages(replaced.results, 'info')).toContain(
      `Google service account changed from ${other} to ${GSA}`,
    );
  });

  test('the same annotation already there: nothing changes in it, no new ServiceAccount', () => {
    const text = stream(SERVICE_MANAGER_DEPLOYMENT, sa(GSA));
    const r = runText('set-gcp-workload-identity', gcp({ gcpServiceAccount: GSA }), text);
    expect(r.ok).toBe(true);
    expect(docs(r.output).filter((d) => d.kind === 'ServiceAccount')).toHaveLength(1);
    expect(r.output.endsWith(sa(GSA))).toBe(true);
  });

  test('a nodeSelector that keeps pods off metadata-server nodes is an error; Autopilot refuses the selector', () => {
    const withSelector = (value: string) =>
      SERVICE_MANAGER_DEPLOYMENT.replace(
        '    spec:\n      containers:',
        `    spec:\n      nodeSelector:\n        ${SELECTOR}: ${value}\n      containers:`,
      );
    const off = runText(
      'set-gcp-workload-identity',
      gcp({ gcpServiceAccount: GSA }),
      withSelector('"false"'),
    );
    expect(off.ok).toBe(false);
    expect(messages(off.results, 'error')[0]).toContain(
      `nodeSelector ${SELECTOR}: false keeps the pods off the nodes that run the GKE metadata server`,
    );
    const on = withSelector('"true"');
    expect(runText('set-gcp-workload-identity', gcp({ gcpServiceAccount: GSA }), on).ok).toBe(true);
    const autopilot = runText(
      'set-gcp-workload-identity',
      gcp({ gcpServiceAccount: GSA, platform: 'gke-autopilot' }),
      on,
    );
    expect(autopilot.ok).toBe(false);
    const error = autopilot.results.find((r) => r.severity === 'error')!;
    expect(error.message).toContain('GKE Autopilot rejects the nodeSelector');
    expect(error.field?.path).toBe(`spec.template.spec.nodeSelector.${SELECTOR}`);
    expect(error.tags?.line).toBe('18');
  });

  test('hostNetwork pods are warned about; default is bound only when named, with a warning', () => {
    const host = SERVICE_MANAGER_DEPLOYMENT.replace(
      '    spec:\n      containers:',
      '    spec:\n      hostNetwork: true\n      containers:',
    );
    const r = runText('set-gcp-workload-identity', gcp({ gcpServiceAccount: GSA }), host);
    expect(messages(r.results, 'warning')).toEqual([
      'hostNetwork: true: Workload Identity Federation for GKE cannot be used by pods on the host network; they get the node service account, not the workload identity',
    ]);
    const named = runText(
      'set-gcp-workload-identity',
      gcp({ gcpServiceAccount: GSA, serviceAccountName: 'default' }),
      SERVICE_MANAGER_DEPLOYMENT,
    );
    expect(messages(named.results, 'warning')[0]).toContain(
      `serviceAccountName: default gives the identity of ${GSA} to the ServiceAccount default of namespace shop`,
    );
    expect(docs(named.output)[1]).toMatchObject({
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'shop', annotations: { [ANNOTATION]: GSA } },
    });
  });

  test('an emitted IAMPolicyMember changed by hand is kept and reported', () => {
    const config = gcp({ gcpServiceAccount: GSA, emitIamPolicyMember: true });
    const first = runText('set-gcp-workload-identity', config, SERVICE_MANAGER_DEPLOYMENT);
    expect(first.ok).toBe(true);
    const edited = first.output.replace(
      'role: roles/iam.workloadIdentityUser',
      'role: roles/iam.serviceAccountTokenCreator',
    );
    const again = runText('set-gcp-workload-identity', config, edited);
    expect(again.output).toBe(edited);
    expect(messages(again.results, 'warning')).toEqual([
      expect.stringMatching(
        /^IAMPolicyMember workload-identity-api-iam\.workloadidentityuser-[0-9a-f]{8} is kept as the package has it: its spec\.role differs from the grant the config describes \(spec\.role: roles\/iam\.workloadIdentityUser\)$/,
      ),
    ]);
  });
});

test('the library function, over objects', () => {
  const outcome = libraryFunction(
    [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'batch', namespace: 'jobs' },
        spec: { containers: [{ name: 'batch', image: 'batch:1' }] },
      },
    ],
    { projectId: 'prod-cluster', gcpServiceAccount: GSA },
  );
  expect(outcome.ok).toBe(true);
  expect(outcome.output).toEqual([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'batch', namespace: 'jobs' },
      spec: {
        containers: [{ name: 'batch', image: 'batch:1' }],
        serviceAccountName: 'batch',
        nodeSelector: { [SELECTOR]: 'true' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'batch', namespace: 'jobs', annotations: { [ANNOTATION]: GSA } },
    },
  ]);
});
