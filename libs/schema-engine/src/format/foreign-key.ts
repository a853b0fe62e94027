import { z } from 'zod';
import { quoteIdent } from '../sql/identifiers';

export const ForeignKeyAction = z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);
export type ForeignKeyAction = z.infer<typeof ForeignKeyAction>;

/** PARTIAL is in pgroll's enum but Postgres does not implement it, so we refuse it up front. */
export const ForeignKeyMatchType = z.enum(['SIMPLE', 'FULL']);
export type ForeignKeyMatchType = z.infer<typeof ForeignKeyMatchType>;

export interface ForeignKeyClauseParts {
  /** Already quoted (and schema-qualified) referenced table. */
  table: string;
  columns: string[];
  onDelete?: ForeignKeyAction;
  onDeleteSetColumns?: string[];
  onUpdate?: ForeignKeyAction;
  matchType?: ForeignKeyMatchType;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
}

/** `REFERENCES t (c) MATCH … ON DELETE … ON UPDATE … [DEFERRABLE …]`, shared by column and table FKs. */
export function referencesClauseSql(parts: ForeignKeyClauseParts): string {
  let sql = `REFERENCES ${parts.table} (${parts.columns.map(quoteIdent).join(', ')})`;
  if (parts.matchType) sql += ` MATCH ${parts.matchType}`;
  if (parts.onDelete) {
    sql += ` ON DELETE ${parts.onDelete}`;
    if (parts.onDeleteSetColumns && parts.onDeleteSetColumns.length > 0) {
      sql += ` (${parts.onDeleteSetColumns.map(quoteIdent).join(', ')})`;
    }
  }
  if (parts.onUpdate) sql += ` ON UPDATE ${parts.onUpdate}`;
  return sql + deferrableSql(parts.deferrable, parts.initiallyDeferred);
}

/**
 * ` DEFERRABLE [INITIALLY DEFERRED]`; empty when neither flag is set (Postgres default). An
 * initially deferred constraint is deferrable by definition (Postgres refuses `NOT DEFERRABLE
 * INITIALLY DEFERRED`), so `initially_deferred` alone implies `deferrable`.
 */
export function deferrableSql(deferrable?: boolean, initiallyDeferred?: boolean): string {
  if (initiallyDeferred) return ' DEFERRABLE INITIALLY DEFERRED';
  return deferrable ? ' DEFERRABLE' : '';
}
