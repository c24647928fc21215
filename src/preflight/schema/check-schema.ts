import { quoted } from '../../errors';
import { isSensitiveValue } from '../../krm/sensitive';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { Resource } from '../../krm/resource';
import type { PreflightContext } from '../context';
import { fieldPath } from '../field-path';
import type * as Models from './kubernetes-models';

/** ajv's error shape, as the kubernetes-models validators report it. */
interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

let models: typeof Models | undefined;

/** The schemas module, loaded on first use (its own file in dist/, see scripts/build.mjs). */
function loadModels(): typeof Models {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazily loaded 3 MB bundle
  models ??= require('./kubernetes-models') as typeof Models;
  return models;
}

/**
 * Every built-in kind (a group the kubernetes-models package knows) is validated
 * against the Kubernetes OpenAPI schema, with the exact field and line of each
 * problem. Custom resources are left to their CRDs.
 */
export function checkSchema(ctx: PreflightContext): void {
  if (!ctx.enabled('schema') && !ctx.enabled('schema-unknown-api-version')) return;
  let groups: Set<string> | undefined;
  for (const resource of ctx.set.resources) {
    if (resource.isLocalConfig()) continue;
    const apiVersion = resource.apiVersion;
    // kubectl unpacks a v1 List itself; the API has no such kind to validate it against.
    if (apiVersion === 'v1' && resource.kind === 'List') continue;
    // Only built-in groups: a cheap test before anything is loaded.
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    if (group.includes('.') && !group.endsWith('.k8s.io')) continue;
    const m = loadModels();
    groups ??= m.knownGroups();
    if (!groups.has(group)) continue;
    const model = m.modelFor(apiVersion, resource.kind);
    if (model === 'unknown-version') {
      ctx.report(resource, {
        check: 'schema-unknown-api-version',
        severity: 'warning',
        message: `${apiVersion} is not an API version of the built-in group ${group || 'core'} that preflight knows: the cluster may not serve it`,
        fix: `use a served version (kubectl api-versions | grep ${group || 'v1'})`,
        field: 'apiVersion',
        node: resource.node.get('apiVersion', true) as Node,
      });
      continue;
    }
    if (model === 'unknown-kind') {
      ctx.report(resource, {
        check: 'schema',
        severity: 'error',
        message: `${apiVersion} has no kind ${resource.kind}: kubectl reports "no matches for kind"`,
        fix: `check the kind's spelling and API version (kubectl api-resources)`,
        field: 'kind',
        node: resource.node.get('kind', true) as Node,
      });
      continue;
    }
    const errors = validate(model, resource);
    for (const problem of describe(errors, resource))
      ctx.report(resource, { check: 'schema', ...problem });
  }
}

function validate(model: Models.KubernetesModel, resource: Resource): AjvError[] {
  try {
    new model(resource.node.toJS(resource.doc, { maxAliasCount: 100 }) as object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) throw error;
    return errors as AjvError[];
  }
}

interface Problem {
  severity: 'error';
  message: string;
  fix: string;
  field: string;
  node?: Node;
}

/** One problem per field: the types a field may have are merged, oneOf's own summary dropped. */
function describe(errors: readonly AjvError[], resource: Resource): Problem[] {
  const byField = new Map<string, { segments: string[]; errors: AjvError[] }>();
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
    const segments = error.instancePath.split('/').slice(1).map(decodePointer);
    if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
    const key = segments.join('\0');
    const entry = byField.get(key) ?? { segments, errors: [] };
    entry.errors.push(error);
    byField.set(key, entry);
  }
  const out: Problem[] = [];
  for (const { segments, errors: fieldErrors } of byField.values()) {
    const field = fieldPath(segments);
    const node = nodeAt(resource, segments);
    const types = fieldErrors.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
    // The value is shown only where it cannot be a credential (a Secret's data given as a
    // string is the base64 of the password): elsewhere its type, and cut when long.
    const current = isScalar(node)
      ? isSensitiveValue(resource.kind, segments)
        ? ` (found ${node.value === null ? 'null' : `a ${typeof node.value}`})`
        : ` (found ${quoted(node.value)})`
      : isMap(node)
        ? ' (found a map)'
        : isSeq(node)
          ? ' (found a list)'
          : '';
    let message: string;
    let fix: string;
    if (types.length) {
      const wanted = [...new Set(types)].map(article).join(' or ');
      message = `${field} must be ${wanted}${current}`;
      fix = `write ${field} as ${wanted}${types.includes('integer') ? ' (unquoted)' : ''}`;
    } else {
      const first = fieldErrors[0];
      switch (first.keyword) {
        case 'required':
          message = `${field} is required`;
          fix = `set ${field}`;
          break;
        case 'enum':
          message = `${field} must be one of ${(first.params.allowedValues as unknown[]).join(', ')}${current}`;
          fix = `use one of the allowed values for ${field}`;
          break;
        case 'format':
          message = `${field} must be a valid ${String(first.params.format)}${current}`;
          fix = `correct ${field}`;
          break;
        default:
          message = `${field} ${first.message ?? 'is invalid'}${current}`;
          fix = `correct ${field}`;
      }
    }
    out.push({
      severity: 'error',
      message: `${message}: the API server rejects the ${resource.kind}`,
      fix,
      field,
      node: node ?? nodeAt(resource, segments.slice(0, -1)),
    });
  }
  return out;
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a map';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function nodeAt(resource: Resource, segments: readonly string[]): Node | undefined {
  let node: unknown = resource.node;
  for (const segment of segments) {
    if (isMap(node)) node = node.get(segment, true);
    else if (isSeq(node)) node = node.get(Number(segment), true);
    else return undefined;
  }
  return node as Node | undefined;
}
