import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApplySqlStep, COMMAND_REJECTIONS_STREAM, RevertSqlStep } from '@bascule/contracts';
import { ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { RecordedMigration, waitFor, waitForAgentEvent } from '@bascule/plan-binding/testing';
import { PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client, type Pool } from 'pg';
import { SchemaAgentModule } from './schema-agent.module';
import { connectSchemaAgentTransport } from './schema-agent.transport';
import { SqlStepHandler } from './sql-step.handler';
import { SQL_STEPS_TABLE } from './sql-step-ledger';

jest.setTimeout(90_000);

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

  /** A migration with one sql step, recorded as dispatched: its apply command, and its revert once a rollback is recorded. */
  async function sqlStep(stepId: string, sql: { up: string; down?: string; verify?: string }, migrationId = uniqueName('mig')) {
    const migration = await RecordedMigration.plan(pool, migrationId, 'app', [{ id: stepId, sql }]);
    const apply = ApplySqlStep.schema.parse(await migration.dispatch(stepId));
    const revert = async () => RevertSqlStep.schema.parse((await migration.startRollback([stepId]))[0]);
    return { migration, apply, revert, ref: { migrationId, stepId, target: 'app' } };
  }
  const types = (events: StoredEvent[]) => events.map((event) => event.type);

  it('applies up + verify once, records the event once on redelivery, and reverts with down', async () => {
    const { migration, apply, revert: revertOf, ref } = await sqlStep('seed_tags', {
      up: "INSERT INTO tags (name) VALUES ('a'), ('b')",
      verify: "SELECT 1/(count(*) = 2)::int FROM tags WHERE name IN ('a', 'b')",
      down: "DELETE FROM tags WHERE name IN ('a', 'b')",
    });
    await bus.sendCommand(ApplySqlStep, apply);
    const events = await waitForAgentEvent(migration, 'SqlStepApplied');
    expect(types(events)).toEqual(['SqlStepApplied']);
    expect(events[0]!.data).toMatchObject({ ...ref, rowsAffected: 2 });
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('a', 'b')")).toBe(2);

    // A redelivery (same command) and a crash between COMMIT and the append (the ledger row is
    // found): up does not run again, and the deterministic event id records nothing new.
    await handler.apply(apply);
    await handler.apply(apply);
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('a', 'b')")).toBe(2);
    expect(types(await migration.agentEvents())).toEqual(['SqlStepApplied']);

    const revert = await revertOf();
    await bus.sendCommand(RevertSqlStep, revert);
    await waitForAgentEvent(migration, 'SqlStepReverted');
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('a', 'b')")).toBe(0);
    await onTarget("INSERT INTO tags (name) VALUES ('a')");
    await handler.revert(revert);
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'a'")).toBe(1);
    expect((await migration.agentEvents()).filter((event) => event.type === 'SqlStepReverted')).toHaveLength(1);
  });

  it('quotes hostile migration and step ids in its statements: applied once, recorded verbatim', async () => {
    const hostile = { migrationId: `${uniqueName('mig')}'; DROP TABLE tags; --`, stepId: `o'brien\\ "x"` };
    const { migration, apply } = await sqlStep(hostile.stepId, { up: "INSERT INTO tags (name) VALUES ('hostile')", down: "DELETE FROM tags WHERE name = 'hostile'" }, hostile.migrationId);
    await handler.apply(apply);
    await handler.apply(apply);
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'hostile'")).toBe(1);
    const rows = await onTarget(`SELECT migration_id, step_id, action, ran FROM ${SQL_STEPS_TABLE} WHERE step_id = $1`, [hostile.stepId]);
    expect(rows).toEqual([{ migration_id: hostile.migrationId, step_id: hostile.stepId, action: 'apply', ran: true }]);
    const events = await migration.agentEvents();
    expect(events.map((event) => [event.type, (event.data as { stepId: string }).stepId])).toEqual([['SqlStepApplied', hostile.stepId]]);
  });

  it('a failing verify rolls up back and is recorded with phase verify and its SQLSTATE', async () => {
    const { migration, apply } = await sqlStep('checked', { up: "INSERT INTO tags (name) VALUES ('verify-me')", verify: "SELECT 1/0 FROM tags WHERE name = 'verify-me'" });
    await handler.apply(apply);
    const events = await migration.agentEvents();
    expect(types(events)).toEqual(['SqlStepFailed']);
    expect(events[0]!.data).toMatchObject({ phase: 'verify', code: 'sql_verify_failed', pgCode: '22012' });
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'verify-me'")).toBe(0);
  });

  it('a failing up is recorded with phase apply; a revert of a step never applied runs no down and blocks a late apply', async () => {
    const broken = await sqlStep('broken', { up: 'INSERT INTO no_such_table VALUES (1)' });
    await handler.apply(broken.apply);
    const failed = await broken.migration.agentEvents();
    expect(failed[0]!.data).toMatchObject({ phase: 'apply', code: 'sql_failed', pgCode: '42P01' });

    const queued = await sqlStep('queued', { up: "INSERT INTO tags (name) VALUES ('late-up')", down: "INSERT INTO tags (name) VALUES ('down-ran')" });
    await handler.revert(await queued.revert());
    await handler.apply(queued.apply);
    expect(await count("SELECT count(*) AS n FROM tags WHERE name IN ('down-ran', 'late-up')")).toBe(0);
    const events = await queued.migration.agentEvents();
    expect(events.map((event) => [event.type, (event.data as { code?: string }).code])).toEqual([
      ['SqlStepReverted', undefined],
      ['SqlStepFailed', 'superseded_by_rollback'],
    ]);
  });

  it('a revert that arrives while the apply is mid-transaction waits for its COMMIT, sees it and undoes it', async () => {
    const { migration, apply, revert, ref } = await sqlStep('slow_up', {
      up: "INSERT INTO tags (name) VALUES ('slow-up'); SELECT pg_sleep(0.5)",
      down: "DELETE FROM tags WHERE name = 'slow-up'",
    });
    const applying = handler.apply(apply);
    // The apply holds the step's lock once its statement runs.
    for (let tries = 0; (await count("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(0.5)%' AND pid <> pg_backend_pid()")) === 0; tries++) {
      if (tries > 200) throw new Error('the apply never started its statement');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await handler.revert(await revert());
    await applying;
    expect(await count("SELECT count(*) AS n FROM tags WHERE name = 'slow-up'")).toBe(0);
    const ledger = await onTarget(`SELECT action, ran FROM ${SQL_STEPS_TABLE} WHERE migration_id = $1 ORDER BY recorded_at`, [ref.migrationId]);
    expect(ledger).toEqual([
      { action: 'apply', ran: true },
      { action: 'revert', ran: true },
    ]);
    // Both outcomes are recorded. Their order in the stream is not promised: the apply appends its
    // event after its COMMIT on the target, and the revert, let through by that COMMIT, may append
    // first. The fold keeps a late SqlStepApplied from undoing the compensation (fold-migration.ts,
    // succeed()); the order that matters, apply before revert on the target, is the ledger's above.
    expect(types(await migration.agentEvents()).sort()).toEqual(['SqlStepApplied', 'SqlStepReverted']);
  });

  it('a failing down is recorded with phase revert', async () => {
    const { migration, apply, revert } = await sqlStep('bad_down', { up: "INSERT INTO tags (name) VALUES ('x')", down: 'DROP TABLE no_such_table' });
    await handler.apply(apply);
    await handler.revert(await revert());
    const events = await migration.agentEvents();
    expect(types(events)).toEqual(['SqlStepApplied', 'SqlStepFailed']);
    expect(events[1]!.data).toMatchObject({ phase: 'revert', code: 'sql_revert_failed', pgCode: '42P01' });
  });

  it('runs SQL from the stored plan only: a forged apply for a made-up migration, an undispatched command id or a swapped body run nothing of theirs', async () => {
    await onTarget('CREATE TABLE victim (id int); CREATE TABLE IF NOT EXISTS audit_note (note text)');
    const attack = "DROP TABLE victim; CREATE ROLE evil_forged SUPERUSER";
    const madeUp = uniqueName('evil');
    await bus.sendCommand(ApplySqlStep, { migrationId: madeUp, stepId: 'x', target: 'app', commandId: randomUUID(), up: attack });

    const { migration, apply, ref } = await sqlStep('note', { up: "INSERT INTO audit_note VALUES ('from the plan')", down: 'DELETE FROM audit_note' });
    // The real step with a command id nobody dispatched, then the dispatched id with someone else's SQL.
    const notDispatched = { ...apply, commandId: randomUUID(), up: attack };
    await bus.sendCommand(ApplySqlStep, notDispatched);
    await bus.sendCommand(ApplySqlStep, { ...apply, up: attack });

    await waitForAgentEvent(migration, 'SqlStepApplied');
    const rejections = await waitFor('the two rejections', async () => {
      const all = (await readStream(pool, COMMAND_REJECTIONS_STREAM)).map((event) => event.data as { migrationId: string; stepId: string; commandId: string; code: string; command: string });
      const ours = all.filter((rejection) => rejection.migrationId === madeUp || rejection.commandId === notDispatched.commandId);
      return ours.length === 2 ? ours : undefined;
    });
    expect(rejections.map(({ command, code }) => ({ command, code })).sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { command: 'sql.apply', code: 'not_dispatched' },
      { command: 'sql.apply', code: 'unknown_migration' },
    ]);
    // The undispatched one is recorded against the real step it named.
    expect(rejections.find((rejection) => rejection.code === 'not_dispatched')).toMatchObject({ migrationId: ref.migrationId, stepId: 'note' });
    // Rejections keep who and what was named, never the message's SQL.
    expect(JSON.stringify((await readStream(pool, COMMAND_REJECTIONS_STREAM)).map((event) => event.data))).not.toContain('evil_forged');
    expect(await readStream(pool, migrationStreamId(madeUp))).toEqual([]);
    expect(await count("SELECT count(*) AS n FROM pg_roles WHERE rolname = 'evil_forged'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'victim'")).toBe(1);
    expect(await onTarget('SELECT note FROM audit_note')).toEqual([{ note: 'from the plan' }]);
    expect((await migration.agentEvents()).filter((event) => event.type === 'SqlStepApplied')).toHaveLength(1);
  });
});
