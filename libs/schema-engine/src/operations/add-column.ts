import { columnIssues } from '../format/column-issues';
import { withTable } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { AddColumnBody } from './add-column.schema';
import { backfillFor, planAddColumn } from './add-column.plan';
import { defineOperation, type Action, type OperationContext, type SqlAction, type ValidationIssue } from './operation';
import { primaryKeyName, uniqueKeyName } from './postgres-names';
import { constraintNameTaken, expressionIssues, fieldPath, issue, tableOrIssue } from './shared/operation-issues';
import { unlessConstraintExists } from './shared/guarded-sql';
import { atomicSwapActions } from './shared/atomic-swap';
import { sqlAction } from './shared/sql-action';
import { createSyncTriggerActions, dropSyncTriggerActions } from './shared/sync-trigger';

const KIND = 'add_column';

function validate(op: AddColumnBody, ctx: OperationContext): ValidationIssue[] {
  const at = (field?: string) => fieldPath(ctx, KIND, field);
  const { table, issues } = tableOrIssue(ctx.model, op.table, at('table'));
  if (!table) return issues;
  const column = op.column;
  // Hidden (dropped in this version) and renamed columns still occupy their physical name.
  if (table.columns.some((existing) => existing.name === column.name || existing.physicalName === column.name)) {
    return [issue(at('column.name'), 'column_exists', `column "${column.name}" already exists in table "${op.table}"`)];
  }
  const found = [...columnIssues(column, at('column'), { model: ctx.model }), ...expressionIssues(at('up'), op.up, 'up')];
  const nullable = column.nullable === true && !column.pk;
  if (!nullable && column.default === undefined && column.generated === undefined && op.up === undefined) {
    found.push(
      issue(at('up'), 'field_required', `column "${column.name}" is NOT NULL without a default: give up (an SQL expression) to fill existing rows, a default, or nullable: true`),
    );
  }
  if (column.pk && table.primaryKey.length > 0) {
    found.push(issue(at('column.pk'), 'primary_key_exists', `table "${op.table}" already has a primary key`));
  }
  const names: Array<[string, string | undefined]> = [
    ['column.check.name', column.check?.name],
    ['column.references.name', column.references?.name],
    ['column.unique', column.unique ? uniqueKeyName(table.physicalName, column.name) : undefined],
    // An existing primary key is reported above; its index name would only repeat it.
    ['column.pk', column.pk && table.primaryKey.length === 0 ? primaryKeyName(table.physicalName) : undefined],
  ];
  for (const [field, name] of names) {
    if (name !== undefined && constraintNameTaken(table, name)) {
      found.push(issue(at(field), 'constraint_exists', `a constraint or index named "${name}" already exists on table "${op.table}"`));
    }
  }
  return found;
}

function start(op: AddColumnBody, ctx: OperationContext) {
  const plan = planAddColumn(op, ctx);
  const actions: Action[] = [
    plan.addColumn,
    ...(plan.trigger ? createSyncTriggerActions(plan.trigger) : []),
    ...plan.details,
    ...(plan.keyIndex ? [plan.keyIndex.build] : []),
    ...backfillFor(plan, op.column.name),
  ];
  return { actions, model: withTable(ctx.model, op.table, () => plan.after) };
}

function complete(op: AddColumnBody, ctx: OperationContext): Action[] {
  const plan = planAddColumn(op, ctx);
  // Completes run in file order: earlier renames of this table are physical by now.
  const table = qualified(ctx.schema, plan.table.name);
  const column = quoteIdent(op.column.name);
  // Validations scan the table: each its own transaction, first, while the trigger still fills the
  // column; then one atomic swap of catalog-only statements (see atomicSwapActions).
  const validations = [...(plan.notNullCheck ? [plan.notNullCheck] : []), ...plan.toValidate].map((name) =>
    sqlAction(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(name)}`, `validate ${name}`),
  );
  const actions: SqlAction[] = [...(plan.trigger ? dropSyncTriggerActions({ ...plan.trigger, table: plan.table.name }) : [])];
  if (plan.notNullCheck) {
    // SET NOT NULL trusts the validated check instead of scanning the table (Postgres 12+).
    actions.push(
      sqlAction(`ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`, `set ${op.column.name} NOT NULL`),
      sqlAction(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(plan.notNullCheck)}`, `drop the not-null check on ${op.column.name}`),
    );
  }
  if (plan.keyIndex) {
    actions.push(
      sqlAction(
        // Guarded so a complete resumed after a crash can re-run it.
        unlessConstraintExists(
          ctx.schema,
          plan.table.name,
          plan.keyIndex.name,
          `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(plan.keyIndex.name)} ${plan.keyIndex.kind} USING INDEX ${quoteIdent(plan.keyIndex.name)}`,
        ),
        `turn index ${plan.keyIndex.name} into a ${plan.keyIndex.kind.toLowerCase()} constraint`,
      ),
    );
  }
  return [...validations, ...atomicSwapActions(ctx.schema, plan.table.name, actions, `finish ${plan.table.name}.${op.column.name}`)];
}

function rollback(op: AddColumnBody, ctx: OperationContext): Action[] {
  const plan = planAddColumn(op, ctx);
  const table = qualified(ctx.schema, plan.table.physicalName);
  return [
    ...(plan.trigger ? dropSyncTriggerActions(plan.trigger) : []),
    ...(plan.keyIndex
      ? [sqlAction(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, plan.keyIndex.name)}`, `drop index ${plan.keyIndex.name}`, false)]
      : []),
    sqlAction(`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${quoteIdent(op.column.name)}`, `drop column ${plan.table.physicalName}.${op.column.name}`),
  ];
}

/**
 * `add_column`: the column is added without anything that could block or reject a write (NOT
 * NULL as a NOT VALID check, unique and primary key as concurrently built indexes, foreign key
 * and check NOT VALID); `up` fills existing rows (backfill) and old-version writes (trigger). The
 * previous version's views do not show the column. Complete validates and attaches; rollback
 * drops the column.
 */
export const addColumn = defineOperation({ kind: KIND, schema: AddColumnBody, validate, start, complete, rollback });
