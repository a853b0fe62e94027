import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BACKFILL_OPTIONS, type BackfillOptions } from '@bascule/schema-engine';
import { escapeIdentifier, Pool } from 'pg';
import { upsertSection } from '../support/benchmarks-doc';
import { attribute, backfillThroughput, batchBreakdown, batchTimeline } from './attribution';
import { judgeGoals } from './goals';
import { renderSection, type BackfillFigure, type BatchReport } from './render-section';
import { ACCOUNTS, basculeAlter, EXPANDED_HOLD_MS, MigrationRecorder, plainAlter, underWriteLoad, type ScenarioFigure } from './scenarios';
import { createScratchDatabase } from '../support/scratch-database';
import { rowsPerSecond, timed } from '../support/timing';

const SCALE = Number(process.env.BENCH_SCALE ?? 20);
const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
// Throughput runs are repeated and the best kept, the same for the reference and for Bascule: the
// machine is shared, and a neighbour's burst should not decide the ratio.
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
/**
 * Backfill variants, comma-separated: `default` (the engine's defaults, what a user gets without
 * tuning: judged), `t<ms>` (targetBatchMs), `fixed<rows>` (a fixed batchSize, as before batches
 * were sized by time). All run without load; the ones in BENCH_LOAD_VARIANTS also under load.
 */
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'default,t25,fixed5000').split(',');
const LOAD_VARIANTS = (process.env.BENCH_LOAD_VARIANTS ?? 'default,t25').split(',');

const log = (line: string) => process.stdout.write(`${line}\n`);
const uptime = () => execFileSync('uptime').toString().trim();

function optionsOf(variant: string): Partial<BackfillOptions> {
  if (variant === 'default') return {};
  const target = /^t(\d+)$/.exec(variant);
  if (target) return { targetBatchMs: Number(target[1]) };
  const fixed = /^fixed(\d+)$/.exec(variant);
  if (fixed) return { batchSize: Number(fixed[1]) };
  throw new Error(`unknown backfill variant "${variant}" (default, t<ms>, fixed<rows>)`);
}

function describeVariant(variant: string): string {
  if (variant === 'default') return `defaults (targetBatchMs ${DEFAULT_BACKFILL_OPTIONS.targetBatchMs}, first batch ${DEFAULT_BACKFILL_OPTIONS.batchSize} rows)`;
  if (variant.startsWith('t')) return `targetBatchMs ${variant.slice(1)}`;
  return `fixed batchSize ${variant.slice(5)}`;
}

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
  const uptimeBefore = uptime();
  log(`uptime: ${uptimeBefore}`);
  const scratch = await createScratchDatabase(SERVER_URL, 'bench_schema');
  const pool = new Pool({ connectionString: scratch.url, max: 2 });
  try {
    const postgres = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    let rows = await reinit(pool, scratch.url);
    log(`${ACCOUNTS}: ${rows} rows`);

    const best = async (what: string, run: (recorder: MigrationRecorder) => Promise<void>) => {
      let fastest = Number.POSITIVE_INFINITY;
      let recorded = new MigrationRecorder();
      for (let i = 0; i < REPEATS; i++) {
        rows = await reinit(pool, scratch.url);
        const recorder = new MigrationRecorder();
        const { ms } = await timed(() => run(recorder));
        if (ms < fastest) [fastest, recorded] = [ms, recorder];
        log(`${what}: ${ms.toFixed(0)} ms (best ${fastest.toFixed(0)} ms; uptime ${uptime()})`);
      }
      const figure: BackfillFigure = { what: `${what} (best of ${REPEATS})`, rows, ms: fastest, rowsPerSecond: rowsPerSecond(rows, fastest) };
      return { figure, recorder: recorded };
    };
    // The reference the issue names: what the backfill does, as one statement — fill a new column from `up`.
    const { figure: update } = await best('one `UPDATE pgbench_accounts SET abalance_new = abalance` (new bigint column)', async () => {
      await pool.query(`ALTER TABLE ${ACCOUNTS} ADD COLUMN abalance_new bigint`);
      await pool.query(`UPDATE ${ACCOUNTS} SET abalance_new = abalance`);
    });
    const { figure: rewrite } = await best('one `UPDATE pgbench_accounts SET abalance = abalance`', async () => {
      await pool.query(`UPDATE ${ACCOUNTS} SET abalance = abalance`);
    });
    const backfills: BackfillFigure[] = [update, rewrite];
    const batches: BatchReport[] = [];
    const idle = new Map<string, BackfillFigure>();
    for (const variant of VARIANTS) {
      let run = 0;
      const what = `Bascule \`start\` (DDL + backfill), ${describeVariant(variant)}`;
      const { figure, recorder } = await best(what, (rec) => basculeAlter(scratch.url, optionsOf(variant), `bench_backfill_${variant}_${++run}`, 'start')(rec));
      backfills.push(figure);
      idle.set(variant, figure);
      batches.push({ what: `No load, ${describeVariant(variant)}`, breakdown: batchBreakdown(recorder.batches), timeline: batchTimeline(recorder.batches) });
    }

    // One window for all scenarios, long enough for the slowest no-load start plus slack for the load, the hold and complete.
    const slowestStartMs = Math.max(...[...idle.values()].map((b) => b.ms));
    const windowSeconds = Math.ceil((slowestStartMs * 3 + update.ms * 2 + EXPANDED_HOLD_MS + 4000) / 1000);
    log(`load window: ${windowSeconds} s`);

    const scenarios: ScenarioFigure[] = [];
    const scenario = async (figure: Promise<ScenarioFigure>) => {
      const result = await figure;
      scenarios.push(result);
      log(`${result.what}: max ${result.maxMs.toFixed(1)} ms (began during ${result.slowestDuring}), p99 ${result.p99Ms.toFixed(1)} ms, failed ${result.failed}, aborted ${result.abortedClients}, migration ${result.migrationMs.toFixed(0)} ms; uptime ${uptime()}`);
      result.errors.forEach((error) => log(`  pgbench: ${error}`));
      return result;
    };
    await reinit(pool, scratch.url);
    const control = await scenario(underWriteLoad('control: no migration', scratch.url, windowSeconds, async () => undefined));
    await reinit(pool, scratch.url);
    await scenario(underWriteLoad('plain `ALTER COLUMN abalance TYPE bigint`', scratch.url, windowSeconds, plainAlter(pool)));
    const loaded = new Map<string, ScenarioFigure>();
    for (const variant of LOAD_VARIANTS) {
      await reinit(pool, scratch.url);
      const migrate = basculeAlter(scratch.url, optionsOf(variant), `bench_load_${variant}`, 'both');
      const judged = variant === LOAD_VARIANTS[0] ? '' : ' (not judged)';
      const figure = await scenario(underWriteLoad(`Bascule start + complete, ${describeVariant(variant)}${judged}`, scratch.url, windowSeconds, migrate));
      loaded.set(variant, figure);
      batches.push({ what: `Under load, ${describeVariant(variant)}`, breakdown: batchBreakdown(figure.recorder.batches), timeline: batchTimeline(figure.recorder.batches) });
    }

    const [judgedVariant] = LOAD_VARIANTS;
    const bascule = loaded.get(judgedVariant) as ScenarioFigure;
    const idleJudged = idle.get(judgedVariant) ?? [...idle.values()][0];
    const throughput = backfillThroughput(control, bascule);
    const goals = judgeGoals(control, bascule, idleJudged, update, throughput);
    goals.forEach(log);
    const attribution = [control, ...scenarios.filter((s) => s !== control)].map((s) => ({ what: s.what, phases: attribute(s) }));
    const section = renderSection({
      date: new Date().toISOString(),
      nproc: cpus().length,
      postgres: `PostgreSQL ${postgres}`,
      uptime: [uptimeBefore, uptime()],
      options: describeVariant(judgedVariant),
      rows,
      scenarios,
      backfills,
      attribution,
      batches,
      goals: [`Goals (judged on ${describeVariant(judgedVariant)}):`, ...goals],
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
