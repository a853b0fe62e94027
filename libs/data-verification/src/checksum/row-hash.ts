import { quoteIdent } from '../sql/sql-identifiers';

/**
 * How one row becomes a 64-bit number. Both are computed in Postgres, per row, from the canonical
 * row text:
 * - `md5`: the first 16 hex digits of md5(text) as a bigint — a cryptographic hash, so an edit
 *   cannot be crafted to collide; costs more CPU per row.
 * - `hashtextextended`: Postgres' own 64-bit text hash (the one hash partitioning relies on being
 *   stable across versions); faster, but not collision-resistant against a deliberate edit.
 */
export type RowHashAlgorithm = 'md5' | 'hashtextextended';

export const ROW_HASH_ALGORITHMS: readonly RowHashAlgorithm[] = ['md5', 'hashtextextended'];

/**
 * The canonical text of a row: the record text of the compared columns in the given order, so it
 * depends on the logical column list, not on the table's physical column order. Record output
 * keeps NULL (empty) apart from '' (`""`). Value text depends on DateStyle, TimeZone and friends,
 * which every verification transaction pins.
 */
export function canonicalRowText(columns: readonly string[]): string {
  return `ROW(${columns.map(quoteIdent).join(', ')})::text`;
}

/** An SQL expression giving the row's 64-bit hash as a bigint. */
export function rowHashSql(columns: readonly string[], algorithm: RowHashAlgorithm): string {
  const text = canonicalRowText(columns);
  return algorithm === 'md5'
    ? `('x' || left(md5(${text}), 16))::bit(64)::int8`
    : `hashtextextended(${text}, 0)`;
}
