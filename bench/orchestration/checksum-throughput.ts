import { takeBaseline } from '@bascule/data-verification';
import type { Pool } from 'pg';
import { bestOf, rowsPerSecond } from '../support/timing';

export interface ScanFigure {
  what: string;
  ms: number;
  rowsPerSecond: number;
}

/** `takeBaseline` (what the data-verifier runs before each phase) against a plain count(*) of the same table, warm cache, best of 3. */
export async function measureChecksumThroughput(pool: Pool, rows: number): Promise<ScanFigure[]> {
  const count = await bestOf(3, () => pool.query('SELECT count(*) FROM pgbench_accounts'));
  const baseline = await bestOf(3, () => takeBaseline(pool, { schema: 'public', table: 'pgbench_accounts' }));
  return [
    { what: '`SELECT count(*) FROM pgbench_accounts`', ms: count.ms, rowsPerSecond: rowsPerSecond(rows, count.ms) },
    { what: '`takeBaseline` (default: md5, 10,000-row segments), as the data-verifier runs it', ms: baseline.ms, rowsPerSecond: rowsPerSecond(rows, baseline.ms) },
  ];
}
