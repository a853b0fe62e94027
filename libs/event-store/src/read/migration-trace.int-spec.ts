import { traceIdOf, withSpan } from '@bascule/telemetry';
import { startTelemetry, type TelemetryShutdown } from '@bascule/telemetry/sdk';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { appendEvents } from '../append/append-events';
import { migrationStreamId } from '../event-store';
import { readStream } from './read-stream';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { migrationTraceOrigin, migrationTraceparent } from './migration-trace';

describe('a migration\'s trace in its events (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let stopTelemetry: TelemetryShutdown;

  beforeAll(async () => {
    stopTelemetry = startTelemetry('event-store-test', { otlpEndpoint: '' });
    db = await createTestDatabase('es_trace');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await ensureEventStoreSchema(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await stopTelemetry?.();
  });

  it('an event appended inside a span carries that span\'s traceparent (over one copied from a message); outside a span, none is added', async () => {
    const stream = migrationStreamId('m-1');
    const traceId = await withSpan('plan', {}, async (span) => {
      await appendEvents(pool, stream, [{ type: 'MigrationPlanned', data: { migrationId: 'm-1' }, metadata: { actor: 'a', traceparent: '00-11111111111111111111111111111111-2222222222222222-01' } }]);
      return span.spanContext().traceId;
    });
    await appendEvents(pool, stream, [{ type: 'MigrationStarted', data: { migrationId: 'm-1' }, metadata: { actor: 'b' } }]);
    const [planned, started] = await readStream(pool, stream);
    expect(traceIdOf(planned.metadata['traceparent'])).toBe(traceId);
    expect(planned.metadata['actor']).toBe('a');
    expect(started.metadata).toEqual({ actor: 'b' });
    expect(traceIdOf(await migrationTraceparent(pool, 'm-1'))).toBe(traceId);
  });

  it('a message without trace context finds its migration\'s trace by a command\'s migrationId or an event envelope\'s data.migrationId; anything else finds none', async () => {
    const traceparent = await withSpan('plan', {}, async () => {
      await appendEvents(pool, migrationStreamId('m-2'), [{ type: 'MigrationPlanned', data: { migrationId: 'm-2' } }]);
      return migrationTraceparent(pool, 'm-2');
    });
    const origin = migrationTraceOrigin(pool);
    expect(await origin({ migrationId: 'm-2', reason: 'x', requestedBy: 'y' })).toBe(traceparent);
    expect(await origin({ type: 'StepSucceeded', data: { migrationId: 'm-2' } })).toBe(traceparent);
    expect(await origin({ migrationId: 'unknown' })).toBeUndefined();
    expect(await origin({ migrationId: 42 })).toBeUndefined();
    expect(await origin('a string')).toBeUndefined();
    expect(await origin(null)).toBeUndefined();
    expect(await origin({ migrationId: "x'; DROP TABLE bascule.events; --" })).toBeUndefined();
  });
});
