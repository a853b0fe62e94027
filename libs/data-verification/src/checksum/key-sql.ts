import type { RowKey } from '../catalog/resolve-key';
import { quoteIdent } from '../sql/sql-identifiers';
import type { KeyRange, KeyValue } from './key-range';

/** Collects bind values while SQL text is built, handing out `$n` placeholders. */
export class BindValues {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The key as an SQL value: `"id"`, or the row value `("a", "b")` for a composite key; `qualifier` is an alias we chose. */
export function keyTuple(key: RowKey, qualifier?: string): string {
  const columns = key.columns.map((column) => (qualifier ? `${qualifier}.${quoteIdent(column)}` : quoteIdent(column)));
  return columns.length === 1 ? columns[0] : `(${columns.join(', ')})`;
}

/**
 * A key value as bind parameters cast back to the key types: `$1::integer` or `($1::integer, $2::text)`.
 * A record compares column collations strictly (width_bucket over ROW(…) fails on a mismatch), so a
 * column's non-default collation is repeated on its bound.
 */
export function keyLiteral(key: RowKey, value: KeyValue, binds: BindValues): string {
  const parts = key.types.map((_, i) => typedText(binds.add(value[i]), key, i));
  return parts.length === 1 ? parts[0] : `(${parts.join(', ')})`;
}

/**
 * The WHERE condition for a key range. Row-value comparison `(a, b) >= (x, y)` is lexicographic
 * and matches a btree index on (a, b), so a range is an index range scan, not a filter.
 */
export function rangePredicate(key: RowKey, range: KeyRange, binds: BindValues): string {
  const conditions: string[] = [];
  if (range.lower) conditions.push(`${keyTuple(key)} >= ${keyLiteral(key, range.lower, binds)}`);
  if (range.upper) conditions.push(`${keyTuple(key)} < ${keyLiteral(key, range.upper, binds)}`);
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}

/**
 * Which of the ranges cut at `boundaries` a row falls in (0 … k), in one expression, so one scan
 * can aggregate every range at once. width_bucket does a binary search over the sorted
 * thresholds with the type's btree ordering, the same ordering the range predicates use; a
 * composite key is compared as an anonymous record (record_cmp, column by column). The
 * boundaries travel as one text[] per key column, not one parameter each, so a table of any size
 * stays under the protocol's 65 535 bind parameters.
 */
export function bucketExpression(key: RowKey, boundaries: readonly KeyValue[], binds: BindValues): string {
  if (boundaries.length === 0) return '0';
  const columnArrays = key.columns.map((_, i) => binds.add(boundaries.map((value) => value[i])));
  if (key.columns.length === 1) return `width_bucket(${keyTuple(key)}, ${columnArrays[0]}::text[]::${key.types[0]}[])`;
  const names = key.columns.map((_, i) => `b${i}`);
  const unnested = columnArrays.map((array) => `${array}::text[]`).join(', ');
  const thresholds =
    `ARRAY(SELECT ROW(${names.map((name, i) => typedText(name, key, i)).join(', ')})` +
    ` FROM unnest(${unnested}) WITH ORDINALITY AS b(${names.join(', ')}, position) ORDER BY position)`;
  return `width_bucket(ROW(${key.columns.map(quoteIdent).join(', ')}), ${thresholds})`;
}

function typedText(expression: string, key: RowKey, i: number): string {
  const collation = key.collations?.[i];
  return `${expression}::${key.types[i]}${collation ? ` COLLATE ${collation}` : ''}`;
}
