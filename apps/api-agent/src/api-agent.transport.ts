import type { INestApplication } from '@nestjs/common';
import { appendEvents, migrationTraceOrigin } from '@bascule/event-store';
import { EventStoreDeadLetterSink, JetStreamServer, PostgresIdempotencyStore, type BusTopology } from '@bascule/messaging';
import { METRICS_REGISTRY, PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { RouterRestoration } from './routing/router-restoration.service';

/**
 * Serves again the embedded routers the log says were serving, then connects the JetStream
 * transport that delivers `api.*` commands. Routers first: a canary handed back by the previous
 * agent comes back to a router already routing at its last shares.
 */
export async function connectApiAgentTransport(app: INestApplication, options: { topology?: BusTopology; servers?: string } = {}): Promise<void> {
  const pool = app.get<Pool>(PG_POOL);
  await app.get(RouterRestoration).restore();
  app.connectMicroservice(
    {
      strategy: new JetStreamServer({
        serviceName: 'api-agent',
        ...options,
        deadLetters: new EventStoreDeadLetterSink((streamId, events) => appendEvents(pool, streamId, events)),
        metrics: app.get<Registry>(METRICS_REGISTRY),
        traceOrigin: migrationTraceOrigin(pool),
        idempotency: new PostgresIdempotencyStore(pool),
      }),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
}
