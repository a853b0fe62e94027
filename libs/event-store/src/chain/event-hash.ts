import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The fields of an event its content hash covers. The stream version is not among them (the writer
 * does not know it before the insert): the chain link covers it.
 */
export interface HashedFields {
  streamId: string;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/**
 * sha256 over the event's fields. Encoding them as one JSON array keeps field boundaries
 * unambiguous ("ab"+"c" never hashes like "a"+"bc"); canonical JSON makes the writer's object and
 * Postgres' jsonb (which reorders keys) hash the same. The writer computes it; the verifier
 * recomputes it from the stored row.
 */
export function contentHash(event: HashedFields): Buffer {
  const input = JSON.stringify([
    event.streamId,
    event.eventId.toLowerCase(),
    event.type,
    canonicalJson(event.data),
    canonicalJson(event.metadata),
  ]);
  return createHash('sha256').update(input).digest();
}

/**
 * The chain link: sha256(previous event's hash || content hash || version as decimal text); the
 * first event of a stream has no previous hash. Postgres computes the same in the insert trigger
 * (event-store.ddl.ts), so writers cannot link it wrongly; the verifier recomputes it here.
 */
export function chainHash(previousHash: Buffer | null, content: Buffer, streamVersion: number): Buffer {
  return createHash('sha256')
    .update(previousHash ?? Buffer.alloc(0))
    .update(content)
    .update(String(streamVersion), 'utf8')
    .digest();
}
