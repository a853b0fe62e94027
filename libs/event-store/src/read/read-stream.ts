import type { Queryable } from '../queryable';
import type { StoredEvent } from '../event';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-row';

export interface ReadStreamOptions {
  /** First version to return (versions start at 1). */
  fromVersion?: number;
  maxCount?: number;
}

/** A stream's events in version order; an unknown stream reads as empty. */
export async function readStream(pool: Queryable, streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
  const fromVersion = options.fromVersion ?? 1;
  const maxCount = options.maxCount ?? null;
  if (!Number.isSafeInteger(fromVersion) || (maxCount !== null && (!Number.isSafeInteger(maxCount) || maxCount < 0))) {
    throw new RangeError(`readStream("${streamId}"): fromVersion and maxCount must be integers, maxCount >= 0`);
  }
  const { rows } = await pool.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM bascule.events
      WHERE stream_id = $1 AND stream_version >= $2
      ORDER BY stream_version LIMIT $3`,
    [streamId, fromVersion, maxCount],
  );
  return rows.map(toStoredEvent);
}
