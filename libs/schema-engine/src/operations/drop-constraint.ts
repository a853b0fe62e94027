import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { SqlFragment } from '../format/sql-text';
import { findTable, withTable } from '../model/schema-model';
import { constraintColumns, constraintDropIssues, planConstraintDrop } from './drop-multicolumn-constraint.plan';
import { defineOperation, type Action, type OperationContext, type ValidationIssue } from './operation';
import { columnGroupCompleteActions, columnGroupRollbackActions, columnGroupStartActions } from './shared/column-group';
import { expressionIssues, fieldPath, issue } from './shared/operation-issues';

const KIND = 'drop_constraint';

/** pgroll's deprecated `OpDropConstraint`: a single-column constraint, one `up` and one `down`. */
export const DropConstraintBody = z.strictObject({
  table: Identifier,
  name: Identifier,
  up: SqlFragment,
  down: SqlFragment,
});
export type DropConstraintBody = z.infer<typeof DropConstraintBody>;

function validate(op: DropConstraintBody, ctx: OperationContext): ValidationIssue[] {
  const at = (field?: string) => fieldPath(ctx, KIND, field);
  const { columns, issues } = constraintDropIssues(ctx, op.table, op.name, at);
  if (columns.length === 0) return issues;
  if (columns.length > 1) {
    return [
      issue(at('name'), 'multicolumn_constraint', `constraint "${op.name}" covers ${columns.length} columns (${columns.join(', ')}): use drop_multicolumn_constraint`),
    ];
  }
  return [...issues, ...expressionIssues(at('up'), op.up, 'up'), ...expressionIssues(at('down'), op.down, 'down')];
}

function expressions(op: DropConstraintBody, ctx: OperationContext): { up: Record<string, string>; down: Record<string, string> } {
  const table = findTable(ctx.model, op.table);
  const found = table && constraintColumns(table, op.name, '');
  if (!found || 'code' in found) throw new Error(`drop_constraint: constraint "${op.name}" is not in the model (validate first)`);
  const [column] = found.columns;
  return { up: { [column]: op.up }, down: { [column]: op.down } };
}

function plan(op: DropConstraintBody, ctx: OperationContext) {
  const { up, down } = expressions(op, ctx);
  return planConstraintDrop(ctx, op.table, op.name, up, down);
}

function start(op: DropConstraintBody, ctx: OperationContext) {
  const group = plan(op, ctx);
  return { actions: columnGroupStartActions(group), model: withTable(ctx.model, op.table, () => group.after) };
}

function complete(op: DropConstraintBody, ctx: OperationContext): Action[] {
  return columnGroupCompleteActions(plan(op, ctx));
}

function rollback(op: DropConstraintBody, ctx: OperationContext): Action[] {
  return columnGroupRollbackActions(plan(op, ctx));
}

/** `drop_constraint` (deprecated in pgroll): drop_multicolumn_constraint for a single column. */
export const dropConstraint = defineOperation({ kind: KIND, schema: DropConstraintBody, validate, start, complete, rollback });
