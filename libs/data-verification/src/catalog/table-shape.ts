/** What the verifier needs to know about a table, read from the catalog. */
export interface TableShape {
  schema: string;
  table: string;
  /** `"schema"."table"`, quoted, ready for SQL text. */
  relation: string;
  /** In attnum order. `type` is format_type() output, used to cast key text back to the key type. */
  columns: ColumnShape[];
  primaryKey: string[] | null;
  /** Key columns of every unique, non-partial, non-expression index (the primary key included). */
  uniqueKeys: string[][];
}

export interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  /** Qualified, quoted collation name when it is not the database default, else null. */
  collation: string | null;
}

export function columnByName(shape: TableShape, name: string): ColumnShape | undefined {
  return shape.columns.find((column) => column.name === name);
}
