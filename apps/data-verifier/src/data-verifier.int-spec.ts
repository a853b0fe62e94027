import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { COMMAND_REJECTIONS_STREAM, CompareWithBaselines, RunVerifyStep, TakeBaselines, type CommandRejected, type MessageData, type MigrationStep } from '@bascule/contracts';
import { ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { RecordedMigration, waitFor, waitForAgentEvent } from '@bascule/plan-binding/testing';
import { parseMigration, SchemaEngine } from '@bascule/schema-engine';
import { PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, queryOnce, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { BaselineHandler } from './baseline.handler';
import { CompareHandler } from './compare.handler';
import { DataVerifierModule } from './data-verifier.module';
import { connectDataVerifierTransport } from './data-verifier.transport';
import { VerifyStepHandler } from './verify-step.handler';

jest.setTimeout(90_000);

type Step = z.input<typeof MigrationStep>;

describe('data-verifier (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let app: INestApplication;
  let pool: Pool;
  let nc: NatsConnection;
  let bus: BusClient;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);

  const onTarget = <T>(sql: string): Promise<T[]> => queryOnce<T>(target.url, sql);
  const plan = (steps: Step[], tables: string[]) => RecordedMigration.plan(pool, uniqueName('mig'), 'app', steps, { tables });
  const last = async (migration: RecordedMigration): Promise<StoredEvent | undefined> => (await migration.agentEvents()).at(-1);
  // The handlers run here as the bus would run them: the payload is what the planner or the rollback-manager sent.
  const baseline = async (payload: Record<string, unknown>) => app.get(BaselineHandler).takeBaselines(TakeBaselines.schema.parse(payload));
  const compare = async (payload: Record<string, unknown>) => app.get(CompareHandler).compare(CompareWithBaselines.schema.parse(payload));
  const verify = async (payload: Record<string, unknown>) => app.get(VerifyStepHandler).verify(RunVerifyStep.schema.parse(payload));

  beforeAll(async () => {
    store = await createTestDatabase('dv_store');
    target = await createTestDatabase('dv_target');
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    const config = serviceConfig('data-verifier', 0, { BASCULE_DATABASE_URL: store.url });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), DataVerifierModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    pool = app.get<Pool>(PG_POOL);
    await ensureEventStoreSchema(pool);
    await app.init();
    await connectDataVerifierTransport(app, { topology });
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

  it('baseline → phase check → restoration check: no-loss tolerates added and changed rows and names them, fails on a deleted one and names its key', async () => {
    await onTarget('CREATE TABLE orders (id integer PRIMARY KEY, total integer); INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 2000) g');
    await onTarget("CREATE TABLE audit (note text); INSERT INTO audit VALUES ('a'), ('b')");
    const migration = await plan([{ id: 'touch', sql: { up: 'SELECT 1', down: 'SELECT 1' } }], ['orders', 'public.audit']);
    await bus.sendCommand(TakeBaselines, TakeBaselines.schema.parse(await migration.baseline()));
    const [taken] = await waitForAgentEvent(migration, 'BaselineTaken');
    expect(taken?.data).toMatchObject({ label: 'before-phase-0', tables: [{ table: 'orders', rowCount: 2000 }, { table: 'public.audit', rowCount: 2 }] });

    await onTarget('INSERT INTO orders VALUES (5000, 1); UPDATE orders SET total = -1 WHERE id = 7');
    await compare(await migration.finishSteps());
    expect(await last(migration)).toMatchObject({
      type: 'DataCompared',
      data: {
        label: 'after-phase-0',
        passed: true,
        tables: [{ table: 'orders', equal: false, added: { count: 1, sample: [{ id: '5000' }] }, changed: { count: 1, sample: [{ id: '7' }] }, removed: { count: 0 } }, { table: 'public.audit', equal: true }],
      },
    });

    await onTarget('DELETE FROM orders WHERE id = 1234');
    await migration.startRollback(['touch']);
    await compare(await migration.finishRollback());
    expect(await last(migration)).toMatchObject({
      type: 'DataCompared',
      data: { label: 'restoration', against: 'before-phase-0', passed: false, tables: [{ table: 'orders', removed: { count: 1, sample: [{ id: '1234' }] } }, { equal: true }] },
    });
  });

  it('a phase check with no baseline taken errors with BASELINE_NOT_FOUND', async () => {
    await onTarget('CREATE TABLE lonely (id integer PRIMARY KEY)');
    const migration = await plan([{ id: 'touch', sql: { up: 'SELECT 1', down: 'SELECT 1' } }], ['lonely']);
    await compare(await migration.finishSteps());
    expect(await last(migration)).toMatchObject({ type: 'VerificationErrored', data: { command: 'verify.compare', label: 'after-phase-0', code: 'BASELINE_NOT_FOUND' } });
  });

  it('checks new = up(old), with the plan\'s up, on the duplicate column of an expanded alter_column', async () => {
    await onTarget("CREATE TABLE reviews (id integer PRIMARY KEY, rating text); INSERT INTO reviews SELECT g, (g % 5)::text FROM generate_series(1, 300) g");
    const alter = (change: Record<string, unknown>) => ({ operations: [{ alter_column: { table: 'reviews', column: 'rating', ...change } }] });
    const toInt = alter({ type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' });
    const planned = async (schema: ReturnType<typeof alter>) => {
      const migration = await plan([{ id: 'rating_change', schema }], ['reviews']);
      await baseline(await migration.baseline());
      return migration;
    };
    const checked = async (migration: RecordedMigration) => {
      await compare(await migration.finishSteps());
      return last(migration);
    };
    const backfilled = await planned(toInt);
    // A plan whose up is not the one the backfill ran: every row differs from it.
    const otherUp = await planned(alter({ type: 'integer', up: 'CAST(rating AS integer) + 1', down: 'CAST(rating AS text)' }));
    const engine = new SchemaEngine({ databaseUrl: target.url });
    try {
      await engine.start(parseMigration(toInt, 'rating_int', 'json'));
      expect(await checked(backfilled)).toMatchObject({ data: { passed: true, tables: [{ equal: true }], equivalence: [{ column: 'rating', checkedRows: 300, mismatchedRows: 0 }] } });
      expect(await checked(otherUp)).toMatchObject({ data: { passed: false, equivalence: [{ mismatchedRows: 300 }] } });
      await engine.rollback();

      // A comment is changed in place: no duplicate column, no backfill, nothing to check.
      const comment = alter({ comment: 'stars', up: 'rating' });
      const commented = await planned(comment);
      await engine.start(parseMigration(comment, 'rating_comment', 'json'));
      expect(await checked(commented)).toMatchObject({ data: { label: 'after-phase-0', passed: true, equivalence: [{ checkedRows: 0, mismatchedRows: 0 }] } });
      await engine.rollback();
    } finally {
      await engine.close();
    }
  });

  it('a verify step passes with its invariants, fails naming a broken one, and errors on invalid SQL', async () => {
    await onTarget('CREATE TABLE accounts (id integer PRIMARY KEY, balance integer); INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 50) g');
    const total = { name: 'total', sql: 'SELECT sum(balance) FROM accounts', expect: 5000 };
    const migration = await plan(
      [
        { id: 'ok', verify: { tables: ['accounts'], invariants: [total] } },
        { id: 'broken', verify: { tables: ['accounts'], invariants: [total] } },
        { id: 'invalid', verify: { tables: ['accounts'], invariants: [{ name: 'two', sql: 'SELECT 1; SELECT 2', expect: 1 }] } },
      ],
      ['accounts'],
    );
    await baseline(await migration.baseline());
    await verify(await migration.dispatch('ok'));
    expect(await last(migration)).toMatchObject({ type: 'VerifyStepPassed', data: { stepId: 'ok', invariants: [{ name: 'total', passed: true, actual: '5000' }], tables: [{ equal: true }] } });
    await onTarget('UPDATE accounts SET balance = 0 WHERE id = 3');
    await verify(await migration.dispatch('broken'));
    expect(await last(migration)).toMatchObject({ type: 'VerifyStepFailed', data: { stepId: 'broken', invariants: [{ passed: false, actual: '4900' }] } });
    expect(((await last(migration))?.data as { message: string }).message).toMatch(/invariant "total" expected 5000, got "4900"/);
    await verify(await migration.dispatch('invalid'));
    expect(await last(migration)).toMatchObject({ type: 'VerificationErrored', data: { command: 'verify.step', stepId: 'invalid' } });
  });

  it('runs only what the plan asks for: forged verify commands run none of their SQL and record no verdict, only a CommandRejected', async () => {
    const planned = { name: 'planned', sql: 'SELECT 1', expect: 1 };
    const migration = await plan([{ id: 'check', verify: { invariants: [planned] } }], []);
    const ref = { migrationId: migration.migrationId, target: 'app' };
    const pwn = (table: string) => [{ name: 'pwn', sql: `CREATE TABLE ${table} ()`, expect: 1 }];
    const notDispatched = { ...ref, stepId: 'check', commandId: randomUUID(), invariants: pwn('pwned_step'), against: 'before-phase-0' };
    const unissuedLabel = { ...ref, commandId: randomUUID(), label: 'after-writes', against: 'before-phase-0', mode: 'no-loss' as const, equivalence: [{ table: 'pwned', column: 'id', up: 'pg_sleep(0)', stepId: 'check' }] };
    const unknownMigration = { ...notDispatched, migrationId: uniqueName('evil'), commandId: randomUUID(), invariants: pwn('pwned_elsewhere') };
    await bus.sendCommand(RunVerifyStep, notDispatched);
    await bus.sendCommand(CompareWithBaselines, unissuedLabel);
    await bus.sendCommand(RunVerifyStep, unknownMigration);
    // The dispatched command id with someone else's invariants: the step runs, as the plan has it.
    await bus.sendCommand(RunVerifyStep, { ...(await migration.dispatch('check')), invariants: pwn('pwned_swapped') });

    const [verdict] = await waitForAgentEvent(migration, 'VerifyStepPassed');
    expect(verdict?.data).toMatchObject({ stepId: 'check', invariants: [{ name: 'planned', passed: true }] });
    const forged: string[] = [notDispatched, unissuedLabel, unknownMigration].map((message) => message.commandId);
    const rejections = await waitFor('the three rejections', async () => {
      const all = (await readStream(pool, COMMAND_REJECTIONS_STREAM)).map((event) => event.data as MessageData<typeof CommandRejected>);
      const ours = all.filter((rejection) => forged.includes(rejection.commandId));
      return ours.length === forged.length ? ours : undefined;
    });
    expect(forged.map((commandId) => rejections.find((rejection) => rejection.commandId === commandId))).toMatchObject([
      { command: 'verify.step', migrationId: migration.migrationId, stepId: 'check', label: null, code: 'not_dispatched' },
      { command: 'verify.compare', migrationId: migration.migrationId, stepId: null, label: 'after-writes', code: 'unknown_label' },
      { command: 'verify.step', migrationId: unknownMigration.migrationId, code: 'unknown_migration' },
    ]);
    // Rejections keep who and what was named, never the message's SQL.
    expect(JSON.stringify(rejections)).not.toContain('pwn');
    expect((await migration.agentEvents()).map((event) => event.type)).toEqual(['VerifyStepPassed']);
    expect(await readStream(pool, migrationStreamId(unknownMigration.migrationId))).toEqual([]);
    expect(await onTarget("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'pwned%'")).toEqual([]);
  });
});
