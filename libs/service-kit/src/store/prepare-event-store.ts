import { ensureEventStoreSchema, logExposure, serviceRoleGrants } from '@bascule/event-store';
import { PostgresIdempotencyStore } from '@bascule/messaging';
import type { Pool } from 'pg';
import { ensureIdempotencyKeysTable } from './idempotency-keys.ddl';

export class ServiceRoleRefusedError extends Error {}

/**
 * Everything the services need in the event store's database, applied by an admin connection: the
 * event store's DDL, the services' bookkeeping tables, and with `grantTo` the services' role given
 * exactly what it needs (see SERVICE_ROLE_PRIVILEGES). A role that could change the log whatever it
 * is granted (a superuser, the owner) is refused before anything is granted: the grants would
 * promise a protection it does not get.
 */
export async function prepareEventStore(admin: Pool, grantTo?: string): Promise<void> {
  if (grantTo !== undefined) {
    const { rows } = await admin.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists', [grantTo]);
    if (!rows[0]?.exists) throw new ServiceRoleRefusedError(`role "${grantTo}" does not exist: create it first (CREATE ROLE ... LOGIN PASSWORD ...)`);
  }
  await ensureEventStoreSchema(admin);
  await new PostgresIdempotencyStore(admin).prepare();
  await ensureIdempotencyKeysTable(admin);
  if (grantTo === undefined) return;
  const { unrestrictable } = await logExposure(admin, grantTo);
  if (unrestrictable) {
    throw new ServiceRoleRefusedError(`${unrestrictable}: it could alter or empty the log whatever it is granted; give the services a role of their own`);
  }
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    for (const statement of serviceRoleGrants(grantTo)) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
