import type { NatsConnection, Subscription } from 'nats';
import type { Pool } from 'pg';
import { ensureStreams, type BusTopology } from '@bascule/messaging';
import type { StoredEvent } from '../event';
import { abortableSleep } from '../subscription/abortable-sleep';
import { publishInOrder } from './publish-in-order';
import { loadRelayCheckpoint, saveRelayCheckpoint } from './relay-checkpoint-store';
import { RelayFrontier } from './relay-frontier';
import { inFlightAppenders, readRelayPage } from './relay-reads';
import { holdRelayLease, type RelayLease } from './relay-lease';
import { RelayWakeups, relayWakeSubject } from './relay-wake';

export { relayWakeSubject, wakeRelay } from './relay-wake';

const DEFAULT_POLL_MS = 100;
/** Waits before looking at gaps again while some are open: the first, doubling up to the last (or the poll interval). */
const GAP_FIRST_WAIT_MS = 2;
const GAP_MAX_WAIT_MS = 50;

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
 * Publishes every stored event to JetStream as soon as it is committed, in position order within
 * each read (so each stream's events in version order: version n+1 cannot commit before n). No
 * transaction other than an append in flight ever holds an event back, and that one holds back
 * only its own events and the checkpoint (see RelayFrontier). The checkpoint moves only after
 * JetStream acknowledged the events it covers, so a crash re-publishes only what came after the
 * last stored checkpoint, and `Nats-Msg-Id` makes the server drop those repeats (within the
 * stream's duplicate window: past it, consumers' idempotency handles the rare repeat).
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
    // From here on the lease (a pooled connection) is released whatever happens, a stop that
    // came while it was being taken or a subscribe on a closed connection included.
    let wakes: Subscription | undefined;
    try {
      // Only the copy holding the lease listens for wakes: a standby copy would be woken by every
      // append of every service for nothing.
      const wakeups = new RelayWakeups();
      wakes = options.nc.subscribe(relayWakeSubject(options.topology), { callback: () => wakeups.notify() });
      await relayWhileLeased(options, relayId, signal, lease, wakeups);
    } finally {
      try {
        wakes?.unsubscribe();
      } catch {
        // The connection closed first: the subscription is gone with it.
      }
      await lease.release();
    }
  }
}

async function relayWhileLeased(options: OutboxRelayOptions, relayId: string, signal: AbortSignal, lease: RelayLease, wakeups: RelayWakeups): Promise<void> {
  // Read once per lease: while the lease is held nobody else moves the checkpoint.
  let frontier: RelayFrontier | null = null;
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  let gapWaitMs = 0;
  while (!signal.aborted && !lease.lost) {
    try {
      frontier ??= new RelayFrontier(await loadRelayCheckpoint(options.pool, relayId, signal));
      await relayUntilCaughtUp(options, relayId, signal, lease, frontier);
      // A gap closes without a wake when its append rolls back, or when its appender had no NATS
      // connection to wake us: look again soon, backing off so a long append costs two small
      // queries per 50 ms, not a busy loop. Events after the gap are already published.
      gapWaitMs = frontier.hasGaps ? Math.min(pollMs, GAP_MAX_WAIT_MS, Math.max(GAP_FIRST_WAIT_MS, gapWaitMs * 2)) : 0;
      await wakeups.idle(frontier.hasGaps ? gapWaitMs : pollMs, signal);
    } catch (error) {
      frontier = null;
      options.onError?.(error);
      await abortableSleep(options.retryDelayMs ?? 1000, signal);
    }
  }
}

/**
 * Publishes everything committed that the frontier has not published yet, page by page, until a
 * page comes back short; the checkpoint is stored before returning.
 */
async function relayUntilCaughtUp(options: OutboxRelayOptions, relayId: string, signal: AbortSignal, lease: RelayLease, frontier: RelayFrontier): Promise<void> {
  const js = options.nc.jetstream();
  const batchSize = options.batchSize ?? 1000;
  const interval = options.checkpointIntervalMs ?? 250;
  // Moves only once JetStream acknowledged what the frontier absorbed: a failed publish leaves it
  // behind, and the caller starts a new frontier from the stored checkpoint.
  let acknowledged = frontier.checkpoint;
  let stored = acknowledged;
  let storedAt = Date.now();
  try {
    while (!signal.aborted && !lease.lost) {
      // Asked before the read: see RelayFrontier for why this order proves a gap dead.
      if (frontier.hasGaps) frontier.noteAppenders(await inFlightAppenders(options.pool));
      const read = await readRelayPage(options.pool, frontier.readAfter, batchSize, frontier.gapRanges());
      const fresh = frontier.absorb(read);
      if (fresh.length > 0) await publishInOrder(js, options.topology, fresh, options.maxInFlight ?? 512);
      acknowledged = frontier.checkpoint;
      if (fresh.length > 0) options.onPublished?.(fresh);
      if (acknowledged !== stored && Date.now() - storedAt >= interval) {
        await saveRelayCheckpoint(options.pool, relayId, acknowledged);
        stored = acknowledged;
        storedAt = Date.now();
      }
      if (read.length < batchSize) return;
    }
  } finally {
    // Record what is acknowledged before idling, stopping or retrying.
    if (stored !== acknowledged) await saveRelayCheckpoint(options.pool, relayId, acknowledged);
  }
}
