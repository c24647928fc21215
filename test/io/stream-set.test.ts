import { isMap } from 'yaml';
import { StreamResourceSet } from '../../src/io/stream-set';
import { parseDocumentStream, renderDocumentStream } from '../../src/yaml/document-stream';

/**
 * The resources of YAML files (src/io/stream-set.ts), seen through what is written back:
 * which documents are resources, where a new one goes (its neighbour's file, the List
 * it sits in, else the last file), and what removing one leaves.
 */
const A = `# file a
apiVersion: v1
kind: ConfigMap
metadata:
  name: a1
---
just: data
---
# the list
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata:
    name: s1
- apiVersion: v1
  kind: Secret
  metadata:
    name: s2
`;
const B = `apiVersion: v1
kind: Service
metadata:
  name: b1
`;
const streams = () => [parseDocumentStream(A, 'a.yaml'), parseDocumentStream(B, 'b.yaml')];
const names = (set: StreamResourceSet) => set.resources.map((r) => `${r.kind}/${r.name}`);
const CM = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } };

describe('StreamResourceSet', () => {
  test('resources: each KRM document and each List member, in file order, with its origin', () => {
    const set = new StreamResourceSet(streams());
    expect(names(set)).toEqual(['ConfigMap/a1', 'Secret/s1', 'Secret/s2', 'Service/b1']);
    expect(set.resources.map((r) => [r.origin.path, r.origin.index])).toEqual([
      ['a.yaml', 0],
      ['a.yaml', 2],
      ['a.yaml', 2],
      ['b.yaml', 0],
    ]);
    expect(set.resources.every((r) => r.origin.lineCounter !== undefined)).toBe(true);
    // Nothing touched: every file is written back byte for byte.
    expect(set.streams.map(renderDocumentStream)).toEqual([A, B]);
  });

  test('a change to a document or a List member is written back; the rest is as it was', () => {
    const [a, b] = streams();
    const set = new StreamResourceSet([a, b]);
    const [a1, s1] = set.resources;
    a1.metadata!.set('namespace', 'x');
    a1.touch();
    s1.metadata!.set('namespace', 'y');
    s1.touch();
    expect(a1.changed).toBe(true);
    const out = renderDocumentStream(a);
    expect(out).toContain('  name: a1\n  namespace: x\n');
    expect(out).toContain('    name: s1\n    namespace: y\n');
    expect(out).toContain('---\njust: data\n---\n# the list\n');
    expect(renderDocumentStream(b)).toBe(B);
  });

  test('add: next to its neighbour (same file), else in the last file', () => {
    const [a, b] = streams();
    const set = new StreamResourceSet([a, b]);
    const near = set.add(CM, set.resources[0]);
    expect(near.changed).toBe(true);
    expect(near.origin.path).toBe('a.yaml');
    expect(renderDocumentStream(a)).toBe(
      `${A}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n`,
    );
    const alone = set.add({ ...CM, metadata: { name: 'alone' } });
    expect(alone.origin.path).toBe('b.yaml');
    expect(renderDocumentStream(b)).toBe(
      `${B}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alone\n`,
    );
    expect(names(set)).toEqual([
      'ConfigMap/a1',
      'Secret/s1',
      'Secret/s2',
      'Service/b1',
      'ConfigMap/new',
      'ConfigMap/alone',
    ]);
  });

  test('add next to a List member: into the List', () => {
    const [a] = streams();
    const set = new StreamResourceSet([a]);
    const added = set.add(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3' } },
      set.resources[1],
    );
    expect(added.changed).toBe(true);
    expect(added.origin).toEqual({ path: 'a.yaml' });
    expect(a.appended).toEqual([]);
    const out = renderDocumentStream(a);
    expect(
      out.endsWith('    name: s2\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s3\n'),
    ).toBe(true);
    // A later change to the new member marks the List's document again.
    const doc = a.documents[2];
    doc.changed = false;
    added.touch();
    expect(doc.changed).toBe(true);
    // And it can be removed again.
    set.remove(added);
    expect(renderDocumentStream(a)).not.toContain('s3');
  });

  test('add refuses what is no resource, and a set with no file', () => {
    const set = new StreamResourceSet(streams());
    expect(() => set.add({ kind: 'ConfigMap' })).toThrow(
      'a new resource needs apiVersion and kind',
    );
    expect(() => set.add({ apiVersion: 'v1' }, set.resources[1])).toThrow(
      'a new resource needs apiVersion and kind',
    );
    expect(() => new StreamResourceSet([]).add(CM)).toThrow('no input stream to add a resource to');
  });

  test('remove: a document goes with its comments; a List member leaves the List', () => {
    const [a] = streams();
    const set = new StreamResourceSet([a]);
    const [a1, , s2] = set.resources;
    set.remove(a1);
    set.remove(s2);
    expect(names(set)).toEqual(['Secret/s1']);
    const out = renderDocumentStream(a);
    expect(out).not.toContain('a1');
    // The file's head comment stays with the file.
    expect(out.startsWith('# file a\n---\njust: data\n---\n# the list\n')).toBe(true);
    expect(out).not.toContain('s2');
    expect(out).toContain('just: data');
    expect(out).toContain('    name: s1\n');
  });

  test('remove: an added resource is not written; removing twice, or a stranger, changes nothing', () => {
    const [a, b] = streams();
    const set = new StreamResourceSet([a, b]);
    const kept = set.add({ ...CM, metadata: { name: 'kept' } });
    const added = set.add(CM);
    set.remove(added);
    expect(b.appended).toEqual([kept.doc]);
    set.remove(kept);
    expect(b.appended).toEqual([]);
    expect(renderDocumentStream(b)).toBe(B);
    set.remove(added);
    const other = new StreamResourceSet(streams()).resources[0];
    set.remove(other);
    expect(names(set)).toEqual(['ConfigMap/a1', 'Secret/s1', 'Secret/s2', 'Service/b1']);
    expect(set.streams.map(renderDocumentStream)).toEqual([A, B]);
  });

  test('a removed resource is no neighbour: what is added next to it goes to the last file', () => {
    const [a, b] = streams();
    const set = new StreamResourceSet([a, b]);
    const [a1, s1] = set.resources;
    set.remove(a1);
    set.remove(s1);
    expect(set.add(CM, a1).origin.path).toBe('b.yaml');
    const fromList = set.add({ ...CM, metadata: { name: 'n2' } }, s1);
    expect(fromList.origin.path).toBe('b.yaml');
    expect(isMap(fromList.node)).toBe(true);
    expect(renderDocumentStream(a)).not.toContain('name: new');
  });
});
