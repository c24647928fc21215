import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The published schemas preflight validates against, as scripts/gen-kubernetes-schemas.mjs
 * writes them beside the executables (dist/kubernetes-schemas) or, for the tests, beside
 * this module: per Kubernetes version an index, per kind one file with the kind's schema
 * and the definitions it reaches. Nothing is read until a resource of a known group shows
 * up, and then only the target version's index and the files of the kinds present.
 */

/** A schema as imported: only the keywords validation reads (import-kubernetes-schemas.mjs). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** One kind's schema and every definition it reaches. */
export interface KindSchema {
  root: Schema;
  definitions: Record<string, Schema>;
}

interface CustomEntry {
  file: string;
  /** Where the CRD comes from (repository, path, release, license). */
  source: string;
  served: boolean;
}

interface VersionIndex {
  source: string;
  kinds: Record<string, Record<string, string>>;
  custom: Record<string, Record<string, CustomEntry>>;
}

export type Lookup =
  | { found: 'kind'; schema: KindSchema; source: string; custom: boolean }
  | { found: 'unknown-version' }
  | { found: 'unknown-kind' }
  /** A custom kind or version preflight has no published schema for: its CRD's business. */
  | { found: 'none' };

const DIR = join(__dirname, 'kubernetes-schemas');

const indexes = new Map<string, VersionIndex>();
const files = new Map<string, KindSchema>();

function readJson<T>(name: string): T {
  let text: string;
  try {
    text = readFileSync(join(DIR, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `the Kubernetes schemas are missing (${join(DIR, name)}): they ship beside the executables in kubernetes-schemas/; copy dist/ whole, or skip the schema check`,
    );
  }
  return JSON.parse(text) as T;
}

function indexOf(version: string): VersionIndex {
  let index = indexes.get(version);
  if (!index) {
    index = readJson<VersionIndex>(`v${version}.json`);
    indexes.set(version, index);
  }
  return index;
}

function kindFile(hash: string): KindSchema {
  let schema = files.get(hash);
  if (!schema) {
    schema = readJson<KindSchema>(`${hash}.json`);
    files.set(hash, schema);
  }
  return schema;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The schema of a kind in the target version, or why there is none. */
export function lookup(version: string, apiVersion: string, kind: string): Lookup {
  const index = indexOf(version);
  const builtIn = own(index.kinds, apiVersion);
  if (builtIn) {
    const hash = own(builtIn, kind);
    return hash
      ? { found: 'kind', schema: kindFile(hash), source: index.source, custom: false }
      : { found: 'unknown-kind' };
  }
  const custom = own(index.custom, apiVersion);
  if (custom) {
    const entry = own(custom, kind);
    if (!entry) return { found: 'none' };
    return { found: 'kind', schema: kindFile(entry.file), source: entry.source, custom: true };
  }
  const group = groupOf(apiVersion);
  return Object.keys(index.kinds).some((gv) => groupOf(gv) === group)
    ? { found: 'unknown-version' }
    : { found: 'none' };
}

/** The kinds a built-in API version serves (for a misspelt kind's suggestion). */
export function kindsOf(version: string, apiVersion: string): string[] {
  return Object.keys(own(indexOf(version).kinds, apiVersion) ?? {});
}

/** The API versions a version serves for a built-in group (for the fix of an unknown one). */
export function servedVersions(version: string, group: string): string[] {
  return Object.keys(indexOf(version).kinds).filter((gv) => groupOf(gv) === group);
}

/** The Kubernetes versions whose schemas were generated (oldest first). */
export function shippedVersions(): string[] {
  return readJson<string[]>('versions.json');
}
