import { createHash } from 'node:crypto';

/**
 * A stable event id for one fact of one command: a redelivered command computes the same ids,
 * so the event store's id idempotency turns its appends into no-ops. Formatted as a version-5
 * (SHA-1, name-based) UUID so it passes any uuid validation downstream.
 */
export function stepEventId(commandId: string, kind: string): string {
  const bytes = createHash('sha1').update(`${commandId}\u0000${kind}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
