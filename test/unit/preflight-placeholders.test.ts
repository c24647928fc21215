// A generator placeholder (`<folder>`) left in a workload: an error where the field is a
// path or a name, a warning where angle brackets may be intended (commands, env values,
// annotations); the value shown only where it cannot be a credential.
import { preflightResults } from '../preflight/harness';

const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };
const FIX = (p: string, field: string) =>
  `replace ${p} in ${field} with the real value (for a data folder: the folder's path on the VM, as the migration plan's dataVolumes list it)`;

function placeholders(text: string) {
  return preflightResults(config, text)
    .filter((r) => r.tags?.check === 'generator-placeholder')
    .map((r) => ({
      resource: `${r.resourceRef?.kind}/${r.resourceRef?.name}`,
      severity: r.severity,
      field: r.field?.path,
      line: r.tags?.line,
      message: r.message,
      placeholder: r.tags?.placeholder,
    }));
}

const deployment = (spec: string, metadata = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
${metadata}spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata:
      labels: {app: app}
      annotations: {note: "see <docs>"}
    spec:
${spec}`;

describe('preflight generator-placeholder', () => {
  test('a path or name field is an error naming the value; free text a warning; each located', () => {
    const found = placeholders(
      deployment(`      containers:
      - name: app
        image: nginx:1.27
        command: [sh, -c, "cat <file name>"]
        env:
        - {name: DIR, value: "<data dir>"}
        volumeMounts:
        - {name: data, mountPath: "/<folder>", subPath: "<folder>"}
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: "<claim>"}
`),
    );
    expect(found).toEqual([
      {
        resource: 'Deployment/app',
        severity: 'warning',
        field: 'spec.template.metadata.annotations.note',
        line: '10',
        message: `spec.template.metadata.annotations.note holds the generator placeholder <docs>. Fix: ${FIX('<docs>', 'spec.template.metadata.annotations.note')}`,
        placeholder: '<docs>',
      },
      {
        resource: 'Deployment/app',
        severity: 'warning',
        field: 'spec.template.spec.containers[0].command[2]',
        line: '15',
        message: `spec.template.spec.containers[0].command[2] holds the generator placeholder <file name> ("cat <file name>"). Fix: ${FIX('<file name>', 'spec.template.spec.containers[0].command[2]')}`,
        placeholder: '<file name>',
      },
      {
        resource: 'Deployment/app',
        severity: 'warning',
        field: 'spec.template.spec.containers[0].env[0].value',
        line: '17',
        message: `spec.template.spec.containers[0].env[0].value holds the generator placeholder <data dir>. Fix: ${FIX('<data dir>', 'spec.template.spec.containers[0].env[0].value')}`,
        placeholder: '<data dir>',
      },
      {
        resource: 'Deployment/app',
        severity: 'error',
        field: 'spec.template.spec.containers[0].volumeMounts[0].mountPath',
        line: '19',
        message: `spec.template.spec.containers[0].volumeMounts[0].mountPath holds the generator placeholder <folder> ("/<folder>"). Fix: ${FIX('<folder>', 'spec.template.spec.containers[0].volumeMounts[0].mountPath')}`,
        placeholder: '<folder>',
      },
      {
        resource: 'Deployment/app',
        severity: 'error',
        field: 'spec.template.spec.containers[0].volumeMounts[0].subPath',
        line: '19',
        message: `spec.template.spec.containers[0].volumeMounts[0].subPath holds the generator placeholder <folder> ("<folder>"). Fix: ${FIX('<folder>', 'spec.template.spec.containers[0].volumeMounts[0].subPath')}`,
        placeholder: '<folder>',
      },
      {
        resource: 'Deployment/app',
        severity: 'error',
        field: 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
        line: '22',
        message: `spec.template.spec.volumes[0].persistentVolumeClaim.claimName holds the generator placeholder <claim> ("<claim>"). Fix: ${FIX('<claim>', 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName')}`,
        placeholder: '<claim>',
      },
    ]);
  });

  test('args are free text too', () => {
    expect(
      placeholders(
        deployment(`      containers:\n      - {name: app, image: nginx:1.27, args: ["<arg>"]}\n`),
      ).map((f) => [f.severity, f.field]),
    ).toEqual([
      ['warning', 'spec.template.metadata.annotations.note'],
      ['warning', 'spec.template.spec.containers[0].args[0]'],
    ]);
  });

  test.each([
    ['<a>', '<a>'],
    ['x<folder>y', '<folder>'],
    ['<A.b_c-d 9>', '<A.b_c-d 9>'],
    [`<a${'b'.repeat(62)}>`, `<a${'b'.repeat(62)}>`],
    ['<1> <ok>', '<ok>'],
  ])('%s holds the placeholder %s', (value, placeholder) => {
    expect(
      placeholders(
        deployment(
          `      containers:\n      - name: app\n        image: nginx:1.27\n        workingDir: '${value}'\n`,
        ),
      ).map((f) => f.placeholder),
    ).toEqual(['<docs>', placeholder]);
  });

  test.each([
    'a < b',
    '<>',
    '<1x>',
    '< x>',
    '<a/b>',
    '<a:b>',
    `<a${'b'.repeat(63)}>`,
    '<unclosed',
    'closed>',
  ])('%s holds none', (value) => {
    expect(
      placeholders(
        deployment(
          `      containers:\n      - name: app\n        image: nginx:1.27\n        workingDir: '${value}'\n`,
        ),
      ).map((f) => f.placeholder),
    ).toEqual(['<docs>']);
  });

  test('only strings under spec of a deployable workload; keys, numbers and nulls hold none', () => {
    expect(
      placeholders(
        deployment(
          `      containers:\n      - name: app\n        image: nginx:1.27\n        workingDir: null\n        ports: [{containerPort: 80}]\n      nodeSelector: {"<key>": x}\n`,
          `  labels: {app: "<label>"}\n`,
        ),
      ).map((f) => f.field),
    ).toEqual(['spec.template.metadata.annotations.note']);
    const local = deployment(
      `      containers:\n      - {name: app, image: nginx:1.27, workingDir: "<dir>"}\n`,
      `  annotations: {config.kubernetes.io/local-config: "true"}\n`,
    );
    expect(placeholders(local)).toEqual([]);
    expect(
      placeholders(
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {path: "<folder>"}\n`,
      ),
    ).toEqual([]);
  });

  test('a placeholder in a field named like a credential is shown without its value', () => {
    const [found] = placeholders(
      deployment(
        `      containers:\n      - name: app\n        image: nginx:1.27\n        volumeMounts: [{name: token, mountPath: /x}]\n      volumes:\n      - name: token\n        secret: {secretName: "<secret name>"}\n`,
      ).replace('annotations: {note: "see <docs>"}', 'annotations: {}'),
    );
    expect(found.message).toBe(
      `spec.template.spec.volumes[0].secret.secretName holds the generator placeholder <secret name>. Fix: ${FIX('<secret name>', 'spec.template.spec.volumes[0].secret.secretName')}`,
    );
    expect(found.severity).toBe('error');
  });
});
