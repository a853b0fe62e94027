import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { SqlFragment } from '../format/sql-text';
import { findColumn, findTable, withColumn, withTable, type TableModel } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { defineOperation, type Action, type OperationContext, type ValidationIssue } from './operation';
import { syncTriggerNames } from './shared/internal-names';
import { expressionIssues, fieldPath, issue, referencedColumnIssues, tableOrIssue } from './shared/operation-issues';
import { atomicSwapActions } from './shared/atomic-swap';
import { sqlAction } from './shared/sql-action';
import { createSyncTriggerActions, dropSyncTriggerActions, type SyncTrigger } from './shared/sync-trigger';
import { versionVariables } from './shared/version-variables';

const KIND = 'drop_column';

/** pgroll `OpDropColumn`. `down` computes the column for rows the new version writes. */
export const DropColumnBody = z.strictObject({
  table: Identifier,
  column: Identifier,
  down: SqlFragment.optional(),
});
export type DropColumnBody = z.infer<typeof DropColumnBody>;

function planDropColumn(op: DropColumnBody, ctx: OperationContext): { table: TableModel; after: TableModel; trigger: SyncTrigger | null } {
  const table = findTable(ctx.model, op.table);
  const column = table && findColumn(table, op.column);
  if (!table || !column) throw new Error(`drop_column: ${op.table}.${op.column} is not in the model (validate first)`);
  const after = withColumn(table, op.column, (existing) => ({ ...existing, hidden: true }));
  const trigger: SyncTrigger | null =
    op.down === undefined
      ? null
      : {
          schema: ctx.schema,
          table: table.physicalName,
          names: syncTriggerNames(table.physicalName, ctx.migrationName, ctx.index),
          versionSchema: ctx.versionSchema,
          // The old version still reads and writes the column itself.
          fromOld: { variables: [], assignments: [] },
          // The new version no longer sees it: `down` computes it from the columns it does see.
          fromNew: { variables: versionVariables(after), assignments: [{ physicalName: column.physicalName, expression: op.down }] },
        };
  return { table, after, trigger };
}

function validate(op: DropColumnBody, ctx: OperationContext): ValidationIssue[] {
  const at = (field?: string) => fieldPath(ctx, KIND, field);
  const { table, issues } = tableOrIssue(ctx.model, op.table, at('table'));
  if (!table) return issues;
  const column = findColumn(table, op.column);
  if (!column) return [issue(at('column'), 'column_not_found', `column "${op.column}" does not exist in table "${op.table}"`)];
  const found = [...expressionIssues(at('down'), op.down, 'down'), ...referencedColumnIssues(ctx.model, table, op.column, at('column'))];
  if (table.columns.filter((candidate) => !candidate.hidden).length === 1) {
    found.push(issue(at('column'), 'last_column', `"${op.column}" is the only column of "${op.table}": drop the table instead`));
  }
  return found;
}

function start(op: DropColumnBody, ctx: OperationContext) {
  const plan = planDropColumn(op, ctx);
  return {
    actions: plan.trigger ? createSyncTriggerActions(plan.trigger) : [],
    model: withTable(ctx.model, op.table, () => plan.after),
  };
}

function complete(op: DropColumnBody, ctx: OperationContext): Action[] {
  const plan = planDropColumn(op, ctx);
  // Completes run in file order: earlier renames of this table and column are physical by now,
  // so both carry the names this operation saw.
  // One transaction: no new-version write may land between the trigger's drop and the column's.
  const drop = sqlAction(
    `ALTER TABLE ${qualified(ctx.schema, plan.table.name)} DROP COLUMN IF EXISTS ${quoteIdent(op.column)}`,
    `drop column ${plan.table.name}.${op.column}`,
  );
  if (!plan.trigger) return [drop];
  const swap = [...dropSyncTriggerActions({ ...plan.trigger, table: plan.table.name }), drop];
  return atomicSwapActions(ctx.schema, plan.table.name, swap, `drop ${plan.table.name}.${op.column}`);
}

function rollback(op: DropColumnBody, ctx: OperationContext): Action[] {
  const plan = planDropColumn(op, ctx);
  return plan.trigger ? dropSyncTriggerActions(plan.trigger) : [];
}

/**
 * `drop_column`: the new version's views leave the column out at start, while the old version
 * keeps using it; `down` fills it for rows the new version writes (a NOT NULL column without a
 * default needs it, or new-version inserts fail). Complete drops it physically.
 */
export const dropColumn = defineOperation({ kind: KIND, schema: DropColumnBody, validate, start, complete, rollback });
