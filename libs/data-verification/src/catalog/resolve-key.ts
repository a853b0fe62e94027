import { ColumnNotFoundError } from '../errors/column-not-found.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { KeyNotUsableError } from '../errors/key-not-usable.error';
import { columnByName, type TableShape } from './table-shape';

/** The columns that name a row, in comparison order, with the types their text is cast back to. */
export interface RowKey {
  columns: string[];
  types: string[];
  /**
   * Each column's non-default collation (null = database default). Key text cast back for a
   * comparison carries it, so bounds order exactly as the column's index does.
   */
  collations: Array<string | null>;
  source: 'primary-key' | 'given';
}

/**
 * The primary key, or the given columns if they can identify rows: every one NOT NULL (a NULL
 * key falls outside every key range and would be silently skipped) and some unique index
 * covering a subset of them (then the whole list is unique too). Null when there is no key.
 */
export function resolveKey(shape: TableShape, keyColumns?: readonly string[]): RowKey | null {
  if (keyColumns === undefined) {
    if (!shape.primaryKey) return null;
    return { columns: shape.primaryKey, ...typesOf(shape, shape.primaryKey), source: 'primary-key' };
  }
  if (keyColumns.length === 0) {
    throw new InvalidOptionError('keyColumns', 'name at least one column, or omit it to use the primary key');
  }
  if (new Set(keyColumns).size !== keyColumns.length) throw new InvalidOptionError('keyColumns', 'a column is named twice');
  const missing = keyColumns.filter((name) => !columnByName(shape, name));
  if (missing.length > 0) throw new ColumnNotFoundError(shape.relation, missing, 'keyColumns');
  const nullable = keyColumns.filter((name) => !columnByName(shape, name)?.notNull);
  if (nullable.length > 0) {
    throw new KeyNotUsableError(shape.relation, [...keyColumns], `${nullable.map((c) => `"${c}"`).join(', ')} may be NULL`);
  }
  const given = new Set(keyColumns);
  if (!shape.uniqueKeys.some((unique) => unique.every((name) => given.has(name)))) {
    throw new KeyNotUsableError(shape.relation, [...keyColumns], 'no unique index covers these columns');
  }
  return { columns: [...keyColumns], ...typesOf(shape, keyColumns), source: 'given' };
}

export function typesOf(shape: TableShape, names: readonly string[]): Pick<RowKey, 'types' | 'collations'> {
  const columns = names.map((name) => columnByName(shape, name));
  return {
    types: columns.map((column) => column?.type as string),
    collations: columns.map((column) => column?.collation ?? null),
  };
}

/** The compared columns: the given list (its order is the canonical order) or all columns in attnum order. */
export function resolveColumns(shape: TableShape, columns?: readonly string[]): string[] {
  if (columns === undefined) return shape.columns.map((column) => column.name);
  if (columns.length === 0) throw new InvalidOptionError('columns', 'name at least one column, or omit it to compare all');
  if (new Set(columns).size !== columns.length) throw new InvalidOptionError('columns', 'a column is named twice');
  const missing = columns.filter((name) => !columnByName(shape, name));
  if (missing.length > 0) throw new ColumnNotFoundError(shape.relation, missing, 'columns');
  return [...columns];
}
