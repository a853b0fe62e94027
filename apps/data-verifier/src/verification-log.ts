import { Inject, Injectable } from '@nestjs/common';
import { appendEvents, migrationStreamId, readStream, wakeRelay, type StoredEvent } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { deterministicId } from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';

/**
 * Records the data-verifier's verdicts in `migration-<id>`. The event id derives from the command
 * id and the event type, so a redelivered command appends nothing twice, and `alreadyAnswered`
 * lets a redelivery skip the work (a row-level baseline would otherwise store its hashes again).
 */
@Injectable()
export class VerificationLog {
  private readonly topology = busTopology();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  eventIdFor(commandId: string, type: string): string {
    return deterministicId(commandId, type);
  }

  async alreadyAnswered(migrationId: string, commandId: string, types: readonly string[]): Promise<boolean> {
    const ids = new Set(types.map((type) => this.eventIdFor(commandId, type)));
    return (await this.events(migrationId)).some((event) => ids.has(event.eventId));
  }

  events(migrationId: string): Promise<StoredEvent[]> {
    return readStream(this.pool, migrationStreamId(migrationId));
  }

  async record(migrationId: string, commandId: string, type: string, data: unknown, metadata: Record<string, unknown> = {}): Promise<void> {
    await appendEvents(this.pool, migrationStreamId(migrationId), [{ eventId: this.eventIdFor(commandId, type), type, data, metadata }], {
      expectedVersion: 'any',
    });
    wakeRelay(this.nc, this.topology);
  }
}
