import { busTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { waitForCommand } from '../testing/bus-commands';
import { has, PlannerTestApp } from '../testing/planner-test-app';

jest.setTimeout(180_000);

/** Two steps in parallel, a gate, and a short window the timer must close by itself. */
const spec = {
  name: 'two-copies',
  target: 'app',
  phases: [
    {
      name: 'only',
      steps: [
        { id: 'add', schema: { operations: [{ add_column: { table: 'accounts', column: { name: 'note', type: 'text', nullable: true } } }] } },
        { id: 'touch', sql: { up: 'UPDATE accounts SET balance = balance', down: 'SELECT 1' } },
      ],
    },
  ],
  rollback: { automatic: true, window: '2s' },
};

describe('two planner copies (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let copies: PlannerTestApp[] = [];
  let nc: NatsConnection;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);

  beforeAll(async () => {
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    store = await createTestDatabase('pm2_store');
    target = await createTestDatabase('pm2_target');
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query('CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)');
    await client.query('INSERT INTO accounts SELECT g, g FROM generate_series(1, 50) g');
    await client.end();
    copies = [await PlannerTestApp.boot(store.url, topology), await PlannerTestApp.boot(store.url, topology)];
    nc = await connectTestNats();
  });

  afterAll(async () => {
    for (const copy of copies) await copy.close();
    if (nc) {
      await deleteStreams(nc, prefix);
      await nc.close();
    }
    delete process.env['BASCULE_TARGET_APP_URL'];
    delete process.env['BASCULE_BUS_PREFIX'];
    await store?.drop();
    await target?.drop();
  });

  it('record every transition once, and the window timer completes the migration', async () => {
    const [a, b] = copies as [PlannerTestApp, PlannerTestApp];
    const id = (await a.request('POST', '/migrations', spec)).body.id as string;
    // Both copies are asked at once: the start has one deterministic event id, so it is stored once
    // (a later start, once the status reads running, is 409).
    const starts = await Promise.all([a.request('POST', `/migrations/${id}/start`), b.request('POST', `/migrations/${id}/start`)]);
    expect(starts.every((response) => response.status === 202 || response.status === 409)).toBe(true);
    await a.record(id, 'BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    await a.waitFor(id, has('StepDispatched', 2), 'both steps dispatched');
    await Promise.all([
      a.record(id, 'SchemaStepExpanded', { stepId: 'add', target: 'app', schema: 'public', versionSchema: 'public_add', durationMs: 1 }),
      b.record(id, 'SqlStepApplied', { stepId: 'touch', target: 'app', durationMs: 1, rowsAffected: 50 }),
    ]);
    await waitForCommand(nc, topology, 'verify.compare', (c) => c.payload.migrationId === id);
    await b.record(id, 'DataCompared', { label: 'after-phase-0', against: 'before-phase-0', mode: 'no-loss', passed: true, tables: [], equivalence: [], durationMs: 1 });
    await a.waitFor(id, has('MigrationExpanded'), 'MigrationExpanded');
    // Nobody asks to complete: the 2 s window elapses and a copy's timer requests it.
    const requested = await a.waitFor(id, has('MigrationCompleteRequested'), 'the window to elapse');
    expect(requested.find((event) => event.type === 'MigrationCompleteRequested')?.data).toMatchObject({ reason: 'window_elapsed', requestedBy: 'bascule' });
    await waitForCommand(nc, topology, 'schema.complete', (c) => c.payload.migrationId === id);
    await a.record(id, 'SchemaStepCompleted', { stepId: 'add', target: 'app', schema: 'public', durationMs: 1 });
    const events = await a.waitFor(id, has('MigrationCompleted'), 'MigrationCompleted');
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect([count('MigrationStarted'), count('PhaseStarted'), count('StepDispatched'), count('PhaseCompleted'), count('MigrationExpanded'), count('MigrationCompleted')]).toEqual([1, 1, 2, 1, 1, 1]);
  });
});
