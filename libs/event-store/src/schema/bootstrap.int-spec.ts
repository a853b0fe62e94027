import { Client, Pool } from 'pg';
import { TEST_PG_ADMIN_URL, uniqueName } from '@bascule/testing';
import { ensureDatabaseExists, databaseNameOf } from './ensure-database-exists';
import { ensureEventStoreSchema } from './ensure-event-store-schema';
import { appendEvents } from '../append/append-events';

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
        { tgname: 'events_reject_update_delete_statement', tgenabled: 'A' },
      ]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('a service starting while an append stays open neither waits for it nor stalls other appends', async () => {
    const pool = new Pool({ connectionString: url, max: 3 });
    const open = await pool.connect();
    try {
      await ensureEventStoreSchema(pool);
      await open.query('BEGIN');
      await appendEvents(open, 'migration-open', [{ type: 'StepCompleted', data: {} }]);
      // The trigger DDL would queue behind the open append's lock, and every later append behind it.
      await pool.query("ALTER DATABASE " + name + " SET lock_timeout = '2s'");
      const restarted = new Pool({ connectionString: url, max: 1 });
      try {
        await ensureEventStoreSchema(restarted);
        await appendEvents(restarted, 'migration-other', [{ type: 'StepCompleted', data: {} }]);
      } finally {
        await restarted.end();
      }
    } finally {
      await open.query('ROLLBACK').catch(() => undefined);
      open.release();
      await pool.query(`ALTER DATABASE ${name} RESET lock_timeout`);
      await pool.end();
    }
  });

  it('brings back a guard trigger someone disabled and an uncached position sequence, on the next start', async () => {
    const pool = new Pool({ connectionString: url, max: 1 });
    const cache = "SELECT seqcache::int AS cache FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('bascule.events', 'global_position')::regclass";
    try {
      await pool.query('ALTER TABLE bascule.events DISABLE TRIGGER events_reject_update_delete_statement');
      await ensureEventStoreSchema(pool);
      const { rows } = await pool.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'events_reject_update_delete_statement'");
      expect(rows).toEqual([{ tgenabled: 'A' }]);
      await pool.query('ALTER TABLE bascule.events ALTER COLUMN global_position SET CACHE 20');
      await ensureEventStoreSchema(pool);
      expect((await pool.query(cache)).rows).toEqual([{ cache: 1 }]);
    } finally {
      await pool.end();
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
