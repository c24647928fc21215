// Splits the imported schemas (src/preflight/schema/upstream/, see
// import-kubernetes-schemas.mjs) into what preflight loads: per Kubernetes version an
// index (apiVersion -> kind -> file) and per kind one file holding the kind's schema and
// exactly the definitions it reaches. preflight reads the index of its target version
// and the files of the kinds present, nothing else. A file is named by its content's
// hash, so a kind unchanged between versions is one file. Run by scripts/build.mjs
// (into dist/kubernetes-schemas) and by jest's global setup (into
// src/preflight/schema/kubernetes-schemas, gitignored), like gen-validators.mjs.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const upstream = join(root, 'src/preflight/schema/upstream');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Every definition a schema reaches through $ref. */
function closure(schema, definitions) {
  const reached = {};
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string' && !(node.$ref in reached)) {
      const target = definitions[node.$ref];
      if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
      reached[node.$ref] = target;
      visit(target);
    }
    for (const [key, value] of Object.entries(node)) if (key !== '$ref') visit(value);
  };
  visit(schema);
  return Object.fromEntries(Object.entries(reached).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function writeAtomically(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function generateKubernetesSchemas(
  outDir = join(root, 'src/preflight/schema/kubernetes-schemas'),
) {
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(upstream).sort();
  const crds = files
    .filter((f) => f.startsWith('crd-'))
    .map((f) => JSON.parse(readFileSync(join(upstream, f), 'utf8')));
  const written = new Set();
  const store = (content) => {
    const text = `${JSON.stringify(content)}\n`;
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    if (!written.has(hash)) {
      writeAtomically(join(outDir, `${hash}.json`), text);
      written.add(hash);
    }
    return hash;
  };
  const versions = [];
  for (const file of files.filter((f) => /^kubernetes-1\.[0-9]+\.json$/.test(f))) {
    const spec = JSON.parse(readFileSync(join(upstream, file), 'utf8'));
    const { definitions } = spec;
    const kinds = {};
    for (const [apiVersion, byKind] of Object.entries(spec.kinds)) {
      kinds[apiVersion] = {};
      for (const [kind, name] of Object.entries(byKind)) {
        const rootSchema = { $ref: name };
        kinds[apiVersion][kind] = store({
          root: rootSchema,
          definitions: closure(rootSchema, definitions),
        });
      }
    }
    // A custom resource's metadata is an ObjectMeta like any object's.
    const custom = {};
    for (const crd of crds) {
      const schema = {
        ...crd.schema,
        properties: { ...crd.schema.properties, metadata: { $ref: OBJECT_META } },
      };
      (custom[crd.apiVersion] ??= {})[crd.kind] = {
        file: store({ root: schema, definitions: closure(schema, definitions) }),
        source: crd.source,
        served: crd.served,
      };
    }
    versions.push(spec.kubernetesVersion);
    writeAtomically(
      join(outDir, `v${spec.kubernetesVersion}.json`),
      `${JSON.stringify({ source: spec.source, kinds, custom })}\n`,
    );
  }
  versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  writeAtomically(join(outDir, 'versions.json'), `${JSON.stringify(versions)}\n`);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generateKubernetesSchemas(process.argv[2]);
