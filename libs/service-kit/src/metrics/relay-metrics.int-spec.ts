import { appendEvents, ensureEventStoreSchema, startOutboxRelay } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { RelayMetrics } from './relay-metrics';

describe('relay metrics (real outbox relay, Postgres and JetStream)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  const topology = busTopology(uniqueBusPrefix());

  beforeAll(async () => {
    db = await createTestDatabase('relay_metrics');
    pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
    nc = await connectTestNats();
  });

  afterAll(async () => {
    await deleteStreams(nc, topology.prefix);
    await nc.drain();
    await pool.end();
    await db.drop();
  });

  it('counts the events the relay published and sets the lag of the last batch', async () => {
    const registry = new Registry();
    const metrics = new RelayMetrics(registry);
    const relay = startOutboxRelay({ pool, nc, topology, pollIntervalMs: 20, onPublished: (events) => metrics.published(events) });
    try {
      await appendEvents(pool, 'metered-1', [{ type: 'Metered', data: { n: 1 } }, { type: 'Metered', data: { n: 2 } }]);
      await appendEvents(pool, 'metered-2', [{ type: 'Metered', data: { n: 3 } }]);
      const deadline = Date.now() + 10_000;
      let text = '';
      while (!/^bascule_relay_published_total 3$/m.test(text) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        text = await registry.metrics();
      }
      expect(text).toMatch(/^bascule_relay_published_total 3$/m);
      const lag = Number(/^bascule_relay_lag_seconds (\S+)$/m.exec(text)?.[1]);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(10);
    } finally {
      await relay.stop();
    }
  });
});
