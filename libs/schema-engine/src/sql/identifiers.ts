/** Postgres truncates identifiers longer than this many bytes; we refuse them instead. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Quotes an identifier for SQL text: `a"b` → `"a""b"`. Every name that reaches SQL goes through this. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('an SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error('an SQL identifier cannot contain a NUL byte');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, both quoted. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** Quotes a string literal: `it's` → `'it''s'` (standard_conforming_strings is on since Postgres 9.1). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('an SQL literal cannot contain a NUL byte');
  return `'${value.replace(/'/g, "''")}'`;
}
