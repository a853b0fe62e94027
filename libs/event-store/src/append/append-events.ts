import { Pool } from 'pg';
import type { Queryable } from '../queryable';
import type { AppendOptions, AppendResult, ExpectedVersion, NewEvent } from '../event';
import { contentHash } from '../chain/event-hash';
import { EventIdReusedError } from '../errors/event-id-reused.error';
import { ExpectedVersionConflictError } from '../errors/expected-version-conflict.error';
import { matchesExpectedVersion } from './expected-version';
import { prepareAppend, type PreparedEvent } from './prepare-append';
import { insertAtKnownHead, knownHeadVersion, runAppendStatement } from './append-statement';
import { CHAIN_GAP_SQLSTATE } from '../schema/event-store.ddl';
import { findStoredEventIds } from './stored-event-ids';

const UNIQUE_VIOLATION = '23505';
/** What a direct insert at a known head fails with when the stream is not where the writer thought. */
const STREAM_MOVED = new Set([UNIQUE_VIOLATION, CHAIN_GAP_SQLSTATE]);
/** Bounds the internal retries of an `'any'` append that keeps losing the version race. */
const MAX_ATTEMPTS = 50;

/**
 * Appends a batch to one stream, atomically, in one statement (see append-statement.ts). Two
 * writers that read the same head cannot both insert version n+1: the loser gets a unique
 * violation and re-runs; its next round reports the typed conflict (or, with `'any'`, appends on
 * the new head). Re-appending stored ids is a no-op reported as `duplicate: true`.
 *
 * On a pool the first round, when the expected version tells the head (exact or `'no_stream'`),
 * inserts directly (see insertAtKnownHead); if the stream was not there, or an id is stored, the
 * insert fails having written nothing and the next rounds go through `bascule.append_events`,
 * which reads the head and the ids and says which it was. Other first rounds skip the stored-id
 * lookup: a stored id then fails the insert with a unique violation and the next round looks. In a
 * caller's transaction any such violation would abort the caller's work, so every round there
 * looks first.
 */
export async function appendEvents(
  db: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  const expected = options.expectedVersion ?? 'any';
  const prepared = prepareAppend(streamId, events);
  matchesExpectedVersion(streamId, expected, 0); // rejects a malformed expected version before any round trip
  const hashes = prepared.map((event) => contentHash({ ...event, streamId }));
  const onPool = db instanceof Pool;
  const knownHead = knownHeadVersion(expected);
  if (onPool && knownHead !== null) {
    try {
      const globalPositions = await insertAtKnownHead(db, streamId, prepared, hashes, knownHead);
      return { nextExpectedVersion: knownHead + prepared.length, globalPositions, duplicate: false };
    } catch (error) {
      if (!STREAM_MOVED.has((error as { code?: string }).code ?? '')) throw error;
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const checkIds = !onPool || attempt > 1 || knownHead !== null;
      const result = await runAppendStatement(db, streamId, prepared, hashes, expected, checkIds);
      if (result.sawStoredId) return await duplicateResult(db, streamId, prepared, result.headVersion);
      if (result.positions.length === 0) throw new ExpectedVersionConflictError(streamId, expected, result.headVersion);
      return { nextExpectedVersion: result.headVersion + prepared.length, globalPositions: result.positions, duplicate: false };
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      // A caller's own transaction is aborted by the violation, so there is no next round there.
      if (!onPool) throw raceLostInTransaction(streamId, expected, prepared, error);
      if (attempt >= MAX_ATTEMPTS) throw new ExpectedVersionConflictError(streamId, expected, null, { cause: error });
    }
  }
}

function raceLostInTransaction(streamId: string, expected: ExpectedVersion, prepared: PreparedEvent[], error: unknown): Error {
  if ((error as { constraint?: string }).constraint === 'events_event_id_key') {
    return new EventIdReusedError(streamId, prepared.map((event) => event.eventId));
  }
  return new ExpectedVersionConflictError(streamId, expected, null, { cause: error });
}

/** Every id stored in this stream: an exact retry, report the stored positions. Anything else: a typed error. */
async function duplicateResult(db: Queryable, streamId: string, prepared: PreparedEvent[], headVersion: number): Promise<AppendResult> {
  const stored = await findStoredEventIds(db, prepared.map((event) => event.eventId));
  const byId = new Map(stored.map((s) => [s.eventId, s]));
  const globalPositions: bigint[] = [];
  for (const event of prepared) {
    const match = byId.get(event.eventId);
    if (match?.streamId !== streamId) throw new EventIdReusedError(streamId, stored.map((s) => s.eventId));
    globalPositions.push(match.globalPosition);
  }
  return { nextExpectedVersion: headVersion, globalPositions, duplicate: true };
}
