import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { isExpectedVersionConflictError } from '../errors/expected-version-conflict.error';
import { EventStore } from '../event-store';
import { appendEvents } from './append-events';

describe('append (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('es_append');
    pool = new Pool({ connectionString: db.url, max: 20 });
    // pool.end() does not wait for the server side to close; dropping the database may then
    // terminate those sessions, which is harmless at teardown.
    pool.on('error', () => undefined);
    await Promise.all(Array.from({ length: 6 }, () => ensureEventStoreSchema(pool)));
    store = new EventStore(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('appends a batch atomically and returns versions and positions', async () => {
    const result = await store.append('migration-batch', [
      { type: 'MigrationRequested', data: { n: 1 } },
      { type: 'PlanComputed', data: { n: 2 }, metadata: { actor: 'test' } },
    ], { expectedVersion: 'no_stream' });
    expect(result.nextExpectedVersion).toBe(2);
    expect(result.duplicate).toBe(false);
    expect(result.globalPositions[1]).toBeGreaterThan(result.globalPositions[0]);
    const events = await store.readStream('migration-batch');
    expect(events.map((e) => [e.streamVersion, e.type, e.data])).toEqual([
      [1, 'MigrationRequested', { n: 1 }],
      [2, 'PlanComputed', { n: 2 }],
    ]);
    expect(events[1].metadata).toEqual({ actor: 'test' });
    expect(events.map((e) => e.globalPosition)).toEqual(result.globalPositions);
  });

  it('honours every expected-version form and writes nothing on a mismatch', async () => {
    const stream = 'migration-expect';
    await expect(store.append(stream, [{ type: 'A', data: {} }], { expectedVersion: 'stream_exists' })).rejects.toMatchObject({
      code: 'EXPECTED_VERSION_CONFLICT', streamId: stream, expected: 'stream_exists', actual: 0,
    });
    await store.append(stream, [{ type: 'A', data: {} }], { expectedVersion: 0 });
    await expect(store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 'no_stream' })).rejects.toMatchObject({ actual: 1 });
    await expect(store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 5 })).rejects.toMatchObject({ expected: 5, actual: 1 });
    await store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 'stream_exists' });
    await store.append(stream, [{ type: 'C', data: {} }], { expectedVersion: 2 });
    await store.append(stream, [{ type: 'D', data: {} }]);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    expect((await store.readStream(stream, { fromVersion: 2, maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
  });

  it('16 concurrent writers with exact versions: one winner per version, typed conflicts, no gaps', async () => {
    const stream = 'migration-race';
    const wins: number[] = [];
    let conflicts = 0;
    const writer = async (w: number) => {
      for (let round = 0; round < 8; round++) {
        const head = await store.readStream(stream);
        const version = head.length;
        try {
          await store.append(stream, [{ type: 'Step', data: { w, round } }], { expectedVersion: version });
          wins.push(version + 1);
        } catch (error) {
          if (!isExpectedVersionConflictError(error)) throw error;
          expect(error.actual).toBeGreaterThan(version);
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)));
    const events = await store.readStream(stream);
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    expect([...wins].sort((a, b) => a - b)).toEqual(events.map((e) => e.streamVersion));
    expect(conflicts).toBeGreaterThan(0);
    expect(wins.length + conflicts).toBe(16 * 8);
  });

  it("'any' under concurrency retries the version race internally and always succeeds", async () => {
    const stream = 'migration-any';
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, w) => store.append(stream, [{ type: 'A', data: { w } }, { type: 'B', data: { w } }])),
    );
    const events = await store.readStream(stream);
    expect(events).toHaveLength(32);
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(results.map((r) => r.nextExpectedVersion)).size).toBe(16);
    expect((await store.verifyChains()).ok).toBe(true);
  });

  it('re-appending stored event ids is a reported no-op, also when retried concurrently', async () => {
    const stream = 'migration-idem';
    const events = [
      { eventId: '11111111-1111-4111-8111-111111111111', type: 'A', data: { a: 1 } },
      { eventId: '22222222-2222-4222-8222-222222222222', type: 'B', data: { b: 1 } },
    ];
    const first = await store.append(stream, events, { expectedVersion: 'no_stream' });
    const again = await store.append(stream, events, { expectedVersion: 'no_stream' });
    expect(again).toEqual({ nextExpectedVersion: 2, globalPositions: first.globalPositions, duplicate: true });

    const fresh = { eventId: '33333333-3333-4333-8333-333333333333', type: 'C', data: {} };
    const racing = await Promise.all(Array.from({ length: 8 }, () => store.append(stream, [fresh])));
    expect(racing.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.globalPositions[0]))).toEqual(new Set([racing[0].globalPositions[0]]));
    expect(await store.readStream(stream)).toHaveLength(3);

    await expect(store.append('migration-other', [events[0]])).rejects.toMatchObject({ code: 'EVENT_ID_REUSED' });
    await expect(store.append(stream, [events[0], { type: 'D', data: {} }])).rejects.toMatchObject({ code: 'EVENT_ID_REUSED' });
    expect(await store.readStream('migration-other')).toHaveLength(0);
  });

  it("inside the caller's transaction: a re-append is a reported no-op and the transaction goes on", async () => {
    const stream = 'migration-in-tx';
    const event = { eventId: '55555555-5555-4555-8555-555555555555', type: 'A', data: { a: 1 } };
    const first = await store.append(stream, [event], { expectedVersion: 'no_stream' });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const again = await appendEvents(client, stream, [event], { expectedVersion: 'no_stream' });
      expect(again).toEqual({ nextExpectedVersion: 1, globalPositions: first.globalPositions, duplicate: true });
      const next = await appendEvents(client, stream, [{ type: 'B', data: {} }], { expectedVersion: 1 });
      expect(next.nextExpectedVersion).toBe(2);
      await expect(appendEvents(client, stream, [{ type: 'C', data: {} }], { expectedVersion: 1 })).rejects.toMatchObject({
        code: 'EXPECTED_VERSION_CONFLICT',
        actual: 2,
      });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
  });

  it('rejects bad input before writing anything', async () => {
    await expect(store.append('migration-bad', [{ type: 'has space', data: {} }])).rejects.toMatchObject({ code: 'INVALID_APPEND' });
    await expect(store.append('migration-bad', [{ type: 'A', data: { s: 'nul\u0000' } }])).rejects.toMatchObject({ code: 'INVALID_APPEND' });
    expect(await store.readStream('migration-bad')).toHaveLength(0);
  });
});
