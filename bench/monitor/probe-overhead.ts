import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { ProbeSource } from '../../apps/monitor/src/sources/probe-source';
import { ProbePools } from '../../apps/monitor/src/target-pools';
import { startWriteLoad } from '../schema/pgbench-load';
import { ITEM_PROBE_SQL } from './probe-target';
import { medianOf } from './watch-run';

export interface OverheadFigure {
  seconds: number;
  everyMs: number;
  /** Transactions the target's pg_stat_database counted over the window with probes (commits + rollbacks). */
  transactions: number;
  pgbenchTransactions: number;
  probes: number;
  probesFailed: number;
  probeMedianMs: number | null;
  /** Sum of the probes' latencies over the window: the share of one session's time they held, an upper bound of their server time. */
  probeBusyShare: number;
  /** pgbench transactions per second: without probes (before and after) and with them. */
  tpsWithout: [number, number];
  tpsWith: number;
}

/** Reads after every session's pending statistics reached the server: backends flush at most once a second when idle, and on exit. */
async function transactionsSoFar(admin: Pool): Promise<number> {
  await sleep(1_500);
  const { rows } = await admin.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0].n);
}

/**
 * The probe's own share of the target's transactions under application load: `pgbench -N -c 4 -j 2`
 * on a `pgbench -i -s 1` schema in the target, once with the index probe every `everyMs` on the
 * monitor's pool (read-only sessions), once before and once after without it.
 */
export async function measureProbeOverhead(targetUrl: string, target: string, admin: Pool, seconds: number, everyMs: number): Promise<OverheadFigure> {
  execFileSync('pgbench', ['-i', '-q', '-s', '1', targetUrl], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tps = (transactions: number) => transactions / seconds;
  const before = await startWriteLoad(targetUrl, seconds).finished;

  const pools = new ProbePools();
  const sampler = new ProbeSource('probe-overhead', pools.get(target), ITEM_PROBE_SQL, everyMs, (seconds + 10) * 1000);
  const transactionsBefore = await transactionsSoFar(admin);
  const began = Date.now();
  sampler.start();
  const load = await startWriteLoad(targetUrl, seconds).finished;
  await sampler.stop();
  const windowMs = Date.now() - began;
  // Closing the probe sessions makes them flush their statistics now.
  await pools.endAll();
  const transactions = (await transactionsSoFar(admin)) - transactionsBefore;
  const samples = sampler.takeSince(began);

  const after = await startWriteLoad(targetUrl, seconds).finished;
  return {
    seconds,
    everyMs,
    transactions,
    pgbenchTransactions: load.transactions,
    probes: samples.length,
    probesFailed: samples.filter((sample) => sample.failed).length,
    probeMedianMs: medianOf(samples.map((sample) => sample.value)),
    probeBusyShare: samples.reduce((sum, sample) => sum + sample.value, 0) / windowMs,
    tpsWithout: [tps(before.transactions), tps(after.transactions)],
    tpsWith: tps(load.transactions),
  };
}
