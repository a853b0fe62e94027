import { Client, Pool } from 'pg';
import { TEST_PG_ADMIN_URL, uniqueName } from '@bascule/testing';
import { ensureDatabaseExists, databaseNameOf } from './ensure-database-exists';
import { ensureEventStoreSchema } from './ensure-event-store-schema';

describe('bootstrap when six services start at once (real Postgres)', () => {
  const name = uniqueName('es_boot');
  const url = (() => {
    const u = new URL(TEST_PG_ADMIN_URL);
    u.pathname = `/${name}`;
    return u.toString();
  })();

  afterAll(async () => {
    const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates the missing database and the schema once, concurrently, and is idempotent', async () => {
    await Promise.all(Array.from({ length: 6 }, () => ensureDatabaseExists(url)));
    const pools = Array.from({ length: 6 }, () => new Pool({ connectionString: url, max: 1 }));
    try {
      await Promise.all(pools.map((pool) => ensureEventStoreSchema(pool)));
      await ensureEventStoreSchema(pools[0]);
      const { rows } = await pools[0].query<{ tgname: string; tgenabled: string }>(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'bascule.events'::regclass AND NOT tgisinternal ORDER BY tgname",
      );
      // 'A' = ENABLE ALWAYS: fires under session_replication_role = replica too.
      expect(rows).toEqual([
        { tgname: 'events_chain', tgenabled: 'A' },
        { tgname: 'events_reject_truncate', tgenabled: 'A' },
        { tgname: 'events_reject_update_delete', tgenabled: 'A' },
      ]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('rejects a malformed URL with a typed error that does not echo it', () => {
    expect(() => databaseNameOf('not a url with password secret')).toThrow(expect.objectContaining({ code: 'INVALID_DATABASE_URL' }));
    expect(() => databaseNameOf('postgres://u:secret@host:5432/')).toThrow(/postgres:\/\/user@host:port\/database/);
    let message = '';
    try {
      databaseNameOf('mysql://u:secret@host/db');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/must look like/);
    expect(message).not.toContain('secret');
    expect(databaseNameOf('postgres://root@127.0.0.1:5432/bascule')).toBe('bascule');
  });
});
