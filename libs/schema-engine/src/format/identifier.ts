import { z } from 'zod';
import { MAX_IDENTIFIER_BYTES } from '../sql/identifiers';

/**
 * Names in migration files are quoted before they reach SQL, so quoting alone would keep them
 * harmless; we still refuse anything outside plain letters, digits, `_`, `$` and `-` because a
 * name like `"; DROP TABLE x; --` is never intended, and Postgres would silently truncate a name
 * over 63 bytes (two long names could then collide).
 */
const IDENTIFIER_PATTERN = /^[\p{L}_][\p{L}\p{N}_$-]*$/u;

/** Why `name` is not an acceptable identifier, or null when it is. */
export function identifierProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    return `is longer than ${MAX_IDENTIFIER_BYTES} bytes (Postgres would truncate it)`;
  }
  if (!IDENTIFIER_PATTERN.test(name)) {
    return 'must start with a letter or "_" and contain only letters, digits, "_", "$" or "-"';
  }
  return null;
}

/** A table, column, constraint or index name. */
export const Identifier = z.string().superRefine((name, ctx) => {
  const problem = identifierProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `identifier ${JSON.stringify(name)} ${problem}` });
});
