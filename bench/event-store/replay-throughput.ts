import type { Pool } from 'pg';
import { appendEvents, readAll, replayProjection, type Projection } from '@bascule/event-store';

/** Tops the log up to `target` events with large batches from 4 writers (setup, not measured). */
export async function fillLog(pool: Pool, target: number, onProgress: (count: number) => void): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM bascule.events');
  let count = Number(rows[0].n);
  let stream = 0;
  const batch = 2000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (count < target) {
        const size = Math.min(batch, target - count);
        count += size;
        const events = Array.from({ length: size }, (_, i) => ({ type: i % 10 === 0 ? 'MigrationStarted' : 'StepCompleted', data: { i, rows: i * 3, note: 'replay' } }));
        await appendEvents(pool, `migration-fill-${stream++}`, events, { expectedVersion: 'no_stream' });
        onProgress(count);
      }
    }),
  );
  return count;
}

/** Reads the whole log in commit-safe order, page by page, as a catching-up reader does. */
export async function measureReadAll(pool: Pool, pageSize = 5000): Promise<{ events: number; eventsPerSecond: number }> {
  const started = process.hrtime.bigint();
  let events = 0;
  for (let page = await readAll(pool, { limit: pageSize }); page.events.length > 0; page = await readAll(pool, { after: page.checkpoint, limit: pageSize })) {
    events += page.events.length;
  }
  return { events, eventsPerSecond: events / (Number(process.hrtime.bigint() - started) / 1e9) };
}

const historyCounts: Projection<Record<string, number>> = {
  name: 'bench-history',
  initialState: () => ({}),
  evolve: (state, event) => {
    state[event.type] = (state[event.type] ?? 0) + 1;
    return state;
  },
};

/** Rebuilds a projection from position 0: read-all plus the fold. */
export async function measureProjectionReplay(pool: Pool): Promise<{ events: number; eventsPerSecond: number }> {
  const started = process.hrtime.bigint();
  const { state } = await replayProjection(pool, historyCounts);
  const events = Object.values(state).reduce((a, b) => a + b, 0);
  return { events, eventsPerSecond: events / (Number(process.hrtime.bigint() - started) / 1e9) };
}
