import type { Pool } from 'pg';
import { chainHash, contentHash } from './event-hash';

export interface ChainsIntact {
  ok: true;
  streams: number;
  events: number;
}

export interface ChainBroken {
  ok: false;
  streamId: string;
  streamVersion: number;
  globalPosition: bigint;
  reason: string;
}

export type ChainVerification = ChainsIntact | ChainBroken;

interface ChainRow {
  global_position: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  content_hash: Buffer;
  previous_hash: Buffer | null;
  hash: Buffer;
}

const PAGE = 5000;

/**
 * Recomputes every stream's hash chain and stops at the first event that does not fit: content
 * that no longer matches its hash (edited in place), a link to a hash that is not its
 * predecessor's, or a missing version (deleted). Without a key this catches edits that bypass the
 * triggers, not a forger who rewrites a stream's whole tail.
 */
export async function verifyChains(pool: Pool): Promise<ChainVerification> {
  let streams = 0;
  let events = 0;
  let previous: ChainRow | null = null;
  for (;;) {
    const rows = await readChainPage(pool, previous);
    for (const row of rows) {
      const sameStream = previous !== null && previous.stream_id === row.stream_id;
      if (!sameStream) streams++;
      const broken = checkLink(sameStream ? previous : null, row);
      if (broken) return broken;
      previous = row;
      events++;
    }
    if (rows.length < PAGE) return { ok: true, streams, events };
  }
}

/** The next page in (stream_id, stream_version) order, keyset-paged on the unique index. */
async function readChainPage(pool: Pool, after: ChainRow | null): Promise<ChainRow[]> {
  const { rows } = await pool.query<ChainRow>(
    `SELECT global_position, stream_id, stream_version, event_id, type, data, metadata, content_hash, previous_hash, hash
       FROM bascule.events
      WHERE $1::text IS NULL OR (stream_id, stream_version) > ($1::text, $2::int)
      ORDER BY stream_id, stream_version
      LIMIT ${PAGE}`,
    [after?.stream_id ?? null, after?.stream_version ?? 0],
  );
  return rows;
}

function checkLink(previous: ChainRow | null, row: ChainRow): ChainBroken | null {
  const brokenAt = (reason: string): ChainBroken => ({
    ok: false,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: BigInt(row.global_position),
    reason,
  });
  const expectedVersion = previous ? previous.stream_version + 1 : 1;
  if (row.stream_version !== expectedVersion) {
    return brokenAt(`version ${expectedVersion} is missing before version ${row.stream_version}`);
  }
  const expectedPrevious = previous?.hash ?? null;
  if (!sameHash(row.previous_hash, expectedPrevious)) {
    return brokenAt(`previous_hash does not match the hash of version ${row.stream_version - 1}`);
  }
  const content = contentHash({ streamId: row.stream_id, eventId: row.event_id, type: row.type, data: row.data, metadata: row.metadata });
  if (!content.equals(row.content_hash)) return brokenAt('content does not match its stored hash (altered after append)');
  if (!chainHash(expectedPrevious, content, row.stream_version).equals(row.hash)) {
    return brokenAt('hash is not the chain link of its content and predecessor (hash altered)');
  }
  return null;
}

function sameHash(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}
