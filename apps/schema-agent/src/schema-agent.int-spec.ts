import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { COMMAND_REJECTIONS_STREAM, CompleteSchemaStep, RollbackSchemaStep, StartSchemaStep } from '@bascule/contracts';
import { appendEvents, ensureEventStoreSchema, migrationStreamId, readStream } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { RecordedMigration, waitFor, waitForAgentEvent } from '@bascule/plan-binding/testing';
import { METRICS_REGISTRY, PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client, type Pool } from 'pg';
import type { Registry } from 'prom-client';
import { SchemaAgentModule } from './schema-agent.module';
import { connectSchemaAgentTransport } from './schema-agent.transport';
import { SchemaStepHandler } from './schema-step.handler';
import { deterministicId } from '@bascule/orchestration';

jest.setTimeout(90_000);

async function onTarget<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const schemaExists = (url: string, name: string) =>
  onTarget(url, async (c) => (await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [name])).rowCount === 1);

describe('schema-agent (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let app: INestApplication;
  let pool: Pool;
  let nc: NatsConnection;
  let bus: BusClient;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);

  beforeAll(async () => {
    store = await createTestDatabase('sa_store');
    target = await createTestDatabase('sa_target');
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    await onTarget(target.url, async (c) => {
      await c.query('CREATE TABLE reviews (id integer PRIMARY KEY, rating text)');
      await c.query("INSERT INTO reviews SELECT g, (g % 5)::text FROM generate_series(1, 500) g");
    });
    const config = serviceConfig('schema-agent', 0, { BASCULE_DATABASE_URL: store.url });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), SchemaAgentModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    pool = app.get<Pool>(PG_POOL);
    await ensureEventStoreSchema(pool);
    await app.init();
    await connectSchemaAgentTransport(app, { topology });
    nc = await connectTestNats();
    bus = BusClient.using(nc, topology);
  });

  afterAll(async () => {
    await app?.close();
    if (nc) {
      await deleteStreams(nc, prefix);
      await nc.close();
    }
    delete process.env['BASCULE_TARGET_APP_URL'];
    await store?.drop();
    await target?.drop();
  });

  const reviewsToInt = (id: string) => ({
    id,
    schema: {
      operations: [{ alter_column: { table: 'reviews', column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } }],
      backfill: { batchSize: 50 },
    },
  });

  it('start expands with checkpoints, rollback removes the version schema', async () => {
    const migrationId = uniqueName('mig');
    const migration = await RecordedMigration.plan(pool, migrationId, 'app', [reviewsToInt('rating_to_int')]);
    const start = await migration.dispatch('rating_to_int');
    await bus.sendCommand(StartSchemaStep, start);
    const events = await waitForAgentEvent(migration, 'SchemaStepExpanded');
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('SchemaStepStarted');
    expect(types.at(-1)).toBe('SchemaStepExpanded');
    expect(types.slice(1, -1).every((type) => type === 'BackfillCheckpointRecorded')).toBe(true);
    const checkpoints = events.filter((event) => event.type === 'BackfillCheckpointRecorded');
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    // Throttled: 10 batches of 50 never make 10 events within a second; the final tick is always recorded.
    expect(checkpoints.length).toBeLessThan(10);
    expect((checkpoints.at(-1)!.data as { rowsDone: number }).rowsDone).toBe(500);
    expect(events[0]!.data).toMatchObject({ migrationId, stepId: 'rating_to_int', target: 'app', schema: 'public', versionSchema: 'public_rating_to_int' });
    expect(await schemaExists(target.url, 'public_rating_to_int')).toBe(true);
    // On /metrics: every row once, one observation per batch of 50, a rate for the last batch.
    const metrics = await app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(/^bascule_backfill_rows_total 500$/m);
    expect(Number(/^bascule_backfill_batch_duration_seconds_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(10);
    expect(Number(/^bascule_backfill_rows_per_second (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    // The same command delivered again (the bus dedups a re-send, so hand it to the handler as a
    // redelivery would): the engine finds the step active, and the deterministic ids append nothing.
    await app.get(SchemaStepHandler).start(StartSchemaStep.schema.parse(start));
    expect(await migration.agentEvents()).toHaveLength(events.length);

    const [rollback] = await migration.startRollback(['rating_to_int']);
    await bus.sendCommand(RollbackSchemaStep, rollback);
    const after = await waitForAgentEvent(migration, 'SchemaStepRolledBack');
    expect(after.at(-1)!.type).toBe('SchemaStepRolledBack');
    expect(await schemaExists(target.url, 'public_rating_to_int')).toBe(false);
  });

  it('a migration failing in Postgres is recorded as SchemaStepFailed with its operation index', async () => {
    const table = (name: string, extra: object[] = []) => ({
      create_table: { name, columns: [{ name: 'id', type: 'integer', pk: true }, ...extra] },
    });
    const operations = [table('made_first'), table('made_second', [{ name: 'n', type: 'integer', default: 'no_such_function()' }])];
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'app', [{ id: 'fails', schema: { operations } }]);
    await bus.sendCommand(StartSchemaStep, await migration.dispatch('fails'));
    const events = await waitForAgentEvent(migration, 'SchemaStepFailed');
    expect(events.map((event) => event.type)).toEqual(['SchemaStepStarted', 'SchemaStepFailed']);
    expect(events[1]!.data).toMatchObject({ phase: 'start', code: 'OPERATION_FAILED', operationIndex: 1, pgCode: expect.any(String) });
  });

  it('an unconfigured target is recorded as TARGET_NOT_CONFIGURED', async () => {
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'nowhere', [reviewsToInt('s')]);
    const [rollback] = await migration.startRollback(['s']);
    await bus.sendCommand(RollbackSchemaStep, rollback);
    const events = await waitForAgentEvent(migration, 'SchemaStepFailed');
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ phase: 'rollback', code: 'TARGET_NOT_CONFIGURED', operationIndex: null });
  });

  it('a forged complete contracts nothing: not for a made-up migration, not for the real one before it completes', async () => {
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'app', [reviewsToInt('rating_int')]);
    await bus.sendCommand(StartSchemaStep, await migration.dispatch('rating_int'));
    await waitForAgentEvent(migration, 'SchemaStepExpanded');
    const ref = { stepId: 'rating_int', target: 'app', schema: 'public' };
    const madeUp = uniqueName('evil');
    await bus.sendCommand(CompleteSchemaStep, { ...ref, migrationId: madeUp, commandId: randomUUID() });
    // The real migration's own complete id (derivable by anyone): still refused, nobody asked to complete.
    const realCompleteId = deterministicId(migration.migrationId, 'complete', 'rating_int');
    await bus.sendCommand(CompleteSchemaStep, { ...ref, migrationId: migration.migrationId, commandId: realCompleteId });

    const rejections = await waitFor('both rejections', async () => {
      const all = (await readStream(pool, COMMAND_REJECTIONS_STREAM)).map((event) => event.data as { migrationId: string; code: string });
      const ours = all.filter((rejection) => rejection.migrationId === madeUp || rejection.migrationId === migration.migrationId);
      return ours.length === 2 ? ours : undefined;
    });
    expect(rejections.map((rejection) => rejection.code).sort()).toEqual(['not_completing', 'unknown_migration']);
    expect(await readStream(pool, migrationStreamId(madeUp))).toEqual([]);
    expect((await migration.agentEvents()).map((event) => event.type)).not.toContain('SchemaStepCompleted');
    // Still expanded: the old column and the version schema are both there.
    expect(await schemaExists(target.url, 'public_rating_int')).toBe(true);
    expect(await onTarget(target.url, async (c) => (await c.query("SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'reviews' AND column_name = 'rating'")).rows)).toEqual([
      { data_type: 'text' },
    ]);
    const [rollback] = await migration.startRollback(['rating_int']);
    await bus.sendCommand(RollbackSchemaStep, rollback);
    await waitForAgentEvent(migration, 'SchemaStepRolledBack');
  });

  it('a throttle from the monitor holds the backfill between batches, and a resume lets it finish', async () => {
    await onTarget(target.url, (c) =>
      c.query(`CREATE SCHEMA throttled; CREATE TABLE throttled.items (id integer PRIMARY KEY, qty integer NOT NULL);
               INSERT INTO throttled.items SELECT g, g FROM generate_series(1, 20000) g;
               CREATE TABLE throttled.touches (n bigint NOT NULL);
               CREATE FUNCTION throttled.count_touches() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN INSERT INTO throttled.touches SELECT count(*) FROM changed; RETURN NULL; END $$;
               CREATE TRIGGER count_touches AFTER UPDATE ON throttled.items REFERENCING NEW TABLE AS changed
                 FOR EACH STATEMENT EXECUTE FUNCTION throttled.count_touches()`),
    );
    const touched = () => onTarget(target.url, async (c) => Number((await c.query('SELECT coalesce(sum(n), 0) AS n FROM throttled.touches')).rows[0].n));
    const migrationId = uniqueName('mig');
    const migration = await RecordedMigration.plan(pool, migrationId, 'app', [
      {
        id: 'qty_bigint',
        schema: { schema: 'throttled', operations: [{ alter_column: { table: 'items', column: 'qty', type: 'bigint', up: 'qty', down: 'CAST(qty AS integer)' } }], backfill: { batchSize: 100, delayMs: 10 } },
      },
    ]);
    const signal = (type: string, data: object = {}) => appendEvents(pool, migrationStreamId(migrationId), [{ type, data: { migrationId, ...data } }]);
    await bus.sendCommand(StartSchemaStep, await migration.dispatch('qty_bigint'));
    await waitFor('the backfill under way', async () => ((await touched()) >= 1000 ? true : undefined));

    await signal('BackfillThrottled', { metric: 'lookup-latency', reason: 'lookup-latency: 53 % worse' });
    // The gate looks at most every 500 ms: give it that, then the backfill must stand still.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const held = await touched();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await touched()).toBe(held);
    expect(held).toBeLessThan(20000);

    await signal('BackfillResumed');
    const events = await waitForAgentEvent(migration, 'SchemaStepExpanded');
    expect(await touched()).toBe(20000);
    expect(events.map((event) => event.type)).not.toContain('SchemaStepFailed');
  });
});
