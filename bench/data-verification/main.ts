import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  compareWithBaseline,
  diffTables,
  dropBaselineRows,
  rowHashSql,
  takeBaseline,
  type ComparisonReport,
  type RowHashAlgorithm,
} from '@bascule/data-verification';
import { measureBoundaryStrategies } from './boundary-strategies';
import { upsertSection } from '../support/benchmarks-doc';
import { renderSection, SECTION_HEADING, type BisectionFigure, type ScanFigure } from './checksum-section';
import { initPgbenchAccounts } from './pgbench-accounts';
import { createScratchDatabase } from '../support/scratch-database';
import { bestOf, rowsPerSecond, timed } from '../support/timing';

const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const SEGMENT_ROWS = 10_000;
const CHANGED_ROWS = 10;
const SCAN_RUNS = 5;
const COMPARE_RUNS = 3;
const COLUMNS = ['aid', 'bid', 'abalance', 'filler'];
const accounts = { schema: 'public', table: 'pgbench_accounts' };

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const loadAverage = loadavg()[0];
  const scratch = await createScratchDatabase(SERVER_URL, 'bench_checksum');
  const pool = new Pool({ connectionString: scratch.url, max: 4 });
  try {
    const rows = await initPgbenchAccounts(pool, scratch.url, SCALE);
    log(`pgbench_accounts: ${rows} rows`);
    const scans: ScanFigure[] = [];
    const scan = async (what: string, work: () => Promise<unknown>) => {
      const run = await bestOf(SCAN_RUNS, work);
      scans.push({ what, ms: run.ms, rowsPerSecond: rowsPerSecond(rows, run.ms) });
      log(`${what}: ${run.ms.toFixed(0)} ms, ${rowsPerSecond(rows, run.ms)} rows/s`);
      return run.ms;
    };

    const countMs = await scan('`SELECT count(*)`', () => pool.query('SELECT count(*) FROM pgbench_accounts'));
    await scan('`SELECT count(*)`, no parallel workers', () => serial(pool, 'SELECT count(*) FROM pgbench_accounts'));
    await scan('row text only: `sum(length(ROW(…)::text))`', () =>
      pool.query(`SELECT sum(length(ROW(${COLUMNS.join(', ')})::text)) FROM pgbench_accounts`),
    );
    for (const hash of ['md5', 'hashtextextended'] as RowHashAlgorithm[]) {
      await scan(`whole-table checksum, ${hash}`, () =>
        pool.query(`SELECT count(*), sum(${rowHashSql(COLUMNS, hash)}) FROM pgbench_accounts`),
      );
      await scan(`whole-table checksum, ${hash}, no parallel workers`, () =>
        serial(pool, `SELECT count(*), sum(${rowHashSql(COLUMNS, hash)}) FROM pgbench_accounts`),
      );
      await scan(`\`takeBaseline\` (${SEGMENT_ROWS}-row segments), ${hash}`, () =>
        takeBaseline(pool, { ...accounts, hash, segmentRows: SEGMENT_ROWS }),
      );
    }
    const segmentBaseline = await takeBaseline(pool, { ...accounts, segmentRows: SEGMENT_ROWS });
    const rowsBaselineRun = await timed(() => takeBaseline(pool, { ...accounts, segmentRows: SEGMENT_ROWS, mode: 'rows' }));
    scans.push({ what: "`takeBaseline` mode 'rows' (stores key + hash per row), md5", ms: rowsBaselineRun.ms, rowsPerSecond: rowsPerSecond(rows, rowsBaselineRun.ms) });
    log(`rows baseline: ${rowsBaselineRun.ms.toFixed(0)} ms`);

    const boundaries = await measureBoundaryStrategies(pool, SEGMENT_ROWS, rows);
    for (const b of boundaries) log(`boundaries ${b.strategy}: ${b.ms.toFixed(0)} ms (${b.boundaries}) ${b.plan}`);

    await pool.query('CREATE TABLE pgbench_accounts_snapshot (LIKE pgbench_accounts INCLUDING ALL)');
    await pool.query('INSERT INTO pgbench_accounts_snapshot SELECT * FROM pgbench_accounts');
    await pool.query('VACUUM ANALYZE pgbench_accounts_snapshot');
    const changed = Array.from({ length: CHANGED_ROWS }, (_, i) => 1 + Math.floor(((i + 0.37) * rows) / CHANGED_ROWS));
    await pool.query('UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = ANY($1::int[])', [changed]);

    const bisection: BisectionFigure[] = [];
    const compare = async (what: string, work: () => Promise<ComparisonReport>) => {
      const run = await bestOf(COMPARE_RUNS, work);
      const found = run.result.differingKeys?.changed.count ?? 0;
      const stats = run.result.bisection;
      const detail = stats
        ? `${stats.checksumQueries} checksum queries per side, ${stats.leafRanges} leaf ranges, ${stats.rowsFetched} rows fetched`
        : `${run.result.mismatchedSegments.length} mismatched segments named (no keys)`;
      bisection.push({ what, ms: run.ms, found, detail });
      log(`${what}: ${run.ms.toFixed(0)} ms, ${found} keys; ${detail}`);
      if (stats && found !== CHANGED_ROWS) throw new Error(`${what} found ${found} changed keys, expected ${CHANGED_ROWS}`);
    };
    await compare('`diffTables` snapshot copy vs table (bisection from the root)', () =>
      diffTables(pool, { schema: 'public', table: 'pgbench_accounts_snapshot' }, pool, accounts),
    );
    await compare("`compareWithBaseline`, mode 'rows' baseline", () => compareWithBaseline(pool, rowsBaselineRun.result));
    await compare('`compareWithBaseline`, segment baseline', () => compareWithBaseline(pool, segmentBaseline));
    await dropBaselineRows(pool, rowsBaselineRun.result);

    const version = await pool.query<{ server_version: string }>('SHOW server_version');
    const size = await pool.query<{ size: string }>("SELECT pg_size_pretty(pg_table_size('pgbench_accounts')) AS size");
    const section = renderSection({
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      cpus: cpus().length,
      loadAverage,
      postgres: version.rows[0].server_version,
      scale: SCALE,
      rows,
      tableSize: size.rows[0].size,
      scans,
      countMs,
      boundaries,
      segmentRows: SEGMENT_ROWS,
      bisection,
    });
    upsertSection(join(__dirname, '..', '..', '..', 'docs', 'benchmarks.md'), SECTION_HEADING, section);
    log('\n' + section);
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

/** Runs a query with parallel workers off, to compare single-process scan costs. */
async function serial(pool: Pool, sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    await client.query(sql);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:checksum failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
