import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { MigrationAlreadyActiveError } from '../errors';
import { loadMigrationFile, MIGRATION_FILE_EXTENSIONS } from '../format/load-migration-file';
import type { StartOptions } from './engine-options';
import type { SchemaEngine } from './schema-engine';

export interface MigrateOutcome {
  /** Names started (and completed unless it was the last without `complete`), in order. */
  applied: string[];
  /** Names skipped because they were already completed. */
  skipped: string[];
  /** Name left active (the last one, without `complete`), or null. */
  active: string | null;
}

/** Migration files of a directory in name order (the pgroll convention: names sort as they apply). */
export async function migrationFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && (MIGRATION_FILE_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase()))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Applies every file not completed yet. Only one migration can be active, so all but the last are
 * completed before the next starts; the last is completed only with `complete`. An active
 * migration that is the first pending file is taken as already started.
 */
export async function migrateDirectory(engine: SchemaEngine, dir: string, options: StartOptions): Promise<MigrateOutcome> {
  const files = await migrationFilesIn(dir);
  const migrations = await Promise.all(files.map((file) => loadMigrationFile(file)));
  const status = await engine.status();
  const completed = new Set(status.migrations.filter((m) => m.status === 'completed').map((m) => m.name));
  const pending = migrations.filter((migration) => !completed.has(migration.name));
  const skipped = migrations.filter((migration) => completed.has(migration.name)).map((migration) => migration.name);
  if (status.active && status.active.name !== pending[0]?.name) {
    throw new MigrationAlreadyActiveError(engine.schema, status.active.name);
  }
  const applied: string[] = [];
  for (const [i, migration] of pending.entries()) {
    const last = i === pending.length - 1;
    await engine.start(migration, { ...options, complete: !last || options.complete === true });
    applied.push(migration.name);
  }
  const active = !options.complete && pending.length > 0 ? pending[pending.length - 1].name : null;
  return { applied, skipped, active };
}
