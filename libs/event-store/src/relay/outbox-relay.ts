import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { ensureStreams, type BusTopology } from '@bascule/messaging';
import type { StoredEvent } from '../event';
import { readAll } from '../read/read-all';
import { abortableSleep } from '../subscription/abortable-sleep';
import { loadCheckpoint, saveCheckpoint } from '../subscription/checkpoint-store';
import { publishInOrder } from './publish-in-order';
import { holdRelayLease, type RelayLease } from './relay-lease';

export interface OutboxRelayOptions {
  pool: Pool;
  nc: NatsConnection;
  topology: BusTopology;
  /** Names the checkpoint row and the lease; copies with the same id take turns, never publish together. */
  relayId?: string;
  batchSize?: number;
  maxInFlight?: number;
  pollIntervalMs?: number;
  /** Backoff after a failed read or publish before resuming from the stored checkpoint. */
  retryDelayMs?: number;
  /**
   * Store the checkpoint at most this often (default 250 ms), always after the acks it covers.
   * Each store is a commit; batching them keeps a disk flush out of every batch's path. A crash
   * re-publishes at most this much, and JetStream drops the repeats by Nats-Msg-Id.
   */
  checkpointIntervalMs?: number;
  /** Called after a batch is acknowledged by JetStream (its checkpoint may be stored a little later). */
  onPublished?(events: readonly StoredEvent[]): void;
  onError?(error: unknown): void;
}

export interface OutboxRelay {
  /** Resolves once stopped. */
  readonly closed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Publishes every stored event to JetStream in commit-safe global order. The checkpoint moves only
 * after JetStream acknowledged the events it covers, so a crash re-publishes only what came after
 * the last stored checkpoint, and
 * `Nats-Msg-Id` makes the server drop those repeats: every event arrives, none twice.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const controller = new AbortController();
  const closed = runRelay(options, controller.signal);
  closed.catch(() => undefined);
  return {
    closed,
    stop: async () => {
      controller.abort();
      await closed;
    },
  };
}

async function runRelay(options: OutboxRelayOptions, signal: AbortSignal): Promise<void> {
  const relayId = options.relayId ?? 'outbox-relay';
  await ensureStreams(await options.nc.jetstreamManager(), options.topology);
  while (!signal.aborted) {
    const lease = await holdRelayLease(options.pool, relayId, signal);
    if (!lease) return;
    try {
      while (!signal.aborted && !lease.lost) {
        try {
          await relayUntilCaughtUp(options, relayId, signal, lease);
          await abortableSleep(options.pollIntervalMs ?? 50, signal);
        } catch (error) {
          options.onError?.(error);
          await abortableSleep(options.retryDelayMs ?? 1000, signal);
        }
      }
    } finally {
      await lease.release();
    }
  }
}

async function relayUntilCaughtUp(options: OutboxRelayOptions, relayId: string, signal: AbortSignal, lease: RelayLease): Promise<void> {
  const js = options.nc.jetstream();
  const batchSize = options.batchSize ?? 1000;
  const interval = options.checkpointIntervalMs ?? 250;
  let checkpoint = await loadCheckpoint(options.pool, relayId);
  let stored = checkpoint;
  let storedAt = Date.now();
  try {
    while (!signal.aborted && !lease.lost) {
      const page = await readAll(options.pool, { after: checkpoint, limit: batchSize });
      if (page.events.length === 0) return;
      await publishInOrder(js, options.topology, page.events, options.maxInFlight ?? 512);
      checkpoint = page.checkpoint;
      if (Date.now() - storedAt >= interval) {
        await saveCheckpoint(options.pool, relayId, checkpoint);
        stored = checkpoint;
        storedAt = Date.now();
      }
      options.onPublished?.(page.events);
      if (page.events.length < batchSize) return;
    }
  } finally {
    // Everything up to `checkpoint` is acknowledged: record it before idling, stopping or retrying.
    if (stored !== checkpoint) await saveCheckpoint(options.pool, relayId, checkpoint);
  }
}
