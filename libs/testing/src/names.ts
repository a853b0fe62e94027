import { randomBytes } from 'node:crypto';

/** A lowercase name unique to this test run: safe as a database, schema, stream or subject token. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
}
