import type { Queryable } from '../queryable';
import { LOG_START, type LogCheckpoint } from '../event';

/** Where a subscriber left off, or the start of the log for a new one. */
export async function loadCheckpoint(db: Queryable, subscriberId: string): Promise<LogCheckpoint> {
  const { rows } = await db.query<{ transaction_id: string; global_position: string }>(
    'SELECT transaction_id::text AS transaction_id, global_position FROM bascule.checkpoints WHERE subscriber_id = $1',
    [subscriberId],
  );
  if (rows.length === 0) return LOG_START;
  return { transactionId: BigInt(rows[0].transaction_id), globalPosition: BigInt(rows[0].global_position) };
}

/**
 * Records progress. Only ever moves forward: a slow, superseded copy of a subscriber that saves an
 * older checkpoint late must not rewind the others.
 */
export async function saveCheckpoint(db: Queryable, subscriberId: string, checkpoint: LogCheckpoint): Promise<void> {
  await db.query(
    `INSERT INTO bascule.checkpoints AS c (subscriber_id, transaction_id, global_position)
     VALUES ($1, $2::xid8, $3::bigint)
     ON CONFLICT (subscriber_id) DO UPDATE
        SET transaction_id = excluded.transaction_id, global_position = excluded.global_position, updated_at = now()
      WHERE (c.transaction_id, c.global_position) < (excluded.transaction_id, excluded.global_position)`,
    [subscriberId, checkpoint.transactionId.toString(), checkpoint.globalPosition.toString()],
  );
}
