import type { z } from 'zod';
import type { ValidationIssue } from '../operations/operation';

/** `operations[2].alter_column` + `['check', 'name']` → `operations[2].alter_column.check.name`. */
export function issuePath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    prefix,
  );
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Turns zod issues into our issues with stable codes: `unknown_field` (one per key, its path
 * includes the key), `field_required` (the field is absent), `invalid_value` (anything else).
 */
export function toValidationIssues(error: z.ZodError, prefix: string, input: unknown): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: issuePath(prefix, [...issue.path, key]),
        code: 'unknown_field',
        message: `unknown field "${key}"`,
      }));
    }
    const path = issuePath(prefix, issue.path);
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      return [{ path, code: 'field_required', message: `required field is missing (expected ${issue.expected})` }];
    }
    return [{ path, code: 'invalid_value', message: issue.message }];
  });
}
