import { findTable, type ConstraintModel, type TableModel } from '../model/schema-model';
import type { OperationContext, ValidationIssue } from './operation';
import { planColumnGroup, type ColumnGroupPlan } from './shared/column-group';
import { duplicationIssues, issue, tableOrIssue } from './shared/operation-issues';

/** The constraint `name` of `table` and the logical names of its columns, or why not. */
export function constraintColumns(
  table: TableModel,
  name: string,
  path: string,
): { constraint: ConstraintModel; columns: string[] } | ValidationIssue {
  const constraint = table.constraints.find((candidate) => candidate.name === name);
  if (!constraint) return issue(path, 'constraint_not_found', `constraint "${name}" does not exist on table "${table.name}"`);
  const columns = constraint.columns.map((physical) => table.columns.find((column) => column.physicalName === physical && !column.hidden)?.name);
  if (columns.length === 0 || columns.some((column) => column === undefined)) {
    return issue(path, 'unsupported_constraint', `constraint "${name}" is not on plain visible columns of "${table.name}" and cannot be dropped this way`);
  }
  return { constraint, columns: columns as string[] };
}

/** Table, constraint and duplicability checks shared by drop_multicolumn_constraint and drop_constraint. */
export function constraintDropIssues(
  ctx: OperationContext,
  tableName: string,
  name: string,
  at: (field?: string) => string,
): { columns: string[]; issues: ValidationIssue[] } {
  const { table, issues } = tableOrIssue(ctx.model, tableName, at('table'));
  if (!table) return { columns: [], issues };
  const found = constraintColumns(table, name, at('name'));
  if ('code' in found) return { columns: [], issues: [found] };
  return { columns: found.columns, issues: duplicationIssues(ctx.model, table, found.columns, at('name'), name) };
}

/**
 * Drops a constraint without ever blocking the old version: its columns are duplicated without
 * it (old writes are copied through `up`, new writes must satisfy the old version's constraint
 * through `down`); complete drops the old columns — and the constraint with them.
 */
export function planConstraintDrop(
  ctx: OperationContext,
  tableName: string,
  name: string,
  up: Record<string, string> | undefined,
  down: Record<string, string>,
): ColumnGroupPlan {
  const table = findTable(ctx.model, tableName);
  if (!table) throw new Error(`table "${tableName}" is not in the model (validate first)`);
  const found = constraintColumns(table, name, '');
  if ('code' in found) throw new Error(found.message);
  const plan = planColumnGroup(table, ctx, { columns: found.columns, up, down, withoutConstraints: [name] });
  const after = {
    ...plan.after,
    primaryKey: found.constraint.type === 'primary_key' ? [] : plan.after.primaryKey,
    indexes: plan.after.indexes.filter((index) => index.constraint !== name),
  };
  return { ...plan, after };
}
