import { isCollection, isMap, isScalar, isSeq } from 'yaml';
import { quoted } from '../../errors';
import { isSensitiveValue } from '../../krm/sensitive';
import type { Node } from 'yaml';
import type { Resource } from '../../krm/resource';
import type { PreflightContext } from '../context';
import { fieldPath } from '../field-path';
import { plainValue } from '../../yaml/plain-value';
import { groupOf, kindsOf, lookup, servedVersions } from './kubernetes-schemas';
import { restartPolicyViolations } from './restart-policy';
import { oneEditAway, validateStrict } from './strict-validate';
import type { Segment, Violation } from './strict-validate';
import { DEFAULT_KUBERNETES_VERSION } from './versions';

/**
 * Every built-in kind is validated against the OpenAPI documents the target version's
 * API server publishes, as strict field validation (kubectl apply's default) does:
 * unknown and misplaced fields, wrong types, malformed values, missing required
 * fields, each with its exact path and line. The custom resources retarget emits
 * (ExternalSecret, IAMPolicyMember) are validated against their published CRDs; other
 * custom resources are left to their CRDs.
 */
export function checkSchema(ctx: PreflightContext): void {
  if (!ctx.enabled('schema') && !ctx.enabled('schema-unknown-api-version')) return;
  const version = ctx.config.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  for (const resource of ctx.set.resources) {
    if (resource.isLocalConfig()) continue;
    const apiVersion = resource.apiVersion;
    const kind = resource.kind;
    // kubectl unpacks a List itself; the API has no such kind to validate it against.
    if (apiVersion === 'v1' && kind === 'List') continue;
    if (!apiVersion || !kind) continue;
    const found = lookup(version, apiVersion, kind);
    if (found.found === 'none') continue;
    const group = groupOf(apiVersion);
    if (found.found === 'unknown-version') {
      const served = servedVersions(version, group);
      ctx.report(resource, {
        check: 'schema-unknown-api-version',
        // Named explicitly, the target is known not to serve it; by default it may be older.
        severity: ctx.config.kubernetesVersion ? 'error' : 'warning',
        message: `${apiVersion} is not served by Kubernetes ${version} (the group ${group || 'core'} serves ${served.join(', ')})${ctx.config.kubernetesVersion ? ': kubectl reports "no matches for kind"' : ''}`,
        fix: `use a served version (kubectl api-versions | grep ${group || 'v1'})`,
        field: 'apiVersion',
        node: resource.node.get('apiVersion', true) as Node,
      });
      continue;
    }
    if (found.found === 'unknown-kind') {
      const near = kindsOf(version, apiVersion).find(
        (k) => k.toLowerCase() === kind.toLowerCase() || oneEditAway(k, kind),
      );
      ctx.report(resource, {
        check: 'schema',
        severity: 'error',
        message: `${apiVersion} has no kind ${kind} in Kubernetes ${version}${near ? ` (did you mean ${near}?)` : ''}: kubectl reports "no matches for kind"`,
        fix: near
          ? `write kind: ${near}`
          : `check the kind's spelling and API version (kubectl api-resources)`,
        field: 'kind',
        node: resource.node.get('kind', true) as Node,
      });
      continue;
    }
    const value = plainValue(resource.node, resource.doc);
    const against = found.custom ? `its CRD (${found.source})` : `Kubernetes ${version}`;
    const violations = [
      ...validateStrict(value, found.schema, found.custom),
      ...restartPolicyViolations(kind, value, found.custom),
    ];
    for (const violation of violations)
      ctx.report(resource, { check: 'schema', ...describe(violation, resource, against) });
  }
}

interface Problem {
  severity: 'error';
  message: string;
  fix: string;
  field: string;
  node?: Node;
}

function describe(violation: Violation, resource: Resource, against: string): Problem {
  const { segments } = violation;
  const field = fieldPath(segments);
  const node = nodeAt(resource, segments);
  const rejects = `the API server rejects the ${resource.kind}`;
  switch (violation.kind) {
    case 'unknown-field': {
      const suggestion = violation.suggestion;
      const parent = segments.slice(0, -1);
      let hint = '';
      let fix = `remove ${field} (no such field in ${against})`;
      if (suggestion?.kind === 'rename') {
        hint = ` (did you mean ${suggestion.to}?)`;
        fix = `rename it to ${fieldPath([...parent, suggestion.to])}`;
      } else if (suggestion) {
        const to = listPath(suggestion.to);
        hint = ` (it belongs at ${to})`;
        fix = `move it to ${to}`;
      }
      return {
        severity: 'error',
        message: `unknown field "${field}"${hint}: kubectl apply fails with a strict decoding error (${against})`,
        fix,
        field,
        node: keyAt(resource, segments) ?? node,
      };
    }
    case 'type': {
      const wanted = [...new Set(violation.expected)].map(article).join(' or ');
      return {
        severity: 'error',
        message: `${field} must be ${wanted}${found(node, resource, segments)}: ${rejects}`,
        fix: `write ${field} as ${wanted}${violation.expected.includes('integer') ? ' (unquoted)' : ''}`,
        field,
        node,
      };
    }
    case 'required':
      return {
        severity: 'error',
        message: `${field} is required: ${rejects}`,
        fix: `set ${field}`,
        field,
        node: node ?? nodeAt(resource, segments.slice(0, -1)),
      };
    case 'format':
      return {
        severity: 'error',
        message: `${field} must be ${FORMATS[violation.format] ?? `a valid ${violation.format}`}${found(node, resource, segments)}: ${rejects}`,
        fix: `correct ${field}`,
        field,
        node,
      };
    case 'enum':
      return {
        severity: 'error',
        message: `${field} must be one of ${violation.allowed.map(String).join(', ')}${found(node, resource, segments)}: ${rejects}`,
        fix: `use one of the allowed values for ${field}`,
        field,
        node,
      };
    case 'constraint':
      return {
        severity: 'error',
        message: `${field || resource.kind} ${violation.constraint}${found(node, resource, segments)}: ${rejects}`,
        fix: `correct ${field || 'the object'}`,
        field,
        node,
      };
  }
}

const FORMATS: Record<string, string> = {
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  byte: 'base64 (padded, standard alphabet)',
  'date-time': 'an RFC 3339 time (2024-01-31T12:00:00Z)',
  quantity: 'a quantity such as 500m, 2, 1.5Gi or 512Mi',
};

/** A field path where `name[]` stands for any item of the list `name`. */
function listPath(segments: readonly Segment[]): string {
  return fieldPath(
    segments.flatMap((s) =>
      typeof s === 'string' && s.endsWith('[]') ? [s.slice(0, -2), -1] : [s],
    ),
  ).replace(/\[-1\]/g, '[]');
}

/**
 * What a wrong field holds. A scalar's value is shown only where it cannot be a
 * credential (a Secret's data given as a string is the base64 of the password):
 * elsewhere its type; and a shown value is cut when long.
 */
function found(node: Node | undefined, resource: Resource, segments: readonly Segment[]): string {
  if (isScalar(node)) {
    // Never null: a null value is absent, and breaks no type, format or constraint.
    if (isSensitiveValue(resource.kind, segments.map(String)))
      return ` (found a ${typeof node.value})`;
    return ` (found ${quoted(node.value)})`;
  }
  if (isMap(node)) return ' (found a map)';
  if (isSeq(node)) return ' (found a list)';
  return '';
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a map';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function nodeAt(resource: Resource, segments: readonly Segment[]): Node | undefined {
  let node: unknown = resource.node;
  // A map's segments are its keys, a list's its indexes.
  for (const segment of segments) {
    if (!isCollection(node)) return undefined;
    node = node.get(segment, true);
  }
  return node as Node | undefined;
}

/** The key of the last segment: an unknown field is reported on its name's line. */
function keyAt(resource: Resource, segments: readonly Segment[]): Node | undefined {
  const parent = nodeAt(resource, segments.slice(0, -1));
  if (!isMap(parent)) return undefined;
  const name = String(segments[segments.length - 1]);
  // A map's items are pairs; a key that is a collection is no field name.
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
  return pair?.key as Node | undefined;
}
