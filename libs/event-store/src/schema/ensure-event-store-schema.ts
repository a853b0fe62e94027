import type { Pool } from 'pg';
import { EVENT_STORE_DDL } from './event-store.ddl';

/** Advisory lock key serializing schema bootstrap across services (arbitrary, fixed). */
const SCHEMA_LOCK_KEY = 4_243_117_001;

/**
 * Creates schema `bascule`, its tables, indexes and append-only triggers if missing. Safe when six
 * services start at once: the transaction-scoped advisory lock makes them run one after another,
 * and every statement is a no-op the second time.
 */
export async function ensureEventStoreSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    for (const statement of EVENT_STORE_DDL) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
