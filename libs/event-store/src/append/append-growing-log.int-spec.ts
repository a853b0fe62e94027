import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { appendEvents } from './append-events';

/**
 * Appends are one call of a plpgsql function whose plans each connection caches. A plan cached while
 * the log was nearly empty must not keep scanning the whole log once it has grown: that made every
 * append cost milliseconds of server CPU on a freshly created store.
 */
describe('appends on a log that grew after the plans were cached (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('es_grow');
    // One connection: every append below reuses the plans it cached while the log was tiny.
    pool = new Pool({ connectionString: db.url, max: 1 });
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
    // No autovacuum ANALYZE here: it would invalidate the cached plans and hide a bad one.
    await pool.query('ALTER TABLE bascule.events SET (autovacuum_enabled = false)');
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function sequentialScansOfLog(): Promise<number> {
    // Flushed when the session next goes idle, so the following statement sees this session's counts.
    await pool.query('SELECT pg_stat_force_next_flush()');
    const { rows } = await pool.query<{ seq_scan: string }>(
      "SELECT seq_scan FROM pg_stat_user_tables WHERE relid = 'bascule.events'::regclass",
    );
    return Number(rows[0].seq_scan);
  }

  it('reads the head, the ids and the previous hash by index, not by scanning the log', async () => {
    for (let i = 0; i < 3; i++) await appendEvents(pool, `tiny-${i}`, [{ type: 'A', data: { i } }]);
    await pool.query('VACUUM ANALYZE bascule.events'); // statistics now say: three rows
    // Past plpgsql's first five custom plans, so the cached generic plans are built on those statistics.
    for (let i = 0; i < 10; i++) {
      await appendEvents(pool, 'warm', [{ type: 'A', data: { i } }], { expectedVersion: i });
      await appendEvents(pool, 'warm', [{ type: 'A', data: { i } }], { expectedVersion: 0 }).catch(() => undefined);
    }
    for (let batch = 0; batch < 10; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => ({ type: 'Fill', data: { batch, i } }));
      await appendEvents(pool, `fill-${batch}`, events, { expectedVersion: 'no_stream' });
    }

    const before = await sequentialScansOfLog();
    let version = 10;
    for (let i = 0; i < 10; i++) {
      version = (await appendEvents(pool, 'warm', [{ type: 'B', data: { i } }], { expectedVersion: version })).nextExpectedVersion;
    }
    const stored = { eventId: '44444444-4444-4444-8444-444444444444', type: 'C', data: {} };
    await appendEvents(pool, 'warm', [stored]);
    expect((await appendEvents(pool, 'warm', [stored])).duplicate).toBe(true);
    await expect(appendEvents(pool, 'warm', [{ type: 'D', data: {} }], { expectedVersion: 3 })).rejects.toMatchObject({
      code: 'EXPECTED_VERSION_CONFLICT',
      actual: 21,
    });
    expect(await sequentialScansOfLog()).toBe(before);
  });
});
