// The pod template's annotations as the EKS pod identity webhook reads them (skip-containers
// and the like): string keys with a value, each value as text; a null value is no annotation.
import { LineCounter, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { loadConfig } from '../../src/config/load';
import type { PreflightConfig } from '../../src/config/types';
import { Resource } from '../../src/krm/resource';
import { PreflightContext } from '../../src/preflight/context';
import { podTemplateAnnotations } from '../../src/preflight/workload-identity';
import { workloadsOf } from '../../src/preflight/workloads';

function annotationsOf(text: string): Record<string, string> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const resource = new Resource(doc.contents as YAMLMap, doc, { path: 'in.yaml' });
  const ctx = new PreflightContext(
    {
      resources: [resource],
      add: () => {
        throw new Error('nothing is added');
      },
      remove: () => {
        throw new Error('nothing is removed');
      },
    },
    loadConfig<PreflightConfig>('Preflight', {
      apiVersion: 'fn.retarget.dev/v1alpha1',
      kind: 'Preflight',
    }),
  );
  const [workload] = workloadsOf(ctx);
  return podTemplateAnnotations(workload);
}

const deployment = (annotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {on-the-deployment: "yes"}
spec:
  template:
    metadata:
${annotations}    spec:
      containers:
      - {name: app, image: registry.k8s.io/pause:3.9}
`;

describe('podTemplateAnnotations', () => {
  test('string keys with a value, numbers and booleans as text; null values and other keys dropped', () => {
    expect(
      annotationsOf(
        deployment(`      annotations:
        eks.amazonaws.com/skip-containers: "sidecar,app"
        count: 3
        flag: true
        empty: ""
        gone: null
        blank:
        ? [not, a, string]
        : value
        7: seven
        nested: {a: b}
`),
      ),
    ).toEqual({
      'eks.amazonaws.com/skip-containers': 'sidecar,app',
      count: '3',
      flag: 'true',
      empty: '',
    });
  });

  test("the pod template's, not the resource's; none when it has none", () => {
    expect(annotationsOf(deployment(''))).toEqual({});
    expect(annotationsOf(deployment('      annotations: [a, b]\n'))).toEqual({});
  });

  test('a bare Pod: its own metadata', () => {
    expect(
      annotationsOf(
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {a: b}\nspec:\n  containers:\n  - {name: app, image: registry.k8s.io/pause:3.9}\n',
      ),
    ).toEqual({ a: 'b' });
  });
});
