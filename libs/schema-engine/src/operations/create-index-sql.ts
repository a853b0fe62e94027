import { findColumn, type TableModel } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import type { CreateIndexBody, IndexField } from './create-index.schema';
import { renameColumnReferences } from './shared/column-references';

function qualifiedName(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}

function elementSql(field: IndexField, table: TableModel): string {
  const physical = findColumn(table, field.column)?.physicalName ?? field.column;
  let sql = quoteIdent(physical);
  if (field.collate) sql += ` COLLATE ${quoteIdent(field.collate)}`;
  if (field.opclass) {
    const opclass = typeof field.opclass === 'string' ? { name: field.opclass } : field.opclass;
    sql += ` ${qualifiedName(opclass.name)}`;
    if (opclass.params?.length) sql += ` (${opclass.params.join(', ')})`;
  }
  if (field.sort) sql += ` ${field.sort}`;
  if (field.nulls) sql += ` NULLS ${field.nulls}`;
  return sql;
}

/**
 * The predicate names columns as the new version sees them; the index is built on the physical
 * table, where a column renamed earlier in this migration still has its old name.
 */
function physicalPredicate(predicate: string, table: TableModel): string {
  const renames = new Map<string, string>();
  for (const column of table.columns) {
    if (!column.hidden && column.name !== column.physicalName) renames.set(column.name, column.physicalName);
  }
  return renames.size === 0 ? predicate : renameColumnReferences(predicate, renames);
}

/**
 * `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS …`: CONCURRENTLY takes only a SHARE UPDATE
 * EXCLUSIVE lock, so writes go on while the index builds; IF NOT EXISTS makes a repeated run
 * (retry, resumed start) a no-op.
 */
export function createIndexSql(op: CreateIndexBody, schema: string, table: TableModel): string {
  const elements = op.columns.map((field) => elementSql(field, table)).join(', ');
  let sql = `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(op.name)} ON ${qualified(schema, table.physicalName)}`;
  sql += ` USING ${op.method ?? 'btree'} (${elements})`;
  if (op.storage_parameters) sql += ` WITH (${op.storage_parameters})`;
  if (op.predicate) sql += ` WHERE (${physicalPredicate(op.predicate, table)})`;
  return sql;
}

export function dropIndexConcurrentlySql(schema: string, name: string): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)}`;
}
