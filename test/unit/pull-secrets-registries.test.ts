import { StreamResourceSet } from '../../src/io/stream-set';
import type { Result } from '../../src/krm/results';
import { loadConfig } from '../../src/config/load';
import type { SetImagePullSecretsConfig } from '../../src/config/types';
import { setImagePullSecrets } from '../../src/transforms/set-image-pull-secrets';
import { parseDocumentStream, renderDocumentStream } from '../../src/yaml/document-stream';

/*
 * `registries` selects the pods that pull from any of the listed registries (any of their
 * containers or init containers); a pod whose containers cannot be read is reported and
 * left as it is, not given the refs.
 */

const config = (body: Record<string, unknown>) =>
  loadConfig<SetImagePullSecretsConfig>('SetImagePullSecrets', {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'SetImagePullSecrets',
    ...body,
  });

function run(text: string, body: Record<string, unknown>) {
  const stream = parseDocumentStream(text, 'in.yaml');
  const results: Result[] = [];
  setImagePullSecrets({ set: new StreamResourceSet([stream]), results }, config(body));
  return { output: renderDocumentStream(stream), results };
}

const pod = (name: string, containers: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${containers}`;

test.each([
  ['the first registry', 'gcr.io/a/app:1'],
  ['the second registry', 'eu.gcr.io/b/app:1'],
])('a pod pulling from %s of two is selected', (_n, image) => {
  const text = pod('p', `  containers:\n  - name: app\n    image: ${image}\n`);
  const { output, results } = run(text, {
    names: ['pull'],
    registries: ['gcr.io/a', 'eu.gcr.io/b'],
  });
  expect(results).toEqual([]);
  expect(output).toBe(`${text}  imagePullSecrets:\n  - name: pull\n`);
});

test('an init container pulling from the registry selects the pod; no image at all does not', () => {
  const text =
    pod(
      'p',
      '  initContainers:\n  - name: init\n    image: gcr.io/a/init:1\n  containers:\n  - name: app\n    image: docker.io/library/nginx:1\n',
    ) +
    '---\n' +
    pod('q', '  containers:\n  - name: app\n');
  const { output } = run(text, { names: ['pull'], registries: ['gcr.io/a'] });
  expect(output).toBe(text.replace('---\n', '  imagePullSecrets:\n  - name: pull\n---\n'));
});

test('a pod whose init containers are no list is reported and left unchanged', () => {
  const text = pod(
    'p',
    '  initContainers: {}\n  containers:\n  - name: app\n    image: gcr.io/a/app:1\n',
  );
  const { output, results } = run(text, { names: ['pull'], registries: ['gcr.io/a'] });
  expect(output).toBe(text);
  expect(results).toEqual([
    expect.objectContaining({
      severity: 'error',
      message: 'expected a list, found a map',
      field: { path: 'spec.initContainers' },
    }),
  ]);
});
