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
