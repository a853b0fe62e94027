import type { Queryable } from '../queryable';
import type { StoredEvent } from '../event';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from '../read/event-row';
import type { AppenderSet } from './relay-frontier';

/**
 * The transactions holding `RowExclusiveLock` on `bascule.events` in this database: every INSERT
 * takes it while its statement is planned, before any identity default draws a position, and keeps
 * it until the transaction ends (Postgres releases it after the commit is visible to new
 * snapshots). Identified by virtual transaction id, unique per transaction, so a backend that moved
 * on to a new transaction no longer counts. pg_locks also lists fast-path locks.
 */
export async function inFlightAppenders(db: Queryable): Promise<AppenderSet> {
  const { rows } = await db.query<{ virtualtransaction: string }>(
    `SELECT virtualtransaction FROM pg_locks
      WHERE locktype = 'relation' AND granted AND mode = 'RowExclusiveLock'
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND relation = 'bascule.events'::regclass`,
  );
  return new Set(rows.map((row) => row.virtualtransaction));
}

/**
 * One snapshot, one statement: up to `limit` committed events after `after` in position order,
 * and every committed event inside the gap ranges (unbounded: a gap holds at most what its
 * in-flight appends wrote). Both read by the primary key.
 */
export async function readRelayPage(
  db: Queryable,
  after: bigint,
  limit: number,
  gaps: ReadonlyArray<{ from: bigint; to: bigint }>,
): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>(
    `(SELECT ${EVENT_COLUMNS} FROM bascule.events WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2)
     UNION ALL
     (SELECT filled.* FROM unnest($3::bigint[], $4::bigint[]) AS gap(lo, hi),
        LATERAL (SELECT ${EVENT_COLUMNS} FROM bascule.events WHERE global_position BETWEEN gap.lo AND gap.hi) AS filled)`,
    [after.toString(), limit, gaps.map((gap) => gap.from.toString()), gaps.map((gap) => gap.to.toString())],
  );
  return rows.map(toStoredEvent);
}
