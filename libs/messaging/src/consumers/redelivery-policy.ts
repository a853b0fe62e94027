import { UnrecoverableMessageError } from '../errors/unrecoverable-message.error';

/** Delays (ms) before the 1st, 2nd, ... redelivery of a failed message; the last one repeats. */
export type Backoff = readonly number[];

export const DEFAULT_BACKOFF: Backoff = [1_000, 5_000, 15_000, 30_000];
export const DEFAULT_MAX_DELIVER = 5;

/**
 * How long the server waits for an ack before it hands a command to another copy. Short on purpose:
 * a handler that is alive says so every third of it (`working()`), however long its work (a backfill,
 * a baseline of a large table), so only a copy that died lets it run out, and its command is running
 * again elsewhere, or on the restarted copy, within this time instead of minutes.
 */
export const DEFAULT_ACK_WAIT_MS = 10_000;

export function nakDelayFor(deliveries: number, backoff: Backoff): number {
  if (backoff.length === 0) return 0;
  return backoff[Math.min(Math.max(deliveries, 1), backoff.length) - 1];
}

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter' };

/**
 * What to do with a message whose handler failed on delivery number `deliveries` (1-based): retry
 * after a delay while attempts remain and the error may be transient, otherwise dead-letter.
 */
export function decideOnFailure(error: unknown, deliveries: number, maxDeliver: number, backoff: Backoff): FailureDecision {
  if (error instanceof UnrecoverableMessageError) return { action: 'dead-letter' };
  if (deliveries >= maxDeliver) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: nakDelayFor(deliveries, backoff) };
}
