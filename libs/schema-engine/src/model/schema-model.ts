/**
 * The schema as one application version sees it. Introspection builds it from the live database
 * (logical names equal physical names); each operation's `start` returns an updated copy that
 * describes the new version (a renamed column keeps its physical name under a new logical one; a
 * dropped column is hidden; an altered column points at its duplicate). The new version schema's
 * views are generated from the final model of a migration.
 */
export interface ColumnModel {
  /** Name as the application version sees it (the view column name). */
  name: string;
  /** Column of the physical table this maps to. */
  physicalName: string;
  /** `format_type(atttypid, atttypmod)`, e.g. `integer`, `character varying(20)`, `text[]`. */
  type: string;
  nullable: boolean;
  /** SQL expression text of the default (`pg_get_expr`), or null. */
  default: string | null;
  comment: string | null;
  /** `a` (always) / `d` (by default) for identity columns, null otherwise. */
  identity: 'a' | 'd' | null;
  /** Generation expression of a stored generated column, null otherwise. */
  generated: string | null;
  /** Hidden from the version this model describes (dropped in it), still physically present. */
  hidden?: boolean;
}

export type ConstraintType = 'primary_key' | 'unique' | 'check' | 'foreign_key' | 'exclude';

export interface ConstraintModel {
  name: string;
  type: ConstraintType;
  /** Physical column names, in constraint order (empty for table-level checks on expressions). */
  columns: string[];
  /** `pg_get_constraintdef(oid)`. */
  definition: string;
  validated: boolean;
  /** For foreign keys: referenced table (physical) and columns. */
  references?: { schema: string; table: string; columns: string[] };
}

export interface IndexModel {
  name: string;
  /** Physical column names (expression columns appear as null). */
  columns: Array<string | null>;
  unique: boolean;
  /** `pg_get_indexdef(oid)`. */
  definition: string;
  /** The constraint this index backs, if any. */
  constraint: string | null;
  valid: boolean;
}

export interface TableModel {
  /** Name as the application version sees it (the view name). */
  name: string;
  physicalName: string;
  columns: ColumnModel[];
  /** Physical column names of the primary key, in order; empty when the table has none. */
  primaryKey: string[];
  constraints: ConstraintModel[];
  indexes: IndexModel[];
  comment: string | null;
  /** `d` default, `n` nothing, `f` full, `i` index. */
  replicaIdentity: 'd' | 'n' | 'f' | 'i';
  /** `reltuples` estimate, for planning and progress (may be -1 before the first ANALYZE). */
  rowEstimate: number;
  hidden?: boolean;
}

export interface SchemaModel {
  /** The physical schema, e.g. `public`. */
  schema: string;
  tables: TableModel[];
}

export function findTable(model: SchemaModel, name: string): TableModel | undefined {
  return model.tables.find((table) => table.name === name && !table.hidden);
}

export function findColumn(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((column) => column.name === name && !column.hidden);
}

/** Returns a copy of the model with one table replaced (by logical name) through `change`. */
export function withTable(model: SchemaModel, name: string, change: (table: TableModel) => TableModel): SchemaModel {
  let found = false;
  const tables = model.tables.map((table) => {
    if (table.name !== name || table.hidden) return table;
    found = true;
    return change(table);
  });
  if (!found) throw new Error(`table "${name}" is not in the model of schema "${model.schema}"`);
  return { ...model, tables };
}

/** Returns a copy of the table with one column replaced (by logical name) through `change`. */
export function withColumn(table: TableModel, name: string, change: (column: ColumnModel) => ColumnModel): TableModel {
  let found = false;
  const columns = table.columns.map((column) => {
    if (column.name !== name || column.hidden) return column;
    found = true;
    return change(column);
  });
  if (!found) throw new Error(`column "${name}" is not in table "${table.name}"`);
  return { ...table, columns };
}
