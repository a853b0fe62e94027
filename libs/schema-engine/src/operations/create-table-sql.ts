import type { SchemaModel } from '../model/schema-model';
import { findColumn, findTable } from '../model/schema-model';
import { columnDefinitionSql, type ColumnSqlOptions } from '../format/column';
import { constraintDefinitionSql } from '../format/constraint';
import { qualified, quoteIdent, quoteLiteral } from '../sql/identifiers';
import type { CreateTableBody } from './create-table.schema';

/**
 * Foreign keys name tables and columns as the new version sees them; the SQL needs the physical
 * names (a table renamed earlier in the same migration is still physically under its old name).
 * A reference to the table being created resolves to itself.
 */
export function physicalNames(model: SchemaModel): Required<Pick<ColumnSqlOptions, 'physicalTable' | 'physicalColumn'>> {
  return {
    physicalTable: (table) => findTable(model, table)?.physicalName ?? table,
    physicalColumn: (table, column) => {
      const found = findTable(model, table);
      return (found && findColumn(found, column)?.physicalName) ?? column;
    },
  };
}

/** `CREATE TABLE` with every column, one table-level PRIMARY KEY over the `pk` columns, then the constraints. */
export function createTableSql(op: CreateTableBody, schema: string, model: SchemaModel): string {
  const names = physicalNames(model);
  const parts = op.columns.map((column) => columnDefinitionSql(column, schema, names));
  const primaryKey = op.columns.filter((column) => column.pk).map((column) => quoteIdent(column.name));
  if (primaryKey.length > 0) parts.push(`PRIMARY KEY (${primaryKey.join(', ')})`);
  for (const constraint of op.constraints ?? []) parts.push(constraintDefinitionSql(constraint, schema, names));
  return `CREATE TABLE ${qualified(schema, op.name)} (${parts.join(', ')})`;
}

/** `COMMENT ON` statements for the table and its columns, in file order. */
export function commentSql(op: CreateTableBody, schema: string): string[] {
  const table = qualified(schema, op.name);
  const statements: string[] = [];
  if (op.comment !== undefined) statements.push(`COMMENT ON TABLE ${table} IS ${quoteLiteral(op.comment)}`);
  for (const column of op.columns) {
    if (column.comment !== undefined) {
      statements.push(`COMMENT ON COLUMN ${table}.${quoteIdent(column.name)} IS ${quoteLiteral(column.comment)}`);
    }
  }
  return statements;
}
