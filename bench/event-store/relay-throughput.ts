import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { appendEvents, saveCheckpoint, startOutboxRelay, type LogCheckpoint } from '@bascule/event-store';
import type { BusTopology } from '@bascule/messaging';
import { percentiles } from './latency-stats';

const RELAY_ID = 'bench-relay';

/** The checkpoint `count` events before the end of the log (skips the start of a large log). */
async function checkpointBeforeLast(pool: Pool, count: number): Promise<LogCheckpoint> {
  const { rows } = await pool.query<{ transaction_id_text: string; global_position: string }>(
    `SELECT transaction_id::text AS transaction_id_text, global_position FROM bascule.events
      ORDER BY transaction_id DESC, global_position DESC OFFSET $1 LIMIT 1`,
    [count],
  );
  return { transactionId: BigInt(rows[0].transaction_id_text), globalPosition: BigInt(rows[0].global_position) };
}

/** How fast the relay drains a backlog of the last `count` events into JetStream (from relay start to last ack). */
export async function measureRelayBacklog(pool: Pool, nc: NatsConnection, topology: BusTopology, count: number) {
  await saveCheckpoint(pool, RELAY_ID, await checkpointBeforeLast(pool, count));
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
 * `rate` events/s while the relay runs; lag = publish-acknowledged-and-checkpointed time minus
 * the event's recorded_at (its transaction's start, just before its commit).
 */
export async function measureRelayLag(pool: Pool, nc: NatsConnection, topology: BusTopology, rate: number, seconds: number) {
  // Start right after the current end of the log: only the paced events are measured.
  await saveCheckpoint(pool, RELAY_ID, await checkpointBeforeLast(pool, 0));
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
  await relay.stop();
  return { appended, relayed: lags.length, achievedRate, ...percentiles(lags) };
}
