import type { Queryable } from '../queryable';
import { loadCheckpoint } from '../subscription/checkpoint-store';
import { abortableSleep } from '../subscription/abortable-sleep';
import type { LogCheckpoint } from '../event';
import { inFlightAppenders } from './relay-reads';

/** Records a relay's checkpoint (a position, see RelayFrontier). Only ever moves forward. */
export async function saveRelayCheckpoint(db: Queryable, relayId: string, position: bigint): Promise<void> {
  await db.query(
    `INSERT INTO bascule.relay_checkpoints AS c (relay_id, global_position) VALUES ($1, $2::bigint)
     ON CONFLICT (relay_id) DO UPDATE SET global_position = excluded.global_position, updated_at = now()
      WHERE c.global_position < excluded.global_position`,
    [relayId, position.toString()],
  );
}

/** The relay's stored checkpoint, or null when it has none (see loadRelayCheckpoint). */
export async function storedRelayCheckpoint(db: Queryable, relayId: string): Promise<bigint | null> {
  const { rows } = await db.query<{ global_position: string }>('SELECT global_position FROM bascule.relay_checkpoints WHERE relay_id = $1', [relayId]);
  return rows.length ? BigInt(rows[0].global_position) : null;
}

/**
 * Where the relay resumes. A relay that last ran before relay checkpoints were positions left a
 * commit-order checkpoint in `bascule.checkpoints` (see positionAfterLegacyCheckpoint); one with
 * neither starts at the beginning of the log.
 */
export async function loadRelayCheckpoint(db: Queryable, relayId: string, signal?: AbortSignal): Promise<bigint> {
  const stored = await storedRelayCheckpoint(db, relayId);
  if (stored !== null) return stored;
  const { rows } = await db.query('SELECT 1 FROM bascule.checkpoints WHERE subscriber_id = $1', [relayId]);
  if (rows.length === 0) return 0n;
  const position = await positionAfterLegacyCheckpoint(db, await loadCheckpoint(db, relayId), signal);
  await saveRelayCheckpoint(db, relayId, position);
  return position;
}

/**
 * The highest position at or below which every event was published under a commit-order
 * checkpoint (every event at or before it in (transaction id, position) order was). An event
 * after it may hold any position, and one still in flight cannot be seen; so: take the last
 * position drawn, wait until every append in flight then has ended, and stop below the lowest
 * committed event after the checkpoint, or at that last drawn position.
 */
async function positionAfterLegacyCheckpoint(db: Queryable, legacy: LogCheckpoint, signal?: AbortSignal): Promise<bigint> {
  const { rows: drawn } = await db.query<{ last: string | null }>(
    `SELECT pg_sequence_last_value(pg_get_serial_sequence('bascule.events', 'global_position')::regclass)::text AS last`,
  );
  const lastDrawn = BigInt(drawn[0].last ?? '0');
  const inFlight = await inFlightAppenders(db);
  for (;;) {
    const now = await inFlightAppenders(db);
    if (![...inFlight].some((id) => now.has(id))) break;
    if (signal?.aborted) throw new Error('stopped while converting the relay checkpoint');
    await abortableSleep(50, signal);
  }
  const { rows } = await db.query<{ first_after: string | null }>(
    `SELECT min(global_position)::text AS first_after FROM bascule.events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND global_position <= $3::bigint`,
    [legacy.transactionId.toString(), legacy.globalPosition.toString(), lastDrawn.toString()],
  );
  const firstAfter = rows[0].first_after;
  return firstAfter === null ? lastDrawn : BigInt(firstAfter) - 1n;
}
