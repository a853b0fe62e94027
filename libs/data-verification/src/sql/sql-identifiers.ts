import { qualified as qualifiedName, quoteIdent as quoteName } from '@bascule/schema-engine';
import { InvalidIdentifierError } from '../errors/invalid-identifier.error';

/** Postgres truncates identifiers longer than this many bytes; we refuse them instead of verifying a different table. */
const MAX_IDENTIFIER_BYTES = 63;

// Quoting itself is schema-engine's (one rule for the workspace); the checks come first so a bad
// name surfaces as this library's typed InvalidIdentifierError rather than a plain Error.
function assertIdentifier(name: string): void {
  if (name.length === 0) throw new InvalidIdentifierError(name, 'it is empty');
  if (name.includes('\0')) throw new InvalidIdentifierError(name, 'it contains a NUL byte');
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new InvalidIdentifierError(name, `it is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
  }
}

/** Quotes an identifier for SQL text: `a"b` → `"a""b"`. Every name that reaches SQL goes through this. */
export function quoteIdent(name: string): string {
  assertIdentifier(name);
  return quoteName(name);
}

/** `schema.name`, both quoted. */
export function qualified(schema: string, name: string): string {
  assertIdentifier(schema);
  assertIdentifier(name);
  return qualifiedName(schema, name);
}
