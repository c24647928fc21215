import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { runKrm } from '../../src/cli/krm';
import { findFunction } from '../../src/pipeline/functions';
import { transformFiles } from '../../src/pipeline/file-mode';
import { HOSTILE } from './support';

/** `kind: List` is a container: its items are hydrated in place and new resources join it. */
const INPUT = readFileSync(join(HOSTILE, 'list-wrapper/input.yaml'), 'utf8');
const CONFIG = parse(readFileSync(join(HOSTILE, 'retarget.yaml'), 'utf8')) as unknown;
const hydrate = findFunction('hydrate')!;

type Item = { kind?: string; items?: Item[] } | string;

function kinds(items: Item[] | undefined): string[] {
  return (items ?? []).map((i) => (typeof i === 'string' ? i : (i.kind ?? '?')));
}

function fileMode(text: string): string {
  const outcome = transformFiles(hydrate, CONFIG, 'c.yaml', [
    { path: 'in.yaml', outputName: 'in.yaml', text },
  ]);
  expect(outcome.ok).toBe(true);
  return outcome.files[0].text;
}

describe('kind: List', () => {
  test('file mode: one document still, the new resources appended to its items; idempotent', () => {
    const once = fileMode(INPUT);
    const docs = parseAllDocuments(once);
    expect(docs).toHaveLength(1);
    const list = docs[0].toJS() as { items: Item[] };
    expect(kinds(list.items)).toEqual([
      'Service',
      'Deployment',
      'not a resource, kept',
      'ConfigMap', // the tmpfiles.d drop-in (legacy runtime, systemd)
      'ConfigMap', // the systemd manager drop-in with the AWS variables
      'ServiceAccount',
    ]);
    expect(once.startsWith('# kubectl get -o yaml style\napiVersion: v1\nkind: List\n')).toBe(true);
    expect(fileMode(once)).toBe(once);
  });

  test('KRM mode: new resources join the List item, not the ResourceList', () => {
    const list = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [parse(INPUT)],
      functionConfig: CONFIG,
    });
    const once = runKrm(hydrate, list);
    expect(once.exitCode).toBe(0);
    const out = parse(once.stdout) as { items: { kind: string; items: Item[] }[] };
    expect(out.items.map((i) => i.kind)).toEqual(['List']);
    expect(kinds(out.items[0].items)).toEqual([
      'Service',
      'Deployment',
      'not a resource, kept',
      'ConfigMap', // the tmpfiles.d drop-in (legacy runtime, systemd)
      'ConfigMap', // the systemd manager drop-in with the AWS variables
      'ServiceAccount',
    ]);
    expect(runKrm(hydrate, once.stdout).stdout).toBe(once.stdout);
  });
});
