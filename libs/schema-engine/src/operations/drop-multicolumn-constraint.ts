import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { withTable } from '../model/schema-model';
import { ColumnExpressions } from './create-constraint.schema';
import { constraintDropIssues, planConstraintDrop } from './drop-multicolumn-constraint.plan';
import { defineOperation, type Action, type OperationContext, type ValidationIssue } from './operation';
import { columnGroupCompleteActions, columnGroupRollbackActions, columnGroupStartActions } from './shared/column-group';
import { columnExpressionIssues, fieldPath } from './shared/operation-issues';

const KIND = 'drop_multicolumn_constraint';

/** pgroll `OpDropMultiColumnConstraint`: `down` per column is required, `up` per column optional (copy). */
export const DropMulticolumnConstraintBody = z.strictObject({
  table: Identifier,
  name: Identifier,
  up: ColumnExpressions.optional(),
  down: ColumnExpressions,
});
export type DropMulticolumnConstraintBody = z.infer<typeof DropMulticolumnConstraintBody>;

function validate(op: DropMulticolumnConstraintBody, ctx: OperationContext): ValidationIssue[] {
  const at = (field?: string) => fieldPath(ctx, KIND, field);
  const { columns, issues } = constraintDropIssues(ctx, op.table, op.name, at);
  if (columns.length === 0) return issues;
  return [...issues, ...columnExpressionIssues(at('up'), op.up, columns, false), ...columnExpressionIssues(at('down'), op.down, columns, true)];
}

function start(op: DropMulticolumnConstraintBody, ctx: OperationContext) {
  const plan = planConstraintDrop(ctx, op.table, op.name, op.up, op.down);
  return { actions: columnGroupStartActions(plan), model: withTable(ctx.model, op.table, () => plan.after) };
}

function complete(op: DropMulticolumnConstraintBody, ctx: OperationContext): Action[] {
  return columnGroupCompleteActions(planConstraintDrop(ctx, op.table, op.name, op.up, op.down));
}

function rollback(op: DropMulticolumnConstraintBody, ctx: OperationContext): Action[] {
  return columnGroupRollbackActions(planConstraintDrop(ctx, op.table, op.name, op.up, op.down));
}

/** `drop_multicolumn_constraint`: see `planConstraintDrop`. */
export const dropMulticolumnConstraint = defineOperation({
  kind: KIND,
  schema: DropMulticolumnConstraintBody,
  validate,
  start,
  complete,
  rollback,
});
