import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap } from 'yaml';
import type { YAMLMap } from 'yaml';
import { SourceError } from '../../src/errors';
import {
  inferStyle,
  parseDocumentStream,
  renderDocumentStream,
} from '../../src/yaml/document-stream';
import { REPO } from '../support/run';

const example = readFileSync(join(REPO, 'examples/quickstart/deployment_spec.yaml'), 'utf8');

describe('document stream', () => {
  test('an untouched stream renders to the same bytes', () => {
    for (const text of [
      example,
      '',
      '# only a comment\n',
      '---\n',
      'a: 1\n---',
      'a: 1\r\nb: 2\r\n',
    ]) {
      expect(renderDocumentStream(parseDocumentStream(text, 'x.yaml'))).toBe(text);
    }
  });

  test('a changed document keeps its comments, markers and the other documents', () => {
    const stream = parseDocumentStream(example, 'x.yaml');
    const service = stream.documents[1];
    (service.doc.contents as YAMLMap).setIn(['spec', 'type'], 'NodePort');
    service.changed = true;
    const out = renderDocumentStream(stream);
    const before = example.split('\n');
    const after = out.split('\n');
    expect(after).toHaveLength(before.length);
    const differing = before.filter((line, i) => line !== after[i]);
    expect(differing).toEqual(['  type: ClusterIP']);
    expect(out).toContain('  type: NodePort');
  });

  test('style inference keeps indented sequences indented', () => {
    expect(inferStyle('a:\n  - x\n').indentSeq).toBe(true);
    expect(inferStyle('a:\n- x\n').indentSeq).toBe(false);
    expect(inferStyle('a:\n    b: 1\n').indent).toBe(4);
    const text = 'kind: Service\nspec:\n  ports:\n    - port: 80\n      name: web\n';
    const stream = parseDocumentStream(text, 'x.yaml');
    (stream.documents[0].doc.contents as YAMLMap).set('apiVersion', 'v1');
    stream.documents[0].changed = true;
    expect(renderDocumentStream(stream)).toBe(`${text}apiVersion: v1\n`);
  });

  test('new documents go before a trailing bare ---', () => {
    const stream = parseDocumentStream('a: 1\n---', 'x.yaml');
    stream.appended.push(new Document({ b: 2 }));
    expect(renderDocumentStream(stream)).toBe('a: 1\n---\nb: 2\n---');
  });

  test('a duplicate key is refused with the key and its line', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n';
    expect(() => parseDocumentStream(text, 'dup.yaml')).toThrow(SourceError);
    try {
      parseDocumentStream(text, 'dup.yaml');
    } catch (error) {
      const e = error as SourceError;
      expect(e.location).toMatchObject({ path: 'dup.yaml', line: 5 });
      expect(e.message).toMatch(/^dup\.yaml:5:\d+: .*unique/);
    }
  });

  test('each document keeps its own top-level node range', () => {
    const stream = parseDocumentStream(example, 'x.yaml');
    expect(stream.documents.map((d) => isMap(d.doc.contents))).toEqual([true, true, true, false]);
    for (const d of stream.documents.slice(0, 3)) {
      expect(example.slice(d.start, d.start + 11)).toBe('apiVersion:');
    }
  });
});

describe('changed documents in another style', () => {
  test('a 4-space, indented-sequence document keeps its style and comment spacing', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '    name: hand-written   # added by hand',
      'spec:',
      '    template:',
      '        spec:',
      '            containers:',
      '                - name: app',
      '                  image: app:1',
      '',
    ].join('\n');
    const stream = parseDocumentStream(text, 'x.yaml');
    (stream.documents[0].doc.contents as YAMLMap).setIn(['spec', 'replicas'], 2);
    stream.documents[0].changed = true;
    expect(renderDocumentStream(stream)).toBe(`${text}    replicas: 2\n`);
  });
});
