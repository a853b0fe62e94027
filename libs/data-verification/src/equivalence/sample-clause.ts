/**
 * The TABLESAMPLE percentage that should yield about `rows` rows from a table Postgres estimates at
 * `estimatedRows` (pg_class.reltuples; -1 or 0 when never analyzed, then read everything). A 25 %
 * margin makes a short sample unlikely; the caller still caps with LIMIT.
 */
export function samplePercent(rows: number, estimatedRows: number): number {
  if (!(estimatedRows > 0)) return 100;
  return Math.min(100, Math.max(0.0001, (100 * rows * 1.25) / estimatedRows));
}
