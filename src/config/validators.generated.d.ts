// Types of validators.generated.js, which scripts/gen-validators.mjs writes (gitignored).
import type { ValidateFunction } from 'ajv';
import type { ConfigKind } from './schemas';

declare const validators: Record<ConfigKind, ValidateFunction>;
export = validators;
