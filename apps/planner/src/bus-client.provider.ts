import type { Provider } from '@nestjs/common';
import { BusClient, busTopology } from '@bascule/messaging';
import { NATS_CONNECTION } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import { BUS_CLIENT } from './planner.constants';

/** Shares the service's NATS connection; the prefix comes from BASCULE_BUS_PREFIX like the relay's. */
export const busClientProvider: Provider = {
  provide: BUS_CLIENT,
  inject: [NATS_CONNECTION],
  useFactory: (nc: NatsConnection) => BusClient.using(nc, busTopology()),
};
