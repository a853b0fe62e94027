import { findColumn, withTable } from '../model/schema-model';
import { qualified, quoteIdent, quoteLiteral } from '../sql/identifiers';
import { AlterColumnBody } from './alter-column.schema';
import { isCommentOnly, planAlterColumn, typeChanges } from './alter-column.plan';
import { defineOperation, type Action, type OperationContext, type ValidationIssue } from './operation';
import { addDuplicateColumnsActions, duplicateColumnDetailsActions, duplicateIndexesActions } from './shared/column-duplicate';
import { dropDuplicatesActions, promoteDuplicatesActions, validateDuplicatesActions } from './shared/duplicate-swap';
import {
  constraintNameTaken,
  duplicationIssues,
  expressionIssues,
  fieldPath,
  issue,
  tableOrIssue,
  typeIssues,
} from './shared/operation-issues';
import { unlessConstraintExists } from './shared/guarded-sql';
import { atomicSwapActions } from './shared/atomic-swap';
import { sqlAction } from './shared/sql-action';
import { backfillCompute, createSyncTriggerActions, dropSyncTriggerActions } from './shared/sync-trigger';

const KIND = 'alter_column';

function validate(op: AlterColumnBody, ctx: OperationContext): ValidationIssue[] {
  const at = (field?: string) => fieldPath(ctx, KIND, field);
  const { table, issues } = tableOrIssue(ctx.model, op.table, at('table'));
  if (!table) return issues;
  const column = findColumn(table, op.column);
  if (!column) return [issue(at('column'), 'column_not_found', `column "${op.column}" does not exist in table "${op.table}"`)];
  const changes = ['type', 'nullable', 'default', 'comment', 'unique', 'check', 'references'] as const;
  if (!changes.some((field) => op[field] !== undefined)) {
    return [issue(at(), 'no_changes', `alter_column on "${op.table}"."${op.column}" changes nothing: give at least one of ${changes.join(', ')}`)];
  }
  const found: ValidationIssue[] = [
    ...typeIssues(at('type'), op.type),
    ...expressionIssues(at('default'), op.default, 'default'),
    ...expressionIssues(at('check.constraint'), op.check?.constraint, 'check'),
    ...expressionIssues(at('up'), op.up, 'up'),
    ...expressionIssues(at('down'), op.down, 'down'),
  ];
  if (isCommentOnly(op)) return found;
  found.push(...duplicationIssues(ctx.model, table, [op.column], at('column')));
  if (typeChanges(op, column)) {
    // Old and new values differ in kind: only the author knows how to translate them each way.
    if (op.up === undefined) found.push(issue(at('up'), 'field_required', 'up is required when the type changes: an SQL expression computing the new value from the old columns'));
    if (op.down === undefined) found.push(issue(at('down'), 'field_required', 'down is required when the type changes: an SQL expression computing the old value from the new columns'));
  }
  if (op.nullable === false && column.nullable && op.up === undefined) {
    found.push(issue(at('up'), 'field_required', 'up is required when making a column NOT NULL: say what existing and old-version NULLs become (e.g. COALESCE(col, 0))'));
  }
  if (op.check && op.up === undefined) {
    found.push(issue(at('up'), 'field_required', 'up is required when adding a check: say how old values that fail it are rewritten'));
  }
  for (const [field, name] of [['unique.name', op.unique?.name], ['check.name', op.check?.name], ['references.name', op.references?.name]] as const) {
    if (name !== undefined && constraintNameTaken(table, name)) {
      found.push(issue(at(field), 'constraint_exists', `a constraint or index named "${name}" already exists on table "${op.table}"`));
    }
  }
  if (op.references) {
    const target = tableOrIssue(ctx.model, op.references.table, at('references.table'));
    found.push(...target.issues);
    if (target.table && !findColumn(target.table, op.references.column)) {
      found.push(issue(at('references.column'), 'column_not_found', `column "${op.references.column}" does not exist in table "${op.references.table}"`));
    }
  }
  return found;
}

function start(op: AlterColumnBody, ctx: OperationContext) {
  const plan = planAlterColumn(op, ctx);
  const model = withTable(ctx.model, op.table, () => plan.after);
  if (!plan.group || !plan.trigger) {
    return { actions: [commentAction(ctx, plan.table.physicalName, plan.column.physicalName, op.comment ?? null)], model };
  }
  const actions: Action[] = [
    ...addDuplicateColumnsActions(plan.group),
    ...createSyncTriggerActions(plan.trigger),
    ...duplicateColumnDetailsActions(plan.group),
    ...plan.addedConstraints.map((added) => sqlAction(added.sql, `add constraint ${added.name} (NOT VALID) on the new ${op.column}`)),
    ...duplicateIndexesActions(plan.group),
    ...(plan.uniqueIndex ? [sqlAction(plan.uniqueIndex.sql, `build unique index ${plan.uniqueIndex.name} concurrently`, false)] : []),
    {
      kind: 'backfill',
      table: plan.table.physicalName,
      description: `backfill ${plan.table.physicalName}.${plan.group.columns[0].duplicate} with up`,
      compute: backfillCompute(plan.trigger, plan.table),
    },
  ];
  return { actions, model };
}

function complete(op: AlterColumnBody, ctx: OperationContext): Action[] {
  const plan = planAlterColumn(op, ctx);
  if (!plan.group || !plan.trigger) return [];
  // Completes run in file order: earlier renames of this migration are physical by now, so the
  // table carries the name this operation saw.
  const table = qualified(ctx.schema, plan.table.name);
  // Validations scan the table: they run first, each in its own transaction, while the trigger
  // still fills the duplicate; the swap after them only touches the catalog.
  const swap = [
    ...dropSyncTriggerActions({ ...plan.trigger, table: plan.table.name }),
    ...promoteDuplicatesActions(plan.group),
    ...(plan.uniqueIndex
      ? [
          sqlAction(
            unlessConstraintExists(
              ctx.schema,
              plan.table.name,
              plan.uniqueIndex.name,
              `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(plan.uniqueIndex.name)} UNIQUE USING INDEX ${quoteIdent(plan.uniqueIndex.name)}`,
            ),
            `turn index ${plan.uniqueIndex.name} into a unique constraint`,
          ),
        ]
      : []),
  ];
  return [
    ...validateDuplicatesActions(plan.group),
    ...plan.addedConstraints.map((added) =>
      sqlAction(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(added.name)}`, `validate constraint ${added.name}`),
    ),
    ...atomicSwapActions(ctx.schema, plan.table.name, swap, `swap ${plan.table.name}.${op.column}`),
  ];
}

function rollback(op: AlterColumnBody, ctx: OperationContext): Action[] {
  const plan = planAlterColumn(op, ctx);
  if (!plan.group || !plan.trigger) {
    return [commentAction(ctx, plan.table.physicalName, plan.column.physicalName, plan.column.comment)];
  }
  return [
    ...dropSyncTriggerActions(plan.trigger),
    ...(plan.uniqueIndex
      ? [sqlAction(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, plan.uniqueIndex.name)}`, `drop index ${plan.uniqueIndex.name}`, false)]
      : []),
    ...dropDuplicatesActions(plan.group),
  ];
}

function commentAction(ctx: OperationContext, table: string, column: string, comment: string | null) {
  return sqlAction(
    `COMMENT ON COLUMN ${qualified(ctx.schema, table)}.${quoteIdent(column)} IS ${comment === null ? 'NULL' : quoteLiteral(comment)}`,
    `${comment === null ? 'clear' : 'set'} comment on ${table}.${column}`,
  );
}

/**
 * `alter_column`: the changed column gets a physical duplicate (`_bascule_new_<col>`) with the
 * new shape; sync triggers translate writes both ways (`up`, `down`) and a backfill fills existing
 * rows. Complete drops the old column and renames the duplicate into its place; rollback drops
 * the duplicate. A comment-only change is applied in place and restored on rollback.
 */
export const alterColumn = defineOperation({ kind: KIND, schema: AlterColumnBody, validate, start, complete, rollback });
