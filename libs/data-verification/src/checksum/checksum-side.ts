import type { RowKey } from '../catalog/resolve-key';
import type { Session } from '../sql/db';
import { quoteIdent } from '../sql/sql-identifiers';
import type { KeyRange, KeyValue } from './key-range';
import { BindValues, bucketExpression, keyTuple, rangePredicate } from './key-sql';
import { EMPTY_CHECKSUM, type SegmentChecksum } from './segment-checksum';

/**
 * One side of a comparison: a relation whose rows have a key and a row hash. A live table
 * computes the hash from its columns; a row-level baseline stores it in a column.
 */
export interface ChecksumSide {
  session: Session;
  /** Quoted relation for SQL text. */
  relation: string;
  key: RowKey;
  /** SQL expression of the row hash (bigint) over the relation's columns. */
  rowHash: string;
}

/** A relation with no usable key can only be checksummed whole. */
export type WholeTableSide = Omit<ChecksumSide, 'key'>;

/**
 * Checksums of the ranges `range` is cut into at `boundaries`, in one scan with one streaming
 * aggregate (a hash aggregate over k + 1 groups: no sort, nothing copied).
 */
export async function checksumRanges(
  side: ChecksumSide,
  range: KeyRange,
  boundaries: readonly KeyValue[],
): Promise<SegmentChecksum[]> {
  const binds = new BindValues();
  const bucket = bucketExpression(side.key, boundaries, binds);
  const where = rangePredicate(side.key, range, binds);
  const result = await withoutSorting(side.session, () =>
    side.session.query<{ bucket: number; rows: string; sum: string }>(
      `SELECT ${bucket} AS bucket, count(*)::text AS rows, coalesce(sum(${side.rowHash}), 0)::text AS sum
         FROM ${side.relation} WHERE ${where} GROUP BY 1`,
      binds.values,
    ),
  );
  const checksums: SegmentChecksum[] = boundaries.map(() => EMPTY_CHECKSUM).concat(EMPTY_CHECKSUM);
  for (const row of result.rows) checksums[row.bucket] = { rowCount: Number(row.rows), checksum: row.sum };
  return checksums;
}

/**
 * Runs `query` with enable_sort off, then puts the previous value back. The planner estimates a
 * GROUP BY width_bucket(key, …) at one group per distinct key (it reads the key's statistics), so
 * it picks Sort + GroupAggregate: a sort of the whole table, spilling to temp files on a big one.
 * There are only k + 1 groups, so a HashAggregate streams in a few kB; this steers it there.
 */
async function withoutSorting<T>(session: Session, query: () => Promise<T>): Promise<T> {
  const previous = await session.query<{ value: string }>(
    "SELECT current_setting('enable_sort') AS value, set_config('enable_sort', 'off', true)",
  );
  const result = await query();
  await session.query("SELECT set_config('enable_sort', $1, true)", [previous.rows[0].value]);
  return result;
}

/** Exact row count (a plain count(*), which Postgres may run with parallel workers). */
export async function countRows(side: ChecksumSide): Promise<number> {
  const result = await side.session.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${side.relation}`);
  return Number(result.rows[0].rows);
}

export async function checksumWholeTable(side: WholeTableSide): Promise<SegmentChecksum> {
  const result = await side.session.query<{ rows: string; sum: string }>(
    `SELECT count(*)::text AS rows, coalesce(sum(${side.rowHash}), 0)::text AS sum FROM ${side.relation}`,
    [],
  );
  return { rowCount: Number(result.rows[0].rows), checksum: result.rows[0].sum };
}

/**
 * Every `every`-th key of the range in key order (the keys at positions every+1, 2·every+1, …),
 * so the ranges cut there hold `every` rows each. Keyset walking in one recursive query: each
 * step is `WHERE key > previous ORDER BY key OFFSET every - 1 LIMIT 1`, which skips along the
 * key's btree (an index-only scan once the visibility map is set) without sorting the table,
 * unlike ntile() or a window over all rows (docs/benchmarks.md, "Checksums", has the figures).
 */
export async function sampleBoundaries(side: ChecksumSide, range: KeyRange, every: number): Promise<KeyValue[]> {
  const binds = new BindValues();
  const columns = side.key.columns.map(quoteIdent);
  const ordered = columns.join(', ');
  const first = rangePredicate(side.key, range, binds);
  const belowUpper = rangePredicate(side.key, { lower: null, upper: range.upper }, binds);
  const step = binds.add(every);
  // Inside the LATERAL subquery unqualified names resolve to its own FROM (alias t), so the range
  // predicate applies to the scanned row; `walk.` names the previous boundary.
  const result = await side.session.query<Record<string, string>>(
    `WITH RECURSIVE walk AS (
       (SELECT ${ordered} FROM ${side.relation} WHERE ${first} ORDER BY ${ordered} OFFSET ${step}::int8 LIMIT 1)
       UNION ALL
       (SELECT found.* FROM walk, LATERAL (
          SELECT ${columns.map((column) => `t.${column}`).join(', ')} FROM ${side.relation} AS t
           WHERE ${keyTuple(side.key, 't')} > ${keyTuple(side.key, 'walk')} AND ${belowUpper}
           ORDER BY ${ordered} OFFSET ${step}::int8 - 1 LIMIT 1) AS found)
     )
     SELECT ${columns.map((column, i) => `${column}::text AS k${i}`).join(', ')} FROM walk`,
    binds.values,
  );
  return result.rows.map((row) => columns.map((_, i) => row[`k${i}`]));
}

/** Each row of the range as (key text, row hash text), in key order so reports are stable: the bottom of a bisection. */
export async function rowHashesInRange(side: ChecksumSide, range: KeyRange): Promise<Array<{ key: KeyValue; hash: string }>> {
  const binds = new BindValues();
  const columns = side.key.columns.map(quoteIdent);
  const where = rangePredicate(side.key, range, binds);
  const result = await side.session.query<Record<string, string>>(
    `SELECT ${columns.map((column, i) => `${column}::text AS k${i}`).join(', ')}, (${side.rowHash})::text AS row_hash
       FROM ${side.relation} WHERE ${where} ORDER BY ${columns.join(', ')}`,
    binds.values,
  );
  return result.rows.map((row) => ({ key: columns.map((_, i) => row[`k${i}`]), hash: row['row_hash'] }));
}
