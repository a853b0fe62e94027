import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Events, type NatsConnection } from 'nats';
import { NATS_CONNECTION } from '../service-kit.constants';

/**
 * Whether the client is currently connected. nats.js only reports this as a stream of status
 * events; the health check needs it now, so that a dropped link reads "down" at once instead of
 * after a request timeout.
 */
@Injectable()
export class NatsLinkState implements OnModuleInit {
  private connected = true;

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  onModuleInit(): void {
    void this.follow();
  }

  isConnected(): boolean {
    return this.connected && !this.nc.isClosed();
  }

  private async follow(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === Events.Disconnect) this.connected = false;
      if (status.type === Events.Reconnect) this.connected = true;
    }
  }
}
