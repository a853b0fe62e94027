import { migrationStreamId } from '../event-store';
import type { Queryable } from '../queryable';

/**
 * The `traceparent` a migration's first event was written under: the span of the request that
 * planned it, the root of the migration's one trace. Undefined for an unknown migration or one
 * planned outside any span.
 */
export async function migrationTraceparent(db: Queryable, migrationId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ traceparent: string | null }>(
    `SELECT metadata->>'traceparent' AS traceparent FROM bascule.events WHERE stream_id = $1 AND stream_version = 1`,
    [migrationStreamId(migrationId)],
  );
  return rows[0]?.traceparent ?? undefined;
}

/**
 * For a message that arrives with no trace context (an on-call `nats pub` of the rollback
 * command): the trace of the migration its payload names — `migrationId` of a command, or of an
 * event envelope's `data` — so its handling joins that migration's trace instead of starting one.
 */
export function migrationTraceOrigin(db: Queryable): (payload: unknown) => Promise<string | undefined> {
  return async (payload) => {
    const migrationId = migrationIdOf(payload);
    return migrationId ? migrationTraceparent(db, migrationId) : undefined;
  };
}

function migrationIdOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const record = payload as { migrationId?: unknown; data?: { migrationId?: unknown } };
  const id = record.migrationId ?? record.data?.migrationId;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}
