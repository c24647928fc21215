import type { Node } from 'yaml';
import type { PREFLIGHT_CHECK_IDS } from '../config/schemas';
import type { Resource } from '../krm/resource';
import type { Result, Severity } from '../krm/results';

export type CheckId = (typeof PREFLIGHT_CHECK_IDS)[number];

/** One thing that will (error) or may (warning) go wrong on the target cluster, and its fix. */
export interface Finding {
  check: CheckId;
  severity: Severity;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do about it: a command, a field to set, a function to run. */
  fix: string;
  field?: string;
  /** The YAML node the finding is about (gives its line). */
  node?: Node;
  /** Facts a machine may want (bucket, member, role, command, ...). */
  tags?: Record<string, string>;
}

/**
 * A finding as a KRM result about `resource`: the message ends with the fix (kpt and
 * kustomize show only the message), and `tags.check` / `tags.fix` carry both for machines.
 */
export function findingResult(resource: Resource, finding: Finding): Result {
  const result = resource.result(
    finding.severity,
    `${finding.message}. Fix: ${finding.fix}`,
    finding.field,
    finding.node,
  );
  result.tags = { ...result.tags, check: finding.check, fix: finding.fix, ...finding.tags };
  return result;
}
