import type { Queryable } from '../queryable';

export interface ListStreamsOptions {
  /** Only streams whose id starts with this (`migration-`). Matched literally, not as a LIKE pattern. */
  prefix?: string;
  /** Only streams whose first event has this type (`MigrationPlanned`). */
  firstEventType?: string;
}

export interface StreamSummary {
  streamId: string;
  /** The stream's last version. */
  version: number;
  createdAt: Date;
}

/**
 * Streams of the log, oldest first: how a restarted process manager finds the migrations it may
 * have to continue. One row per stream, read from each stream's first and last event.
 */
export async function listStreams(db: Queryable, options: ListStreamsOptions = {}): Promise<StreamSummary[]> {
  const { rows } = await db.query<{ stream_id: string; version: number; created_at: Date }>(
    `SELECT first.stream_id, last.version, first.recorded_at AS created_at
       FROM bascule.events first
       CROSS JOIN LATERAL (SELECT max(stream_version)::int AS version FROM bascule.events e WHERE e.stream_id = first.stream_id) last
      WHERE first.stream_version = 1
        AND ($1::text IS NULL OR left(first.stream_id, length($1)) = $1)
        AND ($2::text IS NULL OR first.type = $2)
      ORDER BY first.global_position`,
    [options.prefix ?? null, options.firstEventType ?? null],
  );
  return rows.map((row) => ({ streamId: row.stream_id, version: row.version, createdAt: row.created_at }));
}
