import type { Queryable } from '../introspection/queryable';
import type { ValidationIssue } from '../operations/operation';
import { MAX_IDENTIFIER_BYTES } from '../sql/identifiers';

/** Checks of a migration that depend on the database rather than on one operation. */
export async function validateTarget(
  client: Queryable,
  schema: string,
  versionSchema: string,
  stateSchema: string,
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  if (schema === stateSchema || schema.startsWith('pg_') || schema === 'information_schema') {
    issues.push({ path: 'schema', code: 'schema_reserved', message: `schema "${schema}" cannot be migrated` });
  }
  if (Buffer.byteLength(versionSchema) > MAX_IDENTIFIER_BYTES) {
    issues.push({
      path: 'version_schema',
      code: 'identifier_too_long',
      message: `version schema "${versionSchema}" is longer than ${MAX_IDENTIFIER_BYTES} bytes; shorten the file name or set version_schema`,
    });
  }
  const found = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])', [
    [schema, versionSchema],
  ]);
  const names = new Set(found.rows.map((row) => row.nspname));
  if (!names.has(schema)) issues.push({ path: 'schema', code: 'schema_not_found', message: `schema "${schema}" does not exist` });
  if (names.has(versionSchema)) {
    issues.push({
      path: 'version_schema',
      code: 'version_schema_exists',
      message: `schema "${versionSchema}" already exists; name the migration differently or set version_schema`,
    });
  }
  return issues;
}
