import type { NatsConnection } from 'nats';
import type { Pool, PoolClient } from 'pg';
import { appendEvents, saveRelayCheckpoint, startOutboxRelay } from '@bascule/event-store';
import type { BusTopology } from '@bascule/messaging';
import { percentiles } from './latency-stats';

/** The position `count` events before the end of the log (skips the start of a large log). */
async function positionBeforeLast(pool: Pool, count: number): Promise<bigint> {
  const { rows } = await pool.query<{ global_position: string }>(
    'SELECT global_position FROM bascule.events ORDER BY global_position DESC OFFSET $1 LIMIT 1',
    [count],
  );
  return BigInt(rows[0].global_position);
}

/**
 * A transaction that has written (it holds an xid, like a batch job or a stuck client) on a table
 * that is not the log, open until `close`; `close` says whether it was still open then.
 */
async function openUnrelatedTransaction(pool: Pool): Promise<{ close(): Promise<boolean> }> {
  const client: PoolClient = await pool.connect();
  await client.query('BEGIN');
  await client.query('CREATE TEMPORARY TABLE bench_batch_job (n int)');
  await client.query('INSERT INTO bench_batch_job VALUES (1)');
  return {
    close: async () => {
      const { rows } = await client.query<{ open: boolean }>('SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS open');
      await client.query('ROLLBACK');
      client.release();
      return rows[0].open;
    },
  };
}

/** How fast the relay drains a backlog of the last `count` events into JetStream (from relay start to last ack). */
export async function measureRelayBacklog(pool: Pool, nc: NatsConnection, topology: BusTopology, count: number) {
  const RELAY_ID = 'bench-relay-backlog';
  await saveRelayCheckpoint(pool, RELAY_ID, await positionBeforeLast(pool, count));
  let relayed = 0;
  const started = process.hrtime.bigint();
  let finished = started;
  await new Promise<void>((resolve, reject) => {
    const relay = startOutboxRelay({
      pool, nc, topology, relayId: RELAY_ID, batchSize: 2000, maxInFlight: 1024, pollIntervalMs: 20,
      onPublished: (events) => {
        relayed += events.length;
        if (relayed >= count) {
          finished = process.hrtime.bigint();
          relay.stop().then(resolve, reject);
        }
      },
      onError: reject,
    });
  });
  return { events: relayed, eventsPerSecond: relayed / (Number(finished - started) / 1e9) };
}

/**
 * Relay lag under a steady append rate: writers append batches of 10 on a schedule totalling
 * `rate` events/s while the relay runs; lag = publish-acknowledged time minus the event's
 * recorded_at (its transaction's start, just before its commit). With `unrelatedTransaction`, a
 * writing transaction on another table stays open from before the first append to after the last.
 */
export async function measureRelayLag(pool: Pool, nc: NatsConnection, topology: BusTopology, rate: number, seconds: number, unrelatedTransaction: boolean) {
  const RELAY_ID = unrelatedTransaction ? 'bench-relay-lag-open-transaction' : 'bench-relay-lag';
  // Start right after the current end of the log: only the paced events are measured.
  await saveRelayCheckpoint(pool, RELAY_ID, await positionBeforeLast(pool, 0));
  const blocker = unrelatedTransaction ? await openUnrelatedTransaction(pool) : undefined;
  const lags: number[] = [];
  const relay = startOutboxRelay({
    pool, nc, topology, relayId: RELAY_ID, batchSize: 2000, maxInFlight: 1024, pollIntervalMs: 20,
    onPublished: (events) => {
      const now = Date.now();
      for (const event of events) lags.push(now - event.recordedAt.getTime());
    },
  });
  const writers = 10;
  const batch = 10;
  const intervalMs = (1000 * writers * batch) / rate;
  const started = Date.now();
  let appended = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let tick = 0; Date.now() - started < seconds * 1000; tick++) {
        const due = started + tick * intervalMs + (w * intervalMs) / writers;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        const events = Array.from({ length: batch }, (_, i) => ({ type: 'StepCompleted', data: { w, tick, i } }));
        await appendEvents(pool, `migration-lag-${w}`, events);
        appended += batch;
      }
    }),
  );
  const achievedRate = appended / ((Date.now() - started) / 1000);
  const deadline = Date.now() + 30_000;
  while (lags.length < appended && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const relayed = lags.length;
  await relay.stop();
  const stayedOpen = blocker ? await blocker.close() : false;
  if (blocker && !stayedOpen) throw new Error('the unrelated transaction ended before the measurement did');
  return { appended, relayed, achievedRate, ...percentiles(lags) };
}

export type RelayLagRound = Awaited<ReturnType<typeof measureRelayLag>>;

/** Each figure's median over the rounds, and every round's p99 beside it. */
export function medianLag(rounds: RelayLagRound[]) {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  };
  const of = (pick: (round: RelayLagRound) => number) => median(rounds.map(pick));
  return {
    appended: rounds.reduce((sum, round) => sum + round.appended, 0),
    relayed: rounds.reduce((sum, round) => sum + round.relayed, 0),
    achievedRate: of((round) => round.achievedRate),
    p50: of((round) => round.p50),
    p99: of((round) => round.p99),
    max: of((round) => round.max),
    p99Rounds: rounds.map((round) => round.p99),
  };
}
