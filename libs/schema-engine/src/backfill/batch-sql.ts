import { qualified, quoteIdent } from '../sql/identifiers';
import type { KeyColumn } from './backfill-key';

/**
 * One keyset batch. The inner SELECT takes the batch's rows in key order with FOR NO KEY UPDATE
 * (row locks only, for this short transaction); the UPDATE assigns a column to itself so the row
 * triggers of the migration rewrite the new columns; the outer SELECT returns the batch size and
 * its last key (as text, cast back with the column's type next time).
 * The walk stops at `upper`, the last key when the backfill began: rows inserted later went
 * through the triggers already, and without the bound a busy table's inserts would be chased
 * forever.
 * Parameters: `$1` = limit, then (after the first batch) the last key's values, then `upper`.
 */
export function keysetBatchSql(schema: string, table: string, key: KeyColumn[], touch: string, first: boolean): string {
  const target = qualified(schema, table);
  const names = key.map((column) => quoteIdent(column.name));
  const row = (alias: string) => `(${names.map((name) => `${alias}.${name}`).join(', ')})`;
  const values = (from: number) => `(${key.map((column, i) => `$${from + i}::${column.type}`).join(', ')})`;
  const lower = first ? '' : `(${names.join(', ')}) > ${values(2)} AND `;
  const upper = `(${names.join(', ')}) <= ${values(first ? 2 : 2 + key.length)}`;
  return `WITH batch AS (
  SELECT ${names.join(', ')} FROM ${target} WHERE ${lower}${upper}
   ORDER BY ${names.join(', ')} LIMIT $1 FOR NO KEY UPDATE
), touched AS (
  UPDATE ${target} AS t SET ${quoteIdent(touch)} = t.${quoteIdent(touch)} FROM batch WHERE ${row('t')} = ${row('batch')} RETURNING 1
)
SELECT (SELECT count(*) FROM touched)::int AS rows, ${names.map((name, i) => `${name}::text AS k${i}`).join(', ')}
  FROM batch ORDER BY ${names.map((name) => `${name} DESC`).join(', ')} LIMIT 1`;
}

/** The greatest key now: the walk's upper bound (no row → nothing to backfill). */
export function lastKeySql(schema: string, table: string, key: KeyColumn[]): string {
  const names = key.map((column) => quoteIdent(column.name));
  return `SELECT ${names.map((name, i) => `${name}::text AS k${i}`).join(', ')} FROM ${qualified(schema, table)}
   ORDER BY ${names.map((name) => `${name} DESC`).join(', ')} LIMIT 1`;
}

/**
 * One block-range batch for a table with no primary key and no unique NOT NULL columns: every row
 * whose ctid lies in [$1, $2) (a TID range scan, Postgres 14+). The trade-off: a batch is sized in
 * pages from the average rows per page, not in rows; a row our own UPDATE moves to a later page is
 * visited twice (harmless: the triggers compute the same value); rows written concurrently are
 * kept in sync by the triggers, not by the walk.
 */
export function ctidBatchSql(schema: string, table: string, touch: string): string {
  const target = qualified(schema, table);
  return `WITH touched AS (
  UPDATE ${target} SET ${quoteIdent(touch)} = ${quoteIdent(touch)} WHERE ctid >= $1::tid AND ctid < $2::tid RETURNING 1
)
SELECT count(*)::int AS rows FROM touched`;
}

/** Size in pages and estimated rows, to walk by ctid and to report progress. */
export function tableSizeSql(): string {
  return `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::int8 AS pages,
                 c.reltuples::float8 AS row_estimate, c.relpages::int8 AS relpages
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = $2`;
}
