import type { Queryable } from '@bascule/event-store';

/**
 * `Idempotency-Key` records live next to the event store (same database, schema `bascule`). A row
 * with a null response is a request still running under that key. Created idempotently on boot.
 */
export async function ensureIdempotencyKeysTable(db: Queryable): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS bascule.idempotency_keys (
    key text PRIMARY KEY,
    request_hash text NOT NULL,
    status int,
    response jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
}
