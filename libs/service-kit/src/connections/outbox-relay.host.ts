import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { startOutboxRelay, type OutboxRelay } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { NATS_CONNECTION, PG_POOL } from '../service-kit.constants';

/**
 * Every service runs the outbox relay; its lease (a session advisory lock) lets exactly one copy
 * publish while the others stand by, so the relay survives the loss of any one process.
 * It stops before the connections close (beforeApplicationShutdown runs ahead of
 * onApplicationShutdown), so a shutdown never cuts a publish batch off from its checkpoint.
 */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private relay: OutboxRelay | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.relay = startOutboxRelay({
      pool: this.pool,
      nc: this.nc,
      topology: busTopology(),
      onError: (error) => this.logger.warn(`relay retrying after: ${(error as Error).message}`),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
