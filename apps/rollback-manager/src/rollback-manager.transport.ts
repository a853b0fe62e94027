import type { INestApplication } from '@nestjs/common';
import { appendEvents, migrationTraceOrigin } from '@bascule/event-store';
import { EventStoreDeadLetterSink, JetStreamServer, PostgresIdempotencyStore, type BusTopology } from '@bascule/messaging';
import { METRICS_REGISTRY, PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';

/** Connects the JetStream transport: the `rollback` command consumer and the service's events consumer. */
export async function connectRollbackManagerTransport(app: INestApplication, options: { topology?: BusTopology; servers?: string } = {}): Promise<void> {
  const pool = app.get<Pool>(PG_POOL);
  app.connectMicroservice(
    {
      strategy: new JetStreamServer({
        serviceName: 'rollback-manager',
        ...options,
        // A rollback's outcomes arrive within a second; a short pull keeps shutdown quick.
        fetchExpiresMs: 2_000,
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
