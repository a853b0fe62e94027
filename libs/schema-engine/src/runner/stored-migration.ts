import { parseMigration } from '../format/parse-migration';
import type { Migration } from '../format/migration';
import type { MigrationRecord } from '../state/migration-record';

/**
 * Re-parses the operations stored with a migration: complete and rollback run from the database's
 * record, never from a file that may have changed since start.
 */
export function storedMigration(record: MigrationRecord): Migration {
  const migration = parseMigration({ operations: record.operations }, record.name);
  return { ...migration, versionSchema: undefined };
}
