import { execFileSync } from 'node:child_process';
import type { Pool } from 'pg';

/**
 * Fills the scratch database with pgbench's tables (`pgbench -i -s scale`: scale × 100 000
 * rows in pgbench_accounts, aid int primary key) and vacuums it, so the visibility map is set and
 * key walks can be index-only scans, as on a table that has lived a while.
 */
export async function initPgbenchAccounts(pool: Pool, databaseUrl: string, scale: number): Promise<number> {
  execFileSync('pgbench', ['-i', '-q', '-s', String(scale), databaseUrl], { stdio: ['ignore', 'ignore', 'inherit'] });
  await pool.query('VACUUM ANALYZE pgbench_accounts');
  const count = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pgbench_accounts');
  return Number(count.rows[0].n);
}
