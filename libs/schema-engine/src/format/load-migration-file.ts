import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { MigrationFileError } from '../errors';
import type { Migration } from './migration';
import { parseMigration } from './parse-migration';
import { loadSqlParser } from './sql-parser';

export const MIGRATION_FILE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** The migration's name: its file name without extension (SCHEMA-OPERATIONS.md). */
export function migrationNameOf(path: string): string {
  return basename(path, extname(path));
}

/** Reads and parses a migration file; YAML or JSON by extension. */
export async function loadMigrationFile(path: string): Promise<Migration> {
  const extension = extname(path).toLowerCase();
  const name = migrationNameOf(path);
  if (!(MIGRATION_FILE_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new MigrationFileError(`"${basename(path)}" is not a migration file: expected .yaml, .yml or .json`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MigrationFileError(`cannot read migration file "${basename(path)}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
      cause: error,
    });
  }
  await loadSqlParser();
  return parseMigration(text, name, extension === '.json' ? 'json' : 'yaml');
}
