import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { ensureStreams, type BusTopology } from '@bascule/messaging';
import type { LogCheckpoint, StoredEvent } from '../event';
import { hasEventsAfter, readAll } from '../read/read-all';
import { abortableSleep } from '../subscription/abortable-sleep';
import { loadCheckpoint, saveCheckpoint } from '../subscription/checkpoint-store';
import { publishInOrder } from './publish-in-order';
import { holdRelayLease, type RelayLease } from './relay-lease';
import { RelayWakeups, relayWakeSubject } from './relay-wake';

export { relayWakeSubject, wakeRelay } from './relay-wake';

const DEFAULT_POLL_MS = 100;
/** Waits before reading again events readAll held back: the first, doubling up to the last (or the poll interval). */
const HELD_BACK_FIRST_WAIT_MS = 2;
const HELD_BACK_MAX_WAIT_MS = 50;

export interface OutboxRelayOptions {
  pool: Pool;
  nc: NatsConnection;
  topology: BusTopology;
  /** Names the checkpoint row and the lease; copies with the same id take turns, never publish together. */
  relayId?: string;
  batchSize?: number;
  maxInFlight?: number;
  /**
   * Idle wait before looking for new events again (default 100 ms). Every service's appender calls
   * `wakeRelay` after its commit, which ends the wait at once (the planner's step-to-step latency
   * is one relay hop); the poll is the fallback for a lost wake and for appenders without NATS (a
   * script, a test). An idle poll is one index probe on `bascule.events`, but at 10 ms it kept a
   * core a quarter busy (relay and Postgres together) on this 2-core machine.
   */
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
    // Only the copy holding the lease listens for wakes: a standby copy would be woken by every
    // append of every service for nothing.
    const wakeups = new RelayWakeups();
    const wakes = options.nc.subscribe(relayWakeSubject(options.topology), { callback: () => wakeups.notify() });
    try {
      await relayWhileLeased(options, relayId, signal, lease, wakeups);
    } finally {
      try {
        wakes.unsubscribe();
      } catch {
        // The connection closed first: the subscription is gone with it.
      }
      await lease.release();
    }
  }
}

async function relayWhileLeased(options: OutboxRelayOptions, relayId: string, signal: AbortSignal, lease: RelayLease, wakeups: RelayWakeups): Promise<void> {
  // Read once per lease: while the lease is held nobody else moves the checkpoint.
  let checkpoint: LogCheckpoint | null = null;
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  let heldBackWaitMs = 0;
  while (!signal.aborted && !lease.lost) {
    try {
      checkpoint ??= await loadCheckpoint(options.pool, relayId);
      const reached = await relayUntilCaughtUp(options, relayId, signal, lease, checkpoint);
      checkpoint = reached.checkpoint;
      // Held-back events wake nobody when the transaction holding them back ends (it may be the
      // target's write load, in another database of the server): look again soon, backing off so
      // a long transaction costs two index probes per 50 ms, not a busy loop.
      heldBackWaitMs = reached.heldBack ? Math.min(pollMs, HELD_BACK_MAX_WAIT_MS, Math.max(HELD_BACK_FIRST_WAIT_MS, heldBackWaitMs * 2)) : 0;
      await wakeups.idle(reached.heldBack ? heldBackWaitMs : pollMs, signal);
    } catch (error) {
      checkpoint = null;
      options.onError?.(error);
      await abortableSleep(options.retryDelayMs ?? 1000, signal);
    }
  }
}

/**
 * Publishes everything readable after `from`; returns the checkpoint it reached (stored before
 * returning) and whether committed events after it were held back (see hasEventsAfter).
 */
async function relayUntilCaughtUp(
  options: OutboxRelayOptions,
  relayId: string,
  signal: AbortSignal,
  lease: RelayLease,
  from: LogCheckpoint,
): Promise<{ checkpoint: LogCheckpoint; heldBack: boolean }> {
  const js = options.nc.jetstream();
  const batchSize = options.batchSize ?? 1000;
  const interval = options.checkpointIntervalMs ?? 250;
  let checkpoint = from;
  let stored = checkpoint;
  let storedAt = Date.now();
  try {
    while (!signal.aborted && !lease.lost) {
      const page = await readAll(options.pool, { after: checkpoint, limit: batchSize });
      if (page.events.length === 0) return { checkpoint, heldBack: await hasEventsAfter(options.pool, checkpoint) };
      await publishInOrder(js, options.topology, page.events, options.maxInFlight ?? 512);
      checkpoint = page.checkpoint;
      if (Date.now() - storedAt >= interval) {
        await saveCheckpoint(options.pool, relayId, checkpoint);
        stored = checkpoint;
        storedAt = Date.now();
      }
      options.onPublished?.(page.events);
      if (page.events.length < batchSize) return { checkpoint, heldBack: await hasEventsAfter(options.pool, checkpoint) };
    }
    return { checkpoint, heldBack: false };
  } finally {
    // Everything up to `checkpoint` is acknowledged: record it before idling, stopping or retrying.
    if (stored !== checkpoint) await saveCheckpoint(options.pool, relayId, checkpoint);
  }
}
