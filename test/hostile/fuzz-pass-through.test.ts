import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { soundKind } from '../../src/yaml/pass-through';

/**
 * The fast path that copies untouched documents must refuse exactly what the parser
 * refuses: whatever the line check calls sound parses as one document, with no error
 * and no warning, into a map of that kind. Mutations of a Service (inserted indicators,
 * line breaks, deletions); the cases found in review are seeds. FC_RUNS runs longer.
 */
const runs = Number(process.env.FC_RUNS ?? 300);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 15_2026;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: app
  labels:
    app: web
  annotations:
    a.b/c: "x y"
spec:
  type: ClusterIP
  ports:
  - name: http
    port: 80
    targetPort: 8080
  selector:
    app: web
`;

/** Malformed Services the line check once accepted (a bare scalar line in a map). */
const SEEDS = [
  SERVICE.replace('targetPort: 8080', 'targetPort=8080'),
  SERVICE.replace('targetPort: 8080', 'targetPort...080'),
  SERVICE.replace('  selector:', '  sel\nctor:'),
  SERVICE.replace('  annotations:', '  anno\ntations:'),
  SERVICE.replace('    app: web\n', '    app\neb\n'),
  SERVICE.replace('  namespace: app', '  names #pace: app'),
  SERVICE.replace('  labels:\n', '  labels #'),
  SERVICE.replace('targetPort: 8080', 'targetPort:-8080'),
  SERVICE.replace('  selector:\n    app: web\n', '  selector:\n    app: web\n.'),
  SERVICE.replace('metadata:', 'met\ndata:'),
  SERVICE.replace('  ports:', '  pnullts:').replace(
    '    app: web\n  annotations',
    '    app: we \n  anno\ntations',
  ),
  SERVICE.replace('  name: web\n', '  nam\nweb\n'),
];

const PIECES = [
  ' ',
  ':',
  ': ',
  '-',
  '- ',
  '#',
  ' #',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  '?',
  '!',
  '&',
  '*',
  '|',
  '>',
  '%',
  '@',
  '`',
  'a',
  '0',
  '\n',
  '  ',
  '---',
  '...',
  '~',
  'null',
  'true',
  '.',
  '=',
  '\u00a0',
  '\u2028',
  '\u0085',
  'x: y',
  'kind: Service',
];

function agrees(text: string): void {
  const kind = soundKind(text);
  if (kind === undefined) return; // parsed the usual way: nothing to compare
  const docs = parseAllDocuments(text);
  expect(Array.isArray(docs) && docs.length).toBe(1);
  const doc = (docs as ReturnType<typeof parseAllDocuments> & unknown[])[0];
  expect(doc.errors.map((e) => e.code)).toEqual([]);
  expect(doc.warnings.map((e) => e.code)).toEqual([]);
  expect((doc.toJS() as { kind?: unknown }).kind).toBe(kind);
}

describe('fuzz: the pass-through line check refuses what the parser refuses', () => {
  test.each(SEEDS.map((s, i) => [i, s]))('seed %i', (_i, text) => {
    agrees(text as string);
    expect(soundKind(text as string)).toBeUndefined();
  });

  test('the unmutated Service is sound (the fast path is used at all)', () => {
    expect(soundKind(SERVICE)).toBe('Service');
  });

  test(
    'random mutations',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(SERVICE.length), fc.constantFrom(...PIECES), fc.nat(3)), {
            minLength: 1,
            maxLength: 3,
          }),
          (mutations) => {
            let text = SERVICE;
            for (const [at, piece, remove] of mutations)
              text = text.slice(0, at) + piece + text.slice(at + remove);
            agrees(text);
          },
        ),
        { numRuns: runs, seed },
      );
    },
    Math.max(60_000, runs * 20),
  );
});
