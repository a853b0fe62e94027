import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { APPEND_ONLY_SQLSTATE } from '../schema/event-store.ddl';
import { EventStore } from '../event-store';
import { verifyChains } from './verify-chains';
import { verificationReport } from './verification-report';
import { chainHash, contentHash } from './event-hash';

describe('append-only log and tamper evidence (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('es_immutable');
    pool = new Pool({ connectionString: db.url });
    // pool.end() does not wait for the server side to close; dropping the database may then
    // terminate those sessions, which is harmless at teardown.
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
    store = new EventStore(pool);
    await store.append('migration-0', [{ type: 'Step', data: { i: 0 } }, { type: 'Step', data: { i: 1 } }]);
    for (const stream of ['migration-a', 'migration-b']) {
      for (let i = 0; i < 5; i++) await store.append(stream, [{ type: 'Step', data: { i, nested: { z: 1, a: [1, 2] } }, metadata: { actor: 'me' } }]);
    }
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const forbidden = [
    "UPDATE bascule.events SET data = '{\"forged\":true}' WHERE stream_version = 2",
    'DELETE FROM bascule.events WHERE stream_version = 2',
    'TRUNCATE bascule.events',
    // Statements that match no row are refused too: the refusal does not depend on what the log holds.
    "UPDATE bascule.events SET type = 'Forged' WHERE false",
    "DELETE FROM bascule.events WHERE stream_id = 'no-such-stream'",
  ];

  it.each(forbidden)('refuses %s', async (sql) => {
    await expect(pool.query(sql)).rejects.toMatchObject({ code: APPEND_ONLY_SQLSTATE, message: expect.stringContaining('append-only') });
  });

  it.each(forbidden)('refuses %s also under session_replication_role = replica', async (sql) => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await expect(client.query(sql)).rejects.toMatchObject({ code: APPEND_ONLY_SQLSTATE });
    } finally {
      await client.end();
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM bascule.events')).rows[0].n).toBe(12);
  });

  it('verifies intact chains', async () => {
    const result = await verifyChains(pool);
    expect(result).toEqual({ ok: true, streams: 3, events: 12 });
    expect(verificationReport(result)).toMatchObject({ exitCode: 0, message: expect.stringContaining('12 events in 3 streams') });
  });

  it('names the event a superuser altered after dropping the triggers', async () => {
    const { rows } = await pool.query<{ global_position: string }>(
      "SELECT global_position FROM bascule.events WHERE stream_id = 'migration-b' AND stream_version = 3",
    );
    await pool.query('ALTER TABLE bascule.events DISABLE TRIGGER events_reject_update_delete_statement');
    await pool.query('DROP TRIGGER events_reject_update_delete_statement ON bascule.events');
    await pool.query(`UPDATE bascule.events SET data = jsonb_set(data, '{i}', '99') WHERE stream_id = 'migration-b' AND stream_version = 3`);

    const result = await verifyChains(pool);
    expect(result).toEqual({
      ok: false,
      streamId: 'migration-b',
      streamVersion: 3,
      globalPosition: BigInt(rows[0].global_position),
      reason: expect.stringContaining('content does not match'),
    });
    const report = verificationReport(result);
    expect(report.exitCode).toBe(1);
    expect(report.message).toContain(`"migration-b" version 3 (global position ${rows[0].global_position})`);
  });

  it('catches a forger who also recomputes the altered event\'s hash, at the next link', async () => {
    const { rows } = await pool.query("SELECT * FROM bascule.events WHERE stream_id = 'migration-0' AND stream_version = 1");
    const forged = { i: 42 };
    const content = contentHash({ streamId: 'migration-0', eventId: rows[0].event_id, type: 'Step', data: forged, metadata: {} });
    await pool.query("UPDATE bascule.events SET data = $1, content_hash = $2, hash = $3 WHERE stream_id = 'migration-0' AND stream_version = 1", [
      forged,
      content,
      chainHash(null, content, 1),
    ]);
    expect(await verifyChains(pool)).toMatchObject({ ok: false, streamId: 'migration-0', streamVersion: 2, reason: expect.stringContaining('previous_hash') });
  });

  it('detects a deleted event as a missing version', async () => {
    // Remove the stream forged above so the deletion below is the first break in stream order.
    await pool.query("DELETE FROM bascule.events WHERE stream_id = 'migration-0'");
    await pool.query("DELETE FROM bascule.events WHERE stream_id = 'migration-a' AND stream_version = 2");
    expect(await verifyChains(pool)).toMatchObject({ ok: false, streamId: 'migration-a', streamVersion: 3, reason: expect.stringContaining('version 2 is missing') });
  });

  it('re-running the bootstrap restores the triggers', async () => {
    await ensureEventStoreSchema(pool);
    await expect(pool.query('DELETE FROM bascule.events')).rejects.toMatchObject({ code: APPEND_ONLY_SQLSTATE });
  });
});
