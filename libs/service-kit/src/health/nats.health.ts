import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { NatsConnection } from 'nats';
import { NatsLinkState } from '../connections/nats-link-state';
import { NATS_CONNECTION } from '../service-kit.constants';
import { reasonOf } from '../startup/unreachable-message';

const JETSTREAM_TIMEOUT_MS = 2000;

@Injectable()
export class NatsHealthIndicator {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly link: NatsLinkState,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Up when connected AND JetStream answers: the services need the streams, not just the socket. */
  async isHealthy(key = 'nats'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    if (!this.link.isConnected()) return indicator.down({ message: 'disconnected; reconnecting' });
    try {
      const jsm = await this.nc.jetstreamManager({ timeout: JETSTREAM_TIMEOUT_MS, checkAPI: false });
      await jsm.getAccountInfo();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: reasonOf(error) });
    }
  }
}
