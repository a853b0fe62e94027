/** What a caller appends: the store assigns positions, versions, hashes and the record time. */
export interface NewEvent {
  /** Idempotency key: appending an id that is already stored is a no-op. Generated (UUIDv7) when omitted. */
  eventId?: string;
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

/** One row of `bascule.events` as readers see it. */
export interface StoredEvent {
  globalPosition: bigint;
  /** The writing transaction's id (xid8): with `globalPosition` it orders the log commit-safely. */
  transactionId: bigint;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: Date;
}

/**
 * `'any'` appends wherever the stream is; `'no_stream'` only if it has no event yet;
 * `'stream_exists'` only if it has at least one; a number only if the stream's last version is
 * exactly that number (versions start at 1, so `0` means the same as `'no_stream'`).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** The stream's version after the append: pass it as the next `expectedVersion`. */
  nextExpectedVersion: number;
  globalPositions: bigint[];
  /** True when every event id was already stored: nothing was written, the stored positions are returned. */
  duplicate: boolean;
}

/** A position in the commit-safe global order: after this transaction id and, within it, this position. */
export interface LogCheckpoint {
  transactionId: bigint;
  globalPosition: bigint;
}

/** Before the first event of the log. */
export const LOG_START: LogCheckpoint = Object.freeze({ transactionId: 0n, globalPosition: 0n });

export function checkpointOf(event: Pick<StoredEvent, 'transactionId' | 'globalPosition'>): LogCheckpoint {
  return { transactionId: event.transactionId, globalPosition: event.globalPosition };
}
