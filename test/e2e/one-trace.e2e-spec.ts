import { VersionUpstreamServer } from '@bascule/api-router/testing';
import { busTopology } from '@bascule/messaging';
import { SERVICE_NAMES } from '@bascule/service-kit';
import { traceIdOf } from '@bascule/telemetry';
import { connectTestNats, freePorts, OtlpReceiver, type ReceivedSpan } from '@bascule/testing';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { startOrchestrationStack, type OrchestrationStack } from './support/orchestration-stack';
import { readersThrough } from './support/router-readers';

const document = {
  openapi: '3.0.3',
  info: { title: 'shop', version: '1' },
  paths: { '/load': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } } } } } } } },
};

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('one trace per migration: the six services export with the real OTLP/HTTP exporter', () => {
  let stack: OrchestrationStack | undefined;
  const closers: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await stack?.close();
    stack = undefined;
  });

  it('planned, run to expanded, rolled back by an on-call `nats pub` without trace context: one trace id holds spans of all six services, one root, no orphan', async () => {
    const receiver = await OtlpReceiver.start();
    closers.push(() => receiver.close());
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 2 });
    const v2 = await VersionUpstreamServer.start('v2', { latencyMs: 2 });
    closers.push(() => v1.close(), () => v2.close());
    const [routerPort] = await freePorts(1);
    stack = await startOrchestrationStack(
      async (app) => {
        await app.query('CREATE TABLE orders (id integer PRIMARY KEY, total integer NOT NULL); INSERT INTO orders SELECT g, g FROM generate_series(1, 5000) g');
      },
      // Exported every 200 ms (OTel's batch processor default is 5 s); the rest is OTel's defaults.
      { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' },
    );
    const { planner, logDir, busPrefix } = stack;
    const posted = await planner.plan({
      name: 'traced',
      target: 'app',
      monitor: { baseline: '2s', interval: '1s', metrics: [{ name: 'order-lookup', probe: { sql: 'SELECT total FROM orders WHERE id = 42', every: '100ms' } }] },
      phases: [
        { name: 'expand', steps: [{ id: 'orders-channel', schema: { operations: [{ add_column: { table: 'orders', column: { name: 'channel', type: 'text', nullable: true }, up: "'web'" } }] } }] },
        {
          name: 'canary',
          steps: [
            {
              id: 'shop-v2',
              api: {
                service: 'shop',
                router: { kind: 'embedded', listen: `127.0.0.1:${routerPort}` },
                from: { version: 'v1', upstream: v1.url, openapi: document },
                to: { version: 'v2', upstream: v2.url, openapi: document },
                canary: { steps: [50, 100], interval: '1s' },
              },
            },
          ],
        },
      ],
    });
    await planner.send(posted.id, 'start');
    await watchMigration(planner, posted.id, { until: (state) => state.phases[1].status !== 'pending', wanted: 'the canary phase', timeoutMs: 60_000 });
    const load = await readersThrough(routerPort, logDir);
    closers.push(() => load.stop());
    await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs: ${logDir})`, givesUpOn: ['rolled_back', 'rollback_failed', 'failed'], timeoutMs: 120_000 });

    // What an on-call engineer types: `nats pub <prefix>.cmd.rollback '{...}'` — no headers, no trace context.
    const nc = await connectTestNats();
    try {
      await nc.jetstream().publish(busTopology(busPrefix).commandSubject('rollback'), JSON.stringify({ migrationId: posted.id, reason: 'e2e: on call', requestedBy: 'oncall' }));
    } finally {
      await nc.close();
    }
    await watchMigration(planner, posted.id, { until: statusIs('rolled_back'), wanted: `rolled_back (logs: ${logDir})`, givesUpOn: ['rollback_failed', 'completed'], timeoutMs: 120_000 });
    const view = (await planner.get(posted.id)) as unknown as { traceId: string | null };
    const report = await planner.report(posted.id);
    const events = await stack.stream(posted.id);
    // SIGTERM: each service flushes what its batch processor still holds before it exits.
    await stack.services.stop(15_000);

    const traceId = traceIdOf(events[0].metadata['traceparent']);
    expect(traceId).toBeDefined();
    expect(view.traceId).toBe(traceId);
    expect(report).toContain(`- Trace: \`${traceId}\``);
    // Every event of the migration was written inside its trace.
    expect(events.filter((event) => traceIdOf(event.metadata['traceparent']) !== traceId).map((event) => event.type)).toEqual([]);

    const spans = receiver.trace(traceId!);
    const describe = (span: ReceivedSpan) => `${span.service}: ${span.name}`;
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(SERVICE_NAMES));
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.filter((span) => span.parentSpanId === '').map(describe)).toEqual(['planner: POST /migrations']);
    expect(spans.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).map(describe)).toEqual([]);
    const names = new Set(spans.map(describe));
    // The on-call command, handled in the migration's trace; the backfill, the monitor and Postgres calls in it too.
    expect(names).toContain(`rollback-manager: process ${busPrefix}.cmd.rollback`);
    expect(names).toContain('schema-agent: backfill batches');
    expect(names).toContain('monitor: monitor window');
    expect(spans.some((span) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql')).toBe(true);
    // Messaging semantic conventions: "{operation} {destination}", kind CONSUMER (5 on the wire) or PRODUCER (4).
    const handled = spans.filter((span) => span.name.startsWith('process '));
    expect(handled.filter((span) => span.kind !== 5 || span.attributes['messaging.system'] !== 'nats' || span.attributes['messaging.operation.type'] !== 'process').map(describe)).toEqual([]);
    const sent = spans.filter((span) => span.name.startsWith('send '));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((span) => span.kind !== 4 || span.attributes['messaging.destination.name'] !== span.name.slice('send '.length)).map(describe)).toEqual([]);
    const perService = SERVICE_NAMES.map((service) => `${service} ${spans.filter((span) => span.service === service).length}`).join(', ');
    process.stdout.write(`one trace: ${spans.length} spans (${perService}) of ${receiver.spans.length} received\n`);
  });
});
