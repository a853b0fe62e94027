import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BACKFILL_OPTIONS } from '@bascule/schema-engine';
import { escapeIdentifier, Pool } from 'pg';
import { upsertSection } from '../support/benchmarks-doc';
import { judgeGoals } from './goals';
import { renderSection, type BackfillFigure } from './render-section';
import { ACCOUNTS, basculeAlter, plainAlter, underWriteLoad, type ScenarioFigure } from './scenarios';
import { createScratchDatabase } from '../support/scratch-database';
import { rowsPerSecond, timed } from '../support/timing';

const SCALE = Number(process.env.BENCH_SCALE ?? 20);
const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
// Default: the engine's own default batch size, the one a user gets without tuning.
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? String(DEFAULT_BACKFILL_OPTIONS.batchSize)).split(',').map(Number);
// Throughput runs are repeated and the best kept, the same for the reference and for Bascule: the
// machine is shared, and a neighbour's burst should not decide the ratio.
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
// One more load scenario, not judged: the first batch size with a pause between batches, the knob
// for a busy table (0 skips it).
const THROTTLED_DELAY_MS = Number(process.env.BENCH_THROTTLED_DELAY_MS ?? 20);

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * pgbench -i recreates the pgbench tables; the engine's state schema and its version schemas
 * (`public_<migration>`, views over the tables) are dropped first so each run starts clean.
 */
async function reinit(pool: Pool, url: string): Promise<number> {
  const versions = await pool.query<{ name: string }>(
    "SELECT nspname AS name FROM pg_namespace WHERE nspname = 'bascule_schema' OR nspname LIKE 'public\\_%'",
  );
  for (const { name } of versions.rows) await pool.query(`DROP SCHEMA ${escapeIdentifier(name)} CASCADE`);
  execFileSync('pgbench', ['-i', '-q', '-s', String(SCALE), url], { stdio: ['ignore', 'ignore', 'inherit'] });
  await pool.query(`VACUUM ANALYZE ${ACCOUNTS}`);
  const count = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${ACCOUNTS}`);
  return Number(count.rows[0].n);
}

async function main(): Promise<void> {
  const loadStart = loadavg()[0];
  const scratch = await createScratchDatabase(SERVER_URL, 'bench_schema');
  const pool = new Pool({ connectionString: scratch.url, max: 2 });
  try {
    const postgres = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    let rows = await reinit(pool, scratch.url);
    log(`${ACCOUNTS}: ${rows} rows`);

    const best = async (what: string, run: () => Promise<void>): Promise<BackfillFigure> => {
      let fastest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < REPEATS; i++) {
        rows = await reinit(pool, scratch.url);
        fastest = Math.min(fastest, (await timed(() => run())).ms);
        log(`${what}: ${fastest.toFixed(0)} ms (best so far)`);
      }
      return { what: `${what} (best of ${REPEATS})`, rows, ms: fastest, rowsPerSecond: rowsPerSecond(rows, fastest) };
    };
    // The reference the issue names: what the backfill does, as one statement — fill a new column from `up`.
    const update = await best('one `UPDATE pgbench_accounts SET abalance_new = abalance` (new bigint column)', async () => {
      await pool.query(`ALTER TABLE ${ACCOUNTS} ADD COLUMN abalance_new bigint`);
      await pool.query(`UPDATE ${ACCOUNTS} SET abalance_new = abalance`);
    });
    const rewrite = await best('one `UPDATE pgbench_accounts SET abalance = abalance`', async () => {
      await pool.query(`UPDATE ${ACCOUNTS} SET abalance = abalance`);
    });
    const backfills: BackfillFigure[] = [update, rewrite];
    const basculeBackfills: BackfillFigure[] = [];
    for (const batchSize of BATCH_SIZES) {
      let run = 0;
      const figure = await best(`Bascule \`start\` (backfill), batch ${batchSize}`, () =>
        basculeAlter(scratch.url, batchSize, `bench_backfill_${batchSize}_${++run}`, 'start')(() => undefined),
      );
      backfills.push(figure);
      basculeBackfills.push(figure);
    }

    // One window for all scenarios, long enough for the slowest no-load start plus slack for the load and complete.
    const slowestStartMs = Math.max(...basculeBackfills.map((b) => b.ms));
    const windowSeconds = Math.ceil((slowestStartMs * 3 + update.ms * 2 + 4000) / 1000);
    log(`load window: ${windowSeconds} s`);

    const scenarios: ScenarioFigure[] = [];
    const scenario = async (figure: Promise<ScenarioFigure>) => {
      const result = await figure;
      scenarios.push(result);
      log(`${result.what}: max ${result.maxMs.toFixed(1)} ms (began during ${result.slowestDuring}), p99 ${result.p99Ms.toFixed(1)} ms, failed ${result.failed}, aborted ${result.abortedClients}, migration ${result.migrationMs.toFixed(0)} ms`);
      result.errors.forEach((error) => log(`  pgbench: ${error}`));
      return result;
    };
    await reinit(pool, scratch.url);
    const control = await scenario(underWriteLoad('control: no migration', scratch.url, windowSeconds, async () => undefined));
    await reinit(pool, scratch.url);
    await scenario(underWriteLoad('plain `ALTER COLUMN abalance TYPE bigint`', scratch.url, windowSeconds, plainAlter(pool)));
    const bascule: ScenarioFigure[] = [];
    for (const batchSize of BATCH_SIZES) {
      await reinit(pool, scratch.url);
      const migrate = basculeAlter(scratch.url, batchSize, `bench_load_${batchSize}`, 'both');
      bascule.push(await scenario(underWriteLoad(`Bascule start + complete, batch ${batchSize}`, scratch.url, windowSeconds, migrate)));
    }

    if (THROTTLED_DELAY_MS > 0) {
      await reinit(pool, scratch.url);
      const [batchSize] = BATCH_SIZES;
      const migrate = basculeAlter(scratch.url, batchSize, `bench_throttled_${batchSize}`, 'both', THROTTLED_DELAY_MS);
      await scenario(underWriteLoad(`Bascule start + complete, batch ${batchSize}, delayMs ${THROTTLED_DELAY_MS} (not judged)`, scratch.url, windowSeconds, migrate));
    }

    const goals = judgeGoals(control, bascule[0], basculeBackfills[0], update);
    goals.forEach(log);
    const section = renderSection({
      date: new Date().toISOString(),
      nproc: cpus().length,
      postgres: `PostgreSQL ${postgres}`,
      loadAverage: [loadStart, loadavg()[0]],
      rows,
      scenarios,
      backfills,
      goals: [`Goals (judged on batch ${BATCH_SIZES[0]}):`, ...goals],
    });
    upsertSection(join(process.cwd(), 'docs', 'benchmarks.md'), '## Schema engine', section);
    log('docs/benchmarks.md: Schema engine section written');
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
