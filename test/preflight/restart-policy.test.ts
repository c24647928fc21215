import type { Result } from '../../src/krm/results';
import { restartPolicyViolations } from '../../src/preflight/schema/restart-policy';
import { preflightResults } from './harness';

/**
 * restartPolicy as the API server validates it (src/preflight/schema/restart-policy.ts):
 * the published schemas say only "string", so each rule is stated here from
 * kubernetes/kubernetes validation (core validateRestartPolicy, validateInitContainers,
 * validateContainers; apps and batch validation of the pod templates), independently
 * of the module.
 */
const CONFIG = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };

const CONTAINER = '    - name: app\n      image: example.org/app:1\n';

/** A workload of `kind` whose pod spec holds `spec` (YAML lines at the pod spec's level, unindented). */
function workload(kind: string, spec = ''): string {
  const pod = `containers:\n${CONTAINER.replace(/^ {4}/gm, '')}${spec}`;
  const indent = (text: string, n: number) => text.replace(/^(?=.)/gm, ' '.repeat(n));
  const selector = 'selector:\n  matchLabels:\n    app: a\n';
  const template = () =>
    `template:\n  metadata:\n    labels:\n      app: a\n  spec:\n${indent(pod, 4)}`;
  const head = (apiVersion: string) =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: w\n`;
  switch (kind) {
    case 'Pod':
      return `${head('v1')}spec:\n${indent(pod, 2)}`;
    case 'PodTemplate':
      return `${head('v1')}${template()}`;
    case 'ReplicationController':
      return `${head('v1')}spec:\n  selector:\n    app: a\n${indent(template(), 2)}`;
    case 'Job':
      return `${head('batch/v1')}spec:\n${indent(template(), 2)}`;
    case 'CronJob':
      return `${head('batch/v1')}spec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n${indent(template(), 6)}`;
    case 'StatefulSet':
      return `${head('apps/v1')}spec:\n  serviceName: w\n${indent(selector, 2)}${indent(template(), 2)}`;
    default:
      return `${head('apps/v1')}spec:\n${indent(selector, 2)}${indent(template(), 2)}`;
  }
}

const SPEC_FIELD: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};
const specField = (kind: string) => SPEC_FIELD[kind] ?? 'spec.template.spec';

function schemaFindings(text: string): Result[] {
  return preflightResults(CONFIG, text).filter((r) => r.tags?.check === 'schema');
}

/** Each schema finding as `field: message`. */
function said(text: string): string[] {
  return schemaFindings(text).map((r) => `${r.field?.path}: ${r.message}`);
}

describe("the pod's restartPolicy", () => {
  const ALWAYS_ONLY = [
    'Deployment',
    'ReplicaSet',
    'StatefulSet',
    'DaemonSet',
    'ReplicationController',
  ];
  const JOBS = ['Job', 'CronJob'];
  const ANY = ['Pod', 'PodTemplate'];
  const allowed = (kind: string) =>
    ANY.includes(kind)
      ? 'Always, OnFailure, Never'
      : JOBS.includes(kind)
        ? 'OnFailure, Never'
        : 'Always';

  test.each([...ANY, ...ALWAYS_ONLY, ...JOBS])('%s: a value outside its set is refused', (kind) => {
    const field = `${specField(kind)}.restartPolicy`;
    expect(said(workload(kind, 'restartPolicy: Sometimes\n'))).toEqual([
      `${field}: ${field} must be one of ${allowed(kind)} (found "Sometimes"): the API server rejects the ${kind}. Fix: use one of the allowed values for ${field}`,
    ]);
  });

  test.each([
    ...ANY.flatMap((kind) => ['Always', 'OnFailure', 'Never', '""', null].map((v) => [kind, v])),
    ...ALWAYS_ONLY.flatMap((kind) => ['Always', '""', null].map((v) => [kind, v])),
    ...JOBS.flatMap((kind) => ['OnFailure', 'Never'].map((v) => [kind, v])),
  ])('%s: restartPolicy %s is accepted (absent and "" are defaulted to Always)', (kind, value) => {
    const spec = value === null ? '' : `restartPolicy: ${value}\n`;
    expect(said(workload(String(kind), spec))).toEqual([]);
  });

  test.each(ALWAYS_ONLY)(
    '%s: OnFailure and Never are refused (its pods always restart)',
    (kind) => {
      for (const value of ['OnFailure', 'Never']) {
        expect(said(workload(kind, `restartPolicy: ${value}\n`))).toHaveLength(1);
      }
    },
  );

  test.each(JOBS)(
    '%s: Always, "" and no restartPolicy at all are refused (the default Always is not allowed)',
    (kind) => {
      const field = `${specField(kind)}.restartPolicy`;
      const refused = `${field} must be one of OnFailure, Never`;
      const tail = `: the API server rejects the ${kind}. Fix: use one of the allowed values for ${field}`;
      expect(said(workload(kind, 'restartPolicy: Always\n'))).toEqual([
        `${field}: ${refused} (found "Always")${tail}`,
      ]);
      expect(said(workload(kind, 'restartPolicy: ""\n'))).toEqual([
        `${field}: ${refused} (found "")${tail}`,
      ]);
      expect(said(workload(kind))).toEqual([`${field}: ${refused}${tail}`]);
    },
  );

  test('the finding is located at the value: file, resource, field and line', () => {
    const [finding] = schemaFindings(workload('Deployment', 'restartPolicy: Never\n'));
    expect(finding).toMatchObject({
      severity: 'error',
      resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' },
      field: { path: 'spec.template.spec.restartPolicy' },
      file: { path: 'input.yaml' },
      tags: { line: '17', column: '22', check: 'schema' },
    });
  });

  test('a restartPolicy that is no string is reported once, by the schema, as a type', () => {
    expect(said(workload('Pod', 'restartPolicy: 3\n'))).toEqual([
      'spec.restartPolicy: spec.restartPolicy must be a string (found 3): the API server rejects the Pod. Fix: write spec.restartPolicy as a string',
    ]);
  });
});

describe("a container's restartPolicy", () => {
  const initContainer = (policy: string) =>
    `initContainers:\n- name: proxy\n  image: example.org/proxy:1\n${policy ? `  restartPolicy: ${policy}\n` : ''}`;

  test.each(['Always', 'null', ''])(
    'an init container with restartPolicy %s is accepted',
    (policy) => {
      expect(said(workload('Deployment', initContainer(policy)))).toEqual([]);
    },
  );

  test.each([
    ['OnFailure', ' (found "OnFailure")'],
    ['Never', ' (found "Never")'],
    ['""', ' (found "")'],
  ])(
    'an init container with restartPolicy %s is refused: only Always (a sidecar)',
    (policy, found) => {
      const field = 'spec.template.spec.initContainers[0].restartPolicy';
      expect(said(workload('Deployment', initContainer(policy)))).toEqual([
        `${field}: ${field} must be one of Always${found}: the API server rejects the Deployment. Fix: use one of the allowed values for ${field}`,
      ]);
    },
  );

  test.each([['Always'], ['Never'], ['""']])(
    'a regular container with restartPolicy %s is refused: not for non-init containers',
    (policy) => {
      const text = workload('Pod', '').replace(
        CONTAINER.replace(/^ {4}/gm, '  '),
        (c) => `${c}    restartPolicy: ${policy}\n`,
      );
      expect(text).toContain(`restartPolicy: ${policy}`);
      const field = 'spec.containers[0].restartPolicy';
      const found = policy === '""' ? '""' : `"${policy}"`;
      expect(said(text)).toEqual([
        `${field}: ${field} may not be set for non-init containers (a sidecar is an init container with restartPolicy: Always) (found ${found}): the API server rejects the Pod. Fix: correct ${field}`,
      ]);
    },
  );

  test('every container of every list is looked at, each finding at its own index', () => {
    const text = workload(
      'Job',
      `restartPolicy: Never\n${initContainer('Always')}- name: second\n  image: example.org/second:1\n  restartPolicy: Never\n`,
    );
    expect(schemaFindings(text).map((r) => r.field?.path)).toEqual([
      'spec.template.spec.initContainers[1].restartPolicy',
    ]);
  });
});

describe('what is not checked', () => {
  test('a custom resource and a kind without a pod spec', () => {
    const custom =
      'apiVersion: example.org/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      restartPolicy: Sometimes\n';
    const service =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n';
    expect(said(custom)).toEqual([]);
    expect(said(service)).toEqual([]);
  });

  test('a pod spec that is not a map is the schema type finding alone', () => {
    expect(said('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: []\n')).toEqual([
      'spec: spec must be a map (found a list): the API server rejects the Pod. Fix: write spec as a map',
    ]);
  });

  test('the schema check skipped: no restartPolicy finding either', () => {
    const results = preflightResults({ ...CONFIG, skip: ['schema'] }, workload('Job'));
    expect(results.filter((r) => r.tags?.check === 'schema')).toEqual([]);
  });
});

describe('restartPolicyViolations on its own', () => {
  test('a value of another type is left to the schema (no second finding for it)', () => {
    expect(restartPolicyViolations('Pod', { spec: { restartPolicy: 3 } }, false)).toEqual([]);
    expect(
      restartPolicyViolations(
        'Job',
        { spec: { template: { spec: { restartPolicy: true } } } },
        false,
      ),
    ).toEqual([]);
  });

  test('no pod spec (a template missing, or not a map) gives nothing, never a throw', () => {
    for (const value of [
      {},
      { spec: {} },
      { spec: { template: null } },
      { spec: { template: { spec: [] } } },
      null,
    ]) {
      expect(restartPolicyViolations('Job', value, false)).toEqual([]);
    }
  });

  test('a custom resource and a kind with no pod spec give nothing', () => {
    const job = { spec: { template: { spec: {} } } };
    expect(restartPolicyViolations('Job', job, true)).toEqual([]);
    expect(restartPolicyViolations('Job', job, false)).toHaveLength(1);
    expect(restartPolicyViolations('constructor', job, false)).toEqual([]);
    expect(restartPolicyViolations('Service', job, false)).toEqual([]);
  });
});
