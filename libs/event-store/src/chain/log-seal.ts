import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';

/**
 * What the log held when it was sealed: every stream's head (version and hash), and how many events
 * stood at or below the highest position then. Kept outside the database (a file, a ticket, a log
 * line), a seal lets `bascule events verify --seal` notice what the hash chains alone cannot: a
 * stream's last events deleted, a whole stream deleted, a stream rewritten with fresh hashes, events
 * deleted anywhere below the sealed position. Each seal names the digest of the one before it.
 */
export const LogSeal = z.object({
  format: z.literal('bascule-log-seal/1'),
  sealedAt: z.iso.datetime(),
  /** Highest global position when sealed (decimal text: it is a bigint). */
  throughPosition: z.string().regex(/^\d+$/),
  /** Events at or below throughPosition when sealed. */
  events: z.number().int().nonnegative(),
  streams: z.array(z.object({ streamId: z.string(), version: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) })),
  /** Digest of the previous seal, or null for the first. */
  previous: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** sha256 of the canonical JSON of every field above. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type LogSeal = z.infer<typeof LogSeal>;

export type SealVerification = { ok: true; streams: number } | { ok: false; reason: string };

function digestOf(seal: Omit<LogSeal, 'digest'>): string {
  return createHash('sha256').update(canonicalJson(seal)).digest('hex');
}

/** Seals the log as it is now, in one snapshot, chained to `previous` when given. */
export async function sealLog(pool: Pool, previous: LogSeal | null = null, now: Date = new Date()): Promise<LogSeal> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: totals } = await client.query<{ through: string; events: number }>(
      'SELECT coalesce(max(global_position), 0)::text AS through, count(*)::int AS events FROM bascule.events',
    );
    // Each stream's head, read by the (stream_id, stream_version) index.
    const { rows: heads } = await client.query<{ stream_id: string; stream_version: number; hash: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, stream_version, encode(hash, 'hex') AS hash
         FROM bascule.events ORDER BY stream_id, stream_version DESC`,
    );
    await client.query('COMMIT');
    const body = {
      format: 'bascule-log-seal/1' as const,
      sealedAt: now.toISOString(),
      throughPosition: totals[0].through,
      events: totals[0].events,
      streams: heads.map((head) => ({ streamId: head.stream_id, version: head.stream_version, hash: head.hash })),
      previous: previous?.digest ?? null,
    };
    return { ...body, digest: digestOf(body) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Reads a seal (JSON text) and checks its own digest: a seal edited after the fact is refused. */
export function parseLogSeal(text: string, source: string): LogSeal {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const parsed = LogSeal.safeParse(data);
  if (!parsed.success) throw new Error(`${source} is not a log seal: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(seal)'}: ${issue.message}`).join('; ')}`);
  const { digest, ...body } = parsed.data;
  if (digestOf(body) !== digest) throw new Error(`${source}: the seal's digest does not match its content (the seal itself was edited)`);
  return parsed.data;
}

/**
 * Whether the log still holds everything the seal saw: every sealed stream at least at its sealed
 * version with the sealed hash there, and at least as many events at or below the sealed position.
 * Appends since the seal are fine. Names the first difference.
 */
export async function verifySeal(pool: Pool, seal: LogSeal): Promise<SealVerification> {
  const { rows: totals } = await pool.query<{ events: number }>('SELECT count(*)::int AS events FROM bascule.events WHERE global_position <= $1::bigint', [seal.throughPosition]);
  const { rows } = await pool.query<{ stream_id: string; head: number | null; hash: string | null }>(
    `SELECT sealed.stream_id,
            (SELECT max(e.stream_version) FROM bascule.events e WHERE e.stream_id = sealed.stream_id) AS head,
            (SELECT encode(e.hash, 'hex') FROM bascule.events e WHERE e.stream_id = sealed.stream_id AND e.stream_version = sealed.version) AS hash
       FROM unnest($1::text[], $2::int[]) AS sealed(stream_id, version)`,
    [seal.streams.map((stream) => stream.streamId), seal.streams.map((stream) => stream.version)],
  );
  const now = new Map(rows.map((row) => [row.stream_id, row]));
  for (const sealed of seal.streams) {
    const current = now.get(sealed.streamId);
    if (!current || current.head === null) return { ok: false, reason: `stream "${sealed.streamId}" is gone (sealed at version ${sealed.version})` };
    if (current.head < sealed.version) {
      return { ok: false, reason: `stream "${sealed.streamId}" ends at version ${current.head}, the seal saw version ${sealed.version}: its last events were deleted` };
    }
    if (current.hash !== sealed.hash) return { ok: false, reason: `stream "${sealed.streamId}" version ${sealed.version} is not the event the seal saw (rewritten)` };
  }
  if (totals[0].events < seal.events) {
    return { ok: false, reason: `${totals[0].events} events stand at or below position ${seal.throughPosition}, the seal counted ${seal.events}: events were deleted` };
  }
  return { ok: true, streams: seal.streams.length };
}
