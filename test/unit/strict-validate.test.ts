// Strict validation's rules, each on a schema written here by hand: what the API server's
// decoder and validation do with a struct, a map, a free object, null, a type, a format, a
// constraint and a variant (the rules listed in src/preflight/schema/strict-validate.ts),
// independent of the published documents the preflight tests validate against.
import type { KindSchema, Schema } from '../../src/preflight/schema/kubernetes-schemas';
import { oneEditAway, validateStrict } from '../../src/preflight/schema/strict-validate';
import type { Violation } from '../../src/preflight/schema/strict-validate';

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const string: Schema = { type: 'string' };
const integer: Schema = { type: 'integer' };

function kind(root: Schema, definitions: Record<string, Schema> = {}): KindSchema {
  return { root, definitions };
}

/** The violations of one value against a root schema, as `kind path` lines. */
function lines(value: unknown, root: Schema, definitions: Record<string, Schema> = {}): string[] {
  return validateStrict(value, kind(root, definitions)).map(
    (v) => `${v.kind} ${v.segments.join('.')}`,
  );
}

/** The violations of one field's value against the field's schema. */
function field(value: unknown, schema: Schema, definitions: Record<string, Schema> = {}) {
  return validateStrict(
    { f: value },
    kind({ type: 'object', properties: { f: schema } }, definitions),
  );
}

/** The constraint message of one field's value, or undefined when it passes. */
function constraintOf(value: unknown, schema: Schema): string | undefined {
  const found = field(value, schema);
  expect(found.length).toBeLessThanOrEqual(1);
  if (found.length === 0) return undefined;
  const [violation] = found;
  if (violation.kind !== 'constraint') throw new Error(`not a constraint: ${violation.kind}`);
  expect(violation.segments).toEqual(['f']);
  return violation.constraint;
}

describe('structs, maps and free objects', () => {
  const root: Schema = {
    type: 'object',
    properties: {
      name: string,
      labels: { type: 'object', additionalProperties: string },
      raw: { type: 'object' },
      spec: { $ref: 'Spec' },
    },
    required: ['name'],
  };
  const definitions: Record<string, Schema> = {
    Spec: {
      type: 'object',
      properties: { replicas: integer, items: { type: 'array', items: { $ref: 'Item' } } },
    },
    Item: { type: 'object', properties: { port: integer }, required: ['port'] },
  };

  test('a struct knows its fields, case-sensitively; a map takes any key and checks each value', () => {
    expect(
      lines(
        {
          name: 'a',
          labels: { 'any.example.com/key': 'v', other: 'w' },
          raw: { anything: { at: ['all'] } },
          spec: { replicas: 2, items: [{ port: 80 }, { port: 81 }] },
        },
        root,
        definitions,
      ),
    ).toEqual([]);
    expect(
      lines(
        {
          Name: 'a',
          name: 'a',
          labels: { ok: 'v', bad: 3 },
          spec: { replicas: 2, Replicas: 3, items: [{ port: 80 }, { port: '81', extra: 1 }] },
        },
        root,
        definitions,
      ),
    ).toEqual([
      'unknown-field Name',
      'type labels.bad',
      'unknown-field spec.Replicas',
      'type spec.items.1.port',
      'unknown-field spec.items.1.extra',
    ]);
  });

  test('a violation of the root itself has an empty path', () => {
    expect(validateStrict('x', kind({ type: 'object' }))).toEqual([
      { kind: 'type', segments: [], expected: ['object'] },
    ]);
    expect(validateStrict([1], kind({ type: 'array', maxItems: 0 }))).toEqual([
      { kind: 'constraint', segments: [], constraint: 'must have at most 0 items' },
    ]);
  });

  test('required fields and the fields of a struct are those of an object only', () => {
    expect(field('x', { required: ['a'] })).toEqual([]);
    expect(field(5, { required: ['a'] })).toEqual([]);
    expect(field(['a'], { required: ['0'] })).toEqual([]);
  });

  test('names of Object.prototype are fields like any other', () => {
    expect(lines({ name: 'a', toString: 'x', constructor: 'y' }, root)).toEqual([
      'unknown-field toString',
      'unknown-field constructor',
    ]);
    expect(lines({ name: 'a', labels: { hasOwnProperty: 1 } }, root)).toEqual([
      'type labels.hasOwnProperty',
    ]);
  });

  test('null is the zero value anywhere and absent for required; so is a missing item', () => {
    expect(lines({ name: 'a', labels: null, spec: { items: [null] } }, root, definitions)).toEqual(
      [],
    );
    expect(lines({ name: null }, root)).toEqual(['required name']);
    expect(lines({}, root)).toEqual(['required name']);
    expect(lines({ spec: { items: [{}] } }, root, definitions)).toEqual([
      'required spec.items.0.port',
      'required name',
    ]);
    expect(lines(null, root)).toEqual([]);
  });

  test('a struct with free keys besides its fields checks them against its value schema', () => {
    const mixed: Schema = {
      type: 'object',
      properties: { known: string },
      additionalProperties: integer,
    };
    expect(lines({ known: 'a', other: 1 }, mixed)).toEqual([]);
    expect(lines({ known: 1, other: 'b' }, mixed)).toEqual(['type known', 'type other']);
  });

  test('preserve-unknown-fields and additionalProperties: true keep unknown keys', () => {
    for (const open of [
      {
        type: 'object',
        properties: { known: string },
        'x-kubernetes-preserve-unknown-fields': true,
      },
      { type: 'object', properties: { known: string }, additionalProperties: true },
    ] as Schema[]) {
      expect(lines({ known: 'a', other: { x: 1 } }, open)).toEqual([]);
      expect(lines({ known: 1 }, open)).toEqual(['type known']);
    }
    // Closed: additionalProperties false is no value schema.
    expect(
      lines(
        { other: 1 },
        { type: 'object', properties: { known: string }, additionalProperties: false },
      ),
    ).toEqual(['unknown-field other']);
  });

  test('an embedded resource keeps its apiVersion, kind and metadata, nothing else', () => {
    const embedded: Schema = {
      type: 'object',
      properties: { spec: { type: 'object' } },
      'x-kubernetes-embedded-resource': true,
    };
    expect(
      lines({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} }, embedded),
    ).toEqual([]);
    expect(lines({ apiVersion: 'v1', status: {} }, embedded)).toEqual(['unknown-field status']);
    // Not embedded: apiVersion is a field like any other.
    expect(lines({ apiVersion: 'v1' }, { type: 'object', properties: { spec: string } })).toEqual([
      'unknown-field apiVersion',
    ]);
  });

  test("a custom resource's object without fields is pruned: each key is unknown", () => {
    const custom = (value: unknown, schema: Schema) =>
      validateStrict({ f: value }, kind({ type: 'object', properties: { f: schema } }), true);
    expect(custom({ a: 1, b: 2 }, { type: 'object' })).toEqual([
      { kind: 'unknown-field', segments: ['f', 'a'] },
      { kind: 'unknown-field', segments: ['f', 'b'] },
    ]);
    expect(
      custom(
        { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: {} },
        { type: 'object', 'x-kubernetes-embedded-resource': true },
      ),
    ).toEqual([{ kind: 'unknown-field', segments: ['f', 'spec'] }]);
    // Kept: preserve-unknown-fields, additionalProperties true, or no type at all.
    expect(
      custom({ a: 1 }, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
    ).toEqual([]);
    expect(custom({ a: 1 }, { type: 'object', additionalProperties: true })).toEqual([]);
    expect(custom({ a: 1 }, {})).toEqual([]);
    // A built-in kind's RawExtension keeps everything.
    expect(field({ a: 1 }, { type: 'object' })).toEqual([]);
  });

  test('$ref chains resolve to their last definition; an unknown one admits anything', () => {
    const definitions = { A: { $ref: 'B' }, B: { $ref: 'C' }, C: integer };
    expect(field(1, { $ref: 'A' }, definitions)).toEqual([]);
    expect(field('x', { $ref: 'A' }, definitions)).toEqual([
      { kind: 'type', segments: ['f'], expected: ['integer'] },
    ]);
    expect(field('x', { $ref: 'Missing' }, definitions)).toEqual([]);
    // A cycle ends.
    expect(field('x', { $ref: 'Loop' }, { Loop: { $ref: 'Loop' } })).toEqual([]);
  });

  test('the same schema object reached twice is checked in each place', () => {
    const shared: Schema = { type: 'object', properties: { n: integer } };
    const twice: Schema = { type: 'object', properties: { a: shared, b: shared } };
    expect(lines({ a: { n: 'x' }, b: { n: 'y', m: 1 } }, twice)).toEqual([
      'type a.n',
      'type b.n',
      'unknown-field b.m',
    ]);
    // Twice in a row, from the cache.
    expect(lines({ a: { n: 'x' } }, twice)).toEqual(['type a.n']);
  });
});

describe('status: decoded strictly, not validated', () => {
  const phase: Schema = {
    type: 'object',
    properties: { phase: { type: 'string', enum: ['Ready'], pattern: '^R' } },
    required: ['phase'],
  };
  const root: Schema = {
    type: 'object',
    properties: {
      status: phase,
      spec: { type: 'object', properties: { status: phase } },
      items: { type: 'array', items: phase },
    },
  };

  test('the top-level status escapes enums, patterns and required fields, not types or unknown fields', () => {
    expect(lines({ status: { phase: 'Gone' } }, root)).toEqual([]);
    expect(lines({ status: {} }, root)).toEqual([]);
    expect(lines({ status: { phase: 1, other: 1 } }, root)).toEqual([
      'type status.phase',
      'unknown-field status.other',
    ]);
  });

  test('a field named status anywhere else is validated', () => {
    expect(lines({ spec: { status: { phase: 'Gone' } } }, root)).toEqual([
      'enum spec.status.phase',
    ]);
    expect(lines({ spec: { status: {} } }, root)).toEqual(['required spec.status.phase']);
    expect(lines({ items: [{ phase: 'Gone' }, {}] }, root)).toEqual([
      'enum items.0.phase',
      'required items.1.phase',
    ]);
  });
});

describe('types', () => {
  const typeOf = (value: unknown, schema: Schema) =>
    field(value, schema).map((v) => (v.kind === 'type' ? v.expected : v.kind));

  test('each JSON type admits its values only', () => {
    const cases: [Schema, unknown[], unknown[]][] = [
      [{ type: 'string' }, ['', 'x'], [1, true, [], {}]],
      [{ type: 'integer' }, [0, -3, 2.0, 2 ** 60], [1.5, '1', true, Number.NaN]],
      [{ type: 'number' }, [0, 1.5, -2], [Infinity, -Infinity, Number.NaN, '1']],
      [{ type: 'boolean' }, [true, false], ['true', 0]],
      [{ type: 'array' }, [[], [1]], [{}, 'x']],
      [{ type: 'object' }, [{}, { a: 1 }], [[], 'x', 1]],
    ];
    for (const [schema, good, bad] of cases) {
      for (const value of good)
        expect({ value, found: typeOf(value, schema) }).toEqual({ value, found: [] });
      for (const value of bad)
        expect({ value, found: typeOf(value, schema) }).toEqual({ value, found: [[schema.type]] });
    }
  });

  test('a type the decoder does not know, and a schema without one, admit anything', () => {
    expect(typeOf('x', { type: 'null' })).toEqual([]);
    expect(typeOf({ a: 1 }, {})).toEqual([]);
  });

  test('int-or-string and a oneOf or anyOf of plain types admit each of their types', () => {
    const unions: [Schema, string[]][] = [
      [{ 'x-kubernetes-int-or-string': true }, ['string', 'integer']],
      [{ oneOf: [{ type: 'integer' }, { type: 'string' }] }, ['integer', 'string']],
      [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, ['string', 'number']],
    ];
    for (const [schema, expected] of unions) {
      expect(typeOf('80', schema)).toEqual([]);
      expect(typeOf(80, schema)).toEqual([]);
      expect(typeOf(true, schema)).toEqual([expected]);
      expect(typeOf({}, schema)).toEqual([expected]);
    }
    expect(typeOf(1.5, { 'x-kubernetes-int-or-string': true })).toEqual([['string', 'integer']]);
  });

  test('a oneOf whose variants say more than a type is a constraint, not a type', () => {
    const schema: Schema = { oneOf: [{ type: 'string', pattern: '^a' }, { type: 'integer' }] };
    expect(typeOf('abc', schema)).toEqual([]);
    expect(typeOf(true, schema)).toEqual(['constraint']);
  });

  test('fields or a value schema make an object', () => {
    expect(typeOf('x', { properties: { a: string } })).toEqual([['object']]);
    expect(typeOf('x', { additionalProperties: string })).toEqual([['object']]);
    expect(typeOf('x', { additionalProperties: true })).toEqual([]);
  });

  test('a wrong type is one violation: its format and fields are not looked at', () => {
    expect(field(3e10, { type: 'string', format: 'int32' })).toEqual([
      { kind: 'type', segments: ['f'], expected: ['string'] },
    ]);
    expect(
      field([{ a: 1 }], { type: 'object', required: ['a'], properties: { b: string } }),
    ).toEqual([{ kind: 'type', segments: ['f'], expected: ['object'] }]);
  });
});

describe('formats', () => {
  const formatOf = (value: unknown, schema: Schema, definitions: Record<string, Schema> = {}) =>
    field(value, schema, definitions).map((v) => (v.kind === 'format' ? v.format : v.kind));

  test('int32 and int64: the ranges of Go integers', () => {
    const int32: Schema = { type: 'integer', format: 'int32' };
    for (const ok of [0, -2147483648, 2147483647]) expect(formatOf(ok, int32)).toEqual([]);
    for (const bad of [-2147483649, 2147483648]) expect(formatOf(bad, int32)).toEqual(['int32']);
    const int64: Schema = { type: 'integer', format: 'int64' };
    for (const ok of [0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])
      expect(formatOf(ok, int64)).toEqual([]);
    for (const bad of [2 ** 53, -(2 ** 53)]) expect(formatOf(bad, int64)).toEqual(['int64']);
  });

  test('a format applies to its own type only', () => {
    expect(formatOf('99999999999', { format: 'int32' })).toEqual([]);
    expect(formatOf('1', { format: 'int64' })).toEqual([]);
    expect(formatOf(5, { format: 'byte' })).toEqual([]);
    expect(formatOf(5, { format: 'date-time' })).toEqual([]);
    expect(formatOf('x', { type: 'string', format: 'email' })).toEqual([]);
  });

  test('byte: padded standard base64, line breaks skipped', () => {
    const byte: Schema = { type: 'string', format: 'byte' };
    for (const ok of ['', 'QUJD', 'QUI=', 'QQ==', 'a+/9', 'QUJDRA==', 'QUJDREU=', 'QUJD\nRA==\r\n'])
      expect({ ok, found: formatOf(ok, byte) }).toEqual({ ok, found: [] });
    for (const bad of [
      'Q',
      'QU',
      'QUJ',
      'QUJDR',
      'Q===',
      'QUJD=',
      '=QUJ',
      'QUJD!',
      'QU=',
      '-_-_',
      'QUJD RA==',
      'aQUJD==',
    ])
      expect({ bad, found: formatOf(bad, byte) }).toEqual({ bad, found: ['byte'] });
  });

  test('date-time: RFC 3339 as Go parses it; empty is the zero time', () => {
    const time: Schema = { type: 'string', format: 'date-time' };
    for (const ok of [
      '',
      '2024-01-31T12:00:00Z',
      '2024-01-31T12:00:00.5Z',
      '2024-01-31T12:00:00.123456789-05:30',
      '2024-01-31T12:00:00+00:00',
    ])
      expect({ ok, found: formatOf(ok, time) }).toEqual({ ok, found: [] });
    for (const bad of [
      'yesterday',
      'x2024-01-31T12:00:00Z',
      '2024-01-31T12:00:00Zx',
      '24-01-31T12:00:00Z',
      '2024-1-31T12:00:00Z',
      '2024-01-3T12:00:00Z',
      '2024-01-31T2:00:00Z',
      '2024-01-31T12:0:00Z',
      '2024-01-31T12:00:0Z',
      '2024-01-31T12:00Z',
      '2024-01-31 12:00:00Z',
      '2024-01-31T12:00:00',
      '2024-01-31T12:00:00.Z',
      '2024-01-31T12:00:00+0000',
      '2024-01-31T12:00:00+00',
      '2024-01-31T12:00:00+0:00',
      '2024-01-31T12:00:00+00:0',
      '2024-01-31T12:00:0aZ',
      '2024a01-31T12:00:00Z',
    ])
      expect({ bad, found: formatOf(bad, time) }).toEqual({ bad, found: ['date-time'] });
  });

  test('a Quantity: a decimal number with a binary or decimal suffix or an exponent', () => {
    const definitions = { [QUANTITY]: { oneOf: [{ type: 'string' }, { type: 'number' }] } };
    const quantity: Schema = { $ref: QUANTITY };
    for (const ok of [
      '1',
      '+1',
      '-1',
      '1.',
      '1.5',
      '.5',
      '0.25',
      '100',
      '10Ki',
      '1Mi',
      '1Gi',
      '1Ti',
      '1Pi',
      '1Ei',
      '1n',
      '1u',
      '500m',
      '1k',
      '1M',
      '1G',
      '1T',
      '1P',
      '1E',
      '1e3',
      '1E3',
      '1e+3',
      '1e-3',
      '12e10',
      2,
      0.5,
    ])
      expect({ ok, found: formatOf(ok, quantity, definitions) }).toEqual({ ok, found: [] });
    for (const bad of [
      '',
      '.',
      '+',
      '1.5.5',
      'Ki',
      '1K',
      '1KiB',
      '512MB',
      '1e',
      '1e+',
      ' 1',
      '1 ',
      'x1',
      '1x',
      '+-1',
      '--1',
      '1..',
      '1e3.5',
      '1mi',
      '.e3',
      '1.e',
      'e3',
    ])
      expect({ bad, found: formatOf(bad, quantity, definitions) }).toEqual({
        bad,
        found: ['quantity'],
      });
    expect(formatOf(true, quantity, definitions)).toEqual(['type']);
    // The syntax belongs to Quantity: another string admits it.
    expect(formatOf('512MB', { $ref: 'Other' }, { Other: { type: 'string' } })).toEqual([]);
  });
});

describe('enums and constraints', () => {
  test('an enum admits its values only, and is the one violation of its value', () => {
    const schema: Schema = { type: 'string', enum: ['Always', 'Never'], pattern: '^A' };
    expect(field('Always', schema)).toEqual([]);
    expect(field('Sometimes', schema)).toEqual([
      { kind: 'enum', segments: ['f'], allowed: ['Always', 'Never'] },
    ]);
    expect(field('Never', schema)).toEqual([
      { kind: 'constraint', segments: ['f'], constraint: 'must match ^A' },
    ]);
  });

  test('pattern; an RE2 pattern JavaScript cannot compile is not checked', () => {
    expect(constraintOf('abc', { type: 'string', pattern: '^a' })).toBeUndefined();
    expect(constraintOf('xbc', { type: 'string', pattern: '^a' })).toBe('must match ^a');
    expect(constraintOf('xbc', { type: 'string', pattern: '^a' })).toBe('must match ^a');
    expect(constraintOf('anything', { type: 'string', pattern: '(?i)abc' })).toBeUndefined();
    expect(constraintOf('anything', { type: 'string', pattern: '(?i)abc' })).toBeUndefined();
  });

  test('string lengths count characters, not UTF-16 units, each bound alone', () => {
    expect(constraintOf('😀😀😀', { type: 'string', maxLength: 3 })).toBeUndefined();
    expect(constraintOf('abcd', { type: 'string', maxLength: 3 })).toBe(
      'must be at most 3 characters',
    );
    expect(constraintOf('😀', { type: 'string', minLength: 2 })).toBe(
      'must be at least 2 characters',
    );
    expect(constraintOf('ab', { type: 'string', minLength: 2 })).toBeUndefined();
    expect(constraintOf('ab', { type: 'string', minLength: 1, maxLength: 2 })).toBeUndefined();
    expect(constraintOf('', { type: 'string', minLength: 1, maxLength: 2 })).toBe(
      'must be at least 1 characters',
    );
    expect(constraintOf('abc', { type: 'string', minLength: 1, maxLength: 2 })).toBe(
      'must be at most 2 characters',
    );
  });

  test('numbers: minimum and maximum are inclusive', () => {
    const schema: Schema = { type: 'integer', minimum: 1, maximum: 10 };
    expect(constraintOf(1, schema)).toBeUndefined();
    expect(constraintOf(10, schema)).toBeUndefined();
    expect(constraintOf(0, schema)).toBe('must be at least 1');
    expect(constraintOf(11, schema)).toBe('must be at most 10');
    expect(constraintOf(0, { type: 'integer', maximum: 10 })).toBeUndefined();
    expect(constraintOf(11, { type: 'integer', minimum: 1 })).toBeUndefined();
  });

  test('lists: minItems and maxItems; a bad list still has its items checked', () => {
    const schema: Schema = { type: 'array', minItems: 1, maxItems: 2, items: integer };
    expect(field([1], schema)).toEqual([]);
    expect(field([1, 2], schema)).toEqual([]);
    expect(constraintOf([], schema)).toBe('must have at least 1 items');
    expect(lines({ f: [1, 2, 'x'] }, { type: 'object', properties: { f: schema } })).toEqual([
      'constraint f',
      'type f.2',
    ]);
    expect(field([1, 2, 3], schema)).toContainEqual({
      kind: 'constraint',
      segments: ['f'],
      constraint: 'must have at most 2 items',
    });
  });

  test('maps: minProperties and maxProperties, each bound alone', () => {
    const schema: Schema = { type: 'object', additionalProperties: string };
    expect(constraintOf({}, { ...schema, minProperties: 1 })).toBe('must have at least 1 entries');
    expect(constraintOf({ a: 'x' }, { ...schema, minProperties: 1 })).toBeUndefined();
    expect(constraintOf({ a: 'x', b: 'y' }, { ...schema, maxProperties: 1 })).toBe(
      'must have at most 1 entries',
    );
    expect(constraintOf({ a: 'x' }, { ...schema, maxProperties: 1 })).toBeUndefined();
    expect(constraintOf({ a: 'x', b: 'y' }, { ...schema, minProperties: 1 })).toBeUndefined();
  });

  test('oneOf, anyOf, allOf and not of required fields', () => {
    const object = (variants: Schema): Schema => ({
      type: 'object',
      properties: { a: string, b: string, c: string },
      ...variants,
    });
    const oneOf = object({ oneOf: [{ required: ['a'] }, { required: ['b', 'c'] }] });
    expect(constraintOf({ a: 'x' }, oneOf)).toBeUndefined();
    expect(constraintOf({ b: 'x', c: 'y' }, oneOf)).toBeUndefined();
    for (const bad of [{}, { b: 'x' }, { a: 'x', b: 'y', c: 'z' }, { a: null }])
      expect(constraintOf(bad, oneOf)).toBe('must satisfy exactly one of {a} | {b, c}');
    const anyOf = object({ anyOf: [{ required: ['a'] }, { required: ['b'] }] });
    expect(constraintOf({ a: 'x', b: 'y' }, anyOf)).toBeUndefined();
    expect(constraintOf({ b: 'y' }, anyOf)).toBeUndefined();
    expect(constraintOf({ c: 'z' }, anyOf)).toBe('must satisfy one of {a} | {b}');
    const allOf = object({ allOf: [{ required: ['a'] }, { required: ['b'] }] });
    expect(constraintOf({ a: 'x', b: 'y' }, allOf)).toBeUndefined();
    expect(constraintOf({ a: 'x' }, allOf)).toBe('must satisfy all of {a} | {b}');
    const not = object({ not: { required: ['a'] } });
    expect(constraintOf({ b: 'x' }, not)).toBeUndefined();
    expect(constraintOf({ a: 'x' }, not)).toBe('must not satisfy {a}');
  });

  test('variants are described by their required fields, else by their kind', () => {
    const schema: Schema = {
      type: 'object',
      properties: { a: string, b: string, c: string },
      oneOf: [
        { required: ['a', 'b'] },
        { not: { required: ['c'] } },
        { anyOf: [{ required: ['c'] }] },
        {},
      ],
    };
    expect(constraintOf({}, schema)).toBe(
      'must satisfy exactly one of {a, b} | not(…) | anyOf(…) | {}',
    );
  });

  test('a variant checks types, enums, constraints and nested variants, through $ref', () => {
    const schema: Schema = {
      anyOf: [
        { type: 'string', enum: ['a', 'b'] },
        { type: 'integer', minimum: 10 },
        { $ref: 'Named' },
      ],
    };
    const definitions = {
      Named: {
        type: 'object',
        required: ['name'],
        oneOf: [{ required: ['x'] }, { required: ['y'] }],
      },
    };
    const check = (value: unknown) =>
      field(value, schema, definitions).map((v) =>
        v.kind === 'constraint' ? v.constraint : v.kind,
      );
    for (const ok of ['a', 'b', 10, 12, { name: 'n', x: 1 }])
      expect({ ok, found: check(ok) }).toEqual({ ok, found: [] });
    for (const bad of ['c', 9, true, { name: 'n' }, { x: 1 }, { name: 'n', x: 1, y: 2 }, [1]])
      expect({ bad, found: check(bad) }).toEqual({
        bad,
        found: ['must satisfy one of {} | {} | {}'],
      });
  });

  test('a variant requiring fields admits any value that is not an object (JSON Schema)', () => {
    const schema: Schema = { oneOf: [{ required: ['a'] }, { type: 'string', pattern: '^x' }] };
    expect(constraintOf('x', schema)).toBe('must satisfy exactly one of {a} | {}');
    expect(constraintOf('y', schema)).toBeUndefined();
    expect(constraintOf({ a: 1 }, schema)).toBeUndefined();
    expect(constraintOf({ a: null }, schema)).toBe('must satisfy exactly one of {a} | {}');
  });

  test('constraints of a string: the pattern first, then the lengths, then the variants', () => {
    const schema: Schema = {
      type: 'string',
      pattern: '^[a-z]+$',
      maxLength: 3,
      not: { enum: ['abc'] },
    };
    expect(constraintOf('ABCD', schema)).toBe('must match ^[a-z]+$');
    expect(constraintOf('abcd', schema)).toBe('must be at most 3 characters');
    expect(constraintOf('abc', schema)).toBe('must not satisfy {}');
    expect(constraintOf('ab', schema)).toBeUndefined();
    expect(constraintOf('abc', { type: 'string', pattern: '^a', not: { enum: ['abc'] } })).toBe(
      'must not satisfy {}',
    );
    expect(constraintOf(5, { type: 'integer', minimum: 1, not: { enum: [5] } })).toBe(
      'must not satisfy {}',
    );
    expect(constraintOf([1], { type: 'array', maxItems: 3, not: { minItems: 1 } })).toBe(
      'must not satisfy {}',
    );
    expect(
      constraintOf({ a: 1 }, { type: 'object', maxProperties: 3, not: { required: ['a'] } }),
    ).toBe('must not satisfy {a}');
  });
});

describe('suggestions for an unknown field', () => {
  const suggestion = (value: Record<string, unknown>, root: Schema, definitions = {}) => {
    const found = validateStrict(value, kind(root, definitions));
    expect(found.map((v) => v.kind)).toEqual(['unknown-field']);
    const [violation] = found as Extract<Violation, { kind: 'unknown-field' }>[];
    return { at: violation.segments.join('.'), suggestion: violation.suggestion };
  };

  test('a name differing in case wins over one a letter away', () => {
    expect(
      suggestion({ nAme: 'x' }, { type: 'object', properties: { nAm: string, name: string } }),
    ).toEqual({
      at: 'nAme',
      suggestion: { kind: 'rename', to: 'name' },
    });
    expect(
      suggestion({ nAmex: 'x' }, { type: 'object', properties: { nAme: string, name: string } }),
    ).toEqual({
      at: 'nAmex',
      suggestion: { kind: 'rename', to: 'nAme' },
    });
  });

  const definitions: Record<string, Schema> = {
    Pod: {
      type: 'object',
      properties: {
        alpha: string,
        containers: { type: 'array', items: { $ref: 'Container' } },
        security: { $ref: 'PodSecurity' },
        spec: { $ref: 'Spec' },
      },
    },
    Spec: {
      type: 'object',
      properties: { alpha: string, inner: { $ref: 'Inner' } },
    },
    Inner: { type: 'object', properties: { xyz: string } },
    Container: {
      type: 'object',
      properties: { image: string, security: { $ref: 'ContainerSecurity' } },
    },
    PodSecurity: { type: 'object', properties: { group: integer } },
    ContainerSecurity: { type: 'object', properties: { privileged: { type: 'boolean' } } },
  };
  const pod: Schema = { $ref: 'Pod' };

  test('the same name in the nearest enclosing struct', () => {
    expect(suggestion({ spec: { inner: { alpha: 'x' } } }, pod, definitions)).toEqual({
      at: 'spec.inner.alpha',
      suggestion: { kind: 'move', to: ['spec', 'alpha'] },
    });
    expect(suggestion({ containers: [{ image: 'i', alpha: 'x' }] }, pod, definitions)).toEqual({
      at: 'containers.0.alpha',
      suggestion: { kind: 'move', to: ['alpha'] },
    });
  });

  test('one level down: into a list (name[]) or a struct, from here first', () => {
    expect(suggestion({ image: 'x' }, pod, definitions)).toEqual({
      at: 'image',
      suggestion: { kind: 'move', to: ['containers[]', 'image'] },
    });
    expect(suggestion({ spec: { xyz: 'x' } }, pod, definitions)).toEqual({
      at: 'spec.xyz',
      suggestion: { kind: 'move', to: ['spec', 'inner', 'xyz'] },
    });
  });

  test('one level down from an enclosing struct, not back the way we came', () => {
    // A pod's field under a container's security context: the pod's security context.
    expect(
      suggestion({ containers: [{ image: 'i', security: { group: 1 } }] }, pod, definitions),
    ).toEqual({
      at: 'containers.0.security.group',
      suggestion: { kind: 'move', to: ['security', 'group'] },
    });
    // A container's field under the pod's security context: the containers.
    expect(suggestion({ security: { image: 'i' } }, pod, definitions)).toEqual({
      at: 'security.image',
      suggestion: { kind: 'move', to: ['containers[]', 'image'] },
    });
  });

  test('not back into the struct a free key of it led here from', () => {
    // p.other is a free key of P: its value (X) is no field of P, yet the way here is p.
    const root: Schema = { type: 'object', properties: { p: { $ref: 'P' } } };
    const definitions: Record<string, Schema> = {
      P: {
        type: 'object',
        properties: { known: string, alpha: string },
        additionalProperties: { $ref: 'X' },
      },
      X: { type: 'object', properties: { x1: string } },
    };
    expect(suggestion({ p: { other: { alpha: 'v' } } }, root, definitions)).toEqual({
      at: 'p.other.alpha',
      suggestion: undefined,
    });
  });

  test('structs through lists of maps of lists; a name found nowhere gets none', () => {
    const deep: Schema = {
      type: 'object',
      properties: {
        grid: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: { type: 'array', items: { $ref: 'Cell' } },
          },
        },
      },
    };
    expect(
      suggestion({ value: 1 }, deep, { Cell: { type: 'object', properties: { value: integer } } }),
    ).toEqual({
      at: 'value',
      suggestion: { kind: 'move', to: ['grid[]', 'value'] },
    });
    expect(suggestion({ zzz: 1 }, pod, definitions)).toEqual({ at: 'zzz', suggestion: undefined });
  });
});

describe('one edit away', () => {
  test.each([
    ['image', 'imag', true],
    ['image', 'mage', true],
    ['image', 'imaage', true],
    ['image', 'ximage', true],
    ['image', 'imagex', true],
    ['image', 'imoge', true],
    ['image', 'Image', true],
    ['image', 'imgae', true],
    ['image', 'miage', true],
    ['image', 'imaeg', true],
    ['image', 'image', false],
    ['image', 'ima', false],
    ['image', 'imagexx', false],
    ['image', 'omoge', false],
    ['image', 'imxgy', false],
    ['image', 'igmae', false],
    ['image', 'imeag', false],
    ['image', 'imaxe', true],
    ['image', 'imxye', false],
    ['image', 'imxae', false],
    ['image', 'imgxe', false],
    ['abcd', 'cbad', false],
    ['image', 'imaeg', true],
    ['ab', 'ba', true],
    ['abcd', 'badc', false],
    ['abc', 'bca', false],
    ['image', 'xmagey', false],
    ['image', 'imxage', true],
    ['image', 'imxge', true],
    ['', 'a', true],
    ['', '', false],
  ])('%s, %s: %s', (a, b, expected) => {
    expect(oneEditAway(a, b)).toBe(expected);
    expect(oneEditAway(b, a)).toBe(expected);
  });
});
