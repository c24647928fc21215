// Imports the published schemas preflight validates against into
// src/preflight/schema/upstream/, keeping only what validation reads (descriptions,
// defaults, patch and list-merge hints are dropped; nothing is added or edited). Run by
// hand when a Kubernetes release or a CRD version is added; the build never fetches.
//
//   node scripts/import-kubernetes-schemas.mjs openapi DIR VERSION...
//     DIR/VERSION/api/v1.json, DIR/VERSION/apis/GROUP/VERSION.json: the OpenAPI v3
//     documents the API server publishes (kubernetes/kubernetes api/openapi-spec/v3 at
//     the release; kubernetes-sigs/kubectl-validate pkg/openapiclient/builtins holds
//     them unmodified, one directory per minor version).
//   node scripts/import-kubernetes-schemas.mjs crd FILE.yaml VERSION SOURCE
//     the openAPIV3Schema of VERSION in a published CustomResourceDefinition;
//     SOURCE says where it comes from (repository, path, tag, commit, license).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/preflight/schema/upstream');

/** The keywords validation reads; everything else in a published schema is documentation. */
const KEPT = new Set([
  'type',
  'format',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'enum',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'maxProperties',
  'minProperties',
  '$ref',
  'nullable',
  'pattern',
  'minimum',
  'maximum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
]);

function compact(schema) {
  if (Array.isArray(schema)) return schema.map(compact);
  if (!schema || typeof schema !== 'object') return schema;
  // `allOf: [{$ref}]` is how OpenAPI v3 attaches a description to a reference.
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && schema.allOf[0].$ref) {
    const rest = Object.keys(schema).filter((k) => KEPT.has(k) && k !== 'allOf');
    if (rest.length === 0) return compact(schema.allOf[0]);
  }
  const result = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === '$ref') result.$ref = value.replace(/^#\/components\/schemas\//, '');
    else if (key === 'properties') {
      result.properties = {};
      for (const [name, property] of Object.entries(value))
        result.properties[name] = compact(property);
    } else result[key] = compact(value);
  }
  return result;
}

function sorted(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function jsonFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

/** meta/v1 types (DeleteOptions, WatchEvent) carry every group's GVK but are no resources. */
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

function importOpenApi(dir, version) {
  const base = join(dir, version);
  const definitions = {};
  const kinds = {};
  for (const file of jsonFiles(base)) {
    // api/v1.json -> v1; apis/apps/v1.json -> apps/v1
    const groupVersion = relative(base, file)
      .replace(/\.json$/, '')
      .replace(/^api\//, '')
      .replace(/^apis\//, '');
    const document = JSON.parse(readFileSync(file, 'utf8'));
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      definitions[name] = compact(schema);
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // Only the group-version this document serves: DeleteOptions and WatchEvent
        // name every group.
        if (apiVersion !== groupVersion || name.startsWith(META)) continue;
        (kinds[apiVersion] ??= {})[gvk.kind] = name;
      }
    }
  }
  for (const gv of Object.keys(kinds)) kinds[gv] = sorted(kinds[gv]);
  const result = {
    source: `kubernetes/kubernetes api/openapi-spec/v3 (release-${version}), as published by the API server; Apache-2.0`,
    kubernetesVersion: version,
    kinds: sorted(kinds),
    definitions: sorted(definitions),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `kubernetes-${version}.json`), `${JSON.stringify(result)}\n`);
}

function importCrd(file, version, source) {
  const crd = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .find((d) => d?.kind === 'CustomResourceDefinition');
  if (!crd) throw new Error(`${file}: no CustomResourceDefinition`);
  const entry = crd.spec.versions.find((v) => v.name === version);
  if (!entry) throw new Error(`${file}: no version ${version}`);
  const apiVersion = `${crd.spec.group}/${version}`;
  const kind = crd.spec.names.kind;
  const result = {
    source,
    apiVersion,
    kind,
    served: entry.served,
    schema: compact(entry.schema.openAPIV3Schema),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, `crd-${crd.spec.group}-${version}-${kind}.json`),
    `${JSON.stringify(result)}\n`,
  );
}

const [command, ...args] = process.argv.slice(2);
if (command === 'openapi') for (const version of args.slice(1)) importOpenApi(args[0], version);
else if (command === 'crd') importCrd(args[0], args[1], args[2]);
else {
  console.error(
    'usage: import-kubernetes-schemas.mjs openapi DIR VERSION... | crd FILE VERSION SOURCE',
  );
  process.exit(2);
}
