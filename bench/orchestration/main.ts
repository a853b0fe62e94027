import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { initPgbenchAccounts } from '../data-verification/pgbench-accounts';
import { upsertSection } from '../support/benchmarks-doc';
import { startBenchStack } from './bench-stack';
import { measureChecksumThroughput } from './checksum-throughput';
import { renderSection } from './render-section';
import { measureRollback } from './rollback-latency';
import { measureStepOverhead } from './step-overhead';

const SCALE = Number(process.env.BENCH_SCALE ?? 20);
const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ROOT = process.cwd();

const log = (line: string) => process.stdout.write(`${line}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

async function main(): Promise<void> {
  const uptimeBefore = uptime();
  log(`uptime: ${uptimeBefore}`);
  let rows = 0;
  const stack = await startBenchStack(ROOT, SERVER_URL, NATS_URL, async (target) => {
    const pool = new Pool({ connectionString: target.url, max: 1 });
    try {
      rows = await initPgbenchAccounts(pool, target.url, SCALE);
    } finally {
      await pool.end();
    }
  });
  log(`services up (logs in ${stack.logDir}); pgbench_accounts: ${rows} rows`);
  const pool = new Pool({ connectionString: stack.target.url, max: 2 });
  try {
    const postgres = (await pool.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0];
    const scans = await measureChecksumThroughput(pool, rows);
    scans.forEach((scan) => log(`${scan.what}: ${scan.ms.toFixed(0)} ms, ${scan.rowsPerSecond} rows/s`));
    // Loading 2M rows left the checkpointer flushing them for minutes; its writes would slow every commit measured next.
    await pool.query('CHECKPOINT');
    const steps = await measureStepOverhead(stack);
    log(`${steps.steps} steps: ${steps.perStepMs.toFixed(1)} ms/step through Bascule, ${steps.directPerStepMs.toFixed(1)} ms/step direct, overhead ${steps.overheadPerStepMs.toFixed(1)} ms/step (median chain; every chain: ${steps.roundOverheadsMs.map((v) => v.toFixed(1)).join(', ')}); dispatch→applied ${JSON.stringify(steps.dispatchToApplied)}, applied→next ${JSON.stringify(steps.appliedToNextDispatch)}`);
    const rollbacks = [];
    // Three interruptions (each a fresh start of the 2M-row expand), then one rollback of a finished expand.
    for (const when of ['during the backfill', 'during the backfill', 'during the backfill', 'after expanded'] as const) {
      const figure = await measureRollback(stack, when);
      rollbacks.push(figure);
      log(`rollback ${when}: command → rolled_back ${figure.commandToRolledBackMs} ms (manager ${figure.managerMs} ms), restoration ${figure.restorationPassed}`);
    }
    const uptimeAfter = uptime();
    log(`uptime: ${uptimeAfter}`);
    const section = renderSection({ date: new Date().toISOString(), nproc: cpus().length, postgres, uptimeBefore, uptimeAfter, rows, steps, rollbacks, scans });
    upsertSection(join(ROOT, 'docs', 'benchmarks.md'), '## Orchestration', section);
    log('docs/benchmarks.md: Orchestration section written');
  } finally {
    await pool.end();
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
