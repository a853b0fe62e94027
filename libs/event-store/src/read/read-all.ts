import type { Queryable } from '../queryable';
import { LOG_START, checkpointOf, type LogCheckpoint, type StoredEvent } from '../event';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-row';

export interface ReadAllOptions {
  /** Read events strictly after this checkpoint (default: the start of the log). */
  after?: LogCheckpoint;
  limit?: number;
}

export interface ReadAllPage {
  events: StoredEvent[];
  /** Where the next read continues: the last event's checkpoint, or `after` when nothing was read. */
  checkpoint: LogCheckpoint;
}

/**
 * The whole log in commit-safe order. global_position values are taken before commit, so a later
 * position can commit first; reading "position > last seen" would then skip the earlier one for
 * good. Instead read only rows whose writer is older than every transaction still running
 * (pg_snapshot_xmin): no such row can appear later. Order and resume by (transaction_id,
 * global_position): a transaction that commits later always has an id at or above that horizon,
 * so its events sort after anything already read. The price: one long-running writing transaction
 * anywhere on the server holds readers back until it ends. Fine for a replay or a projection
 * rebuilt in bulk; the outbox relay, which carries every live hop, does not read this way (see
 * relay/relay-frontier.ts).
 */
export async function readAll(db: Queryable, options: ReadAllOptions = {}): Promise<ReadAllPage> {
  const after = options.after ?? LOG_START;
  const limit = options.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError(`readAll: limit must be a positive integer, got ${limit}`);
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM bascule.events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY transaction_id, global_position
      LIMIT $3`,
    [after.transactionId.toString(), after.globalPosition.toString(), limit],
  );
  const events = rows.map(toStoredEvent);
  return { events, checkpoint: events.length ? checkpointOf(events[events.length - 1]) : after };
}
