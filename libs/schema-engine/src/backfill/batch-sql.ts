import { qualified, quoteIdent } from '../sql/identifiers';
import type { KeyColumn } from './backfill-key';

/**
 * What a batch's UPDATE assigns. `touch`: a column to itself, so the migration's row triggers
 * rewrite the new columns. `compute`: the new columns from the sync trigger's own expressions
 * (over the physical row), while that trigger is skipped — a plain UPDATE instead of one PL/pgSQL
 * call per row, about a fifth of the batch's time.
 */
export type BatchAssignment = { kind: 'touch'; column: string } | { kind: 'compute'; assignments: Array<{ column: string; expression: string }> };

export function setClause(assignment: BatchAssignment): string {
  if (assignment.kind === 'touch') return `${quoteIdent(assignment.column)} = ${quoteIdent(assignment.column)}`;
  return assignment.assignments.map(({ column, expression }) => `${quoteIdent(column)} = (\n${expression}\n)`).join(', ');
}

function keyParts(key: KeyColumn[]) {
  const names = key.map((column) => quoteIdent(column.name));
  const tuple = `(${names.join(', ')})`;
  const values = (from: number) => `(${key.map((column, i) => `$${from + i}::${column.type}`).join(', ')})`;
  return { names, tuple, values };
}

/**
 * The key that ends one keyset batch: the `$1`-th key after the last one (`$1` = batch size − 1 as
 * an OFFSET), read from the key's index alone. No row → fewer rows than a batch are left, and the
 * batch ends at `upper`, the last key when the backfill began: rows inserted later went through
 * the triggers already, and without the bound a busy table's inserts would be chased forever.
 * Parameters: `$1` = offset, then (after the first batch) the last key's values, then `upper`.
 */
export function keysetBoundSql(schema: string, table: string, key: KeyColumn[], first: boolean): string {
  const { names, tuple, values } = keyParts(key);
  const lower = first ? '' : `${tuple} > ${values(2)} AND `;
  const upper = `${tuple} <= ${values(first ? 2 : 2 + key.length)}`;
  return `SELECT ${names.map((name, i) => `${name}::text AS k${i}`).join(', ')} FROM ${qualified(schema, table)}
 WHERE ${lower}${upper} ORDER BY ${names.join(', ')} OFFSET $1 LIMIT 1`;
}

/**
 * One keyset batch: every row with a key in (last, end], as a range on the key's index — not a
 * join with a list of keys, which the planner turns into a hash join over a full scan once the
 * batch is large. The UPDATE's row locks (FOR NO KEY UPDATE: no key changes) are its only locks;
 * a row a writer changed meanwhile is re-read (READ COMMITTED) and computed from its new version.
 * Parameters: (after the first batch) the last key's values, then the batch's end key.
 */
export function keysetUpdateSql(schema: string, table: string, key: KeyColumn[], assignment: BatchAssignment, first: boolean): string {
  const { tuple, values } = keyParts(key);
  const lower = first ? '' : `${tuple} > ${values(1)} AND `;
  return `UPDATE ${qualified(schema, table)} SET ${setClause(assignment)}
 WHERE ${lower}${tuple} <= ${values(first ? 1 : 1 + key.length)}`;
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
 * visited twice (harmless: it gets the same value again); rows written concurrently are kept in
 * sync by the triggers, not by the walk.
 */
export function ctidBatchSql(schema: string, table: string, assignment: BatchAssignment): string {
  return `UPDATE ${qualified(schema, table)} SET ${setClause(assignment)} WHERE ctid >= $1::tid AND ctid < $2::tid`;
}

/** Size in pages and estimated rows, to walk by ctid and to report progress. */
export function tableSizeSql(): string {
  return `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::int8 AS pages,
                 c.reltuples::float8 AS row_estimate, c.relpages::int8 AS relpages
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = $2`;
}
