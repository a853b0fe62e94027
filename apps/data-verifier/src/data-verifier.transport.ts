import type { INestApplication } from '@nestjs/common';
import { appendEvents, migrationTraceOrigin } from '@bascule/event-store';
import { EventStoreDeadLetterSink, JetStreamServer, PostgresIdempotencyStore, type BusTopology } from '@bascule/messaging';
import { METRICS_REGISTRY, PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';

/** Connects the JetStream transport that delivers `verify.*` and `backup.take` commands; streams and consumers are created here. */
export async function connectDataVerifierTransport(app: INestApplication, options: { topology?: BusTopology; servers?: string } = {}): Promise<void> {
  const pool = app.get<Pool>(PG_POOL);
  app.connectMicroservice(
    {
      strategy: new JetStreamServer({
        serviceName: 'data-verifier',
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
