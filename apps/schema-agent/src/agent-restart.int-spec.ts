import { CompleteSchemaStep, StartSchemaStep } from '@bascule/contracts';
import { ensureEventStoreSchema, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import { RecordedMigration, waitFor } from '@bascule/plan-binding/testing';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, uniqueName, type TestDatabase } from '@bascule/testing';
import { DEFAULT_BACKFILL_OPTIONS } from '@bascule/schema-engine';
import type { NatsConnection } from 'nats';
import { Client, Pool } from 'pg';
import { killAgentProcess, startAgentProcess, terminateAgentProcess, type AgentProcess } from './testing/agent-child-process';

jest.setTimeout(180_000);

const ROWS = 30_000;

async function onTarget<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A backfill of 30,000 rows in small batches on a busy machine: wait longer than the default. */
const waitLong = <T>(what: string, probe: () => Promise<T | undefined>) => waitFor(what, probe, 90_000);

const eventsOf = (pool: Pool, migrationId: string) => readStream(pool, migrationStreamId(migrationId));

async function waitForEvent(pool: Pool, migrationId: string, type: string): Promise<StoredEvent[]> {
  return waitLong(`${type} of ${migrationId}`, async () => {
    const events = await eventsOf(pool, migrationId);
    const failed = events.find((event) => event.type === 'SchemaStepFailed');
    if (failed && type !== 'SchemaStepFailed') throw new Error(`waiting for ${type}, got SchemaStepFailed: ${JSON.stringify(failed.data)}`);
    return events.some((event) => event.type === type) ? events : undefined;
  });
}

/** Rows the backfill's committed batches updated (a statement trigger counts them in the batch's own transaction). */
const rowsTouched = async (url: string) => Number((await onTarget<{ n: string }>(url, 'SELECT coalesce(sum(n), 0) AS n FROM touches'))[0].n);

describe('schema-agent as a process (real Postgres + NATS)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let bus: BusClient;
  let agent: AgentProcess | undefined;
  const prefix = uniqueBusPrefix();
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    store = await createTestDatabase('sa_proc_store');
    target = await createTestDatabase('sa_proc_target');
    pool = new Pool({ connectionString: store.url, max: 2 });
    await ensureEventStoreSchema(pool);
    env = { BASCULE_DATABASE_URL: store.url, BASCULE_BUS_PREFIX: prefix, BASCULE_TARGET_APP_URL: target.url };
    agent = await startAgentProcess(env);
    nc = await connectTestNats();
    bus = BusClient.using(nc, busTopology(prefix));
  });

  afterAll(async () => {
    if (agent) await killAgentProcess(agent);
    if (nc) {
      await deleteStreams(nc, prefix);
      await nc.close();
    }
    await pool?.end();
    await store?.drop();
    await target?.drop();
  });

  it('killed mid-backfill and restarted, resumes from the last checkpoint and expands once', async () => {
    await onTarget(
      target.url,
      `CREATE TABLE accounts (id integer PRIMARY KEY, balance integer);
       INSERT INTO accounts SELECT g, g % 1000 FROM generate_series(1, ${ROWS}) g;
       CREATE TABLE touches (n bigint NOT NULL);
       CREATE FUNCTION count_touches() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN INSERT INTO touches SELECT count(*) FROM changed; RETURN NULL; END $$;
       CREATE TRIGGER count_touches AFTER UPDATE ON accounts REFERENCING NEW TABLE AS changed
         FOR EACH STATEMENT EXECUTE FUNCTION count_touches();
       ANALYZE accounts`,
    );
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'app', [
      {
        id: 'widen_balance',
        schema: {
          operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }],
          backfill: { batchSize: 100, delayMs: 10 },
        },
      },
    ]);
    const migrationId = migration.migrationId;
    const start = await migration.dispatch('widen_balance');
    await bus.sendCommand(StartSchemaStep, start);

    await waitLong('a fifth of the backfill', async () => ((await rowsTouched(target.url)) >= ROWS / 5 ? true : undefined));
    if (agent) await killAgentProcess(agent);
    const doneBeforeKill = await rowsTouched(target.url);
    expect(doneBeforeKill).toBeLessThan(ROWS);
    expect((await eventsOf(pool, migrationId)).map((event) => event.type)).not.toContain('SchemaStepExpanded');
    // The killed agent's backend holds the engine's advisory lock until it notices the closed socket.
    await waitLong('the killed agent to let go of its locks', async () => {
      const held = await onTarget(target.url, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
      return held.length === 0 ? true : undefined;
    });

    agent = await startAgentProcess(env);
    const restarted = Date.now();
    // Nothing is sent again: the killed copy's command was never acked, and with the short ack wait
    // (a live handler keeps extending it) JetStream hands it to the restarted agent within seconds.
    await waitLong('rows backfilled after the restart', async () => ((await rowsTouched(target.url)) > doneBeforeKill ? true : undefined));
    process.stdout.write(`schema-agent killed mid-backfill: progress again ${Date.now() - restarted} ms after its restart, with no command re-sent\n`);
    const events = await waitForEvent(pool, migrationId, 'SchemaStepExpanded');

    // Resumed, not restarted: every row was backfilled once, except the batches the killed agent
    // committed after its last checkpoint (at most checkpointEveryBatches of 100 rows), redone.
    const touchedInAll = await rowsTouched(target.url);
    expect(touchedInAll).toBeGreaterThanOrEqual(ROWS);
    expect(touchedInAll - ROWS).toBeLessThanOrEqual(DEFAULT_BACKFILL_OPTIONS.checkpointEveryBatches * 100);
    expect(events.filter((event) => event.type === 'SchemaStepExpanded')).toHaveLength(1);
    const checkpoints = events.filter((event) => event.type === 'BackfillCheckpointRecorded').map((event) => event.data as { rowsDone: number });
    const afterRestart = checkpoints.filter((checkpoint) => checkpoint.rowsDone > doneBeforeKill);
    expect(afterRestart.at(-1)?.rowsDone).toBe(ROWS);
    expect(
      await onTarget(target.url, 'SELECT count(*)::int AS n FROM accounts WHERE _bascule_new_balance IS DISTINCT FROM balance::bigint'),
    ).toEqual([{ n: 0 }]);
  });

  it('SIGTERM mid-backfill stops at a batch boundary, exits 0 within the grace period, and the next agent resumes', async () => {
    // Its own schema: the first test's migration is still active in public (one per schema).
    await onTarget(
      target.url,
      `CREATE SCHEMA ledger; CREATE TABLE ledger.entries (id integer PRIMARY KEY, amount integer);
       INSERT INTO ledger.entries SELECT g, g % 100 FROM generate_series(1, ${ROWS}) g;
       CREATE TABLE ledger.touches (n bigint NOT NULL);
       CREATE FUNCTION ledger.count_touches() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN INSERT INTO ledger.touches SELECT count(*) FROM changed; RETURN NULL; END $$;
       CREATE TRIGGER count_touches AFTER UPDATE ON ledger.entries REFERENCING NEW TABLE AS changed
         FOR EACH STATEMENT EXECUTE FUNCTION ledger.count_touches();
       ANALYZE ledger.entries`,
    );
    const touched = async () => Number((await onTarget<{ n: string }>(target.url, 'SELECT coalesce(sum(n), 0) AS n FROM ledger.touches'))[0].n);
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'app', [
      {
        id: 'widen_amount',
        schema: {
          schema: 'ledger',
          operations: [{ alter_column: { table: 'entries', column: 'amount', type: 'bigint', up: 'amount', down: 'CAST(amount AS integer)' } }],
          backfill: { batchSize: 100, delayMs: 10 },
        },
      },
    ]);
    await bus.sendCommand(StartSchemaStep, await migration.dispatch('widen_amount'));
    await waitLong('a fifth of the backfill', async () => ((await touched()) >= ROWS / 5 ? true : undefined));

    const stopping = agent!;
    const exit = await terminateAgentProcess(stopping);
    agent = undefined;
    const doneAtStop = await touched();
    // Well inside `bascule up`'s 10 s grace: the backfill stopped between two batches, nothing killed it.
    expect({ code: exit.code, signal: exit.signal, withinGrace: exit.ms < 10_000 }).toEqual({ code: 0, signal: null, withinGrace: true });
    expect(doneAtStop).toBeLessThan(ROWS);
    expect(stopping.output()).toMatch(/handed back for redelivery: backfill of .*entries.* stopped at \d+ rows by shutdown/);
    // Nothing failed and nothing was left half-done: every committed batch is in the checkpoint.
    expect((await eventsOf(pool, migration.migrationId)).map((event) => event.type)).not.toContain('SchemaStepFailed');

    agent = await startAgentProcess(env);
    const restarted = Date.now();
    await waitLong('rows backfilled after the restart', async () => ((await touched()) > doneAtStop ? true : undefined));
    process.stdout.write(`schema-agent stopped by SIGTERM in ${exit.ms} ms; progress again ${Date.now() - restarted} ms after its restart\n`);
    const events = await waitForEvent(pool, migration.migrationId, 'SchemaStepExpanded');
    expect(await touched()).toBe(ROWS);
    expect(events.filter((event) => event.type === 'SchemaStepExpanded')).toHaveLength(1);
    expect(events.map((event) => event.type)).not.toContain('SchemaStepFailed');
  });

  it('complete through the agent records SchemaStepCompleted and leaves the final shape', async () => {
    // Its own schema: the first test's migration is still active in public (one per schema).
    await onTarget(
      target.url,
      `CREATE SCHEMA shop; CREATE TABLE shop.items (id integer PRIMARY KEY, price text);
       INSERT INTO shop.items SELECT g, (g * 3)::text FROM generate_series(1, 500) g`,
    );
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'app', [
      {
        id: 'price_numeric',
        schema: {
          schema: 'shop',
          operations: [
            { alter_column: { table: 'items', column: 'price', type: 'numeric', nullable: false, up: 'COALESCE(CAST(price AS numeric), 0)', down: 'CAST(price AS text)' } },
          ],
          backfill: { batchSize: 100 },
        },
      },
    ]);
    const migrationId = migration.migrationId;
    await bus.sendCommand(StartSchemaStep, await migration.dispatch('price_numeric'));
    await waitForEvent(pool, migrationId, 'SchemaStepExpanded');
    await bus.sendCommand(CompleteSchemaStep, await migration.requestComplete('price_numeric'));
    const events = await waitForEvent(pool, migrationId, 'SchemaStepCompleted');

    expect(events.at(-1)?.type).toBe('SchemaStepCompleted');
    expect(events.map((event) => event.type)).not.toContain('SchemaStepFailed');
    expect(
      await onTarget(target.url, `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS not_null FROM pg_attribute
                                   WHERE attrelid = 'shop.items'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
    ).toEqual([
      { name: 'id', type: 'integer', not_null: true },
      { name: 'price', type: 'numeric', not_null: true },
    ]);
    expect(await onTarget(target.url, 'SELECT count(*)::int AS n FROM shop.items WHERE price <> id * 3')).toEqual([{ n: 0 }]);
    expect(await onTarget(target.url, `SELECT tgname FROM pg_trigger WHERE tgrelid = 'shop.items'::regclass AND NOT tgisinternal`)).toEqual([]);
    // The step's version schema is now the current version: its view shows the final column.
    expect(await onTarget(target.url, 'SELECT count(*)::int AS n FROM shop_price_numeric.items WHERE price = id * 3')).toEqual([{ n: 500 }]);
  });
});
