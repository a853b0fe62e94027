import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CompareWithBaselines, RunVerifyStep, TakeBaselines, type MessageData } from '@bascule/contracts';
import { ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { parseMigration, SchemaEngine } from '@bascule/schema-engine';
import { PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client, type Pool } from 'pg';
import { CompareHandler } from './compare.handler';
import { DataVerifierModule } from './data-verifier.module';
import { connectDataVerifierTransport } from './data-verifier.transport';
import { VerifyStepHandler } from './verify-step.handler';
import { BaselineHandler } from './baseline.handler';

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

describe('data-verifier (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let app: INestApplication;
  let pool: Pool;
  let nc: NatsConnection;
  let bus: BusClient;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);

  const onTarget = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const last = async (migrationId: string) => (await readStream(pool, migrationStreamId(migrationId))).at(-1)!;
  const baseline = (migrationId: string, label: string, tables: string[]) =>
    app.get(BaselineHandler).takeBaselines(TakeBaselines.schema.parse({ migrationId, target: 'app', commandId: randomUUID(), label, tables }));
  const compare = (input: Partial<MessageData<typeof CompareWithBaselines>> & { migrationId: string }) =>
    app.get(CompareHandler).compare(CompareWithBaselines.schema.parse({ target: 'app', commandId: randomUUID(), label: 'after', against: 'before', mode: 'no-loss', ...input }));

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

  it('baseline → compare: no-loss tolerates added and changed rows, fails on a deleted one and names its key; identical fails on any change', async () => {
    await onTarget('CREATE TABLE orders (id integer PRIMARY KEY, total integer); INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 2000) g');
    await onTarget('CREATE TABLE audit (note text); INSERT INTO audit VALUES (\'a\'), (\'b\')');
    const migrationId = uniqueName('mig');
    await bus.sendCommand(TakeBaselines, { migrationId, target: 'app', commandId: randomUUID(), label: 'before', tables: ['orders', 'public.audit'] });
    const [taken] = await waitForEvent(pool, migrationStreamId(migrationId), 'BaselineTaken');
    expect(taken!.data).toMatchObject({ label: 'before', tables: [{ table: 'orders', rowCount: 2000 }, { table: 'public.audit', rowCount: 2 }] });

    await onTarget('INSERT INTO orders VALUES (5000, 1); UPDATE orders SET total = -1 WHERE id = 7');
    await compare({ migrationId, label: 'after-writes' });
    expect((await last(migrationId)).data).toMatchObject({
      label: 'after-writes',
      passed: true,
      tables: [{ table: 'orders', equal: false, added: { count: 1, sample: [{ id: '5000' }] }, changed: { count: 1, sample: [{ id: '7' }] }, removed: { count: 0 } }, { table: 'public.audit', equal: true }],
    });
    await compare({ migrationId, label: 'identical-check', mode: 'identical' });
    expect((await last(migrationId)).data).toMatchObject({ label: 'identical-check', passed: false });

    await onTarget('DELETE FROM orders WHERE id = 1234');
    await compare({ migrationId, label: 'after-delete' });
    expect((await last(migrationId)).data).toMatchObject({ label: 'after-delete', passed: false, tables: [{ table: 'orders', removed: { count: 1, sample: [{ id: '1234' }] } }, { equal: true }] });

    await compare({ migrationId, label: 'no-baseline', against: 'never-taken' });
    expect(await last(migrationId)).toMatchObject({ type: 'VerificationErrored', data: { command: 'verify.compare', code: 'BASELINE_NOT_FOUND' } });
  });

  it('checks new = up(old) on the duplicate column of an expanded alter_column', async () => {
    await onTarget("CREATE TABLE reviews (id integer PRIMARY KEY, rating text); INSERT INTO reviews SELECT g, (g % 5)::text FROM generate_series(1, 300) g");
    const migrationId = uniqueName('mig');
    await baseline(migrationId, 'before', ['reviews']);
    const engine = new SchemaEngine({ databaseUrl: target.url });
    try {
      const up = 'CAST(rating AS integer)';
      await engine.start(parseMigration({ operations: [{ alter_column: { table: 'reviews', column: 'rating', type: 'integer', up, down: 'CAST(rating AS text)' } }] }, 'rating_int', 'json'));
      await compare({ migrationId, equivalence: [{ table: 'reviews', column: 'rating', up, stepId: 'rating_int' }] });
      expect((await last(migrationId)).data).toMatchObject({ passed: true, tables: [{ equal: true }], equivalence: [{ column: 'rating', checkedRows: 300, mismatchedRows: 0 }] });
      await compare({ migrationId, label: 'wrong-up', equivalence: [{ table: 'reviews', column: 'rating', up: 'CAST(rating AS integer) + 1', stepId: 'rating_int' }] });
      expect((await last(migrationId)).data).toMatchObject({ passed: false, equivalence: [{ mismatchedRows: 300 }] });
      await engine.rollback();
      // A comment is changed in place: no duplicate column, no backfill, nothing to check.
      await engine.start(parseMigration({ operations: [{ alter_column: { table: 'reviews', column: 'rating', comment: 'stars' } }] }, 'rating_comment', 'json'));
      await compare({ migrationId, label: 'comment-only', equivalence: [{ table: 'reviews', column: 'rating', up: 'rating', stepId: 'rating_comment' }] });
      expect((await last(migrationId)).data).toMatchObject({ label: 'comment-only', passed: true, equivalence: [{ checkedRows: 0, mismatchedRows: 0 }] });
      await engine.rollback();
    } finally {
      await engine.close();
    }
  });

  it('a verify step passes with its invariants, fails naming a broken one, and errors on invalid SQL', async () => {
    await onTarget('CREATE TABLE accounts (id integer PRIMARY KEY, balance integer); INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 50) g');
    const migrationId = uniqueName('mig');
    await baseline(migrationId, 'before-phase-0', ['accounts']);
    const verify = (stepId: string, invariants: unknown[]) =>
      app.get(VerifyStepHandler).verify(RunVerifyStep.schema.parse({ migrationId, target: 'app', commandId: randomUUID(), stepId, tables: ['accounts'], invariants, against: 'before-phase-0' }));
    await verify('ok', [{ name: 'total', sql: 'SELECT sum(balance) FROM accounts', expect: 5000 }]);
    expect(await last(migrationId)).toMatchObject({ type: 'VerifyStepPassed', data: { stepId: 'ok', invariants: [{ name: 'total', passed: true, actual: '5000' }], tables: [{ equal: true }] } });
    await onTarget('UPDATE accounts SET balance = 0 WHERE id = 3');
    await verify('broken', [{ name: 'total', sql: 'SELECT sum(balance) FROM accounts', expect: 5000 }]);
    expect(await last(migrationId)).toMatchObject({ type: 'VerifyStepFailed', data: { stepId: 'broken', invariants: [{ passed: false, actual: '4900' }] } });
    expect(((await last(migrationId)).data as { message: string }).message).toMatch(/invariant "total" expected 5000, got "4900"/);
    await verify('invalid', [{ name: 'two', sql: 'SELECT 1; SELECT 2', expect: 1 }]);
    expect(await last(migrationId)).toMatchObject({ type: 'VerificationErrored', data: { command: 'verify.step', stepId: 'invalid' } });
  });
});
