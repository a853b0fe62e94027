import type { Pool } from 'pg';
import { LOG_START, type LogCheckpoint, type StoredEvent } from '../event';
import { readAll } from '../read/read-all';
import { subscribe, type Subscription } from './catch-up-subscription';

/**
 * A read model as a pure fold over the log. Purity is what makes replay trustworthy: the same
 * events in the same order always give the same state, so a rebuild equals the live model.
 */
export interface Projection<S> {
  name: string;
  initialState(): S;
  evolve(state: S, event: StoredEvent): S;
}

/** Folds the whole log (as far as it is commit-safe to read) from position 0. */
export async function replayProjection<S>(
  pool: Pool,
  projection: Projection<S>,
  options: { batchSize?: number } = {},
): Promise<{ state: S; checkpoint: LogCheckpoint }> {
  let state = projection.initialState();
  let checkpoint = LOG_START;
  for (;;) {
    const page = await readAll(pool, { after: checkpoint, limit: options.batchSize ?? 5000 });
    for (const event of page.events) state = projection.evolve(state, event);
    checkpoint = page.checkpoint;
    if (page.events.length === 0) return { state, checkpoint };
  }
}

/** A projection kept current by an in-memory catch-up subscription. */
export class LiveProjection<S> {
  private current: S;
  private seen: LogCheckpoint = LOG_START;
  private subscription?: Subscription;

  constructor(
    private readonly pool: Pool,
    private readonly projection: Projection<S>,
  ) {
    this.current = projection.initialState();
  }

  get state(): S {
    return this.current;
  }

  get checkpoint(): LogCheckpoint {
    return this.seen;
  }

  start(options: { pollIntervalMs?: number; batchSize?: number } = {}): Subscription {
    this.subscription = subscribe(this.pool, {
      subscriberId: `projection:${this.projection.name}`,
      durable: false,
      ...options,
      handle: (event) => {
        this.current = this.projection.evolve(this.current, event);
        this.seen = { transactionId: event.transactionId, globalPosition: event.globalPosition };
      },
    });
    return this.subscription;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
