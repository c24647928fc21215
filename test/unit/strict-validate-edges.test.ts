// Strict validation at the edges the rule tests leave: how far a $ref chain is followed,
// an absent (undefined) value, empty variant lists, a variant admitting several types or
// requiring no field, each bound applying to its own type only, a Quantity's fraction, and
// where a suggestion looks (the nearest enclosing struct first, three lists down at most).
// Every schema is written here by hand.
import type { KindSchema, Schema } from '../../src/preflight/schema/kubernetes-schemas';
import { validateStrict } from '../../src/preflight/schema/strict-validate';
import type { Violation } from '../../src/preflight/schema/strict-validate';

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const string: Schema = { type: 'string' };

function kind(root: Schema, definitions: Record<string, Schema> = {}): KindSchema {
  return { root, definitions };
}

/** Each violation as one line: kind, path, and what it says. */
function lines(value: unknown, root: Schema, definitions: Record<string, Schema> = {}): string[] {
  return validateStrict(value, kind(root, definitions)).map((v) => {
    const at = v.segments.join('.');
    switch (v.kind) {
      case 'type':
        return `type ${at} ${v.expected.join('|')}`;
      case 'format':
        return `format ${at} ${v.format}`;
      case 'constraint':
        return `constraint ${at} ${v.constraint}`;
      case 'unknown-field':
        return `unknown-field ${at} ${JSON.stringify(v.suggestion)}`;
      default:
        return `${v.kind} ${at}`;
    }
  });
}

describe('$ref chains', () => {
  /** A root reaching a string through `hops` references. */
  const chain = (hops: number) => {
    const definitions: Record<string, Schema> = {};
    for (let i = 1; i < hops; i++) definitions[`D${i}`] = { $ref: `D${i + 1}` };
    definitions[`D${hops}`] = string;
    return definitions;
  };

  test('followed for 16 references; past that (a cycle, in practice) the schema admits anything', () => {
    expect(lines(5, { $ref: 'D1' }, chain(15))).toEqual(['type  string']);
    expect(lines(5, { $ref: 'D1' }, chain(16))).toEqual(['type  string']);
    expect(lines(5, { $ref: 'D1' }, chain(17))).toEqual([]);
  });
});

describe('absent values', () => {
  test('undefined is absent, as null is: no type to check, and missing for required', () => {
    const root: Schema = { type: 'object', properties: { f: string }, required: ['f'] };
    expect(lines({ f: undefined }, root)).toEqual(['required f']);
    expect(lines({ f: null }, root)).toEqual(['required f']);
    expect(lines([undefined, 'x'], { type: 'array', items: string })).toEqual([]);
  });
});

describe('variants', () => {
  test('an empty oneOf or anyOf is no type union: nothing satisfies it', () => {
    expect(lines('x', { oneOf: [] })).toEqual(['constraint  must satisfy exactly one of ']);
    expect(lines(1, { anyOf: [] })).toEqual(['constraint  must satisfy one of ']);
  });

  test('a variant admitting several types admits a value of any one of them', () => {
    const root: Schema = { allOf: [{ 'x-kubernetes-int-or-string': true }] };
    expect(lines('a', root)).toEqual([]);
    expect(lines(3, root)).toEqual([]);
    expect(lines(true, root)).toEqual(['constraint  must satisfy all of {}']);
  });

  test('a variant requiring no field admits an object meeting its other constraints', () => {
    const root: Schema = { allOf: [{ minProperties: 1 }] };
    expect(lines({ a: 1 }, root)).toEqual([]);
    expect(lines({}, root)).toEqual(['constraint  must satisfy all of {}']);
  });
});

describe('bounds', () => {
  // No type: each value is checked against the bounds of its own type only. A string of
  // digits compared with a number, or a one-number list, would break the numeric bounds,
  // and a boolean counted as a map of no entries the minimum of one.
  const root: Schema = {
    minimum: 0,
    maximum: 1,
    minLength: 0,
    maxLength: 5,
    minItems: 0,
    maxItems: 5,
    minProperties: 1,
    maxProperties: 5,
  };

  test('each bound applies to its own type only', () => {
    expect(lines('3', root)).toEqual([]);
    expect(lines([7], root)).toEqual([]);
    expect(lines(['7'], root)).toEqual([]);
    expect(lines({ a: 7 }, root)).toEqual([]);
    expect(lines(true, root)).toEqual([]);
  });

  test("a value breaking its own type's bound names it", () => {
    expect(lines(2, root)).toEqual(['constraint  must be at most 1']);
    expect(lines(-1, root)).toEqual(['constraint  must be at least 0']);
    expect(lines('abcdef', root)).toEqual(['constraint  must be at most 5 characters']);
    expect(lines([1, 2, 3, 4, 5, 6], root)).toEqual(['constraint  must have at most 5 items']);
    expect(lines({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, root)).toEqual([
      'constraint  must have at most 5 entries',
    ]);
  });

  test('a bound of 0 is a bound', () => {
    expect(lines('a', { maxLength: 0 })).toEqual(['constraint  must be at most 0 characters']);
    expect(lines(1, { maximum: 0 })).toEqual(['constraint  must be at most 0']);
    expect(lines(-1, { minimum: 0 })).toEqual(['constraint  must be at least 0']);
    expect(lines([1], { maxItems: 0 })).toEqual(['constraint  must have at most 0 items']);
    expect(lines({ a: 1 }, { maxProperties: 0 })).toEqual([
      'constraint  must have at most 0 entries',
    ]);
  });
});

describe('Quantity', () => {
  const root: Schema = { type: 'object', properties: { q: { $ref: QUANTITY } } };
  const definitions = { [QUANTITY]: { type: 'string' } };

  test('a fraction without its integer part takes any number of digits', () => {
    for (const q of ['.5', '.25', '.125Gi', '-.75'])
      expect([q, lines({ q }, root, definitions)]).toEqual([q, []]);
    expect(lines({ q: '.' }, root, definitions)).toEqual(['format q quantity']);
  });
});

describe('where a suggestion looks', () => {
  const suggestion = (value: Record<string, unknown>, root: Schema, definitions = {}) => {
    const found = validateStrict(value, kind(root, definitions));
    expect(found.map((v) => v.kind)).toEqual(['unknown-field']);
    return (found[0] as Extract<Violation, { kind: 'unknown-field' }>).suggestion;
  };

  test('one level down from the nearest enclosing struct before an outer one', () => {
    const definitions: Record<string, Schema> = {
      Root: {
        type: 'object',
        properties: { a: { $ref: 'A' }, q: { $ref: 'K' } },
      },
      A: { type: 'object', properties: { b: { $ref: 'B' }, p: { $ref: 'K' } } },
      B: { type: 'object', properties: { other: string } },
      K: { type: 'object', properties: { key: string } },
    };
    expect(suggestion({ a: { b: { key: 'v' } } }, { $ref: 'Root' }, definitions)).toEqual({
      kind: 'move',
      to: ['a', 'p', 'key'],
    });
    // From the root, where the outer struct is the nearest.
    expect(suggestion({ key: 'v' }, { $ref: 'Root' }, definitions)).toEqual({
      kind: 'move',
      to: ['q', 'key'],
    });
  });

  test('a struct is found through three lists, not four', () => {
    const lists = (n: number): Schema =>
      n === 0 ? { $ref: 'K' } : { type: 'array', items: lists(n - 1) };
    const root = (n: number): Schema => ({
      type: 'object',
      properties: { other: string, wrap: lists(n) },
    });
    const definitions = { K: { type: 'object', properties: { k: string } } };
    expect(suggestion({ k: 'v' }, root(3), definitions)).toEqual({
      kind: 'move',
      to: ['wrap[]', 'k'],
    });
    expect(suggestion({ k: 'v' }, root(4), definitions)).toBeUndefined();
  });
});
