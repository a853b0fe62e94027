import type { Queryable } from '../queryable';

export interface StoredId {
  eventId: string;
  streamId: string;
  globalPosition: bigint;
}

/** Which of the ids are already stored, and where: only read when an append saw a stored id. */
export async function findStoredEventIds(db: Queryable, eventIds: string[]): Promise<StoredId[]> {
  const { rows } = await db.query<{ event_id: string; stream_id: string; global_position: string }>(
    'SELECT event_id, stream_id, global_position FROM bascule.events WHERE event_id = ANY($1::uuid[])',
    [eventIds],
  );
  return rows.map((row) => ({ eventId: row.event_id, streamId: row.stream_id, globalPosition: BigInt(row.global_position) }));
}
