import type { PreflightConfig } from '../config/types';
import type { ResourceSet } from '../krm/resource-set';
import type { Result } from '../krm/results';
import type { TransformContext } from '../transforms/context';
import { checkAdmission } from './admission';
import { PreflightContext } from './context';
import { checkDataVolumes } from './data-volumes';
import { checkGkeWorkloadIdentity } from './gke-workload-identity';
import { checkImages } from './image-coverage';
import { checkPlaceholders } from './placeholders';
import { checkPlaintextCredentials } from './plaintext-credentials';
import { checkSchema } from './schema/check-schema';
import { checkWorkloadIdentity } from './workload-identity';
import { workloadsOf } from './workloads';

/**
 * The preflight validator: predicts what will fail on the target cluster (errors)
 * or may (warnings), each finding located and with its fix. It changes nothing,
 * except that `emitIamPolicyMember` adds the missing cross-project grants.
 */
export function preflight(ctx: TransformContext, config: PreflightConfig): void {
  const pre = new PreflightContext(ctx.set, config);
  // Schema first: a field of the wrong type is reported once, from the schema.
  checkSchema(pre);
  checkPlaintextCredentials(pre);
  const workloads = workloadsOf(pre);
  checkImages(pre, workloads);
  checkWorkloadIdentity(pre, workloads);
  checkGkeWorkloadIdentity(pre, workloads);
  checkAdmission(pre, workloads);
  checkDataVolumes(pre, workloads);
  checkPlaceholders(pre, workloads);
  // One push per result: spreading 100,000 of them would overflow the call stack.
  for (const r of ordered(dedupe(pre.results), ctx.set)) ctx.results.push(r);
}

/**
 * A wrong-typed field is found twice: by the schema and by the workload checks that
 * stop at it. The first (the schema's, which runs first) is kept.
 */
function dedupe(results: readonly Result[]): Result[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    if (r.tags?.check !== 'schema') return true;
    // The same resource, file and field: Resource.result builds each alike.
    const key = JSON.stringify([r.resourceRef, r.file, r.field]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In package order: by file (as first seen), document, then line; results about no file last. */
function ordered(results: readonly Result[], set: ResourceSet): Result[] {
  // A resource without a path takes a rank too, harmlessly: no result about it has a file.
  const fileRank = new Map<string | undefined, number>();
  for (const resource of set.resources) {
    const path = resource.origin.path;
    if (!fileRank.has(path)) fileRank.set(path, fileRank.size);
  }
  const key = (r: Result, i: number): number[] => [
    r.file ? (fileRank.get(r.file.path) ?? fileRank.size) : Number.MAX_SAFE_INTEGER,
    r.file?.index ?? 0,
    Number(r.tags?.line ?? 0),
    i,
  ];
  return results
    .map((result, i) => ({ result, key: key(result, i) }))
    .sort((a, b) => {
      // The keys always differ: the last part is the result's own position.
      const k = a.key.findIndex((part, j) => part !== b.key[j]);
      return a.key[k] - b.key[k];
    })
    .map(({ result }) => result);
}
