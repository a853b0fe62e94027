import { columnIssues } from '../format/column-issues';
import type { Constraint } from '../format/constraint';
import { singleStatementProblem, sqlExpressionProblem } from '../format/sql-parser';
import { findColumn, findTable } from '../model/schema-model';
import type { OperationContext, ValidationIssue } from './operation';
import type { CreateTableBody } from './create-table.schema';
import { createTableSql } from './create-table-sql';
import { tableKeys } from './create-table-keys';
import { relationNameTaken } from './relation-names';

/** Everything create_table must satisfy against the model before CREATE TABLE runs. */
export function createTableIssues(op: CreateTableBody, ctx: OperationContext): ValidationIssue[] {
  const path = `operations[${ctx.index}].create_table`;
  const issues: ValidationIssue[] = [];
  const taken = relationNameTaken(ctx.model, op.name);
  if (taken) {
    issues.push({ path: `${path}.name`, code: taken === 'table' ? 'table_exists' : 'relation_exists', message: `a ${taken} named "${op.name}" already exists in schema "${ctx.schema}"` });
  }
  const columnNames = op.columns.map((column) => column.name);
  op.columns.forEach((column, i) => {
    if (columnNames.indexOf(column.name) !== i) {
      issues.push({ path: `${path}.columns[${i}].name`, code: 'duplicate_column', message: `column "${column.name}" is declared twice` });
    }
    issues.push(...columnIssues(column, `${path}.columns[${i}]`, { model: ctx.model, newTable: { name: op.name, columns: columnNames } }));
  });
  const hasPkColumn = op.columns.some((column) => column.pk);
  (op.constraints ?? []).forEach((constraint, i) => {
    const at = `${path}.constraints[${i}]`;
    if (constraint.type === 'primary_key' && hasPkColumn) {
      issues.push({ path: `${at}.type`, code: 'duplicate_primary_key', message: 'the table already has a primary key from its "pk" columns' });
    }
    issues.push(...constraintIssues(constraint, at, op, ctx));
  });
  issues.push(...nameCollisions(op, path, ctx));
  if (issues.length === 0) {
    // Last guard: the statement we will run is exactly one CREATE TABLE, whatever the fragments hold.
    const problem = singleStatementProblem(createTableSql(op, ctx.schema, ctx.model), 'CreateStmt');
    if (problem) issues.push({ path, code: 'invalid_sql', message: `the CREATE TABLE built from this operation ${problem}` });
  }
  return issues;
}

function constraintIssues(constraint: Constraint, at: string, op: CreateTableBody, ctx: OperationContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const own = new Set(op.columns.map((column) => column.name));
  const requireOwn = (names: string[] | undefined, field: string) =>
    (names ?? []).forEach((name, j) => {
      if (!own.has(name)) issues.push({ path: `${at}.${field}[${j}]`, code: 'column_not_found', message: `column "${name}" is not a column of table "${op.name}"` });
    });
  requireOwn(constraint.columns, 'columns');
  requireOwn(constraint.index_parameters?.include_columns, 'index_parameters.include_columns');
  requireOwn(constraint.references?.on_delete_set_columns, 'references.on_delete_set_columns');
  if (constraint.check !== undefined) {
    const problem = sqlExpressionProblem(constraint.check);
    if (problem) issues.push({ path: `${at}.check`, code: 'invalid_expression', message: `constraint "${constraint.name}": check ${problem}` });
  }
  if (constraint.exclude?.predicate !== undefined) {
    const problem = sqlExpressionProblem(constraint.exclude.predicate);
    if (problem) issues.push({ path: `${at}.exclude.predicate`, code: 'invalid_expression', message: `constraint "${constraint.name}": predicate ${problem}` });
  }
  const ref = constraint.references;
  if (ref && ref.table !== op.name) {
    const table = findTable(ctx.model, ref.table);
    if (!table) {
      issues.push({ path: `${at}.references.table`, code: 'table_not_found', message: `table "${ref.table}" referenced by constraint "${constraint.name}" does not exist` });
    } else {
      ref.columns.forEach((name, j) => {
        if (!findColumn(table, name)) issues.push({ path: `${at}.references.columns[${j}]`, code: 'column_not_found', message: `column "${name}" is not in table "${ref.table}"` });
      });
    }
  } else if (ref) {
    requireOwn(ref.columns, 'references.columns');
  }
  return issues;
}

/**
 * Constraint names of one table must differ; names of index-backed constraints (primary key,
 * unique, exclude) are also index names, which share the schema-wide namespace of relations.
 */
function nameCollisions(op: CreateTableBody, path: string, ctx: OperationContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, string>();
  const claim = (name: string, where: string, indexBacked: boolean) => {
    const previous = seen.get(name);
    if (previous) {
      issues.push({ path: where, code: 'duplicate_constraint', message: `constraint name "${name}" is also used at ${previous}` });
      return;
    }
    seen.set(name, where);
    if (name === op.name || (indexBacked && relationNameTaken(ctx.model, name))) {
      issues.push({ path: where, code: 'relation_exists', message: `"${name}" is already the name of a table or index in schema "${ctx.schema}"` });
    }
  };
  for (const key of tableKeys(op)) claim(key.name, `${path}.${key.declaredAt[0]}`, true);
  op.columns.forEach((column, i) => {
    if (column.check) claim(column.check.name, `${path}.columns[${i}].check.name`, false);
    if (column.references) claim(column.references.name, `${path}.columns[${i}].references.name`, false);
  });
  (op.constraints ?? []).forEach((constraint, i) => {
    if (constraint.type === 'unique' || constraint.type === 'primary_key') return;
    claim(constraint.name, `${path}.constraints[${i}].name`, constraint.type === 'exclude');
  });
  return issues;
}
