import { qualified } from '../sql/identifiers';
import { defineOperation, type Action } from './operation';
import { CreateTableBody } from './create-table.schema';
import { createTableIssues } from './create-table-issues';
import { createdTableModel } from './create-table-model';
import { commentSql, createTableSql } from './create-table-sql';

export { CreateTableBody } from './create-table.schema';

/**
 * create_table: the table is new, so nothing old depends on it. start creates it in the physical
 * schema (only the new version schema gets a view of it); complete has nothing left to do;
 * rollback drops it.
 */
export const createTable = defineOperation({
  kind: 'create_table',
  schema: CreateTableBody,
  validate: createTableIssues,
  start(op, ctx) {
    const actions: Action[] = [
      { kind: 'sql', sql: createTableSql(op, ctx.schema, ctx.model), description: `create table ${op.name}` },
      ...commentSql(op, ctx.schema).map((sql): Action => ({ kind: 'sql', sql, description: `comment on table ${op.name}` })),
    ];
    return { actions, model: { ...ctx.model, tables: [...ctx.model.tables, createdTableModel(op, ctx.model)] } };
  },
  complete: () => [],
  rollback: (op, ctx) => [
    // IF EXISTS: rollback must also clean up after a start that failed before CREATE TABLE ran.
    { kind: 'sql', sql: `DROP TABLE IF EXISTS ${qualified(ctx.schema, op.name)}`, description: `drop table ${op.name}` },
  ],
});
