// The order and the deduplication of preflight's results where the files are many, or
// none: a ResourceList from kpt without path annotations has no file to sort by, and a
// wrong-typed field is still reported once.
import { runKrm } from '../../src/cli/krm';
import type { Result } from '../../src/krm/results';
import { transformFiles } from '../../src/pipeline/file-mode';
import { findFunction } from '../../src/pipeline/functions';

const CONFIG = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' };

function preflightFn() {
  const fn = findFunction('preflight');
  if (!fn) throw new Error('no preflight function');
  return fn;
}

const shown = (results: Result[]) =>
  results.map(
    (r) =>
      `${r.file ? `${r.file.path}#${r.file.index ?? 0}` : '-'}:${r.tags?.line} ${r.tags?.check} ${r.resourceRef?.name} ${r.field?.path}`,
  );

/** A Pod with a placeholder (found by a later check) above a wrong-typed field (the schema's). */
const pod = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${extra}  containers:\n  - name: app\n    image: nginx:1.27\n    workingDir: "<dir>"\n  hostname: [y]\n`;

describe('the results preflight returns', () => {
  test('three files: each file in the order first seen, whichever check found what', () => {
    // b.yaml's only finding is a placeholder (a late check) low in its file; c.yaml's a
    // schema error (the first check) higher in its own: b.yaml still comes first.
    const outcome = transformFiles(preflightFn(), CONFIG, 'config.yaml', [
      { path: 'a.yaml', outputName: 'a.yaml', text: pod('a') },
      {
        path: 'b.yaml',
        outputName: 'b.yaml',
        text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "1"\n  y: "2"\n---\n${pod('b').replace('  hostname: [y]\n', '')}`,
      },
      {
        path: 'c.yaml',
        outputName: 'c.yaml',
        text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: [x]\n',
      },
    ]);
    expect(shown(outcome.results)).toEqual([
      'a.yaml#0:9 generator-placeholder a spec.containers[0].workingDir',
      'a.yaml#0:10 schema a spec.hostname',
      'b.yaml#1:17 generator-placeholder b spec.containers[0].workingDir',
      'c.yaml#0:5 schema c data',
    ]);
  });

  test('a ResourceList without paths: by line, a wrong-typed field reported once', () => {
    // p's placeholder (a late check) is above q's wrong-typed ServiceAccount name (found
    // by the schema first, then by the workloads).
    const list = [
      'apiVersion: config.kubernetes.io/v1',
      'kind: ResourceList',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      '    name: p',
      '  spec:',
      '    containers:',
      '    - name: app',
      '      image: nginx:1.27',
      '      workingDir: "<dir>"',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      '    name: q',
      '  spec:',
      '    serviceAccountName: [x]',
      '    containers:',
      '    - name: app',
      '      image: nginx:1.27',
      'functionConfig:',
      `  ${JSON.stringify(CONFIG)}`,
      '',
    ].join('\n');
    const outcome = runKrm(preflightFn(), list);
    expect(shown(outcome.results)).toEqual([
      '-:12 generator-placeholder p spec.containers[0].workingDir',
      '-:18 schema q spec.serviceAccountName',
    ]);
  });

  test("a ResourceList listing a file's documents out of order (no line: the list's are not the file's): by document", () => {
    const item = (name: string, index: number) => [
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      `    name: ${name}`,
      '    annotations:',
      '      config.kubernetes.io/path: a.yaml',
      `      config.kubernetes.io/index: "${index}"`,
      '  spec:',
      '    containers:',
      '    - name: app',
      '      image: nginx:1.27',
      '      workingDir: "<dir>"',
    ];
    const list = [
      'apiVersion: config.kubernetes.io/v1',
      'kind: ResourceList',
      'items:',
      ...item('second', 1),
      ...item('first', 0),
      'functionConfig:',
      `  ${JSON.stringify(CONFIG)}`,
      '',
    ].join('\n');
    expect(shown(runKrm(preflightFn(), list).results)).toEqual([
      'a.yaml#0:undefined generator-placeholder first spec.containers[0].workingDir',
      'a.yaml#1:undefined generator-placeholder second spec.containers[0].workingDir',
    ]);
  });
});
