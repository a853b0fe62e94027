import type { ColumnModel, TableModel } from '../model/schema-model';

/** A column the backfill orders by, with the type its text form is cast back to. */
export interface KeyColumn {
  name: string;
  type: string;
}

/**
 * How a table's rows are walked. `keyset` pages on the primary key (or a unique NOT NULL
 * column set) with row-value comparison; `ctid` pages on physical block ranges for tables with
 * neither — see `ctidBatchSql` for that trade-off.
 */
export type BackfillKey =
  | { kind: 'keyset'; columns: KeyColumn[]; touch: string }
  | { kind: 'ctid'; touch: string };

function physicalColumn(table: TableModel, physicalName: string): ColumnModel | undefined {
  return table.columns.find((column) => column.physicalName === physicalName);
}

/** Unique, NOT NULL, plain-column (no expression, no predicate) index keys: usable as a keyset. */
function uniqueNotNullKeys(table: TableModel): string[][] {
  return table.indexes
    .filter((index) => index.unique && index.valid && !/\bWHERE\b/i.test(index.definition))
    .map((index) => index.columns)
    .filter((columns): columns is string[] => columns.every((name) => name !== null))
    .filter((columns) => columns.every((name) => physicalColumn(table, name)?.nullable === false))
    .sort((a, b) => a.length - b.length);
}

/**
 * The column the batch UPDATE assigns to itself to fire the row triggers: a key column when it may
 * be assigned (not GENERATED ALWAYS, not a generated column), else any assignable column.
 * Assigning a value to itself changes no key, so the row lock is FOR NO KEY UPDATE.
 */
function touchColumn(table: TableModel, preferred: string[]): string {
  const assignable = (column: ColumnModel | undefined) => column !== undefined && column.identity !== 'a' && column.generated === null;
  const key = preferred.find((name) => assignable(physicalColumn(table, name)));
  if (key) return key;
  const any = table.columns.find((column) => assignable(column));
  if (!any) throw new Error(`table "${table.physicalName}" has no column a backfill can assign`);
  return any.physicalName;
}

export function backfillKeyFor(table: TableModel): BackfillKey {
  const keyNames = table.primaryKey.length > 0 ? table.primaryKey : uniqueNotNullKeys(table)[0];
  if (!keyNames) return { kind: 'ctid', touch: touchColumn(table, []) };
  const columns = keyNames.map((name) => {
    const column = physicalColumn(table, name);
    if (!column) throw new Error(`key column "${name}" is not in table "${table.physicalName}"`);
    return { name, type: column.type };
  });
  return { kind: 'keyset', columns, touch: touchColumn(table, keyNames) };
}
