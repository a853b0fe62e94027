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
 * A named statement: each connection parses and plans the call once, later appends only bind and
 * execute it (the unnamed form re-parsed a large statement per append: ~0.25 ms of server CPU).
 * The name carries the function's version so a changed call never reuses an old prepared one.
 */
const APPEND_STATEMENT = {
  name: 'bascule_append_events_v1',
  text: `SELECT head_version, stored_id_seen, global_positions::text[] AS positions
           FROM bascule.append_events($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
};

/**
 * The stream version right before the batch, when the writer knows it without reading the head:
 * an exact expected version, or `'no_stream'` (0). `'any'` and `'stream_exists'` must read it.
 */
export function knownHeadVersion(expected: ExpectedVersion): number | null {
  if (typeof expected === 'number') return expected;
  return expected === 'no_stream' ? 0 : null;
}

/**
 * The common append, when the head is known (see knownHeadVersion): a plain INSERT of versions
 * head+1… with no head lookup and no function call (measured here: about twice the appends per
 * second of `bascule.append_events` with 16 writers). The database still guards it: a writer that
 * got there first fails it on `events_stream_version_key`, a stored id on `events_event_id_key`,
 * and a stream behind the expected version on the chain trigger's gap check (CHAIN_GAP_SQLSTATE);
 * each of these writes nothing, and the caller then asks `bascule.append_events` what happened.
 * Rows go in version order so the chain trigger of each finds the one before it.
 */
const INSERT_AT_KNOWN_HEAD = {
  name: 'bascule_insert_events_v1',
  text: `INSERT INTO bascule.events (stream_id, stream_version, event_id, type, data, metadata, content_hash)
         SELECT $1, $2 + b.n, b.e, b.t, b.d, b.m, b.c
           FROM unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::bytea[]) WITH ORDINALITY AS b(e, t, d, m, c, n)
          ORDER BY b.n
         RETURNING global_position::text AS position, stream_version`,
};

export async function insertAtKnownHead(
  db: Queryable,
  streamId: string,
  prepared: PreparedEvent[],
  contentHashes: Buffer[],
  headVersion: number,
): Promise<bigint[]> {
  const { rows } = await db.query<{ position: string; stream_version: number }>({
    ...INSERT_AT_KNOWN_HEAD,
    values: [
      streamId,
      headVersion,
      prepared.map((event) => event.eventId),
      prepared.map((event) => event.type),
      prepared.map((event) => event.dataJson),
      prepared.map((event) => event.metadataJson),
      contentHashes,
    ],
  });
  return rows.sort((a, b) => a.stream_version - b.stream_version).map((row) => BigInt(row.position));
}

/**
 * One round trip: `bascule.append_events` (event-store.ddl.ts) reads the head, checks the expected
 * version (and, with `checkIds`, the ids) and inserts the batch, or inserts nothing and says why.
 * Without `checkIds` an already stored id fails the insert with a unique violation on
 * `events_event_id_key` instead of being looked up first.
 */
export async function runAppendStatement(
  db: Queryable,
  streamId: string,
  prepared: PreparedEvent[],
  contentHashes: Buffer[],
  expected: ExpectedVersion,
  checkIds: boolean,
): Promise<AppendStatementResult> {
  const { rows } = await db.query<{ head_version: number; stored_id_seen: boolean; positions: string[] | null }>({
    ...APPEND_STATEMENT,
    values: [
      streamId,
      typeof expected === 'number' ? 'exact' : expected,
      typeof expected === 'number' ? expected : null,
      checkIds,
      prepared.map((event) => event.eventId),
      prepared.map((event) => event.type),
      prepared.map((event) => event.dataJson),
      prepared.map((event) => event.metadataJson),
      contentHashes,
    ],
  });
  const row = rows[0];
  return { headVersion: row.head_version, sawStoredId: row.stored_id_seen, positions: (row.positions ?? []).map((p) => BigInt(p)) };
}
