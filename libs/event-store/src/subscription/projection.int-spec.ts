import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { appendEvents } from '../append/append-events';
import type { StoredEvent } from '../event';
import { subscribe } from './catch-up-subscription';
import { loadCheckpoint } from './checkpoint-store';
import { LiveProjection, replayProjection, type Projection } from './projection';

/** Migration status per stream and a history count: the shape of the planner's read model. */
type MigrationStatus = Record<string, { status: string; steps: number; lastVersion: number }>;

const migrationStatus: Projection<MigrationStatus> = {
  name: 'migration-status',
  initialState: () => ({}),
  evolve: (state, event) => {
    const current = state[event.streamId] ?? { status: 'unknown', steps: 0, lastVersion: 0 };
    const next = { ...current, lastVersion: event.streamVersion };
    if (event.type === 'MigrationStarted') next.status = 'running';
    if (event.type === 'StepCompleted') next.steps += 1;
    if (event.type === 'MigrationCompleted') next.status = 'completed';
    if (event.type === 'MigrationRolledBack') next.status = 'rolled_back';
    return { ...state, [event.streamId]: next };
  },
};

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('subscriptions and projections (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('es_projection');
    pool = new Pool({ connectionString: db.url, max: 12 });
    // pool.end() does not wait for the server side to close; dropping the database may then
    // terminate those sessions, which is harmless at teardown.
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('a projection rebuilt by replay from position 0 equals the live one', async () => {
    const live = new LiveProjection(pool, migrationStatus);
    live.start({ pollIntervalMs: 10, batchSize: 7 });
    const outcome = ['MigrationCompleted', 'MigrationRolledBack'];
    await Promise.all(
      Array.from({ length: 6 }, (_, m) =>
        (async () => {
          const stream = `migration-${m}`;
          await appendEvents(pool, stream, [{ type: 'MigrationStarted', data: { m } }], { expectedVersion: 'no_stream' });
          for (let s = 0; s < 10; s++) await appendEvents(pool, stream, [{ type: 'StepCompleted', data: { s } }]);
          await appendEvents(pool, stream, [{ type: outcome[m % 2], data: {} }]);
        })(),
      ),
    );
    await eventually(() => Object.values(live.state).filter((s) => s.lastVersion === 12).length === 6, 'the live projection');
    await live.stop();

    const rebuilt = await replayProjection(pool, migrationStatus);
    expect(rebuilt.state).toEqual(live.state);
    expect(rebuilt.checkpoint).toEqual(live.checkpoint);
    expect(rebuilt.state['migration-1']).toEqual({ status: 'rolled_back', steps: 10, lastVersion: 12 });
  });

  it('a durable subscriber resumes from its stored checkpoint after a stop', async () => {
    const handled: StoredEvent[] = [];
    const first = subscribe(pool, { subscriberId: 'history', batchSize: 10, pollIntervalMs: 10, handle: (e) => void handled.push(e) });
    await eventually(() => handled.length === 72, 'the backlog');
    await first.stop();
    expect((await loadCheckpoint(pool, 'history')).globalPosition).toBe(handled[71].globalPosition);

    await appendEvents(pool, 'migration-late', [{ type: 'MigrationStarted', data: {} }, { type: 'StepCompleted', data: {} }]);
    const resumed: StoredEvent[] = [];
    const second = subscribe(pool, { subscriberId: 'history', pollIntervalMs: 10, handle: (e) => void resumed.push(e) });
    await eventually(() => resumed.length === 2, 'the new events');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await second.stop();
    expect(resumed.map((e) => e.streamId)).toEqual(['migration-late', 'migration-late']);
  });

  it('a failing handler stops the subscription with its error and does not advance the checkpoint', async () => {
    const failing = subscribe(pool, {
      subscriberId: 'fragile',
      handle: () => {
        throw new Error('projection bug');
      },
    });
    await expect(failing.closed).rejects.toThrow('projection bug');
    expect((await loadCheckpoint(pool, 'fragile')).globalPosition).toBe(0n);
  });
});
