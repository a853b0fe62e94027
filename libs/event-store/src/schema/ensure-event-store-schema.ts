import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { EventStoreError } from '../errors/event-store.error';
import type { Queryable } from '../queryable';
import { EVENT_STORE_DDL } from './event-store.ddl';

const INSUFFICIENT_PRIVILEGE = '42501';

/** The store needs DDL that this connection's role may not run (a least-privilege service role). */
export class EventStoreSchemaOutdatedError extends EventStoreError {
  readonly code = 'EVENT_STORE_SCHEMA_OUTDATED';
}

/** Advisory lock key serializing schema bootstrap across services (arbitrary, fixed). */
const SCHEMA_LOCK_KEY = 4_243_117_001;

/** Names this exact DDL: a store stamped with it needs nothing run. */
export const EVENT_STORE_DDL_DIGEST = createHash('sha256').update(EVENT_STORE_DDL.join('\n;\n')).digest('hex');

/**
 * Creates schema `bascule`, its tables, indexes and append-only triggers if missing, or brings them
 * to this version's DDL. Safe when six services start at once: the transaction-scoped advisory lock
 * makes them run one after another, and every statement is a no-op the second time.
 *
 * A role without the right to run the DDL (the services' role of a least-privilege install, see
 * service-role.ts) gets EventStoreSchemaOutdatedError when the store is not at this DDL yet.
 *
 * A store already at this DDL (its digest stamped in `bascule.store_schema`) is left untouched: the
 * trigger statements take a lock on `bascule.events` that waits for every open append, and every
 * later append would queue behind it, so a service restarting while a long append is open would
 * stall every writer of the log until that append ended.
 */
export async function ensureEventStoreSchema(pool: Pool): Promise<void> {
  if ((await stampedDigest(pool)) === EVENT_STORE_DDL_DIGEST) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    if ((await stampedDigest(client)) !== EVENT_STORE_DDL_DIGEST) {
      for (const statement of EVENT_STORE_DDL) await client.query(statement);
      await client.query(
        `INSERT INTO bascule.store_schema (ddl_digest) VALUES ($1)
         ON CONFLICT (singleton) DO UPDATE SET ddl_digest = excluded.ddl_digest, applied_at = now()`,
        [EVENT_STORE_DDL_DIGEST],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
    const { rows } = await client.query<{ role: string }>('SELECT current_user AS role');
    throw new EventStoreSchemaOutdatedError(
      `the event store's schema is missing or older than this version, and role "${rows[0]?.role}" may not change it: ` +
        'run `bascule events init` with an admin connection first (see docs/security.md, "Least privilege")',
      { cause: error },
    );
  } finally {
    client.release();
  }
}

/** Triggers that keep the log append-only and chained; each must fire always (`tgenabled = 'A'`). */
const GUARD_TRIGGERS = ['events_chain', 'events_reject_update_delete_statement', 'events_reject_truncate'];

/**
 * The stamped digest, or null for a store not stamped yet, whose guard triggers someone disabled, or
 * whose position sequence someone gave a cache (running the DDL again puts both back; the relay
 * relies on positions drawn in time order). Never fails a caller's transaction.
 */
async function stampedDigest(db: Queryable): Promise<string | null> {
  const { rows: present } = await db.query<{ table: string | null }>(`SELECT to_regclass('bascule.store_schema')::text AS table`);
  if (!present[0].table) return null;
  const { rows } = await db.query<{ ddl_digest: string; guarded: boolean }>(
    `SELECT s.ddl_digest,
            (SELECT count(*) FROM pg_trigger t
              WHERE t.tgrelid = 'bascule.events'::regclass AND t.tgname = ANY ($1) AND t.tgenabled = 'A') = cardinality($1::text[])
            AND (SELECT seqcache FROM pg_sequence
                  WHERE seqrelid = pg_get_serial_sequence('bascule.events', 'global_position')::regclass) = 1 AS guarded
       FROM bascule.store_schema AS s`,
    [GUARD_TRIGGERS],
  );
  return rows[0]?.guarded ? rows[0].ddl_digest : null;
}
