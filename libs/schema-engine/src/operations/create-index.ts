import { findColumn, findTable, withTable, type TableModel } from '../model/schema-model';
import { singleStatementProblem, sqlExpressionProblem } from '../format/sql-parser';
import { isIssue, lookupColumn, lookupTable } from './model-lookup';
import { defineOperation, type ValidationIssue } from './operation';
import { CreateIndexBody } from './create-index.schema';
import { createIndexSql, dropIndexConcurrentlySql } from './create-index-sql';
import { relationNameTaken } from './relation-names';

export { CreateIndexBody } from './create-index.schema';

/** Postgres builds UNIQUE and ordered (ASC/DESC, NULLS) indexes with btree only. */
function methodIssues(op: CreateIndexBody, path: string): ValidationIssue[] {
  const method = op.method ?? 'btree';
  if (method === 'btree') return [];
  const issues: ValidationIssue[] = [];
  if (op.unique) issues.push({ path: `${path}.unique`, code: 'unsupported_option', message: `a ${method} index cannot be unique (only btree supports UNIQUE)` });
  op.columns.forEach((field, i) => {
    if (field.sort || field.nulls) {
      issues.push({ path: `${path}.columns[${i}]`, code: 'unsupported_option', message: `a ${method} index has no sort order: remove sort/nulls from column "${field.column}"` });
    }
  });
  return issues;
}

/**
 * create_index: start builds the index concurrently on the physical table (versions do not see
 * indexes, so the model only records it); complete has nothing to do; rollback drops it
 * concurrently.
 */
export const createIndex = defineOperation({
  kind: 'create_index',
  schema: CreateIndexBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].create_index`;
    const table = lookupTable(ctx.model, op.table, `${path}.table`);
    if (isIssue(table)) return [table];
    const issues: ValidationIssue[] = [];
    const taken = relationNameTaken(ctx.model, op.name);
    if (taken) issues.push({ path: `${path}.name`, code: taken === 'index' ? 'index_exists' : 'relation_exists', message: `a ${taken} named "${op.name}" already exists in schema "${ctx.schema}"` });
    op.columns.forEach((field, i) => {
      const column = lookupColumn(table, field.column, `${path}.columns[${i}]`);
      if (isIssue(column)) issues.push(column);
    });
    if (op.predicate !== undefined) {
      const problem = sqlExpressionProblem(op.predicate);
      if (problem) issues.push({ path: `${path}.predicate`, code: 'invalid_expression', message: `predicate ${problem}` });
    }
    issues.push(...methodIssues(op, path));
    if (issues.length === 0) {
      // Last guard over storage parameters and opclass parameters: one CREATE INDEX, nothing else.
      const problem = singleStatementProblem(createIndexSql(op, ctx.schema, table), 'IndexStmt');
      if (problem) issues.push({ path, code: 'invalid_sql', message: `the CREATE INDEX built from this operation ${problem}` });
    }
    return issues;
  },
  start(op, ctx) {
    // Validation made sure the table exists; withTable throws otherwise.
    const table = findTable(ctx.model, op.table) as TableModel;
    const columns = op.columns.map((field) => findColumn(table, field.column)?.physicalName ?? field.column);
    const definition = createIndexSql(op, ctx.schema, table).replace(' CONCURRENTLY IF NOT EXISTS', '');
    const index = { name: op.name, columns, unique: op.unique ?? false, definition, constraint: null, valid: true };
    const model = withTable(ctx.model, op.table, (current) => ({ ...current, indexes: [...current.indexes, index] }));
    return {
      actions: [
        // A crashed or timed-out concurrent build leaves an INVALID index under this name, which
        // IF NOT EXISTS would then accept as done: drop any leftover first (validation made sure
        // the name was free before the migration).
        { kind: 'sql', sql: dropIndexConcurrentlySql(ctx.schema, op.name), description: `drop leftover index ${op.name}`, transactional: false },
        { kind: 'sql', sql: createIndexSql(op, ctx.schema, table), description: `create index ${op.name} on ${op.table}`, transactional: false },
      ],
      model,
    };
  },
  complete: () => [],
  rollback: (op, ctx) => [{ kind: 'sql', sql: dropIndexConcurrentlySql(ctx.schema, op.name), description: `drop index ${op.name}`, transactional: false }],
});
