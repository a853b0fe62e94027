import type { Action, SqlAction } from '../operation';
import { qualified, quoteIdent } from '../../sql/identifiers';
import { copiedChecksAndKeys, copiedPlainIndexes, copiedUniqueKeys } from './carried-constraints';
import type { ColumnGroupDuplicate } from './column-duplicate';
import { ifColumnExists, ifConstraintExists, moveOwnedSequence, unlessConstraintExists } from './guarded-sql';
import { duplicateConstraintName, notNullCheckName } from './internal-names';
import { sqlAction as sql } from './sql-action';

/**
 * Complete runs the operations' completes in file order, so by the time this one runs every
 * earlier rename of this migration is physical: the table and the original columns carry the
 * names this operation saw (their logical names). Start and rollback use the physical names.
 */
function completeTimeTable(group: ColumnGroupDuplicate): string {
  return group.table.name;
}

/** Complete, first: validate what was added NOT VALID, while the old columns still exist. */
export function validateDuplicatesActions(group: ColumnGroupDuplicate): SqlAction[] {
  const table = qualified(group.schema, completeTimeTable(group));
  const actions: SqlAction[] = group.columns
    .filter((column) => !column.nullable)
    .map((column) =>
      sql(
        `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(notNullCheckName(column.duplicate))}`,
        `validate not-null check on ${column.duplicate}`,
      ),
    );
  for (const constraint of copiedChecksAndKeys(group)) {
    // A constraint that was NOT VALID on the original stays NOT VALID on its copy.
    if (!constraint.validated) continue;
    const name = duplicateConstraintName(constraint.name);
    const statement = `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(name)}`;
    actions.push(
      sql(
        group.typeChanged ? ifConstraintExists(group.schema, completeTimeTable(group), name, statement) : statement,
        `validate copy of ${constraint.name}`,
      ),
    );
  }
  return actions;
}

/**
 * Complete, then: drop the originals (which drops their constraints and indexes) and move the
 * duplicates into their place under the original names. Runs after the sync triggers are gone
 * and after the previous version schema (whose views use the old columns) is dropped. Every
 * statement is a no-op when re-run: a complete interrupted by a crash re-runs the action that
 * was under way.
 */
export function promoteDuplicatesActions(group: ColumnGroupDuplicate): SqlAction[] {
  const { schema } = group;
  const tableName = completeTimeTable(group);
  const table = qualified(schema, tableName);
  const actions: SqlAction[] = [];
  for (const column of group.columns) {
    const original = column.original.name;
    actions.push(
      sql(
        moveOwnedSequence(schema, tableName, original, column.duplicate),
        `move sequence owned by ${original} to ${column.duplicate}`,
      ),
      sql(
        ifColumnExists(schema, tableName, column.duplicate, `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${quoteIdent(original)}`),
        `drop old column ${tableName}.${original}`,
      ),
      sql(
        ifColumnExists(schema, tableName, column.duplicate, `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(column.duplicate)} TO ${quoteIdent(original)}`),
        `rename ${column.duplicate} to ${original}`,
      ),
    );
    if (!column.nullable) {
      // SET NOT NULL skips its table scan because the validated check proves it (Postgres 12+).
      actions.push(
        sql(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(original)} SET NOT NULL`, `set ${original} NOT NULL`),
        sql(
          `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(notNullCheckName(column.duplicate))}`,
          `drop the not-null check on ${original}`,
        ),
      );
    }
  }
  for (const constraint of copiedChecksAndKeys(group)) {
    const name = duplicateConstraintName(constraint.name);
    actions.push(
      sql(
        ifConstraintExists(schema, tableName, name, `ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdent(name)} TO ${quoteIdent(constraint.name)}`),
        `rename copy of ${constraint.name} back`,
      ),
    );
  }
  for (const constraint of copiedUniqueKeys(group)) {
    const kind = constraint.type === 'primary_key' ? 'PRIMARY KEY' : 'UNIQUE';
    actions.push(
      sql(
        unlessConstraintExists(
          schema,
          tableName,
          constraint.name,
          `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(constraint.name)} ${kind} USING INDEX ${quoteIdent(duplicateConstraintName(constraint.name))}`,
        ),
        `turn the copied index into constraint ${constraint.name}`,
      ),
    );
  }
  for (const index of copiedPlainIndexes(group)) {
    actions.push(
      sql(
        `ALTER INDEX IF EXISTS ${qualified(schema, duplicateConstraintName(index.name))} RENAME TO ${quoteIdent(index.name)}`,
        `rename copy of index ${index.name} back`,
      ),
    );
  }
  return actions;
}

/** Rollback: drop the copied indexes concurrently, then the duplicate columns (and with them their constraints). */
export function dropDuplicatesActions(group: ColumnGroupDuplicate): Action[] {
  const table = qualified(group.schema, group.table.physicalName);
  const indexNames = [
    ...copiedUniqueKeys(group).map((constraint) => duplicateConstraintName(constraint.name)),
    ...copiedPlainIndexes(group).map((index) => duplicateConstraintName(index.name)),
  ];
  return [
    ...indexNames.map((name) => sql(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(group.schema, name)}`, `drop index ${name}`, false)),
    ...group.columns.map((column) =>
      sql(`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${quoteIdent(column.duplicate)}`, `drop column ${group.table.physicalName}.${column.duplicate}`),
    ),
  ];
}
