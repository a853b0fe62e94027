import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { TestDatabase } from '@bascule/testing';
import { MigrationInterruptedError } from '../errors';
import { createCycleDatabase, migrationOf, schemaDump, sqlOn, testEngine } from '../testing';
import { spawnEngineChild, waitUntilEngineLocksReleased } from '../testing/engine-child-process';

/** Op 0 creates a table; op 1 references `accounts`, which the test keeps locked, so it waits. */
const CHILD = `
await engineLib.loadSqlParser();
const engine = new engineLib.SchemaEngine({ databaseUrl: process.env.URL, lockTimeoutMs: 200, retry: { maxAttempts: 1000, baseDelayMs: 10, maxDelayMs: 50 } });
const migration = engineLib.parseMigration({ operations: [
  { create_table: { name: 'first_t', columns: [{ name: 'id', type: 'integer', pk: true }] } },
  { create_table: { name: 'second_t', columns: [{ name: 'id', type: 'integer', pk: true },
    { name: 'account', type: 'integer', references: { name: 'second_account_fk', table: 'accounts', column: 'id' } }] } },
] }, 'interrupted');
await engine.start(migration);
`;

describe('a start killed half-way (real process, SIGKILL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_interrupted');
    await sqlOn(db.url, 'CREATE TABLE accounts (id integer PRIMARY KEY)');
  });
  afterAll(() => db.drop());

  it('holds the schema as "starting"; start again is refused; rollback restores the exact schema', async () => {
    const before = await schemaDump(db.url, 'public');
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE accounts IN EXCLUSIVE MODE');
    const child = spawnEngineChild(CHILD, { URL: db.url });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = await sqlOn(db.url, `SELECT started_ops FROM bascule_schema.migrations WHERE name = 'interrupted'`).catch(() => []);
        if (rows.length > 0 && rows[0].started_ops === 1) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child never started op 0: ${child.stderrText()}`);
        await sleep(50);
      }
      child.kill('SIGKILL');
      await exited;
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await waitUntilEngineLocksReleased(db.url);
    expect(await sqlOn(db.url, `SELECT status FROM bascule_schema.migrations WHERE name = 'interrupted'`)).toEqual([{ status: 'starting' }]);
    expect(await sqlOn(db.url, `SELECT to_regclass('public.first_t') IS NOT NULL AS made`)).toEqual([{ made: true }]);

    const engine = testEngine(db.url);
    try {
      const again = migrationOf('interrupted', [{ create_table: { name: 'first_t', columns: [{ name: 'id', type: 'integer', pk: true }] } }]);
      await expect(engine.start(again)).rejects.toBeInstanceOf(MigrationInterruptedError);
      await engine.rollback();
    } finally {
      await engine.close();
    }
    expect(await schemaDump(db.url, 'public')).toBe(before);
    expect(await sqlOn(db.url, `SELECT status FROM bascule_schema.migrations WHERE name = 'interrupted'`)).toEqual([{ status: 'rolled_back' }]);
  });
});
