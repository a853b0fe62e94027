import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { NATS_CONNECTION, PG_POOL } from '../service-kit.constants';
import { NatsLinkState } from './nats-link-state';

const DRAIN_TIMEOUT_MS = 5000;

/** Runs after the HTTP server stopped accepting: drain NATS (flushes pending publishes), end the pool. */
@Injectable()
export class ConnectionsShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly link: NatsLinkState,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`stopping${signal ? ` on ${signal}` : ''}: closing NATS and Postgres connections`);
    await Promise.all([this.closeNats(), this.pool.end()]);
  }

  /**
   * nats.js `drain()` on a client that lost its server resolves yet leaves it reconnecting
   * forever, which would keep the process alive: drain only while connected, and always close.
   */
  private async closeNats(): Promise<void> {
    if (this.nc.isClosed()) return;
    if (this.link.isConnected()) {
      let timer: NodeJS.Timeout | undefined;
      const overdue = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
      await Promise.race([this.nc.drain().catch(() => undefined), overdue]);
      clearTimeout(timer);
    }
    if (!this.nc.isClosed()) await this.nc.close();
  }
}
