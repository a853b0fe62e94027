import { parse as parseYaml } from 'yaml';
import { InvalidMigrationError, MigrationFileError } from '../errors';
import type { ValidationIssue } from '../operations/operation';
import { operationKinds, operationRegistry } from '../operations/registry';
import { MAX_IDENTIFIER_BYTES } from '../sql/identifiers';
import type { Migration, MigrationOperation } from './migration';
import { issuePath, toValidationIssues } from './zod-issues';

/**
 * `name` is accepted because files written for older pgroll releases carry it; the migration's
 * name is still the file name (SCHEMA-OPERATIONS.md), so the field is ignored.
 */
const TOP_LEVEL_FIELDS = new Set(['operations', 'version_schema', 'name']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads YAML or JSON text (JSON is YAML, but JSON errors read better from JSON.parse). */
export function parseMigrationText(text: string, name: string, format: 'yaml' | 'json' = 'yaml'): unknown {
  try {
    return format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new MigrationFileError(`migration "${name}" is not valid ${format.toUpperCase()}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function checkName(name: string, issues: ValidationIssue[], path: string): void {
  if (name.length === 0) issues.push({ path, code: 'invalid_name', message: 'the migration name cannot be empty' });
  else if (name.includes('\0')) issues.push({ path, code: 'invalid_name', message: 'the name cannot contain a NUL byte' });
  else if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    issues.push({ path, code: 'identifier_too_long', message: `"${name}" is longer than ${MAX_IDENTIFIER_BYTES} bytes` });
  }
}

function parseOperation(entry: unknown, index: number, issues: ValidationIssue[]): MigrationOperation | null {
  const path = `operations[${index}]`;
  if (!isRecord(entry) || Object.keys(entry).length !== 1) {
    issues.push({ path, code: 'invalid_operation', message: 'an operation is an object with exactly one key (its kind)' });
    return null;
  }
  const [kind] = Object.keys(entry);
  const definition = operationRegistry.get(kind);
  if (!definition) {
    issues.push({
      path: `${path}.${kind}`,
      code: 'unknown_operation',
      message: `unknown operation "${kind}"; known: ${operationKinds().join(', ') || '(none)'}`,
    });
    return null;
  }
  const result = definition.schema.safeParse(entry[kind]);
  if (!result.success) {
    issues.push(...toValidationIssues(result.error, `${path}.${kind}`, entry[kind]));
    return null;
  }
  return { kind, body: result.data, definition };
}

/**
 * Parses a pgroll-format migration (text or an already-decoded object) strictly: every problem is
 * collected with its path (`operations[i].<kind>.<field>`) and reported at once as an
 * `InvalidMigrationError`.
 */
export function parseMigration(input: string | unknown, name: string, format: 'yaml' | 'json' = 'yaml'): Migration {
  const document = typeof input === 'string' ? parseMigrationText(input, name, format) : input;
  const issues: ValidationIssue[] = [];
  checkName(name, issues, 'name');
  if (!isRecord(document)) {
    throw new InvalidMigrationError(name, [
      ...issues,
      { path: '', code: 'invalid_migration', message: 'a migration is an object with an "operations" list' },
    ]);
  }
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_FIELDS.has(key)) issues.push({ path: key, code: 'unknown_field', message: `unknown field "${key}"` });
  }
  let versionSchema: string | undefined;
  if (document.version_schema !== undefined) {
    if (typeof document.version_schema !== 'string') {
      issues.push({ path: 'version_schema', code: 'invalid_value', message: 'version_schema must be a string' });
    } else {
      versionSchema = document.version_schema;
      checkName(versionSchema, issues, 'version_schema');
    }
  }
  const rawOperations = document.operations;
  if (!Array.isArray(rawOperations)) {
    issues.push({
      path: 'operations',
      code: rawOperations === undefined ? 'field_required' : 'invalid_value',
      message: 'operations must be a list of operations',
    });
    throw new InvalidMigrationError(name, issues);
  }
  if (rawOperations.length === 0) {
    issues.push({ path: 'operations', code: 'invalid_value', message: 'a migration needs at least one operation' });
  }
  const operations = rawOperations.map((entry, index) => parseOperation(entry, index, issues));
  operations.forEach((operation, index) => {
    if (operation?.definition.isolated?.(operation.body) && rawOperations.length > 1) {
      issues.push({
        path: issuePath(`operations[${index}]`, [operation.kind]),
        code: 'operation_not_isolated',
        message: `${operation.kind} must be the only operation of its migration`,
      });
    }
  });
  if (issues.length > 0) throw new InvalidMigrationError(name, issues);
  return {
    name,
    ...(versionSchema === undefined ? {} : { versionSchema }),
    operations: operations as MigrationOperation[],
    rawOperations,
  };
}
