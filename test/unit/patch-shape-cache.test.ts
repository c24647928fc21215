import { Document, parseDocument } from 'yaml';
import type { ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { createPlainNode } from '../../src/yaml/create-node';
import { applyEdits, patchDocument, renderNewDocument } from '../../src/yaml/patch';

/**
 * New content is rendered once per shape and reused (src/yaml/patch.ts): two different
 * values must never share a shape, whatever was rendered before them in the process. Many
 * new documents and items of mixed types, nested and flat, are each printed exactly as the
 * library prints them (`doc.toString`, the oracle), in an order that mixes strings,
 * numbers, nulls, booleans and collections at the same places.
 */
const STYLE: ToStringOptions = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: false };

/** A small deterministic generator (seeded), so that a failure names its case. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SCALARS: unknown[] = [
  'A',
  'B c',
  '1x',
  'Yes',
  'x',
  'y',
  'true',
  'null',
  '',
  '0',
  '12',
  'web-1',
  'x.y',
  0,
  1,
  2,
  7,
  8,
  9,
  15,
  16,
  17,
  1.5,
  -3,
  100,
  true,
  false,
  null,
];

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 0 && r < 0.2) {
    const n = Math.floor(next() * 3);
    return Array.from({ length: n }, () => value(next, depth - 1));
  }
  if (depth > 0 && r < 0.4) {
    const n = Math.floor(next() * 3);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++)
      out[['k', 'v', 'name', 'a'][Math.floor(next() * 4)]] = value(next, depth - 1);
    return out;
  }
  return SCALARS[Math.floor(next() * SCALARS.length)];
}

test('new documents of mixed values each print as the library prints them', () => {
  const next = generator(20261201);
  const mismatches: string[] = [];
  for (let i = 0; i < 600; i++) {
    const doc = new Document({ v: value(next, 2), w: value(next, 1) });
    const expected = doc.toString(STYLE);
    const got = renderNewDocument(doc, STYLE);
    if (got !== expected)
      mismatches.push(`#${i}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
  }
  expect(mismatches).toEqual([]);
});

test('new items of mixed values appended to lists and maps print as the library prints them', () => {
  const next = generator(7);
  const mismatches: string[] = [];
  for (let i = 0; i < 300; i++) {
    const text = 'l:\n- 0\nm:\n  k: 0\n';
    const doc = parseDocument(text);
    const items = value(next, 2);
    (doc.get('l', true) as YAMLSeq).items.push(createPlainNode(doc, items));
    (doc.get('m', true) as YAMLMap).set('n', createPlainNode(doc, value(next, 2)));
    const edits = patchDocument(doc, text, STYLE);
    const got = edits && applyEdits(text, edits);
    const expected = doc.toString(STYLE);
    if (got !== expected)
      mismatches.push(`#${i}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
  }
  expect(mismatches).toEqual([]);
});
