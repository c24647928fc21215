import type { KindSchema, Schema } from './kubernetes-schemas';

/**
 * Validates an object as the API server decodes and validates it with strict field
 * validation (kubectl apply's default since 1.27):
 * - an object with `properties` is a Go struct: any other key is an unknown field
 *   (`strict decoding error: unknown field "spec.foo"`), matched case-sensitively;
 * - an object with only `additionalProperties` is a map of free keys (labels,
 *   annotations, data, nodeSelector): any key, each value checked;
 * - an object with neither (RawExtension, JSON, FieldsV1) or marked
 *   x-kubernetes-preserve-unknown-fields holds anything;
 * - `null` is accepted anywhere (Go decodes it as the zero value, a custom resource's
 *   is pruned) and counts as absent for `required`;
 * - wrong types and malformed formats (int32 range, base64 `byte`, RFC 3339 times,
 *   quantities) fail decoding; `required`, enums, patterns and bounds are validation,
 *   which `status` escapes: the API server resets the status of a created object.
 */

export type Violation =
  | { kind: 'unknown-field'; segments: Segment[]; suggestion?: Suggestion }
  | { kind: 'type'; segments: Segment[]; expected: string[] }
  | { kind: 'required'; segments: Segment[] }
  | { kind: 'format'; segments: Segment[]; format: string }
  | { kind: 'enum'; segments: Segment[]; allowed: unknown[] }
  | { kind: 'constraint'; segments: Segment[]; constraint: string };

export type Segment = string | number;

/** Where an unknown field probably belongs: a near name here, or the same name elsewhere. */
export type Suggestion = { kind: 'rename'; to: string } | { kind: 'move'; to: Segment[] };

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
// k8s.io/apimachinery/pkg/api/resource ParseQuantity: a decimal number, then a binary
// (Ki..Ei) or decimal (n, u, m, k, M..E) suffix or a decimal exponent.
const QUANTITY_SYNTAX =
  /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
// metav1.Time: RFC 3339 (time.RFC3339 layout); "" decodes as the zero time.
const DATE_TIME =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
// []byte fields: encoding/base64 StdEncoding, padded; it skips \r and \n.
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface Frame {
  segments: Segment[];
  schema: Schema;
}

/**
 * Where a node is: a chain up to the root, made into segments only for a violation (most
 * nodes have none; an array per node would be most of the walk's garbage).
 */
interface Path {
  up: Path | undefined;
  segment: Segment;
}

function at(up: Path | undefined, segment: Segment): Path {
  return { up, segment };
}

function segmentsOf(path: Path | undefined): Segment[] {
  const out: Segment[] = [];
  for (let p = path; p; p = p.up) out.push(p.segment);
  return out.reverse();
}

/** The enclosing structs of a node, innermost first, also made into an array on demand. */
interface Ancestors {
  up: Ancestors | undefined;
  path: Path | undefined;
  schema: Schema;
}

function framesOf(ancestors: Ancestors | undefined): Frame[] {
  const out: Frame[] = [];
  for (let a = ancestors; a; a = a.up) out.push({ segments: segmentsOf(a.path), schema: a.schema });
  return out;
}

const types = new WeakMap<Schema, string[] | null>();

/** typesOf, once per schema object. */
function typesOnce(schema: Schema): string[] | undefined {
  let found = types.get(schema);
  if (found === undefined) {
    found = typesOf(schema) ?? null;
    types.set(schema, found);
  }
  return found ?? undefined;
}

export function validateStrict(value: unknown, kind: KindSchema, custom = false): Violation[] {
  const out: Violation[] = [];
  const { definitions } = kind;
  const resolved = new Map<Schema, { schema: Schema; name?: string }>();

  const resolve = (schema: Schema): { schema: Schema; name?: string } => {
    const known = resolved.get(schema);
    if (known) return known;
    let name: string | undefined;
    let current = schema;
    for (let hops = 0; current.$ref !== undefined && hops < 16; hops++) {
      name = current.$ref;
      current = definitions[current.$ref] ?? {};
    }
    const result = { schema: current, name };
    resolved.set(schema, result);
    return result;
  };

  const visit = (
    node: unknown,
    raw: Schema,
    path: Path | undefined,
    ancestors: Ancestors | undefined,
    inStatus: boolean,
  ): void => {
    if (node === null || node === undefined) return;
    const { schema, name } = resolve(raw);
    const status =
      inStatus || (path !== undefined && path.up === undefined && path.segment === 'status');
    const types = typesOnce(schema);
    if (types && !hasAnyType(node, types)) {
      out.push({ kind: 'type', segments: segmentsOf(path), expected: types });
      return;
    }
    if (name === QUANTITY && typeof node === 'string' && !QUANTITY_SYNTAX.test(node)) {
      out.push({ kind: 'format', segments: segmentsOf(path), format: 'quantity' });
      return;
    }
    const format = badFormat(node, schema.format);
    if (format) {
      out.push({ kind: 'format', segments: segmentsOf(path), format });
      return;
    }
    if (!status) {
      if (schema.enum && !schema.enum.some((allowed) => allowed === node)) {
        out.push({ kind: 'enum', segments: segmentsOf(path), allowed: schema.enum });
        return;
      }
      const failed = constraint(node, schema, resolve);
      if (failed) out.push({ kind: 'constraint', segments: segmentsOf(path), constraint: failed });
    }
    if (Array.isArray(node)) {
      const items = schema.items;
      if (items) node.forEach((item, i) => visit(item, items, at(path, i), ancestors, status));
      return;
    }
    if (!isObject(node)) return;
    const free = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = schema['x-kubernetes-embedded-resource'] === true;
    if (schema.properties) {
      const inner: Ancestors = { up: ancestors, path, schema };
      for (const key of Object.keys(node)) {
        const child = node[key];
        const property = own(schema.properties, key);
        if (property) visit(child, property, at(path, key), inner, status);
        else if (isObject(schema.additionalProperties))
          visit(child, schema.additionalProperties, at(path, key), ancestors, status);
        else if (free || schema.additionalProperties === true) continue;
        else if (embedded && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
        else {
          const segments = segmentsOf(path);
          out.push({
            kind: 'unknown-field',
            segments: [...segments, key],
            suggestion: suggest(key, { segments, schema }, framesOf(ancestors), resolve),
          });
        }
      }
    } else if (isObject(schema.additionalProperties)) {
      for (const key of Object.keys(node))
        visit(node[key], schema.additionalProperties, at(path, key), ancestors, status);
    } else if (
      custom &&
      schema.type === 'object' &&
      !free &&
      schema.additionalProperties !== true
    ) {
      // A custom resource's object without fields: the API server prunes every key.
      for (const key of Object.keys(node))
        if (!(embedded && ['apiVersion', 'kind', 'metadata'].includes(key)))
          out.push({ kind: 'unknown-field', segments: [...segmentsOf(path), key] });
    }
    if (!status)
      for (const field of schema.required ?? [])
        if (node[field] === undefined || node[field] === null)
          out.push({ kind: 'required', segments: [...segmentsOf(path), field] });
  };

  visit(value, kind.root, undefined, undefined, false);
  return out;
}

function hasAnyType(value: unknown, types: readonly string[]): boolean {
  for (const t of types) if (hasType(value, t)) return true;
  return false;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The JSON types a schema admits, or undefined for any. */
function typesOf(schema: Schema): string[] | undefined {
  if (schema['x-kubernetes-int-or-string']) return ['string', 'integer'];
  if (schema.type) return [schema.type];
  // IntOrString, Quantity: a oneOf of plain types.
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && typeUnion(variants)) return variants.map((v) => v.type!);
  if (schema.properties || isObject(schema.additionalProperties)) return ['object'];
  return undefined;
}

function typeUnion(variants: Schema[]): boolean {
  return variants.length > 0 && variants.every((v) => v.type && Object.keys(v).length === 1);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      // Number.isFinite does not convert: a string is no number.
      return Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function badFormat(value: unknown, format: string | undefined): string | undefined {
  switch (format) {
    case 'int32':
      return typeof value === 'number' && (value < -2147483648 || value > 2147483647)
        ? 'int32'
        : undefined;
    case 'int64':
      return typeof value === 'number' && !Number.isSafeInteger(value) ? 'int64' : undefined;
    case 'byte':
      return typeof value === 'string' && !BASE64.test(value.replace(/[\r\n]/g, ''))
        ? 'byte'
        : undefined;
    case 'date-time':
      return typeof value === 'string' && value !== '' && !DATE_TIME.test(value)
        ? 'date-time'
        : undefined;
  }
  return undefined;
}

/**
 * The value validations of a custom resource's schema (patterns, bounds, and the
 * oneOf/anyOf/allOf/not of `required` a structural schema allows): the first that fails.
 */
function constraint(
  value: unknown,
  schema: Schema,
  resolve: (s: Schema) => { schema: Schema },
): string | undefined {
  return bound(value, schema) ?? variants(value, schema, resolve);
}

/** A pattern or bound of the value's own type that the value breaks. */
function bound(value: unknown, schema: Schema): string | undefined {
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !safeRegExp(schema.pattern).test(value))
      return `must match ${schema.pattern}`;
    // Counting characters spreads the string: only for a bounded length.
    if (schema.maxLength === undefined && schema.minLength === undefined) return undefined;
    const length = [...value].length;
    if (over(length, schema.maxLength)) return `must be at most ${schema.maxLength} characters`;
    if (under(length, schema.minLength)) return `must be at least ${schema.minLength} characters`;
    return undefined;
  }
  if (typeof value === 'number') {
    if (under(value, schema.minimum)) return `must be at least ${schema.minimum}`;
    if (over(value, schema.maximum)) return `must be at most ${schema.maximum}`;
    return undefined;
  }
  if (Array.isArray(value)) {
    if (over(value.length, schema.maxItems)) return `must have at most ${schema.maxItems} items`;
    if (under(value.length, schema.minItems)) return `must have at least ${schema.minItems} items`;
    return undefined;
  }
  // Counting keys makes an array of them: only for a bounded map.
  if (
    !isObject(value) ||
    (schema.maxProperties === undefined && schema.minProperties === undefined)
  )
    return undefined;
  const count = Object.keys(value).length;
  if (over(count, schema.maxProperties)) return `must have at most ${schema.maxProperties} entries`;
  if (under(count, schema.minProperties))
    return `must have at least ${schema.minProperties} entries`;
  return undefined;
}

/** Above a maximum; an absent one is none (said for the types: `n > undefined` is false too). */
function over(n: number, max: number | undefined): boolean {
  return n > (max ?? Infinity);
}

/** Below a minimum; an absent one is none. */
function under(n: number, min: number | undefined): boolean {
  return n < (min ?? -Infinity);
}

/** The oneOf / anyOf / allOf / not a value breaks. */
function variants(
  value: unknown,
  schema: Schema,
  resolve: (s: Schema) => { schema: Schema },
): string | undefined {
  const matches = (s: Schema): boolean => accepts(value, resolve(s).schema, resolve);
  if (schema.oneOf && !typeUnion(schema.oneOf) && schema.oneOf.filter(matches).length !== 1)
    return `must satisfy exactly one of ${describeVariants(schema.oneOf)}`;
  if (schema.anyOf && !typeUnion(schema.anyOf) && !schema.anyOf.some(matches))
    return `must satisfy one of ${describeVariants(schema.anyOf)}`;
  if (schema.allOf && !schema.allOf.every(matches))
    return `must satisfy all of ${describeVariants(schema.allOf)}`;
  if (schema.not && matches(schema.not))
    return `must not satisfy ${describeVariants([schema.not])}`;
  return undefined;
}

/** Whether a value passes a value-validation schema (no nested fields: a structural schema's). */
function accepts(
  value: unknown,
  schema: Schema,
  resolve: (s: Schema) => { schema: Schema },
): boolean {
  const types = typesOnce(schema);
  if (types && !types.some((t) => hasType(value, t))) return false;
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) return false;
  if (isObject(value))
    for (const field of schema.required ?? [])
      if (value[field] === undefined || value[field] === null) return false;
  return constraint(value, schema, resolve) === undefined;
}

function describeVariants(variants: Schema[]): string {
  return variants
    .map((v) =>
      v.required ? `{${v.required.join(', ')}}` : v.not ? 'not(…)' : v.anyOf ? 'anyOf(…)' : '{}',
    )
    .join(' | ');
}

const regExps = new Map<string, RegExp>();

/** A CRD pattern is RE2; the few RE2 patterns JavaScript cannot compile match anything. */
function safeRegExp(pattern: string): RegExp {
  let compiled = regExps.get(pattern);
  if (!compiled) {
    compiled = compile(pattern);
    regExps.set(pattern, compiled);
  }
  return compiled;
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return /(?:)/;
  }
}

/** The fields of the struct a schema leads to, through at most three lists and maps. */
function fieldsUnder(
  schema: Schema,
  resolve: (s: Schema) => { schema: Schema },
): Record<string, Schema> | undefined {
  let current = resolve(schema).schema;
  for (let depth = 0; depth < 4; depth++) {
    if (current.properties) return current.properties;
    if (current.items) current = resolve(current.items).schema;
    else if (isObject(current.additionalProperties))
      current = resolve(current.additionalProperties).schema;
    else return undefined;
  }
  return undefined;
}

/**
 * A field name one edit away (or differing only in case) in the same struct; else the
 * same name in an enclosing struct (a pod field under a container), else in a struct one
 * level down from here or from an enclosing struct (a container field at pod level,
 * `fsGroup` under a container's securityContext instead of the pod's).
 */
function suggest(
  key: string,
  here: Frame,
  ancestors: Frame[],
  resolve: (s: Schema) => { schema: Schema },
): Suggestion | undefined {
  const names = Object.keys(here.schema.properties ?? {});
  const near =
    names.find((n) => n.toLowerCase() === key.toLowerCase()) ??
    names.find((n) => oneEditAway(n, key));
  if (near) return { kind: 'rename', to: near };
  for (const frame of ancestors)
    if (own(frame.schema.properties ?? {}, key))
      return { kind: 'move', to: [...frame.segments, key] };
  // One level down from here, then from each enclosing struct, nearest first.
  for (const frame of [here, ...ancestors]) {
    for (const [name, property] of Object.entries(frame.schema.properties ?? {})) {
      // The way we came: its struct was an ancestor or is here. An enclosing struct's path
      // is a prefix of this one; nothing follows here's own.
      if (here.segments[frame.segments.length] === name) continue;
      const fields = fieldsUnder(property, resolve);
      if (fields && own(fields, key)) {
        const list = resolve(property).schema.type === 'array';
        return { kind: 'move', to: [...frame.segments, list ? `${name}[]` : name, key] };
      }
    }
  }
  return undefined;
}

/** Levenshtein distance 1, or two neighbouring letters swapped. */
export function oneEditAway(a: string, b: string): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  // After the common prefix: one letter inserted (lengths one apart; two or more apart
  // leave unequal rests), else one replaced or two neighbours swapped (equal lengths).
  if (short.length < long.length) return short.slice(i) === long.slice(i + 1);
  return (
    i < short.length &&
    (short.slice(i + 1) === long.slice(i + 1) ||
      (short[i] === long[i + 1] &&
        short[i + 1] === long[i] &&
        short.slice(i + 2) === long.slice(i + 2)))
  );
}
