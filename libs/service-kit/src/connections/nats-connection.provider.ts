import type { Provider } from '@nestjs/common';
import { natsCredentials } from '@bascule/messaging';
import { connect, type NatsConnection } from 'nats';
import type { ServiceConfig } from '../config/service-config';
import { NATS_CONNECTION, SERVICE_CONFIG } from '../service-kit.constants';

export const natsConnectionProvider: Provider = {
  provide: NATS_CONNECTION,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServiceConfig): Promise<NatsConnection> =>
    // Reconnect forever: a NATS restart shows as an unhealthy service, not a dead one.
    connect({ servers: config.natsUrl, name: `bascule-${config.name}`, maxReconnectAttempts: -1, reconnectTimeWait: 1000, ...natsCredentials() }),
};
