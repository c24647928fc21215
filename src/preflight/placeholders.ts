import type { Node } from 'yaml';
import { quoted } from '../errors';
import { isSensitiveValue } from '../krm/sensitive';
import { MapNode, ScalarNode, SeqNode } from '../yaml/classes';
import type { PreflightContext } from './context';
import { fieldPath } from './field-path';
import type { Workload } from './workloads';

/** `<folder>`, `<path to data>`: what the generator writes where the user must fill in a value. */
const PLACEHOLDER = /<[A-Za-z][A-Za-z0-9 _.-]{0,62}>/;

/** Where text in angle brackets may be meant (a shell line, a variable's value). */
const FREE_TEXT = new Set(['command', 'args', 'env', 'annotations']);

/**
 * A generator placeholder left in a workload: `mountPath: /<folder>` mounts a directory
 * literally named `<folder>`, and `subPath: <folder>` reads one from the volume, so the
 * data the migration exported is not where the service looks for it. An error naming
 * the field; a warning inside commands, env values and annotations, where angle
 * brackets may be intended.
 */
export function checkPlaceholders(ctx: PreflightContext, workloads: readonly Workload[]): void {
  for (const workload of workloads) {
    const { resource } = workload;
    const spec = resource.node.get('spec', true) as Node | undefined;
    walk(spec, { up: undefined, segment: 'spec' }, false, (node, at, free) => {
      const value = node.value;
      // Nearly no value holds a `<`: the expression runs on the few strings that do.
      if (typeof value !== 'string' || !value.includes('<')) return;
      const match = PLACEHOLDER.exec(value);
      if (!match) return;
      const path = segmentsOf(at);
      const field = fieldPath(path);
      ctx.report(resource, {
        check: 'generator-placeholder',
        severity: free ? 'warning' : 'error',
        // The whole value only where it cannot be a credential (not in env, annotations…).
        message: `${field} holds the generator placeholder ${match[0]}${isSensitiveValue(resource.kind, path.map(String)) ? '' : ` (${quoted(value)})`}`,
        fix: `replace ${match[0]} in ${field} with the real value (for a data folder: the folder's path on the VM, as the migration plan's dataVolumes list it)`,
        field,
        node: node as Node,
        tags: { placeholder: match[0] },
      });
    });
  }
}

/** Where a node is, as a chain to the root: made into a path only for a finding. */
interface At {
  up: At | undefined;
  segment: string | number;
}

function segmentsOf(at: At | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let a = at; a; a = a.up) out.push(a.segment);
  return out.reverse();
}

function walk(
  node: Node | undefined,
  at: At,
  free: boolean,
  visit: (node: InstanceType<typeof ScalarNode>, at: At, free: boolean) => void,
): void {
  if (node instanceof ScalarNode) {
    visit(node, at, free);
  } else if (node instanceof MapNode) {
    for (const pair of node.items) {
      const key = pair.key instanceof ScalarNode ? String(pair.key.value) : '';
      // A key without a value (null) is none of the three node kinds walked.
      walk(
        pair.value as Node | undefined,
        { up: at, segment: key },
        free || FREE_TEXT.has(key),
        visit,
      );
    }
  } else if (node instanceof SeqNode) {
    node.items.forEach((item, i) => walk(item as Node, { up: at, segment: i }, free, visit));
  }
}
