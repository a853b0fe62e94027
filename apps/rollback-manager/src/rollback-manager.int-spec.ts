import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApplySqlStep, ROLLBACK_REJECTIONS_STREAM, RevertSqlStep, StartSchemaStep, TakeBaselines, type MessageData, type MigrationSpecInput } from '@bascule/contracts';
import { appendEvents, ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { MigrationSpec } from '@bascule/contracts';
import { baselineCommand, compensationFor, deterministicId, foldMigration, PRE_MIGRATION_BASELINE } from '@bascule/orchestration';
import { SchemaEngine } from '@bascule/schema-engine';
import { METRICS_REGISTRY, PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import type { NatsConnection } from 'nats';
import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { RollbackManagerModule } from './rollback-manager.module';
import { connectRollbackManagerTransport } from './rollback-manager.transport';
import { RollbackRunner } from './rollback-runner.service';

// The schema-agent and data-verifier run as separate processes from dist/ (`npm run build` first);
// the rollback-manager under test runs in this process so it can be stopped and booted again.
jest.setTimeout(180_000);

const REPO_ROOT = resolve(__dirname, '../../..');
const LOG_DIR = tmpdir();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise((done) => server.close(done));
  return port;
}

async function startService(name: 'schema-agent' | 'data-verifier', env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const port = await freePort();
  const log = createWriteStream(join(LOG_DIR, `bascule-rollback-int-${name}-${process.pid}.log`));
  const child = spawn(process.execPath, ['-r', join(REPO_ROOT, 'tools/dist-paths.js'), join(REPO_ROOT, `dist/apps/${name}/src/main.js`)], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.once('exit', () => log.end());
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${log.path}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.ok, () => false);
    if (healthy) return child;
    if (Date.now() > deadline) throw new Error(`${name} not healthy after 60 s; see ${log.path}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function stopService(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

describe('rollback-manager (real Postgres + NATS, agents as processes)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let storePool: Pool;
  let targetPool: Pool;
  let manager: INestApplication | undefined;
  let agents: ChildProcess[] = [];
  let nc: NatsConnection;
  let bus: BusClient;
  const prefix = uniqueBusPrefix();
  const topology = busTopology(prefix);

  async function startManager(): Promise<INestApplication> {
    const config = serviceConfig('rollback-manager', 0, { BASCULE_DATABASE_URL: store.url });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), RollbackManagerModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await ensureEventStoreSchema(app.get<Pool>(PG_POOL));
    await app.init();
    await connectRollbackManagerTransport(app, { topology });
    await app.get(RollbackRunner).resumeUnfinished();
    return app;
  }

  const events = (migrationId: string) => readStream(storePool, migrationStreamId(migrationId));
  const types = (list: StoredEvent[]) => list.map((event) => event.type);
  const append = (migrationId: string, type: string, data: Record<string, unknown>) =>
    appendEvents(storePool, migrationStreamId(migrationId), [{ type, data: { migrationId, ...data } }], { expectedVersion: 'any' });

  async function waitFor(streamId: string, done: (events: StoredEvent[]) => boolean, what: string, timeoutMs = 60_000): Promise<StoredEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await readStream(storePool, streamId);
      if (done(list)) return list;
      if (Date.now() > deadline) throw new Error(`${what} not seen in ${streamId} after ${timeoutMs} ms; saw ${types(list).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const waitForType = (migrationId: string, type: string) => waitFor(migrationStreamId(migrationId), (list) => list.some((event) => event.type === type), type);

  /** MigrationPlanned whose plan touches `tables` (all existing): they are baselined and fingerprinted. */
  async function plan(migrationId: string, input: MigrationSpecInput, tables: string[]): Promise<void> {
    const spec = MigrationSpec.parse(input);
    const planned = tables.map((table) => ({ table, exists: true, rows: null, bytes: null, primaryKey: [], indexes: [], foreignKeys: [], dependentViews: [] }));
    await append(migrationId, 'MigrationPlanned', { name: spec.name, target: 'app', spec, plan: { phases: [], tables: planned, risks: [], estimatedSeconds: null }, requestedBy: 'ana' });
  }

  /** What the planner's process manager does: start, phase 0, its baseline (the command the data-verifier binds to the plan). */
  async function begin(migrationId: string): Promise<void> {
    await append(migrationId, 'MigrationStarted', { requestedBy: 'ana' });
    await append(migrationId, 'PhaseStarted', { phaseIndex: 0, phase: 'expand' });
    const state = foldMigration(await events(migrationId));
    if (state.plan.tables.length === 0) return;
    await bus.sendCommand(TakeBaselines, baselineCommand(state, 0).payload as MessageData<typeof TakeBaselines>);
    await waitForType(migrationId, 'BaselineTaken');
  }
  async function dispatch(migrationId: string, stepId: string, kind: 'schema' | 'sql', command: Record<string, unknown>): Promise<void> {
    const commandId = deterministicId(migrationId, 'dispatch', stepId);
    await append(migrationId, 'StepDispatched', { phaseIndex: 0, stepId, kind, commandId });
    const ref = { migrationId, stepId, target: 'app', commandId };
    if (kind === 'schema') await bus.sendCommand(StartSchemaStep, { ...ref, ...command });
    else await bus.sendCommand(ApplySqlStep, { ...ref, ...command });
  }
  /** Exactly what an on-call engineer's `nats pub bascule.cmd.rollback '{...}'` puts on the wire. */
  const natsPub = (body: object) => nc.publish(topology.commandSubject('rollback'), JSON.stringify(body));
  const targetRows = async (sql: string) => (await targetPool.query(sql)).rows;

  const ratingStep = (id: string, backfill?: object) => ({
    id,
    schema: { operations: [{ alter_column: { table: 'reviews', column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } }], ...(backfill ? { backfill } : {}) },
  });
  const ratingCommand = (backfill?: object) => ({
    schema: 'public',
    migration: { operations: [{ alter_column: { table: 'reviews', column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } }] },
    ...(backfill ? { backfill } : {}),
  });

  beforeAll(async () => {
    store = await createTestDatabase('rm_store');
    target = await createTestDatabase('rm_target');
    storePool = new Pool({ connectionString: store.url, max: 3 });
    targetPool = new Pool({ connectionString: target.url, max: 2 });
    await targetPool.query("CREATE TABLE reviews (id integer PRIMARY KEY, rating text NOT NULL); INSERT INTO reviews SELECT g, (g % 5)::text FROM generate_series(1, 20000) g");
    await targetPool.query('CREATE TABLE notes (id integer PRIMARY KEY, body text)');
    process.env['BASCULE_BUS_PREFIX'] = prefix;
    process.env['BASCULE_TARGET_APP_URL'] = target.url;
    const env = { ...process.env, BASCULE_DATABASE_URL: store.url, BASCULE_BUS_PREFIX: prefix, BASCULE_TARGET_APP_URL: target.url };
    await ensureEventStoreSchema(storePool);
    agents = await Promise.all([startService('schema-agent', env), startService('data-verifier', env)]);
    manager = await startManager();
    nc = await connectTestNats();
    bus = BusClient.using(nc, topology);
  });

  afterAll(async () => {
    await manager?.close();
    await Promise.all(agents.map(stopService));
    if (nc) {
      await deleteStreams(nc, prefix);
      await nc.close();
    }
    delete process.env['BASCULE_BUS_PREFIX'];
    delete process.env['BASCULE_TARGET_APP_URL'];
    await storePool?.end();
    await targetPool?.end();
    await store?.drop();
    await target?.drop();
  });

  it('on-call `nats pub` rolls back an expanded schema step and a sql step in reverse order; the target matches its baseline; duplicates change nothing', async () => {
    const migrationId = uniqueName('oncall');
    await plan(migrationId, {
      name: 'rating-to-int',
      target: 'app',
      rollback: { automatic: false },
      phases: [{ name: 'expand', steps: [ratingStep('rating_int'), { id: 'seed_notes', dependsOn: ['rating_int'], sql: { up: "INSERT INTO notes VALUES (1, 'hello')", down: 'DELETE FROM notes WHERE id = 1' } }] }],
    }, ['reviews', 'notes']);
    await begin(migrationId);
    await dispatch(migrationId, 'rating_int', 'schema', ratingCommand());
    await waitForType(migrationId, 'SchemaStepExpanded');
    await dispatch(migrationId, 'seed_notes', 'sql', { up: "INSERT INTO notes VALUES (1, 'hello')" });
    await waitForType(migrationId, 'SqlStepApplied');
    expect(await targetRows("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'public_rating_int'")).toHaveLength(1);

    const command = { migrationId, reason: 'p99 latency doubled', requestedBy: 'oncall@example.com' };
    natsPub(command);
    natsPub(command); // a second engineer (or a retry) sends the same request at once
    const list = await waitFor(migrationStreamId(migrationId), (all) => all.some((event) => event.type === 'DataCompared' && (event.data as { label: string }).label === 'restoration'), 'restoration check');

    expect(list.filter((event) => event.type === 'RollbackStarted')).toHaveLength(1);
    expect(list.filter((event) => event.type === 'MigrationRolledBack')).toHaveLength(1);
    expect(list.filter((event) => event.type === 'RollbackRejected').every((event) => (event.data as { code: string }).code === 'already_rolled_back')).toBe(true);
    const started = list.find((event) => event.type === 'RollbackStarted')!;
    expect(started.data).toMatchObject({ trigger: 'on-call', requestedBy: 'oncall@example.com', reason: 'p99 latency doubled', compensation: [{ stepId: 'seed_notes', action: 'sql.revert' }, { stepId: 'rating_int', action: 'schema.rollback' }] });
    const rolledBack = list.find((event) => event.type === 'MigrationRolledBack')!;
    expect(rolledBack.data).toMatchObject({ compensated: ['seed_notes', 'rating_int'] });
    // The first rollback this manager finished: one on-call observation on /metrics.
    expect(await (manager as INestApplication).get<Registry>(METRICS_REGISTRY).metrics()).toMatch(/^bascule_rollback_seconds_count\{trigger="on-call"\} 1$/m);
    const outcomes = types(list).filter((type) => type === 'SqlStepReverted' || type === 'SchemaStepRolledBack');
    expect(outcomes).toEqual(['SqlStepReverted', 'SchemaStepRolledBack']);
    const restoration = list.find((event) => event.type === 'DataCompared' && (event.data as { label: string }).label === 'restoration')!;
    expect(restoration.data).toMatchObject({
      against: PRE_MIGRATION_BASELINE,
      mode: 'no-loss',
      passed: true,
      tables: [{ table: 'reviews', equal: true }, { table: 'notes', equal: true }],
      schema: { equal: true, differences: [] },
    });
    expect(foldMigration(list).status).toBe('rolled_back');
    expect(await targetRows("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'public_rating_int'")).toHaveLength(0);
    expect(await targetRows("SELECT 1 FROM information_schema.columns WHERE table_name = 'reviews' AND column_name LIKE '_bascule%'")).toHaveLength(0);
    expect(await targetRows('SELECT * FROM notes')).toHaveLength(0);

    // Later duplicates are answered, not ignored, and still change nothing.
    natsPub(command);
    const after = await waitFor(migrationStreamId(migrationId), (all) => all.filter((event) => event.type === 'RollbackRejected').length >= 1 + list.filter((event) => event.type === 'RollbackRejected').length, 'rejection');
    expect(after.at(-1)!.data).toMatchObject({ code: 'already_rolled_back', requestedBy: 'oncall@example.com' });
    expect(after.filter((event) => event.type === 'MigrationRolledBack')).toHaveLength(1);
    console.log(`[measure] on-call rollback of an expanded schema step + a sql step: command received → MigrationRolledBack ${(rolledBack.data as { durationMs: number }).durationMs} ms`);
  });

  it('a rollback during a running backfill stops it first, reports no failure, and is recorded as from the API when the metadata says so', async () => {
    const migrationId = uniqueName('midfill');
    const backfill = { batchSize: 200, delayMs: 20 };
    await plan(migrationId, { name: 'slow-rating', target: 'app', rollback: { automatic: false }, phases: [{ name: 'expand', steps: [ratingStep('slow_rating', backfill)] }] }, ['reviews']);
    await begin(migrationId);
    await dispatch(migrationId, 'slow_rating', 'schema', ratingCommand(backfill));
    await waitForType(migrationId, 'BackfillCheckpointRecorded');
    await bus.sendCommand('rollback', { migrationId, reason: 'wrong cast', requestedBy: 'ops' }, { metadata: { trigger: 'api', actor: 'ops' } });
    const compensated = await waitForType(migrationId, 'MigrationRolledBack');
    // Every compensation ran; `rolled_back` waits for the restoration check to say the target is as it was.
    expect(foldMigration(compensated).status).toBe('rolling_back');
    const list = await waitFor(migrationStreamId(migrationId), (all) => all.some((event) => event.type === 'DataCompared'), 'restoration check');
    expect(list.find((event) => event.type === 'DataCompared')!.data).toMatchObject({ label: 'restoration', passed: true, schema: { equal: true, differences: [] } });
    expect(list.find((event) => event.type === 'RollbackStarted')!.data).toMatchObject({ trigger: 'api', requestedBy: 'ops' });
    // 20 000 rows in batches of 200 with 20 ms pauses would take seconds: the backfill never finished.
    expect(types(list)).not.toContain('SchemaStepExpanded');
    expect(types(list)).not.toContain('SchemaStepFailed');
    expect(foldMigration(list).status).toBe('rolled_back');
    expect(await targetRows("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'public_slow_rating'")).toHaveLength(0);
    expect(await targetRows("SELECT 1 FROM information_schema.columns WHERE table_name = 'reviews' AND column_name LIKE '_bascule%'")).toHaveLength(0);
    console.log(`[measure] rollback during a running backfill (20k rows): command received → MigrationRolledBack ${(list.find((event) => event.type === 'MigrationRolledBack')!.data as { durationMs: number }).durationMs} ms`);
  });

  it('answers an unknown id in stream rollback-rejections and a completed migration in its own stream', async () => {
    const unknown = uniqueName('nobody');
    natsPub({ migrationId: unknown, reason: 'typo', requestedBy: 'bob' });
    const rejections = await waitFor(ROLLBACK_REJECTIONS_STREAM, (all) => all.some((event) => (event.data as { migrationId: string }).migrationId === unknown), 'unknown-id rejection');
    expect(rejections.find((event) => (event.data as { migrationId: string }).migrationId === unknown)).toMatchObject({ type: 'RollbackRejected', data: { code: 'unknown_migration', requestedBy: 'bob' } });

    const done = uniqueName('done');
    await plan(done, { name: 'finished', target: 'app', phases: [{ name: 'p', steps: [{ id: 'noop', sql: { up: 'SELECT 1', down: 'SELECT 1' } }] }] }, []);
    await append(done, 'MigrationStarted', { requestedBy: 'ana' });
    await append(done, 'MigrationCompleteRequested', { requestedBy: 'ana', reason: 'requested' });
    await append(done, 'MigrationCompleted', { durationMs: 10 });
    natsPub({ migrationId: done, reason: 'too late', requestedBy: 'bob' });
    const list = await waitForType(done, 'RollbackRejected');
    expect(list.at(-1)!.data).toMatchObject({ code: 'completed' });
    expect(foldMigration(list).status).toBe('completed');
  });

  it('rolls back by itself when a sql step fails and rollback.automatic is on', async () => {
    const migrationId = uniqueName('auto');
    await plan(migrationId, {
      name: 'audit',
      target: 'app',
      phases: [{ name: 'expand', steps: [{ id: 'audit_table', sql: { up: 'CREATE TABLE audit (id int)', down: 'DROP TABLE audit' } }, { id: 'broken', dependsOn: ['audit_table'], sql: { up: 'INSERT INTO no_such_table VALUES (1)', down: 'SELECT 1' } }] }],
    }, []);
    await begin(migrationId);
    await dispatch(migrationId, 'audit_table', 'sql', { up: 'CREATE TABLE audit (id int)' });
    await waitForType(migrationId, 'SqlStepApplied');
    await dispatch(migrationId, 'broken', 'sql', { up: 'INSERT INTO no_such_table VALUES (1)' });
    const list = await waitForType(migrationId, 'MigrationRolledBack');
    expect(list.find((event) => event.type === 'RollbackStarted')!.data).toMatchObject({
      trigger: 'automatic',
      requestedBy: 'bascule',
      reason: expect.stringContaining('step "broken" failed'),
      compensation: [{ stepId: 'audit_table', action: 'sql.revert' }],
    });
    expect(await targetRows("SELECT 1 FROM information_schema.tables WHERE table_name = 'audit'")).toHaveLength(0);
  });

  it('a rollback-manager restarted mid-rollback continues with the same commands', async () => {
    const migrationId = uniqueName('resume');
    await plan(migrationId, {
      name: 'resume',
      target: 'app',
      rollback: { automatic: false },
      phases: [{ name: 'expand', steps: [ratingStep('resume_rating'), { id: 'resume_note', dependsOn: ['resume_rating'], sql: { up: "INSERT INTO notes VALUES (2, 'x')", down: 'DELETE FROM notes WHERE id = 2' } }] }],
    }, ['reviews', 'notes']);
    await begin(migrationId);
    await dispatch(migrationId, 'resume_rating', 'schema', ratingCommand());
    await waitForType(migrationId, 'SchemaStepExpanded');
    await dispatch(migrationId, 'resume_note', 'sql', { up: "INSERT INTO notes VALUES (2, 'x')" });
    await waitForType(migrationId, 'SqlStepApplied');

    // The manager dies after recording RollbackStarted and sending the first compensation.
    await manager?.close();
    manager = undefined;
    const compensation = compensationFor(foldMigration(await events(migrationId)));
    await append(migrationId, 'RollbackStarted', { trigger: 'on-call', reason: 'crash test', requestedBy: 'carol', receivedAt: new Date().toISOString(), compensation });
    await bus.sendCommand(RevertSqlStep, { migrationId, stepId: 'resume_note', target: 'app', commandId: compensation[0]!.commandId, down: 'DELETE FROM notes WHERE id = 2' });
    await waitForType(migrationId, 'SqlStepReverted');
    expect(foldMigration(await events(migrationId)).status).toBe('rolling_back');

    manager = await startManager();
    const list = await waitFor(migrationStreamId(migrationId), (all) => all.some((event) => event.type === 'DataCompared'), 'restoration after resume');
    expect(list.filter((event) => event.type === 'SqlStepReverted')).toHaveLength(1);
    expect(list.find((event) => event.type === 'MigrationRolledBack')!.data).toMatchObject({ compensated: ['resume_note', 'resume_rating'] });
    expect(list.find((event) => event.type === 'DataCompared')!.data).toMatchObject({ label: 'restoration', passed: true });
    expect(await targetRows("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'public_resume_rating'")).toHaveLength(0);
  });

  it('a compensation that leaves the shape changed ends in rollback_failed naming the difference, never rolled_back', async () => {
    await targetPool.query("CREATE TABLE labels (id integer PRIMARY KEY, name text); INSERT INTO labels VALUES (1, 'a'), (2, 'b')");
    const migrationId = uniqueName('shape');
    const step = { id: 'add_color', sql: { up: 'ALTER TABLE labels ADD COLUMN color text', down: 'SELECT 1' } };
    await plan(migrationId, { name: 'colors', target: 'app', rollback: { automatic: false }, phases: [{ name: 'expand', steps: [step] }] }, ['labels']);
    await begin(migrationId);
    await dispatch(migrationId, 'add_color', 'sql', { up: step.sql.up });
    await waitForType(migrationId, 'SqlStepApplied');

    natsPub({ migrationId, reason: 'errors up', requestedBy: 'oncall@example.com' });
    const list = await waitFor(migrationStreamId(migrationId), (all) => all.some((event) => event.type === 'DataCompared'), 'restoration check');
    // The down ran (it undoes nothing): the compensation "worked", the check says the target is not as it was.
    expect(types(list)).toContain('SqlStepReverted');
    expect(list.find((event) => event.type === 'DataCompared')!.data).toMatchObject({
      label: 'restoration',
      passed: false,
      tables: [{ table: 'labels', removed: { count: 0 } }],
      schema: { equal: false, differences: ['public.labels: column color text is new'] },
    });
    const state = foldMigration(list);
    expect(state.status).toBe('rollback_failed');
    expect(state.rollback?.failure).toMatchObject({ stepId: null, code: 'restoration_mismatch', message: expect.stringContaining('public.labels: column color text is new') });
  });

  it('an expansion contracted outside the migration makes its rollback fail, naming the step, instead of reporting it undone', async () => {
    await targetPool.query("CREATE TABLE tags (id integer PRIMARY KEY, weight text NOT NULL); INSERT INTO tags SELECT g, (g % 7)::text FROM generate_series(1, 500) g");
    const migrationId = uniqueName('gone');
    const alter = { alter_column: { table: 'tags', column: 'weight', type: 'integer', up: 'CAST(weight AS integer)', down: 'CAST(weight AS text)' } };
    await plan(migrationId, { name: 'weights', target: 'app', rollback: { automatic: false }, phases: [{ name: 'expand', steps: [{ id: 'weight_int', schema: { operations: [alter] } }] }] }, ['tags']);
    await begin(migrationId);
    await dispatch(migrationId, 'weight_int', 'schema', { schema: 'public', migration: { operations: [alter] } });
    await waitForType(migrationId, 'SchemaStepExpanded');
    // Someone contracts the change by hand: the old text column is gone for good.
    const engine = new SchemaEngine({ databaseUrl: target.url });
    try {
      await engine.complete();
    } finally {
      await engine.close();
    }

    natsPub({ migrationId, reason: 'wrong cast', requestedBy: 'oncall@example.com' });
    const list = await waitForType(migrationId, 'RollbackFailed');
    expect(list.find((event) => event.type === 'RollbackFailed')!.data).toMatchObject({ stepId: 'weight_int', code: 'EXPANSION_GONE', message: expect.stringContaining('completed or rolled back outside this migration') });
    expect(types(list)).not.toContain('MigrationRolledBack');
    const state = foldMigration(list);
    expect(state.status).toBe('rollback_failed');
    expect(state.rollback?.compensated).toEqual([]);
  });
});
