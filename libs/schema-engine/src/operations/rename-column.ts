import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { withColumn, withTable } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { isIssue, lookupColumn, lookupTable } from './model-lookup';
import { defineOperation, type ValidationIssue } from './operation';

/** pgroll `OpRenameColumn`. */
export const RenameColumnBody = z.strictObject({ table: Identifier, from: Identifier, to: Identifier });
export type RenameColumnBody = z.infer<typeof RenameColumnBody>;

/**
 * rename_column: start only changes the model, so the new version's view exposes the physical
 * column under the new name while the old view keeps the old one; no lock is taken. complete
 * renames the physical column; rollback has nothing to undo.
 */
export const renameColumn = defineOperation({
  kind: 'rename_column',
  schema: RenameColumnBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].rename_column`;
    const table = lookupTable(ctx.model, op.table, `${path}.table`);
    if (isIssue(table)) return [table];
    const column = lookupColumn(table, op.from, `${path}.from`);
    if (isIssue(column)) return [column];
    const issues: ValidationIssue[] = [];
    // Any column using the name (even hidden, or physically) would clash at complete's RENAME.
    const clash = table.columns.find((other) => other !== column && (other.name === op.to || other.physicalName === op.to));
    if (clash || op.to === op.from) {
      issues.push({ path: `${path}.to`, code: 'column_exists', message: `table "${op.table}" already has a column "${op.to}"` });
    }
    return issues;
  },
  start(op, ctx) {
    const model = withTable(ctx.model, op.table, (table) => withColumn(table, op.from, (column) => ({ ...column, name: op.to })));
    return { actions: [], model };
  },
  complete: (op, ctx) => [
    {
      kind: 'sql',
      // Completes run in file order, so every earlier operation's complete has already moved its
      // table and columns to their new names: the names this operation saw are physical now.
      sql: `ALTER TABLE ${qualified(ctx.schema, op.table)} RENAME COLUMN ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`,
      description: `rename column ${op.table}.${op.from} to ${op.to}`,
    },
  ],
  rollback: () => [],
});
