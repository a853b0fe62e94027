import { appendEvents, migrationStreamId, wakeRelay } from '@bascule/event-store';
import type { BusTopology } from '@bascule/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { stepEventId } from './step-event-id';

/**
 * Appends the facts of one command to its migration's stream. Ids derive from the command id
 * and the fact's kind, so a redelivered command appends nothing twice. Checkpoint appends are
 * chained so they land in order and `flush()` can wait for them before the final event.
 */
export class StepEventLog {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly migrationId: string,
    private readonly commandId: string,
    /** When given, `record` wakes the outbox relay after its append: the outcome reaches the planner without waiting for a poll. */
    private readonly relay?: { nc: NatsConnection; topology: BusTopology },
  ) {}

  async record(kind: string, type: string, data: unknown): Promise<void> {
    await this.flush();
    await this.append(kind, type, data);
    if (this.relay) wakeRelay(this.relay.nc, this.relay.topology);
  }

  /** Queues an append from a synchronous callback (the engine's onProgress). */
  enqueue(kind: string, type: string, data: unknown): void {
    this.pending = this.pending.then(() => this.append(kind, type, data));
    // Marks a failed append as handled; flush() still awaits (and rethrows) it.
    this.pending.catch(() => undefined);
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = Promise.resolve();
    await pending;
  }

  private async append(kind: string, type: string, data: unknown): Promise<void> {
    await appendEvents(this.pool, migrationStreamId(this.migrationId), [{ eventId: stepEventId(this.commandId, kind), type, data }], {
      expectedVersion: 'any',
    });
  }
}
