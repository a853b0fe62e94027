import { findColumn, findTable, type ColumnModel, type SchemaModel, type TableModel } from '../model/schema-model';
import type { ValidationIssue } from './operation';

/** The visible table `name`, or the `table_not_found` issue to report at `path`. */
export function lookupTable(model: SchemaModel, name: string, path: string): TableModel | ValidationIssue {
  return findTable(model, name) ?? { path, code: 'table_not_found', message: `table "${name}" does not exist in schema "${model.schema}"` };
}

/** The visible column `name` of `table`, or the `column_not_found` issue to report at `path`. */
export function lookupColumn(table: TableModel, name: string, path: string): ColumnModel | ValidationIssue {
  return findColumn(table, name) ?? { path, code: 'column_not_found', message: `column "${name}" does not exist in table "${table.name}"` };
}

export function isIssue(value: object): value is ValidationIssue {
  return 'code' in value && 'path' in value && 'message' in value;
}
