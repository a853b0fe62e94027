/**
 * A Postgres identifier, double-quoted with embedded quotes doubled. A database name comes from a
 * URL the operator controls, but it is still text: never splice it into SQL unquoted.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) throw new Error('an identifier must be non-empty text without NUL');
  return `"${name.replace(/"/g, '""')}"`;
}
