import type { Queryable } from '@bascule/event-store';

/**
 * The planner's `Idempotency-Key` records live next to the event store (same database, schema
 * `bascule`). A row with a null response is a request still running under that key. Created when
 * missing; an existing table is left alone without DDL, which a least-privilege role may not run.
 */
export async function ensureIdempotencyKeysTable(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ found: string | null }>(`SELECT to_regclass('bascule.idempotency_keys')::text AS found`);
  if (rows[0]?.found) return;
  await db.query('CREATE SCHEMA IF NOT EXISTS bascule');
  await db.query(`CREATE TABLE IF NOT EXISTS bascule.idempotency_keys (
    key text PRIMARY KEY,
    request_hash text NOT NULL,
    status int,
    response jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
}
