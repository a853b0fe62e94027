import type { Pool } from 'pg';
import { appendEvents } from '@bascule/event-store';
import { runWriters } from './latency-stats';

export interface ThroughputRow {
  writers: number;
  batch: number;
  /** The median of `samples` when there are several. */
  eventsPerSecond: number;
  samples?: number[];
}

export function summarize(writers: number, batch: number, samples: number[]): ThroughputRow {
  const sorted = [...samples].sort((a, b) => a - b);
  return { writers, batch, eventsPerSecond: sorted[Math.floor(sorted.length / 2)] ?? NaN, samples: sorted };
}

const payload = (writer: number, i: number) => ({ migrationId: `m-${writer}`, step: `step-${i}`, rows: i * 17, note: 'bench' });

/** Each writer appends to a stream of its own (no version contention), with `expectedVersion` exact. */
export async function measureAppend(pool: Pool, writers: number, batch: number, seconds: number, run: string): Promise<ThroughputRow> {
  const versions = new Array<number>(writers).fill(0);
  const eventsPerSecond = await runWriters(writers, seconds, async (writer) => {
    const events = Array.from({ length: batch }, (_, k) => ({ type: 'StepCompleted', data: payload(writer, versions[writer] + k) }));
    const result = await appendEvents(pool, `migration-bench-${run}-${writer}`, events, { expectedVersion: versions[writer] });
    versions[writer] = result.nextExpectedVersion;
    return batch;
  });
  return { writers, batch, eventsPerSecond };
}

/**
 * The machine's ceiling: one autocommit single-row INSERT per operation into a table with no index,
 * no constraint, no trigger — what a commit costs here, with the same connections.
 */
export async function measureInsertCeiling(pool: Pool, writers: number, seconds: number): Promise<ThroughputRow> {
  await pool.query('CREATE TABLE IF NOT EXISTS public.insert_ceiling (writer int, n int, data jsonb)');
  let n = 0;
  const eventsPerSecond = await runWriters(writers, seconds, async (writer) => {
    await pool.query('INSERT INTO public.insert_ceiling VALUES ($1, $2, $3)', [writer, n++, JSON.stringify(payload(writer, n))]);
    return 1;
  });
  return { writers, batch: 1, eventsPerSecond };
}
