import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApplySqlStep, RevertSqlStep } from '@bascule/contracts';
import { ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client, type Pool } from 'pg';
import { SchemaAgentModule } from './schema-agent.module';
import { connectSchemaAgentTransport } from './schema-agent.transport';
import { SqlStepHandler } from './sql-step.handler';
import { SQL_STEPS_TABLE } from './sql-step-ledger';

jest.setTimeout(90_000);

async function waitForEvent(pool: Pool, streamId: string, type: string, timeoutMs = 30_000): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await readStream(pool, streamId);
    if (events.some((event) => event.type === type)) return events;
    if (Date.now() > deadline) throw new Error(`no ${type} in ${streamId} after ${timeoutMs} ms; saw ${events.map((e) => e.type).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('schema-agent sql steps (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let app: INestApplication;
  let pool: Pool;
  let nc: NatsConnection;
  let bus: BusClient;
  let handler: SqlStepHandler;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);

  const onTarget = async <T>(sql: string, values: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const count = async (sql: string) => Number((await onTarget<{ n: string }>(sql))[0]!.n);
  const ref = (stepId: string) => ({ migrationId: uniqueName('mig'), stepId, target: 'app' });

  beforeAll(async () => {
    store = await createTestDatabase('sql_store');
    target = await createTestDatabase('sql_target');
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    await onTarget('CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL)');
    const config = serviceConfig('schema-agent', 0, { BASCULE_DATABASE_URL: store.url });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), SchemaAgentModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    pool = app.get<Pool>(PG_POOL);
    await ensureEventStoreSchema(pool);
    await app.init();
    await connectSchemaAgentTransport(app, { topology });
    handler = app.get(SqlStepHandler);
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
    delete process.env['BASCULE_BUS_PREFIX'];
    await store?.drop();
    await target?.drop();
  });

  it('applies up + verify once, records the event once on redelivery, and reverts with down', async () => {
    const step = ref('seed_tags');
    const apply = { ...step, commandId: randomUUID(), up: "INSERT INTO tags (name) VALUES ('a'), ('b')", verify: "SELECT 1/(count(*) = 2)::int FROM tags WHERE name IN ('a', 'b')" };
    await bus.sendCommand(ApplySqlStep, apply);
    const events = await waitForEvent(pool, migrationStreamId(step.migrationId), 'SqlStepApplied');
    expect(events.map((event) => event.type)).toEqual(['SqlStepApplied']);
    expect(events[0]!.data).toMatchObject({ ...step, rowsAffected: 2 });
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('a', 'b')")).toBe(2);

    // A redelivery (same command) and a crash between COMMIT and the append (a new delivery that
    // finds the ledger row): up does not run again; only the missing event would be recorded.
    await handler.apply(ApplySqlStep.schema.parse(apply));
    expect(await readStream(pool, migrationStreamId(step.migrationId))).toHaveLength(1);
    await handler.apply(ApplySqlStep.schema.parse({ ...apply, commandId: randomUUID() }));
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('a', 'b')")).toBe(2);
    const afterRetry = await readStream(pool, migrationStreamId(step.migrationId));
    expect(afterRetry.map((event) => event.type)).toEqual(['SqlStepApplied', 'SqlStepApplied']);
    expect(afterRetry[1]!.data).toMatchObject({ rowsAffected: 2 });

    const revert = { ...step, commandId: randomUUID(), down: "DELETE FROM tags WHERE name IN ('a', 'b')" };
    await bus.sendCommand(RevertSqlStep, revert);
    await waitForEvent(pool, migrationStreamId(step.migrationId), 'SqlStepReverted');
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('a', 'b')")).toBe(0);
    await onTarget("INSERT INTO tags (name) VALUES ('a')");
    await handler.revert(RevertSqlStep.schema.parse(revert));
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'a'")).toBe(1);
    expect((await readStream(pool, migrationStreamId(step.migrationId))).filter((event) => event.type === 'SqlStepReverted')).toHaveLength(1);
  });

  it('quotes hostile migration and step ids in its statements: applied once, recorded verbatim', async () => {
    const step = { migrationId: `${uniqueName('mig')}'; DROP TABLE tags; --`, stepId: `o'brien\\ "x"`, target: 'app' };
    const apply = { ...step, commandId: randomUUID(), up: "INSERT INTO tags (name) VALUES ('hostile')" };
    await handler.apply(ApplySqlStep.schema.parse(apply));
    await handler.apply(ApplySqlStep.schema.parse({ ...apply, commandId: randomUUID() }));
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'hostile'")).toBe(1);
    const rows = await onTarget(`SELECT migration_id, step_id, action, ran FROM ${SQL_STEPS_TABLE} WHERE step_id = $1`, [step.stepId]);
    expect(rows).toEqual([{ migration_id: step.migrationId, step_id: step.stepId, action: 'apply', ran: true }]);
    const events = await readStream(pool, migrationStreamId(step.migrationId));
    expect(events.map((event) => [event.type, (event.data as { stepId: string }).stepId])).toEqual([
      ['SqlStepApplied', step.stepId],
      ['SqlStepApplied', step.stepId],
    ]);
  });

  it('a failing verify rolls up back and is recorded with phase verify and its SQLSTATE', async () => {
    const step = ref('checked');
    await handler.apply(
      ApplySqlStep.schema.parse({ ...step, commandId: randomUUID(), up: "INSERT INTO tags (name) VALUES ('verify-me')", verify: "SELECT 1/0 FROM tags WHERE name = 'verify-me'" }),
    );
    const events = await readStream(pool, migrationStreamId(step.migrationId));
    expect(events.map((event) => event.type)).toEqual(['SqlStepFailed']);
    expect(events[0]!.data).toMatchObject({ phase: 'verify', code: 'sql_verify_failed', pgCode: '22012' });
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'verify-me'")).toBe(0);
  });

  it('a failing up is recorded with phase apply; a revert of a step never applied runs no down and blocks a late apply', async () => {
    const broken = ref('broken');
    await handler.apply(ApplySqlStep.schema.parse({ ...broken, commandId: randomUUID(), up: 'INSERT INTO no_such_table VALUES (1)' }));
    const failed = await readStream(pool, migrationStreamId(broken.migrationId));
    expect(failed[0]!.data).toMatchObject({ phase: 'apply', code: 'sql_failed', pgCode: '42P01' });

    const queued = ref('queued');
    await handler.revert(RevertSqlStep.schema.parse({ ...queued, commandId: randomUUID(), down: "INSERT INTO tags (name) VALUES ('down-ran')" }));
    await handler.apply(ApplySqlStep.schema.parse({ ...queued, commandId: randomUUID(), up: "INSERT INTO tags (name) VALUES ('late-up')" }));
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('down-ran', 'late-up')")).toBe(0);
    const events = await readStream(pool, migrationStreamId(queued.migrationId));
    expect(events.map((event) => [event.type, (event.data as { code?: string }).code])).toEqual([
      ['SqlStepReverted', undefined],
      ['SqlStepFailed', 'superseded_by_rollback'],
    ]);
  });

  it('a revert that arrives while the apply is mid-transaction waits for its COMMIT, sees it and undoes it', async () => {
    const step = ref('slow_up');
    const applying = handler.apply(
      ApplySqlStep.schema.parse({ ...step, commandId: randomUUID(), up: "INSERT INTO tags (name) VALUES ('slow-up'); SELECT pg_sleep(0.5)" }),
    );
    // The apply holds the step's lock once its statement runs.
    for (let tries = 0; (await count("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(0.5)%' AND pid <> pg_backend_pid()")) === 0; tries++) {
      if (tries > 200) throw new Error('the apply never started its statement');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await handler.revert(RevertSqlStep.schema.parse({ ...step, commandId: randomUUID(), down: "DELETE FROM tags WHERE name = 'slow-up'" }));
    await applying;
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'slow-up'")).toBe(0);
    const ledger = await onTarget(`SELECT action, ran FROM ${SQL_STEPS_TABLE} WHERE migration_id = $1 ORDER BY recorded_at`, [step.migrationId]);
    expect(ledger).toEqual([
      { action: 'apply', ran: true },
      { action: 'revert', ran: true },
    ]);
    const events = await readStream(pool, migrationStreamId(step.migrationId));
    expect(events.map((event) => event.type)).toEqual(['SqlStepApplied', 'SqlStepReverted']);
  });

  it('a failing down is recorded with phase revert', async () => {
    const step = ref('bad_down');
    await handler.apply(ApplySqlStep.schema.parse({ ...step, commandId: randomUUID(), up: "INSERT INTO tags (name) VALUES ('x')" }));
    await handler.revert(RevertSqlStep.schema.parse({ ...step, commandId: randomUUID(), down: 'DROP TABLE no_such_table' }));
    const events = await readStream(pool, migrationStreamId(step.migrationId));
    expect(events.map((event) => event.type)).toEqual(['SqlStepApplied', 'SqlStepFailed']);
    expect(events[1]!.data).toMatchObject({ phase: 'revert', code: 'sql_revert_failed', pgCode: '42P01' });
  });
});
