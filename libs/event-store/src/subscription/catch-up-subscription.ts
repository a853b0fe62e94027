import type { Pool } from 'pg';
import type { LogCheckpoint, StoredEvent } from '../event';
import { readAll } from '../read/read-all';
import { abortableSleep } from './abortable-sleep';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-store';

export interface SubscriptionOptions {
  subscriberId: string;
  /** Called once per event, in commit-safe global order; must be idempotent (delivery is at least once). */
  handle(event: StoredEvent): Promise<void> | void;
  /**
   * `true` (default): progress is stored in bascule.checkpoints after each batch and a restart
   * resumes there. `false`: progress lives in memory and every start replays from `from`.
   */
  durable?: boolean;
  /** Starting point when `durable` is false (default: the start of the log). */
  from?: LogCheckpoint;
  batchSize?: number;
  /** How long to wait when caught up before polling again. */
  pollIntervalMs?: number;
}

export interface Subscription {
  /** Resolves when the subscription has stopped (after `stop()`), rejects if a handler or read failed. */
  readonly closed: Promise<void>;
  stop(): Promise<void>;
}

/** Starts a catch-up subscription: reads the backlog, then polls for new events until stopped. */
export function subscribe(pool: Pool, options: SubscriptionOptions): Subscription {
  const controller = new AbortController();
  const closed = runSubscription(pool, options, controller.signal);
  closed.catch(() => undefined);
  return {
    closed,
    stop: async () => {
      controller.abort();
      await closed.catch(() => undefined);
    },
  };
}

async function runSubscription(pool: Pool, options: SubscriptionOptions, signal: AbortSignal): Promise<void> {
  const durable = options.durable ?? true;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  let checkpoint = durable ? await loadCheckpoint(pool, options.subscriberId) : (options.from ?? undefined);
  while (!signal.aborted) {
    const page = await readAll(pool, { after: checkpoint, limit: batchSize });
    for (const event of page.events) {
      if (signal.aborted) return;
      await options.handle(event);
      checkpoint = { transactionId: event.transactionId, globalPosition: event.globalPosition };
    }
    if (page.events.length > 0 && durable) await saveCheckpoint(pool, options.subscriberId, page.checkpoint);
    if (page.events.length < batchSize) await abortableSleep(pollIntervalMs, signal);
  }
}
