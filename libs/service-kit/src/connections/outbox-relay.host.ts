import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { startOutboxRelay, type OutboxRelay } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { RelayMetrics } from '../metrics/relay-metrics';
import { METRICS_REGISTRY, NATS_CONNECTION, PG_POOL } from '../service-kit.constants';

const RESTART_DELAY_MS = 2000;

/**
 * Every service runs the outbox relay; its lease (a session advisory lock) lets exactly one copy
 * publish while the others stand by, so the relay survives the loss of any one process.
 * A relay that stops on an error (Postgres unreachable while it takes its lease) is restarted after
 * a pause rather than taking the service down: /health reports the outage meanwhile.
 * It stops before the connections close (beforeApplicationShutdown runs ahead of
 * onApplicationShutdown), so a shutdown never cuts a publish batch off from its checkpoint.
 */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private relay: OutboxRelay | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly metrics: RelayMetrics;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.metrics = new RelayMetrics(registry);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.relay?.stop().catch(() => undefined);
  }

  private start(): void {
    const relay = startOutboxRelay({
      pool: this.pool,
      nc: this.nc,
      topology: busTopology(),
      onPublished: (events) => this.metrics.published(events),
      onError: (error) => this.logger.warn(`relay retrying after: ${(error as Error).message}`),
    });
    this.relay = relay;
    relay.closed.catch((error: unknown) => {
      if (this.stopping) return;
      this.logger.warn(`relay stopped (${(error as Error).message}); restarting in ${RESTART_DELAY_MS} ms`);
      this.restartTimer = setTimeout(() => this.start(), RESTART_DELAY_MS);
      this.restartTimer.unref();
    });
  }
}
