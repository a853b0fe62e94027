import { MAX_IDENTIFIER_BYTES } from '../sql/identifiers';

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character (pg_mbcliplen). */
function clipBytes(text: string, bytes: number): string {
  let clipped = '';
  for (const character of text) {
    if (Buffer.byteLength(clipped + character, 'utf8') > bytes) break;
    clipped += character;
  }
  return clipped;
}

/**
 * The name Postgres gives an object it names itself (`makeObjectName` in
 * src/backend/commands/indexcmds.c): `name1_name2_label`, shortening the longer of name1/name2
 * until it fits 63 bytes. Used to model the constraints and indexes CREATE TABLE names implicitly
 * (`orders_pkey`, `users_email_key`). Postgres adds a digit when that name is already taken;
 * validation refuses such collisions instead, so the digit never appears.
 */
export function postgresObjectName(name1: string, name2: string | null, label: string): string {
  const overhead = (label ? Buffer.byteLength(label) + 1 : 0) + (name2 ? 1 : 0);
  const available = MAX_IDENTIFIER_BYTES - overhead;
  let name1Bytes = Buffer.byteLength(name1);
  let name2Bytes = name2 ? Buffer.byteLength(name2) : 0;
  while (name1Bytes + name2Bytes > available) {
    if (name1Bytes > name2Bytes) name1Bytes -= 1;
    else name2Bytes -= 1;
  }
  let result = clipBytes(name1, name1Bytes);
  if (name2) result += `_${clipBytes(name2, name2Bytes)}`;
  if (label) result += `_${label}`;
  return result;
}

/** Name of the index behind an unnamed PRIMARY KEY: `<table>_pkey`. */
export function primaryKeyName(table: string): string {
  return postgresObjectName(table, null, 'pkey');
}

/** Name of the constraint (and index) behind an unnamed column UNIQUE: `<table>_<column>_key`. */
export function uniqueKeyName(table: string, column: string): string {
  return postgresObjectName(table, column, 'key');
}
