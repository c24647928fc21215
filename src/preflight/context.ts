import type { PreflightConfig } from '../config/types';
import type { Resource } from '../krm/resource';
import type { ResourceSet } from '../krm/resource-set';
import type { Result } from '../krm/results';
import { FieldTypeError } from '../yaml/edit';
import { findingResult } from './finding';
import type { CheckId, Finding } from './finding';

/** What every check is given: the resources, the target description, and where findings go. */
export class PreflightContext {
  readonly results: Result[] = [];
  private readonly skipped: ReadonlySet<CheckId>;

  constructor(
    readonly set: ResourceSet,
    readonly config: PreflightConfig,
  ) {
    this.skipped = new Set(config.skip ?? []);
  }

  enabled(check: CheckId): boolean {
    return !this.skipped.has(check);
  }

  report(resource: Resource, finding: Finding): void {
    if (this.enabled(finding.check)) this.results.push(findingResult(resource, finding));
  }

  /** Runs `fn`; a field of the wrong type stops it and becomes a schema finding with the field's line. */
  safely(resource: Resource, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof FieldTypeError)) throw error;
      this.report(resource, {
        check: 'schema',
        severity: 'error',
        message: `${error.field} must be ${error.expected}`,
        fix: `correct the type of ${error.field}`,
        field: error.field,
        node: error.node,
      });
    }
  }
}
