import type { OperationDefinition } from '../operations/operation';

/** One operation of a parsed migration: its key in the file, the parsed body, and its definition. */
export interface MigrationOperation {
  kind: string;
  body: unknown;
  definition: OperationDefinition<string, unknown>;
}

/** A parsed, format-valid pgroll migration. */
export interface Migration {
  name: string;
  /** `version_schema` from the file, if set (the version schema is then `<schema>_<version_schema>`). */
  versionSchema?: string;
  operations: MigrationOperation[];
  /** The file's operations exactly as written: stored with the migration's state and re-parsed at complete/rollback. */
  rawOperations: unknown[];
}

/** `<schema>_<name>` or `<schema>_<version_schema>`: the schema holding this migration's views. */
export function versionSchemaName(schema: string, migration: Pick<Migration, 'name' | 'versionSchema'>): string {
  return `${schema}_${migration.versionSchema ?? migration.name}`;
}
