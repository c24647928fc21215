import { loadConfig } from '../../src/config/load';
import { API_VERSION, CONFIG_SCHEMAS } from '../../src/config/schemas';
import type { ConfigKind } from '../../src/config/schemas';
import { ConfigError } from '../../src/errors';

/**
 * Every string, integer and boolean field of every config schema, walked from the schemas
 * themselves (so a field added later is covered without touching this test), must refuse
 * every hostile value with an error that names exactly that field: in the kpt-catalog
 * form (fields at the top level), under `spec:`, and (for fields outside lists) as a
 * ConfigMap `data:` key, as `kpt fn eval -- key=value` passes them.
 */

interface SchemaNode {
  type?: string;
  enum?: readonly unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: readonly SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
}

type Segment = string | number;

interface Leaf {
  path: Segment[];
  schema: SchemaNode;
  /** A key of a map (propertyNames): the error names the map. */
  key?: boolean;
}

/** A map key that each open map (containerRuntimes, selector labels) accepts. */
const SAFE_KEY = 'web';

function leaves(schema: SchemaNode, path: Segment[] = [], out: Leaf[] = []): Leaf[] {
  if (schema.oneOf) {
    for (const branch of schema.oneOf) leaves(branch, path, out);
    return out;
  }
  if (schema.properties) {
    for (const [name, child] of Object.entries(schema.properties))
      leaves(child, [...path, name], out);
  }
  if (schema.type === 'array' && schema.items) leaves(schema.items, [...path, 0], out);
  if (typeof schema.additionalProperties === 'object') {
    leaves(schema.additionalProperties, [...path, SAFE_KEY], out);
    out.push({
      path: [...path, SAFE_KEY],
      schema: schema.propertyNames ?? { type: 'string' },
      key: true,
    });
  }
  if (schema.type === 'string' || schema.type === 'integer' || schema.type === 'boolean') {
    out.push({ path, schema });
  }
  return out;
}

const SHELL_AND_FILE_BREAKERS = [
  '$(id)',
  '${IFS}id',
  '`id`',
  'a;id',
  'a|id',
  'a&&id',
  'a>/etc/passwd',
  'a<x',
  "a'b",
  'a"b',
  'a\\b',
  'a b',
  'a\nb',
  'a\rb',
  'a\tb',
  'a\u0000b',
  'a\u202eb',
  '*',
  '#x',
];
const OVER_LONG = 'a'.repeat(100_000);

function hostileValues(leaf: Leaf): unknown[] {
  const s = leaf.schema;
  if (leaf.key) return [...SHELL_AND_FILE_BREAKERS, OVER_LONG];
  if (s.enum)
    // An upper-cased value is hostile only where case matters ("1.35" has none).
    return [
      'not-a-known-value',
      String(s.enum[0]).toUpperCase(),
      `${String(s.enum[0])};id`,
      1,
    ].filter((v) => !s.enum!.includes(v));
  if (s.type === 'boolean') return ['yes', 'true; id', 1];
  if (s.type === 'integer') {
    // Integers must be bounded both ways: a schema without bounds fails here.
    return [
      -1,
      (s.minimum ?? -Infinity) - 1,
      (s.maximum ?? Infinity) + 1,
      1.5,
      NaN,
      Infinity,
      '7; reboot',
      2 ** 64,
    ];
  }
  return [...SHELL_AND_FILE_BREAKERS, OVER_LONG];
}

const MINIMAL: Partial<Record<ConfigKind, Record<string, unknown>>> = {
  SetImagePullSecrets: { names: ['gcr-json-key'] },
  SetFsGroup: { fsGroup: 2000 },
  SetAwsWorkloadIdentity: { roleArn: 'arn:aws:iam::123456789012:role/app' },
  PortDataVolumes: { platform: 'gke' },
  SetGcpWorkloadIdentity: {
    projectId: 'prod-cluster',
    gcpServiceAccount: 'orders-vm@orders-app.iam.gserviceaccount.com',
  },
};

function minimal(kind: ConfigKind): Record<string, unknown> {
  return structuredClone(MINIMAL[kind] ?? {});
}

function setAt(
  target: Record<string, unknown>,
  path: Segment[],
  value: unknown,
  key: boolean,
): void {
  let node: Record<string | number, unknown> = target;
  path.slice(0, -1).forEach((segment, i) => {
    const next = path[i + 1];
    if (node[segment] === undefined || typeof node[segment] !== 'object') {
      node[segment] = typeof next === 'number' ? [] : {};
    }
    node = node[segment] as Record<string | number, unknown>;
  });
  const last = path[path.length - 1];
  if (key) node[String(value)] = 'legacy';
  else node[last] = value;
}

function fieldName(path: Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function problemsOf(kind: ConfigKind, config: unknown): { field: string; message: string }[] {
  try {
    loadConfig(kind, config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const kinds = Object.keys(CONFIG_SCHEMAS) as ConfigKind[];

describe('config attacks: every field refuses hostile values, naming the field', () => {
  test('each kind has a minimal valid config to attack from', () => {
    for (const kind of kinds) {
      expect({
        kind,
        problems: problemsOf(kind, { apiVersion: API_VERSION, kind, ...minimal(kind) }),
      }).toEqual({
        kind,
        problems: [],
      });
    }
  });

  const table = kinds.flatMap((kind) =>
    leaves(CONFIG_SCHEMAS[kind] as unknown as SchemaNode).map((leaf) => ({ kind, leaf })),
  );
  // Several oneOf branches can reach one path with one type: test it once.
  const unique = [
    ...new Map(
      table.map((t) => [
        `${t.kind} ${fieldName(t.leaf.path)} ${t.leaf.key ? 'key' : t.leaf.schema.type}`,
        t,
      ]),
    ).values(),
  ];

  test('the walk finds the fields that reach scripts, files and Dockerfiles', () => {
    const names = unique.map((t) => `${t.kind} ${fieldName(t.leaf.path)}`);
    for (const field of [
      'Retarget awsWorkloadIdentity.roleArn',
      'Retarget awsWorkloadIdentity.serviceUsers[0]',
      'Retarget awsWorkloadIdentity.services[0]',
      'Retarget awsWorkloadIdentity.tokenGroup',
      'Retarget linkKubernetesInfoSecrets.source',
      'Retarget linkKubernetesInfoSecrets.target',
      'Retarget fsGroup',
      'Retarget fsGroup.fsGroup',
      'Retarget imagePullSecrets[0]',
      'SetAwsWorkloadIdentity region',
      // In the printed gcloud commands and the IAMPolicyMember objects.
      'SetGcpWorkloadIdentity gcpServiceAccount',
      'SetGcpWorkloadIdentity projectId',
      'SetGcpWorkloadIdentity roles[0]',
      'Retarget gcpWorkloadIdentity.gcpServiceAccount',
      'SetImagePullSecrets externalSecret.server',
      'LinkKubernetesInfoSecrets containerRuntimes.web',
    ]) {
      expect(names).toContain(field);
    }
  });

  test.each(
    unique.map((t) => [`${t.kind} ${fieldName(t.leaf.path)}${t.leaf.key ? ' (key)' : ''}`, t]),
  )('%s', (_name, { kind, leaf }) => {
    const field = fieldName(leaf.key ? leaf.path.slice(0, -1) : leaf.path);
    if (leaf.schema.type === 'integer' && !leaf.key) {
      // An id or a count without both bounds lets out-of-range numbers through.
      expect([leaf.schema.minimum, leaf.schema.maximum].map(Number.isFinite)).toEqual([true, true]);
    }
    const accepted: string[] = [];
    for (const value of hostileValues(leaf)) {
      const forms: [string, unknown][] = [];
      const body = minimal(kind);
      setAt(body, leaf.path, value, leaf.key === true);
      forms.push(['', { apiVersion: API_VERSION, kind, ...body }]);
      forms.push(['spec.', { apiVersion: API_VERSION, kind, spec: body }]);
      const inList = leaf.path.some((s) => typeof s === 'number');
      if (!inList && !leaf.key && typeof value !== 'number') {
        const data: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(minimal(kind)))
          data[k] = Array.isArray(v) ? v.join(',') : String(v);
        data[leaf.path.join('.')] = String(value);
        forms.push(['data.', { apiVersion: 'v1', kind: 'ConfigMap', data }]);
      }
      for (const [prefix, config] of forms) {
        const problems = problemsOf(kind, config);
        const named = problems.find((p) => p.field === prefix + field);
        // The field itself must be judged: "unknown field" would mean the walk went wrong.
        if (!named || named.message === 'unknown field') {
          accepted.push(
            `${prefix}${field} = ${JSON.stringify(value).slice(0, 40)} -> ${JSON.stringify(problems)}`,
          );
        }
      }
    }
    expect(accepted).toEqual([]);
  });
});
