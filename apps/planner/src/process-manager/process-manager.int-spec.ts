import { appendEvents, migrationStreamId } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { apiSpec, shopV2Breaking } from '../testing/api-step-spec';
import { queuedCommands, waitForCommand } from '../testing/bus-commands';
import { has, PlannerTestApp } from '../testing/planner-test-app';
import { ProcessManager } from './process-manager.service';

jest.setTimeout(180_000);

const fullSpec = {
  name: 'widen-balance',
  target: 'app',
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }] } },
        { id: 'ok', approval: { approvers: ['bo'] } },
      ],
    },
    { name: 'check', steps: [{ id: 'integrity', verify: { tables: ['accounts'] } }] },
  ],
  rollback: { automatic: true, window: '1h' },
};
const sqlSpec = (name: string) => ({
  name,
  target: 'app',
  phases: [{ name: 'only', steps: [{ id: 'touch', sql: { up: 'UPDATE accounts SET balance = balance', down: 'SELECT 1' } }] }],
});

describe('planner process manager (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let planner: PlannerTestApp;
  let nc: NatsConnection;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);
  const user = (name: string) => ({ 'x-bascule-user': name });
  const types = async (id: string) => (await planner.events(id)).map((event) => event.type);
  const create = async (spec: object) => {
    const response = await planner.request('POST', '/migrations', spec, user('ana'));
    expect(response.status).toBe(201);
    return response.body.id as string;
  };

  beforeAll(async () => {
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    store = await createTestDatabase('pm_store');
    target = await createTestDatabase('pm_target');
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query('CREATE TABLE accounts (id integer PRIMARY KEY, owner text NOT NULL, balance integer NOT NULL)');
    await client.query("INSERT INTO accounts SELECT g, 'o', g FROM generate_series(1, 100) g");
    await client.end();
    planner = await PlannerTestApp.boot(store.url, topology);
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

  it('drives start → phases (baseline, steps, approval, gate) → expanded → complete from outcome events', async () => {
    const id = await create(fullSpec);
    expect((await planner.request('POST', `/migrations/${id}/complete`)).status).toBe(409);
    expect((await planner.request('POST', `/migrations/${id}/start`, undefined, user('ana'))).status).toBe(202);
    expect((await planner.request('POST', `/migrations/${id}/start`)).status).toBe(409);
    await planner.waitFor(id, has('PhaseStarted'), 'PhaseStarted');
    const baseline = await waitForCommand(nc, topology, 'verify.baseline', (c) => c.payload.migrationId === id);
    expect(baseline.payload).toMatchObject({ label: 'before-phase-0', tables: ['public.accounts'], target: 'app' });

    await planner.record(id, 'BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    await planner.waitFor(id, has('StepDispatched', 2), 'both steps of phase 0 dispatched');
    const start = await waitForCommand(nc, topology, 'schema.start', (c) => c.payload.migrationId === id);
    expect(start.payload).toMatchObject({ stepId: 'widen', schema: 'public', migration: { operations: [{ alter_column: { table: 'accounts' } }] } });
    const running = (await planner.request('GET', `/migrations/${id}`)).body;
    expect(running).toMatchObject({ status: 'running', phases: [{ status: 'running', steps: [{ id: 'widen', status: 'running' }, { id: 'ok', status: 'waiting_approval' }] }, { status: 'pending' }] });

    await planner.record(id, 'SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'public_widen', durationMs: 3 });
    expect((await planner.request('POST', `/migrations/${id}/steps/ok/approve`, undefined, user('eve'))).status).toBe(403);
    expect((await planner.request('POST', `/migrations/${id}/steps/nope/approve`, undefined, user('bo'))).status).toBe(404);
    expect((await planner.request('POST', `/migrations/${id}/steps/ok/approve`, { comment: 'looks fine' }, user('bo'))).status).toBe(202);
    const gate = await waitForCommand(nc, topology, 'verify.compare', (c) => c.payload.migrationId === id && c.payload.label === 'after-phase-0');
    expect(gate.payload).toMatchObject({ against: 'before-phase-0', mode: 'no-loss', equivalence: [{ table: 'accounts', column: 'balance', up: 'balance', stepId: 'widen' }] });

    await planner.record(id, 'DataCompared', { label: 'after-phase-0', against: 'before-phase-0', mode: 'no-loss', passed: true, tables: [], equivalence: [], durationMs: 1 });
    await planner.waitFor(id, has('PhaseStarted', 2), 'phase 1 started');
    await planner.record(id, 'BaselineTaken', { label: 'before-phase-1', tables: [], durationMs: 1 });
    const verify = await waitForCommand(nc, topology, 'verify.step', (c) => c.payload.migrationId === id);
    expect(verify.payload).toMatchObject({ stepId: 'integrity', tables: ['accounts'], against: 'before-phase-0' });
    await planner.record(id, 'VerifyStepPassed', { stepId: 'integrity', tables: [], invariants: [], durationMs: 1 });
    await waitForCommand(nc, topology, 'verify.compare', (c) => c.payload.migrationId === id && c.payload.label === 'after-phase-1');
    await planner.record(id, 'DataCompared', { label: 'after-phase-1', against: 'before-phase-1', mode: 'no-loss', passed: true, tables: [], equivalence: [], durationMs: 1 });
    await planner.waitFor(id, has('MigrationExpanded'), 'MigrationExpanded');
    expect((await planner.request('GET', `/migrations/${id}`)).body.status).toBe('expanded');

    expect((await planner.request('POST', `/migrations/${id}/complete`, undefined, user('ana'))).status).toBe(202);
    const complete = await waitForCommand(nc, topology, 'schema.complete', (c) => c.payload.migrationId === id);
    expect(complete.payload).toMatchObject({ stepId: 'widen', schema: 'public' });
    await planner.record(id, 'SchemaStepCompleted', { stepId: 'widen', target: 'app', schema: 'public', durationMs: 2 });
    await planner.waitFor(id, has('MigrationCompleted'), 'MigrationCompleted');
    expect((await planner.request('GET', `/migrations/${id}`)).body.status).toBe('completed');
    // Each transition was recorded once, whatever the bus redelivered.
    expect((await types(id)).filter((type) => type === 'PhaseCompleted')).toHaveLength(2);

    const report = await planner.request('GET', `/migrations/${id}/report`);
    expect(report.headers.get('content-type')).toContain('text/markdown');
    expect(report.text).toContain('started by ana');
    expect(report.text).toContain('approved by bo');
    expect(report.text).toMatch(/after-phase-0.*passed/);
    const sse = await planner.request('GET', `/migrations/${id}/stream`);
    expect(sse.text).toContain('event: MigrationPlanned');
    expect(sse.text.trim().endsWith('}')).toBe(true);
    expect(sse.text).toContain('event: MigrationCompleted');
  });

  it('dispatches nothing while paused and continues on resume', async () => {
    const id = await create(sqlSpec('pausing'));
    await planner.request('POST', `/migrations/${id}/start`);
    await planner.waitFor(id, has('PhaseStarted'), 'PhaseStarted');
    expect((await planner.request('POST', `/migrations/${id}/pause`, { reason: 'peak hour' }, user('ana'))).status).toBe(202);
    expect((await planner.request('POST', `/migrations/${id}/pause`)).status).toBe(409);
    await planner.record(id, 'BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    const paused = await planner.app.get(ProcessManager).advance(id);
    expect(paused?.status).toBe('paused');
    expect(await types(id)).not.toContain('StepDispatched');
    // Watch live over SSE while resuming: the dispatch arrives on the open stream.
    const live = new AbortController();
    const sse = await fetch(`${planner.url}/migrations/${id}/stream`, { signal: live.signal });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    if (!sse.body) throw new Error('the SSE response has no body');
    const reader = sse.body.getReader();
    let seen = '';
    const readUntil = async (text: string) => {
      while (!seen.includes(text)) seen += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil('event: MigrationPaused');
    expect(seen).not.toContain('StepDispatched');
    expect((await planner.request('POST', `/migrations/${id}/resume`)).status).toBe(202);
    expect(await types(id)).toContain('StepDispatched');
    await readUntil('event: StepDispatched');
    live.abort();
    await waitForCommand(nc, topology, 'sql.apply', (c) => c.payload.migrationId === id);
  });

  it('holds an irreversible step for an approval by someone other than the starter', async () => {
    const id = await create({
      name: 'purge-audit',
      target: 'app',
      phases: [{ name: 'only', steps: [{ id: 'purge', sql: { up: 'UPDATE accounts SET balance = 0 WHERE id < 0', irreversible: true } }] }],
    });
    expect((await planner.request('POST', `/migrations/${id}/start`, undefined, user('ana'))).status).toBe(202);
    await planner.record(id, 'BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    await planner.waitFor(id, has('StepApprovalRequested'), 'the irreversible step to wait');
    expect(await types(id)).not.toContain('StepDispatched');
    const own = await planner.request('POST', `/migrations/${id}/steps/purge/approve`, undefined, user('ana'));
    expect(own).toMatchObject({ status: 403, body: { code: 'SELF_APPROVAL' } });
    expect(await types(id)).not.toContain('StepApproved');
    expect((await planner.request('POST', `/migrations/${id}/steps/purge/approve`, { comment: 'checked the backup' }, user('bo'))).status).toBe(202);
    await waitForCommand(nc, topology, 'sql.apply', (c) => c.payload.migrationId === id);
    expect((await planner.events(id)).find((event) => event.type === 'StepApproved')?.data).toMatchObject({ approvedBy: 'bo' });
  });

  it('holds an api step with breaking changes under breaking: approve before api.start, until someone other than the starter approves', async () => {
    const id = await create(apiSpec('shop-v2-approve', shopV2Breaking(), 'approve'));
    expect((await planner.request('POST', `/migrations/${id}/start`, undefined, user('ana'))).status).toBe(202);
    const waiting = await planner.waitFor(id, has('StepApprovalRequested'), 'the api step to wait');
    expect(waiting.find((event) => event.type === 'StepApprovalRequested')?.data).toMatchObject({ stepId: 'shop-v2', reason: 'breaking_contract', startedBy: 'ana' });
    expect(await types(id)).not.toContain('StepDispatched');
    expect((await planner.request('GET', `/migrations/${id}`)).body.phases[0].steps[0]).toMatchObject({ status: 'waiting_approval', api: { requiresApproval: { reason: 'breaking_contract' } } });
    const own = await planner.request('POST', `/migrations/${id}/steps/shop-v2/approve`, undefined, user('ana'));
    expect(own).toMatchObject({ status: 403, body: { code: 'SELF_APPROVAL', message: expect.stringContaining('breaks its API contract') } });
    expect((await queuedCommands(nc, topology, 'api.start')).some((c) => c.payload.migrationId === id)).toBe(false);
    expect((await planner.request('POST', `/migrations/${id}/steps/shop-v2/approve`, { comment: 'clients moved off /carts' }, user('bo'))).status).toBe(202);
    const command = await waitForCommand(nc, topology, 'api.start', (c) => c.payload.migrationId === id);
    expect(command.payload).toEqual({ migrationId: id, stepId: 'shop-v2', target: 'app', commandId: command.commandId });
  });

  it('sends the on-call rollback command for POST /rollback, refusing statuses that forbid it', async () => {
    const planned = await create(sqlSpec('not-started'));
    expect((await planner.request('POST', `/migrations/${planned}/rollback`, { reason: 'x' })).status).toBe(409);
    await planner.request('POST', `/migrations/${planned}/start`);
    const response = await planner.request('POST', `/migrations/${planned}/rollback`, { reason: 'errors up' }, user('oncall'));
    expect(response.status).toBe(202);
    const command = await waitForCommand(nc, topology, 'rollback', (c) => c.payload.migrationId === planned);
    expect(command.payload).toEqual({ migrationId: planned, reason: 'errors up', requestedBy: 'oncall' });
    expect(command.metadata).toMatchObject({ trigger: 'api', actor: 'oncall' });
  });

  it('a restarted planner continues a migration it had not moved yet', async () => {
    const id = await create(sqlSpec('restarted'));
    await planner.close();
    // Recorded while no planner ran (as if it died right after storing the start).
    const client = new Client({ connectionString: store.url });
    await client.connect();
    await appendEvents(client, migrationStreamId(id), [{ type: 'MigrationStarted', data: { migrationId: id, requestedBy: 'ana' } }]);
    await client.end();
    planner = await PlannerTestApp.boot(store.url, topology); // boot continues every unfinished migration before it returns
    expect(await types(id)).toEqual(['MigrationPlanned', 'MigrationStarted', 'PhaseStarted']);
    await planner.record(id, 'BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    await planner.waitFor(id, has('StepDispatched'), 'StepDispatched after restart');
    expect((await queuedCommands(nc, topology, 'sql.apply')).some((c) => c.payload.migrationId === id)).toBe(true);
  });
});
