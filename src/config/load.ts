import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { closest } from '../closest';
import { ConfigError } from '../errors';
import type { SourceLocation } from '../errors';
import { API_VERSION, CONFIG_SCHEMAS } from './schemas';
import type { ConfigKind } from './schemas';
import validators from './validators.generated';

type JsonObject = Record<string, unknown>;

// Precompiled from the schemas by scripts/gen-validators.mjs: nothing is compiled at start.
function validatorFor(kind: ConfigKind): ValidateFunction {
  return validators[kind];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a config body against its kind's schema (filling defaults) and returns it
 * typed. `prefix` is how the body's fields are named in messages (`spec.` or '').
 */
export function validateBody<T>(
  kind: ConfigKind,
  body: JsonObject,
  prefix = '',
  location: SourceLocation = {},
): T {
  const validate = validatorFor(kind);
  // ajv sets `errors` (an array) whenever validation fails.
  if (!validate(body))
    throw new ConfigError(describeErrors(validate.errors as ErrorObject[], prefix), location);
  return body as T;
}

/** Accepts `kind: <kind>` (fields at the top level or under `spec:`) or a ConfigMap. */
export function loadConfig<T>(kind: ConfigKind, value: unknown, location: SourceLocation = {}): T {
  if (!isObject(value)) {
    throw new ConfigError([{ field: '(config)', message: 'must be a YAML map' }], location);
  }
  if (value.kind === 'ConfigMap') {
    const data = value.data ?? {};
    if (!isObject(data)) {
      throw new ConfigError([{ field: 'data', message: 'must be a map' }], location);
    }
    return validateBody<T>(kind, fromConfigMapData(kind, data), 'data.', location);
  }
  const problems: { field: string; message: string }[] = [];
  if (value.apiVersion !== API_VERSION) {
    problems.push({ field: 'apiVersion', message: `must be ${API_VERSION}` });
  }
  if (value.kind !== kind)
    problems.push({ field: 'kind', message: `must be ${kind} or ConfigMap` });
  if (problems.length) throw new ConfigError(problems, location);
  const { spec, ...rest } = value;
  const topLevel = Object.fromEntries(
    Object.entries(rest).filter(([key]) => !['apiVersion', 'kind', 'metadata'].includes(key)),
  );
  if (spec !== undefined) {
    if (!isObject(spec))
      throw new ConfigError([{ field: 'spec', message: 'must be a map' }], location);
    const stray = Object.keys(topLevel);
    if (stray.length) {
      throw new ConfigError(
        stray.map((field) => ({ field, message: 'must be under spec: (or drop spec:)' })),
        location,
      );
    }
    return validateBody<T>(kind, structuredClone(spec), 'spec.', location);
  }
  return validateBody<T>(kind, structuredClone(topLevel), '', location);
}

/**
 * ConfigMap data is strings only: dotted keys make nested fields
 * (`awsWorkloadIdentity.roleArn`), and each value is read as the schema's type
 * (integers, booleans, comma-separated lists, YAML for maps).
 */
export function fromConfigMapData(kind: ConfigKind, data: JsonObject): JsonObject {
  const body: JsonObject = Object.create(null) as JsonObject;
  for (const [key, raw] of Object.entries(data)) {
    const segments = key.split('.');
    let target = body;
    for (const segment of segments.slice(0, -1)) {
      const next = target[segment];
      if (!isObject(next)) target[segment] = Object.create(null) as JsonObject;
      target = target[segment] as JsonObject;
    }
    const schema = schemaAt(CONFIG_SCHEMAS[kind], segments);
    target[segments[segments.length - 1]] = coerce(raw, schema);
  }
  return JSON.parse(JSON.stringify(body)) as JsonObject;
}

type SchemaNode = {
  type?: string;
  properties?: Record<string, SchemaNode>;
  oneOf?: readonly SchemaNode[];
};

function schemaAt(schema: SchemaNode, segments: string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const segment of segments) {
    const objectBranch: SchemaNode | undefined =
      node?.oneOf?.find((s) => s.type === 'object') ?? node;
    node = objectBranch?.properties?.[segment];
  }
  return node;
}

function coerce(raw: unknown, schema: SchemaNode | undefined): unknown {
  if (typeof raw !== 'string') return raw;
  const types = schema?.oneOf ? schema.oneOf.map((s) => s.type) : [schema?.type];
  const text = raw.trim();
  if (types.includes('integer') && /^-?[0-9]+$/.test(text)) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.includes('array') && !text.startsWith('[')) {
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  if (types.includes('array') || types.includes('object')) {
    try {
      return parseYaml(text) as unknown;
    } catch {
      // Not YAML: the string as written, for the schema to report.
    }
  }
  return raw;
}

function describeErrors(
  errors: ErrorObject[],
  prefix: string,
): { field: string; message: string }[] {
  const seen = new Set<string>();
  const out: { field: string; message: string }[] = [];
  // oneOf reports every branch; the branch errors say more than "must match exactly one".
  // Likewise if/then/else: the branch's own errors name the field.
  const specific = withoutWrongBranches(
    errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if'),
  );
  for (const error of specific.length ? specific : errors) {
    const segments = error.instancePath.split('/').slice(1).map(decodePointer);
    if (error.keyword === 'additionalProperties') {
      segments.push(String(error.params.additionalProperty));
    } else if (error.keyword === 'required') {
      segments.push(String(error.params.missingProperty));
    }
    const field = prefix + formatPath(segments) || '(config)';
    const message = messageFor(error);
    const key = `${field}\0${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field: field.replace(/\.$/, ''), message });
  }
  return out;
}

/**
 * A oneOf branch of another type (`fsGroup: -1` is no object) says nothing useful when a
 * branch of the value's own type explains what is wrong (must be >= 1): drop it then.
 */
function withoutWrongBranches(errors: ErrorObject[]): ErrorObject[] {
  const branchType = /^(.*\/oneOf\/)[0-9]+\/type$/;
  return errors.filter((error) => {
    // A schemaPath ends in the keyword that failed: `…/oneOf/N/type` is a type error.
    const branch = branchType.exec(error.schemaPath);
    if (!branch) return true;
    return !errors.some(
      (other) => other.schemaPath.startsWith(branch[1]) && !branchType.test(other.schemaPath),
    );
  });
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function formatPath(segments: string[]): string {
  return segments.map((s, i) => (/^[0-9]+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** A value as messages quote it: JSON, cut short when long (a hostile value can be megabytes). */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length <= 80 ? json : `${json.slice(0, 60)}… (${json.length} characters)`;
}

function messageFor(error: ErrorObject): string {
  // verbose (scripts/ajv-options.cjs) gives every error the schema that holds its keyword.
  const parent = error.parentSchema as { description?: string; properties?: object };
  const description = parent.description;
  switch (error.keyword) {
    case 'additionalProperties': {
      // A misspelt field is the commonest config mistake: name the field it most likely is.
      const known = Object.keys(parent.properties ?? {});
      const guess = closest(String(error.params.additionalProperty), known);
      return guess ? `unknown field; did you mean ${guess}?` : 'unknown field';
    }
    case 'required':
      return 'is required';
    case 'pattern':
      return `${shown(error.data)} is not ${description ?? `matching ${String(error.params.pattern)}`}`;
    case 'enum':
      return `${shown(error.data)} is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `must be ${String(error.params.type)}, not ${shown(error.data)}`;
    case 'not':
      // A field refused in some combinations: its description says why.
      return description ?? 'is not allowed here';
    default:
      return error.message ?? 'is invalid';
  }
}
