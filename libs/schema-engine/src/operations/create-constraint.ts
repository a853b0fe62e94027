import { deferrableSql, referencesClauseSql } from '../format/foreign-key';
import { findColumn, findTable, withTable, type ConstraintType } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { CreateConstraintBody } from './create-constraint.schema';
import { defineOperation, type Action, type OperationContext, type SqlAction, type ValidationIssue } from './operation';
import { renameColumnReferences } from './shared/column-references';
import { columnGroupCompleteActions, columnGroupRollbackActions, columnGroupStartActions, planColumnGroup, type ColumnGroupPlan } from './shared/column-group';
import {
  columnExpressionIssues,
  constraintNameTaken,
  duplicationIssues,
  expressionIssues,
  fieldPath,
  issue,
  tableOrIssue,
} from './shared/operation-issues';
import { unlessConstraintExists } from './shared/guarded-sql';
import { sqlAction } from './shared/sql-action';
import { versionVariables } from './shared/version-variables';

const KIND = 'create_constraint';

function validate(op: CreateConstraintBody, ctx: OperationContext): ValidationIssue[] {
  const at = (field?: string) => fieldPath(ctx, KIND, field);
  const { table, issues } = tableOrIssue(ctx.model, op.table, at('table'));
  if (!table) return issues;
  const found: ValidationIssue[] = [];
  op.columns.forEach((name, i) => {
    if (!findColumn(table, name)) found.push(issue(at(`columns[${i}]`), 'column_not_found', `column "${name}" does not exist in table "${op.table}"`));
  });
  if (new Set(op.columns).size !== op.columns.length) found.push(issue(at('columns'), 'duplicate_column', 'a column is listed twice'));
  if (found.length > 0) return found;
  if (constraintNameTaken(table, op.name)) {
    found.push(issue(at('name'), 'constraint_exists', `a constraint or index named "${op.name}" already exists on table "${op.table}"`));
  }
  found.push(
    ...columnExpressionIssues(at('up'), op.up, op.columns, true),
    ...columnExpressionIssues(at('down'), op.down, op.columns, true),
    ...duplicationIssues(ctx.model, table, op.columns, at('columns')),
  );
  const refuse = (field: 'check' | 'no_inherit' | 'references' | 'index_parameters' | 'nulls_not_distinct', allowed: string[]) => {
    if (op[field] !== undefined && !allowed.includes(op.type)) found.push(issue(at(field), 'field_not_allowed', `${field} is not allowed for a ${op.type} constraint`));
  };
  refuse('check', ['check']);
  refuse('no_inherit', ['check']);
  refuse('references', ['foreign_key']);
  refuse('index_parameters', ['unique', 'primary_key']);
  refuse('nulls_not_distinct', ['unique']);
  if (op.type === 'check') {
    if (op.check === undefined) found.push(issue(at('check'), 'field_required', 'check is required for a check constraint'));
    found.push(...expressionIssues(at('check'), op.check, 'check'));
  }
  if (op.type === 'primary_key' && table.primaryKey.length > 0) {
    found.push(issue(at('type'), 'primary_key_exists', `table "${op.table}" already has a primary key`));
  }
  if (op.type === 'foreign_key') {
    const references = op.references;
    if (!references) return [...found, issue(at('references'), 'field_required', 'references is required for a foreign_key constraint')];
    const target = tableOrIssue(ctx.model, references.table, at('references.table'));
    found.push(...target.issues);
    references.columns.forEach((name, i) => {
      if (target.table && !findColumn(target.table, name)) {
        found.push(issue(at(`references.columns[${i}]`), 'column_not_found', `column "${name}" does not exist in table "${references.table}"`));
      }
    });
    if (references.columns.length !== op.columns.length) {
      found.push(issue(at('references.columns'), 'column_count_mismatch', `${op.columns.length} columns reference ${references.columns.length}`));
    }
  }
  for (const [i, name] of (op.index_parameters?.include_columns ?? []).entries()) {
    if (!findColumn(table, name)) found.push(issue(at(`index_parameters.include_columns[${i}]`), 'column_not_found', `column "${name}" does not exist in table "${op.table}"`));
  }
  return found;
}

function plan(op: CreateConstraintBody, ctx: OperationContext): ColumnGroupPlan {
  const table = findTable(ctx.model, op.table);
  if (!table) throw new Error(`create_constraint: table "${op.table}" is not in the model (validate first)`);
  return planColumnGroup(table, ctx, { columns: op.columns, up: op.up, down: op.down, notNull: op.type === 'primary_key' });
}

/** Physical names of the new version's columns, by logical name. */
function physicalNames(group: ColumnGroupPlan): Map<string, string> {
  return new Map(versionVariables(group.after).map((variable) => [variable.name, variable.physicalName]));
}

/** The physical (duplicate) names of the constrained columns. */
function constrainedColumns(op: CreateConstraintBody, group: ColumnGroupPlan): string[] {
  const physical = physicalNames(group);
  return op.columns.map((name) => physical.get(name) ?? name);
}

/** What validate guarantees for the phases; a miss means validate was skipped. */
function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`create_constraint: ${what} is missing (validate first)`);
  return value;
}

/** The constraint as `pg_get_constraintdef` would print it, on the physical (duplicate) columns. */
function constraintDefinition(op: CreateConstraintBody, ctx: OperationContext, group: ColumnGroupPlan): string {
  const physical = physicalNames(group);
  const columns = constrainedColumns(op, group).map(quoteIdent).join(', ');
  switch (op.type) {
    case 'check':
      return `CHECK (${renameColumnReferences(required(op.check, 'check'), physical)})${op.no_inherit ? ' NO INHERIT' : ''}`;
    case 'foreign_key':
      return `FOREIGN KEY (${columns}) ${foreignKeyClause(op, ctx, physical)}`;
    case 'unique':
      return `UNIQUE (${columns})`;
    case 'primary_key':
      return `PRIMARY KEY (${columns})`;
  }
}

function foreignKeyClause(op: CreateConstraintBody, ctx: OperationContext, physical: Map<string, string>): string {
  const ref = required(op.references, 'references');
  const target = required(findTable(ctx.model, ref.table), `table "${ref.table}"`);
  return referencesClauseSql({
    table: qualified(ctx.schema, target.physicalName),
    columns: ref.columns.map((name) => findColumn(target, name)?.physicalName ?? name),
    onDelete: ref.on_delete,
    onDeleteSetColumns: ref.on_delete_set_columns?.map((name) => physical.get(name) ?? name),
    onUpdate: ref.on_update,
    matchType: ref.match_type,
    deferrable: op.deferrable,
    initiallyDeferred: op.initially_deferred,
  });
}

function constraintSql(op: CreateConstraintBody, ctx: OperationContext, group: ColumnGroupPlan): SqlAction | null {
  if (op.type !== 'check' && op.type !== 'foreign_key') return null;
  return sqlAction(
    `ALTER TABLE ${qualified(ctx.schema, group.table.physicalName)} ADD CONSTRAINT ${quoteIdent(op.name)} ${constraintDefinition(op, ctx, group)} NOT VALID`,
    `add ${op.type === 'check' ? 'check' : 'foreign key'} ${op.name} (NOT VALID) on the duplicated columns`,
  );
}

function uniqueIndexSql(op: CreateConstraintBody, ctx: OperationContext, group: ColumnGroupPlan): SqlAction | null {
  if (op.type !== 'unique' && op.type !== 'primary_key') return null;
  const physical = physicalNames(group);
  const parameters = op.index_parameters;
  const columns = constrainedColumns(op, group).map(quoteIdent).join(', ');
  let sql = `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(op.name)} ON ${qualified(ctx.schema, group.table.physicalName)} (${columns})`;
  if (parameters?.include_columns?.length) sql += ` INCLUDE (${parameters.include_columns.map((name) => quoteIdent(physical.get(name) ?? name)).join(', ')})`;
  if (op.nulls_not_distinct) sql += ' NULLS NOT DISTINCT';
  if (parameters?.storage_parameters) sql += ` WITH (${parameters.storage_parameters})`;
  if (parameters?.tablespace) sql += ` TABLESPACE ${quoteIdent(parameters.tablespace)}`;
  return sqlAction(sql, `build unique index ${op.name} concurrently on the duplicated columns`, false);
}

function start(op: CreateConstraintBody, ctx: OperationContext) {
  const group = plan(op, ctx);
  const constraint = constraintSql(op, ctx, group);
  const index = uniqueIndexSql(op, ctx, group);
  const columns = constrainedColumns(op, group);
  const after = {
    ...group.after,
    primaryKey: op.type === 'primary_key' ? columns : group.after.primaryKey,
    constraints: [
      ...group.after.constraints,
      { name: op.name, type: op.type as ConstraintType, columns, definition: constraintDefinition(op, ctx, group), validated: false },
    ],
  };
  return {
    actions: columnGroupStartActions(group, constraint ? [constraint] : [], index ? [index] : []),
    model: withTable(ctx.model, op.table, () => after),
  };
}

function complete(op: CreateConstraintBody, ctx: OperationContext): Action[] {
  const group = plan(op, ctx);
  // Completes run in file order: earlier renames of this table are physical by now.
  const table = qualified(ctx.schema, group.table.name);
  const validations = constraintSql(op, ctx, group)
    ? [sqlAction(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(op.name)}`, `validate ${op.name}`)]
    : [];
  const kind = op.type === 'primary_key' ? 'PRIMARY KEY' : 'UNIQUE';
  const attach = uniqueIndexSql(op, ctx, group)
    ? [
        sqlAction(
          unlessConstraintExists(
            ctx.schema,
            group.table.name,
            op.name,
            `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(op.name)} ${kind} USING INDEX ${quoteIdent(op.name)}${deferrableSql(op.deferrable, op.initially_deferred)}`,
          ),
          `turn index ${op.name} into a ${kind.toLowerCase()} constraint`,
        ),
      ]
    : [];
  return columnGroupCompleteActions(group, validations, attach);
}

function rollback(op: CreateConstraintBody, ctx: OperationContext): Action[] {
  const group = plan(op, ctx);
  const drops = uniqueIndexSql(op, ctx, group)
    ? [sqlAction(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(ctx.schema, op.name)}`, `drop index ${op.name}`, false)]
    : [];
  return columnGroupRollbackActions(group, drops);
}

/**
 * `create_constraint`: the constrained columns are duplicated (kept in sync by per-column
 * `up`/`down`), the constraint goes on the duplicates — NOT VALID, or as a concurrently built
 * unique index — so the old version never hits it; complete validates it and swaps the columns.
 */
export const createConstraint = defineOperation({ kind: KIND, schema: CreateConstraintBody, validate, start, complete, rollback });
