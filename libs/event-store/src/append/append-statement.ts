import type { Queryable } from '../queryable';
import type { ExpectedVersion } from '../event';
import type { PreparedEvent } from './prepare-append';

export interface AppendStatementResult {
  /** The stream's version the statement saw (0 = no stream). */
  headVersion: number;
  /** True when one of the event ids was already stored: nothing was written. */
  sawStoredId: boolean;
  /** Positions of the inserted rows in batch order; empty when nothing was written. */
  positions: bigint[];
}

/**
 * One round trip: read the head, check the expected version and the ids, insert the batch. It
 * inserts nothing when the version does not match or an id is already stored, and says which.
 * The chain hash is linked by the `events_chain` trigger; the unique (stream_id, stream_version)
 * index turns a concurrent writer that read the same head into a unique violation.
 */
export async function runAppendStatement(
  db: Queryable,
  streamId: string,
  prepared: PreparedEvent[],
  contentHashes: Buffer[],
  expected: ExpectedVersion,
): Promise<AppendStatementResult> {
  const { rows } = await db.query<{ head: number; stored: boolean; positions: string[] | null }>(
    `WITH head AS (
       SELECT coalesce((SELECT stream_version FROM bascule.events WHERE stream_id = $1
                         ORDER BY stream_version DESC LIMIT 1), 0) AS version
     ), stored AS (
       SELECT EXISTS (SELECT 1 FROM bascule.events WHERE event_id = ANY($4::uuid[])) AS any
     ), inserted AS (
       INSERT INTO bascule.events (stream_id, stream_version, event_id, type, data, metadata, content_hash)
       SELECT $1, head.version + b.n, b.e, b.t, b.d, b.m, b.c
         FROM head, stored,
              unnest($4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8::bytea[]) WITH ORDINALITY AS b(e, t, d, m, c, n)
        WHERE NOT stored.any
          AND CASE $2::text WHEN 'any' THEN true
                            WHEN 'no_stream' THEN head.version = 0
                            WHEN 'stream_exists' THEN head.version > 0
                            ELSE head.version = $3::int END
        ORDER BY b.n
       RETURNING global_position, stream_version
     )
     SELECT head.version AS head, stored.any AS stored,
            (SELECT array_agg(global_position::text ORDER BY stream_version) FROM inserted) AS positions
       FROM head, stored`,
    [
      streamId,
      typeof expected === 'number' ? 'exact' : expected,
      typeof expected === 'number' ? expected : null,
      prepared.map((event) => event.eventId),
      prepared.map((event) => event.type),
      prepared.map((event) => event.dataJson),
      prepared.map((event) => event.metadataJson),
      contentHashes,
    ],
  );
  const row = rows[0];
  return { headVersion: row.head, sawStoredId: row.stored, positions: (row.positions ?? []).map((p) => BigInt(p)) };
}
