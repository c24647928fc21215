import Ajv from 'ajv';
import { CONFIG_SCHEMAS } from '../../src/config/schemas';
import type { ConfigKind } from '../../src/config/schemas';
import { CASES } from '../support/config-boundary-values';
import { regexMutants } from '../support/regex-mutants';

/**
 * Mutation testing of the config schemas' patterns. Stryker does not mutate them (they sit
 * in `as const` literals, which it leaves alone, and are strings, not regex literals), so a
 * loosened pattern — the DNS-1123 name that lets in upper case, the ARN without its `$` —
 * would go unnoticed by `npm run mutate`. Here every pattern of every field that
 * test/support/config-boundary-values.ts covers is mutated (test/support/regex-mutants.ts),
 * and each mutant must make at least one of those hand-written values change its verdict:
 * the boundary test (test/unit/config-boundaries.test.ts) would then fail.
 */
type Node = Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });

/** The schema of one field (of its items for a list field). */
function fieldNode(kind: ConfigKind, field: string): Node {
  const schema = CONFIG_SCHEMAS[kind] as unknown as { properties: Record<string, Node> };
  const node = schema.properties[field];
  return node.type === 'array' ? (node.items as Node) : node;
}

function patternsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) patternsIn(n, out);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') out.add(value);
      else patternsIn(value, out);
    }
  return out;
}

function withPattern(node: Node, from: string, to: string): Node {
  return JSON.parse(
    JSON.stringify(node, (key, value: unknown) =>
      key === 'pattern' && value === from ? to : value,
    ),
  ) as Node;
}

/** The (kind, field) pairs of the boundary tables, with their values unwrapped from lists. */
const FIELDS = new Map<string, { kind: ConfigKind; field: string; values: [unknown, boolean][] }>();
for (const [kind, field, value, ok] of CASES) {
  const key = `${kind}.${field}`;
  if (!FIELDS.has(key)) FIELDS.set(key, { kind, field, values: [] });
  const node = (CONFIG_SCHEMAS[kind] as unknown as { properties: Record<string, Node> }).properties[
    field
  ];
  FIELDS.get(key)!.values.push([node.type === 'array' ? (value as unknown[])[0] : value, ok]);
}
const PATTERNED = [...FIELDS.values()].filter(
  ({ kind, field }) => patternsIn(fieldNode(kind, field)).size > 0,
);

describe('the regex mutants', () => {
  test("include the issue's loosened DNS-1123 label and the usual operators, each valid", () => {
    const list = regexMutants('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$').map((m) => m.pattern);
    expect(list).toEqual(
      expect.arrayContaining([
        '[a-z0-9]([-a-z0-9]*[a-z0-9])?$', // ^ dropped
        '^[a-z0-9]([-a-z0-9]*[a-z0-9])?', // $ dropped
        '^[a-z0-9A-Z]([-a-z0-9]*[a-z0-9])?$', // upper case let in
        '^[^a-z0-9]([-a-z0-9]*[a-z0-9])?$', // negated
        '^[a-z]([-a-z0-9]*[a-z0-9])?$', // a member dropped
        '^[b-z0-9]([-a-z0-9]*[a-z0-9])?$', // a range shrunk
        '^[a-z0-9]([-a-z0-9][a-z0-9])?$', // * dropped
        '^[a-z0-9]([-a-z0-9]+[a-z0-9])?$', // * made +
        '^[a-z0-9]([-a-z0-9]*[a-z0-9])$', // ? dropped
      ]),
    );
    expect(new Set(list).size).toBe(list.length);
    for (const p of list) expect(() => new RegExp(p, 'u')).not.toThrow();
  });

  test('bounded quantifiers, alternatives and lookaheads', () => {
    expect(regexMutants('^(x|yz)a{2,4}$').map((m) => m.pattern)).toEqual(
      expect.arrayContaining([
        '^(yz)a{2,4}$',
        '^(x)a{2,4}$',
        '^(x|yz)a{1,4}$',
        '^(x|yz)a{3,4}$',
        '^(x|yz)a{2,3}$',
        '^(x|yz)a{2,5}$',
        '^(x|yz)a$',
      ]),
    );
    expect(regexMutants('^(?!\\.)a$').map((m) => m.pattern)).toContain('^(?=\\.)a$');
  });
});

describe('schema patterns: every mutant is caught by the boundary values', () => {
  test('the fields with a pattern are all here (names, ARNs, regions, Linux names, ids)', () => {
    expect(PATTERNED.map(({ kind, field }) => `${kind}.${field}`).sort()).toEqual([
      'Preflight.awsAccountId',
      'Preflight.gcpProjectId',
      'Preflight.gcpProjectNumber',
      'Preflight.nodeInstanceProfile',
      'Preflight.nodeInstanceProfilePolicies',
      'SetAwsWorkloadIdentity.region',
      'SetAwsWorkloadIdentity.roleArn',
      'SetAwsWorkloadIdentity.serviceAccountName',
      'SetAwsWorkloadIdentity.serviceUsers',
      'SetAwsWorkloadIdentity.tokenGroup',
      'SetAwsWorkloadIdentity.tokenVolumeName',
      'SetGcpWorkloadIdentity.gcpServiceAccount',
      'SetGcpWorkloadIdentity.projectId',
      'SetGcpWorkloadIdentity.serviceAccountName',
      'SetImagePullSecrets.names',
    ]);
  });

  test.each(PATTERNED.map((f) => [`${f.kind}.${f.field}`, f] as const))(
    '%s',
    (_, { kind, field, values }) => {
      const node = fieldNode(kind, field);
      const original = ajv.compile(node);
      // The field's own schema gives each value the verdict the full loader gives it.
      expect(values.filter(([v, ok]) => original(v) !== ok)).toEqual([]);
      const survivors: string[] = [];
      let mutants = 0;
      for (const pattern of patternsIn(node)) {
        for (const mutant of regexMutants(pattern)) {
          mutants++;
          const validate = ajv.compile(withPattern(node, pattern, mutant.pattern));
          if (values.every(([v, ok]) => validate(v) === ok))
            survivors.push(`${mutant.name}: ${mutant.pattern}`);
        }
      }
      expect(mutants).toBeGreaterThan(5);
      expect(survivors).toEqual([]);
    },
  );
});
