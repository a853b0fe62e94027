import { busTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { PlannerTestApp } from '../testing/planner-test-app';

jest.setTimeout(180_000);

const spec = (name: string, down: string) => ({
  name,
  target: 'app',
  rehearse: true,
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }] } },
        { id: 'flag', sql: { up: 'ALTER TABLE accounts ADD COLUMN flagged boolean', down } },
      ],
    },
  ],
});

async function onTarget<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('rehearsal (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let planner: PlannerTestApp;
  let nc: NatsConnection;
  const prefix = uniqueBusPrefix();

  beforeAll(async () => {
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    store = await createTestDatabase('rh_store');
    target = await createTestDatabase('rh_target');
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    await onTarget(target.url, 'CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)');
    await onTarget(target.url, 'INSERT INTO accounts SELECT g, g * 3 FROM generate_series(1, 2500) g');
    planner = await PlannerTestApp.boot(store.url, busTopology(prefix));
    nc = await connectTestNats();
  });

  afterAll(async () => {
    await planner?.close();
    if (nc) {
      await deleteStreams(nc, prefix);
      await nc.close();
    }
    delete process.env['BASCULE_TARGET_APP_URL'];
    delete process.env['BASCULE_BUS_PREFIX'];
    await store?.drop();
    await target?.drop();
  });

  const scratchDatabases = () => onTarget<{ datname: string }>(target.url, "SELECT datname FROM pg_database WHERE datname LIKE 'bascule_rehearsal_%'");

  it('gates start until a rehearsal proved the way back, and leaves the target untouched', async () => {
    const id = (await planner.request('POST', '/migrations', spec('good', 'ALTER TABLE accounts DROP COLUMN flagged'))).body.id as string;
    expect((await planner.request('POST', `/migrations/${id}/start`)).body.code).toBe('REHEARSAL_REQUIRED');
    const rehearsal = await planner.request('POST', `/migrations/${id}/rehearse`, undefined, { 'x-bascule-user': 'ana' });
    expect(rehearsal.status).toBe(200);
    expect(rehearsal.body).toMatchObject({ passed: true, sampledRows: 1000 });
    expect(rehearsal.body.checks.map((check: { name: string }) => check.name)).toEqual(['forward run', 'rollback run', 'schema restored identically', 'rows equal after rollback']);
    expect((await planner.events(id)).map((event) => event.type)).toEqual(['MigrationPlanned', 'RollbackRehearsed']);
    expect(await onTarget(target.url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'flagged'")).toEqual([]);
    expect(await scratchDatabases()).toEqual([]);
    expect((await planner.request('POST', `/migrations/${id}/start`)).status).toBe(202);
  });

  it('fails the rehearsal when a down does not restore the schema, and start stays refused', async () => {
    const id = (await planner.request('POST', '/migrations', spec('leaky', 'SELECT 1'))).body.id as string;
    const rehearsal = await planner.request('POST', `/migrations/${id}/rehearse`);
    expect(rehearsal.body.passed).toBe(false);
    expect(rehearsal.body.checks).toContainEqual(expect.objectContaining({ name: 'schema restored identically', passed: false }));
    expect((await planner.request('POST', `/migrations/${id}/start`)).status).toBe(409);
    expect(await scratchDatabases()).toEqual([]);
  });
});
