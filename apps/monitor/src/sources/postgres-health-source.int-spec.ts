import type { PostgresBuiltin } from '@bascule/contracts';
import { createTestDatabase, startPrivatePostgres, type PrivatePostgres, type TestDatabase } from '@bascule/testing';
import { Client, Pool } from 'pg';
import { PostgresHealthSource } from './postgres-health-source';

jest.setTimeout(60_000);

const EVERY_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The built-in health figures read off a real target while the test makes happen what each
 * measures: lock waits (and not another database's), a deadlock, commits, rollbacks, active sessions.
 */
describe('PostgresHealthSource on a real target', () => {
  let target: TestDatabase;
  let neighbour: TestDatabase;
  let pool: Pool;
  const sources: PostgresHealthSource[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    target = await createTestDatabase('health_target');
    neighbour = await createTestDatabase('health_neighbour');
    pool = new Pool({ connectionString: target.url, max: 2 });
    await pool.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, 0), (2, 0)');
    const other = new Client({ connectionString: neighbour.url });
    await other.connect();
    await other.query('CREATE TABLE t (id int)');
    await other.end();
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.stop()));
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
  });

  afterAll(async () => {
    await pool?.end();
    await target?.drop();
    await neighbour?.drop();
  });

  function sampling(builtin: PostgresBuiltin, on: Pool = pool): PostgresHealthSource {
    const source = new PostgresHealthSource(builtin, builtin, on, EVERY_MS, 60_000);
    sources.push(source);
    source.start();
    return source;
  }

  async function session(database: TestDatabase = target): Promise<Client> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  /** Waits until a sample taken after `since` satisfies `seen`; returns it. */
  async function sampleWhere(source: PostgresHealthSource, since: number, seen: (value: number) => boolean, what: string, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = source.takeSince(since).find((sample) => !sample.failed && seen(sample.value));
      if (found) return found.value;
      if (Date.now() > deadline) throw new Error(`${what}: not seen in ${timeoutMs} ms; values ${source.takeSince(since).map((sample) => sample.value).join(', ')}`);
      await sleep(EVERY_MS);
    }
  }

  it('counts sessions waiting on a lock and how long the longest has waited; a neighbour database’s waits are not the target’s', async () => {
    const waits = sampling('lock_waits');
    const longest = sampling('longest_lock_wait');
    // A lock wait in another database on the same server first: it must not count.
    const [otherHolder, otherWaiter] = [await session(neighbour), await session(neighbour)];
    await otherHolder.query('BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
    const otherWait = otherWaiter.query('SELECT count(*) FROM t');
    await sleep(10 * EVERY_MS);
    expect(waits.takeSince(Date.now() - 5 * EVERY_MS).map((sample) => sample.value)).toEqual(expect.arrayContaining([0]));
    expect(Math.max(...waits.takeSince(Date.now() - 5 * EVERY_MS).map((sample) => sample.value))).toBe(0);

    const [holder, firstWaiter, secondWaiter] = [await session(), await session(), await session()];
    await holder.query('BEGIN; UPDATE accounts SET balance = balance + 1 WHERE id = 1');
    const since = Date.now();
    const blocked = [firstWaiter.query('UPDATE accounts SET balance = 0 WHERE id = 1'), secondWaiter.query('BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; COMMIT')];
    expect(await sampleWhere(waits, since, (value) => value === 2, 'two waiting sessions')).toBe(2);
    expect(await sampleWhere(longest, since + 1_000, (value) => value >= 1, 'a wait of at least a second')).toBeLessThan(30);

    await holder.query('COMMIT');
    await Promise.all(blocked);
    const released = Date.now();
    expect(await sampleWhere(waits, released, (value) => value === 0, 'no waiting session after the commit')).toBe(0);
    expect(await sampleWhere(longest, released, (value) => value === 0, 'no wait after the commit')).toBe(0);
    await otherHolder.query('COMMIT');
    await otherWait;
  });

  it('counts a deadlock the server broke', async () => {
    const deadlocks = sampling('deadlocks');
    const [a, b] = [await session(), await session()];
    await a.query('BEGIN; UPDATE accounts SET balance = 1 WHERE id = 1');
    await b.query('BEGIN; UPDATE accounts SET balance = 1 WHERE id = 2');
    const since = Date.now();
    const crossed = await Promise.allSettled([a.query('UPDATE accounts SET balance = 2 WHERE id = 2'), b.query('UPDATE accounts SET balance = 2 WHERE id = 1')]);
    expect(crossed.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual(['40P01']);
    await Promise.all([a.query('ROLLBACK'), b.query('ROLLBACK')]);
    expect(await sampleWhere(deadlocks, since, (value) => value >= 1, 'the deadlock')).toBe(1);
  });

  it('reads commits per second and the rolled-back share of transactions', async () => {
    const commits = sampling('commit_rate');
    const rollbacks = sampling('rollback_ratio');
    const writer = await session();
    let stop = false;
    let mode: 'commit' | 'rollback' = 'commit';
    const load = (async () => {
      while (!stop) await writer.query(`BEGIN; UPDATE accounts SET balance = balance + 1 WHERE id = 2; ${mode === 'commit' ? 'COMMIT' : 'ROLLBACK'}`);
    })();
    try {
      const since = Date.now();
      expect(await sampleWhere(commits, since, (value) => value > 50, 'over 50 commits a second')).toBeGreaterThan(50);
      mode = 'rollback';
      expect(await sampleWhere(rollbacks, Date.now() + 2 * EVERY_MS, (value) => value > 0.8, 'mostly rolled back')).toBeLessThanOrEqual(1);
    } finally {
      stop = true;
      await load;
    }
  });

  it('counts the active sessions other than its own', async () => {
    const active = sampling('active_connections');
    const sleepers = await Promise.all([session(), session(), session()]);
    const since = Date.now();
    const running = sleepers.map((client) => client.query('SELECT pg_sleep(3)'));
    expect(await sampleWhere(active, since, (value) => value >= 3, 'three active sessions')).toBeGreaterThanOrEqual(3);
    await Promise.all(running);
  });

  it('says what is missing when the target cannot give statement times', async () => {
    const statements = sampling('statement_time');
    await sleep(3 * EVERY_MS);
    expect(statements.takeSince(0).every((sample) => sample.failed)).toBe(true);
    expect(statements.lastProblem).toMatch(/^pg_stat_statements is not installed in the target database: CREATE EXTENSION pg_stat_statements there/);
    // Installed but not preloaded (the shared test server does not preload it).
    await pool.query('CREATE EXTENSION pg_stat_statements');
    const since = Date.now();
    await sleep(3 * EVERY_MS);
    expect(statements.takeSince(since).every((sample) => sample.failed)).toBe(true);
    expect(statements.lastProblem).toMatch(/^pg_stat_statements is installed but not loaded by the server: add it to shared_preload_libraries/);
  });

  describe('on a server that preloads pg_stat_statements', () => {
    let server: PrivatePostgres;
    let serverPool: Pool;

    beforeAll(async () => {
      server = await startPrivatePostgres({ shared_preload_libraries: 'pg_stat_statements' });
      serverPool = new Pool({ connectionString: server.url, max: 2 });
      await serverPool.query('CREATE EXTENSION pg_stat_statements');
    });

    afterAll(async () => {
      await serverPool?.end();
      await server?.stop();
    });

    it("reads the mean time per statement call of the application's statements, not its own", async () => {
      const statements = sampling('statement_time', serverPool);
      const app = new Client({ connectionString: server.url });
      await app.connect();
      clients.push(app);
      let sleepSeconds = 0.02;
      let stop = false;
      const load = (async () => {
        while (!stop) await app.query('SELECT pg_sleep($1)', [sleepSeconds]);
      })();
      try {
        // pg_sleep(0.02) never takes less than 20 ms. The monitor's own reading, every 100 ms and well
        // under a millisecond, would pull the mean below 19.5 ms if it were counted (one in about six calls).
        expect(await sampleWhere(statements, Date.now() + 2 * EVERY_MS, (value) => value > 19.5, 'about 20 ms a call')).toBeLessThan(60);
        sleepSeconds = 0.002;
        expect(await sampleWhere(statements, Date.now() + 2 * EVERY_MS, (value) => value < 10, 'about 2 ms a call')).toBeGreaterThan(1);
      } finally {
        stop = true;
        await load;
      }
      expect(statements.lastProblem).toBeNull();
    });
  });
});
