import { setTimeout as sleep } from 'node:timers/promises';
import type { TestDatabase } from '@bascule/testing';
import type { BackfillProgress } from './backfill-progress';
import { createCycleDatabase, sqlOn, testEngine } from '../testing';
import { spawnEngineChild, waitUntilEngineLocksReleased } from '../testing/engine-child-process';

/** Starts the migration with a slow backfill in a separate process. */
const CHILD = `
await engineLib.loadSqlParser();
const engine = new engineLib.SchemaEngine({ databaseUrl: process.env.URL, backfill: { batchSize: 20, delayMs: 30 } });
const migration = engineLib.parseMigration({ operations: [{ alter_column: { table: 'crashy', column: 'rating', type: 'integer',
  up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } }] }, 'crash_me');
await engine.start(migration);
await engine.close();
`;

async function checkpointRows(url: string): Promise<number> {
  const rows = await sqlOn(url, `SELECT rows_done::int AS n FROM bascule_schema.backfill_checkpoints WHERE migration = 'crash_me'`).catch(
    () => [],
  );
  return rows.length > 0 ? Number(rows[0].n) : 0;
}

describe('backfill after a crash (real process killed with SIGKILL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_crash');
    await sqlOn(
      db.url,
      `CREATE TABLE crashy (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO crashy SELECT g, g % 9, (g % 9)::text FROM generate_series(1, 2000) g`,
    );
  });
  afterAll(() => db.drop());

  it('resumes from the last checkpoint and ends with every row converted', async () => {
    const child = spawnEngineChild(CHILD, { URL: db.url });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while ((await checkpointRows(db.url)) < 200) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child never reached 200 rows: ${child.stderrText()}`);
      await sleep(50);
    }
    child.kill('SIGKILL');
    await exited;
    await waitUntilEngineLocksReleased(db.url);
    const killedAt = await checkpointRows(db.url);
    expect(killedAt).toBeGreaterThanOrEqual(200);
    expect(killedAt).toBeLessThan(2000);
    expect(await sqlOn(db.url, `SELECT status FROM bascule_schema.migrations WHERE name = 'crash_me'`)).toEqual([{ status: 'backfilling' }]);

    const events: BackfillProgress[] = [];
    const engine = testEngine(db.url, { backfill: { batchSize: 100, delayMs: 0 }, onProgress: (p) => events.push(p) });
    try {
      await engine.complete();
    } finally {
      await engine.close();
    }
    expect(events[0].resumedFrom).toBe(killedAt);
    expect(events[0].rowsDone).toBe(killedAt + 100);
    expect(events.at(-1)).toMatchObject({ rowsDone: 2000, done: true });
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n, count(*) FILTER (WHERE rating = n)::int AS ok FROM crashy`)).toEqual([
      { n: 2000, ok: 2000 },
    ]);
  });
});

/** A slow walk that checkpoints only every 5th batch: a kill lands between two checkpoints. */
const SPARSE_CHILD = `
await engineLib.loadSqlParser();
const engine = new engineLib.SchemaEngine({ databaseUrl: process.env.URL,
  backfill: { batchSize: 20, delayMs: 150, checkpointEveryBatches: 5, checkpointIntervalMs: 600000 } });
const migration = engineLib.parseMigration({ operations: [{ alter_column: { table: 'sparse', column: 'rating', type: 'integer',
  up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } }] }, 'sparse_checkpoints');
await engine.start(migration);
await engine.close();
`;

describe('backfill killed between two checkpoints (real process, SIGKILL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_crash_sparse');
    await sqlOn(
      db.url,
      `CREATE TABLE sparse (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO sparse SELECT g, g % 9, (g % 9)::text FROM generate_series(1, 1000) g`,
    );
  });
  afterAll(() => db.drop());

  const checkpointed = async () =>
    Number((await sqlOn(db.url, `SELECT coalesce(max(rows_done), 0)::int AS n FROM bascule_schema.backfill_checkpoints WHERE migration = 'sparse_checkpoints'`).catch(() => [{ n: 0 }]))[0].n);
  // Rows the committed batches wrote: nothing else writes the table, so only a batch fills the new column.
  const written = async () =>
    Number((await sqlOn(db.url, `SELECT count(*) FILTER (WHERE _bascule_new_rating IS NOT NULL)::int AS n FROM sparse`).catch(() => [{ n: 0 }]))[0].n);

  it('redoes the batches after the last checkpoint, and ends with every row correct', async () => {
    const child = spawnEngineChild(SPARSE_CHILD, { URL: db.url });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    // Past a checkpoint, with committed batches after it: kill within the 150 ms pause that follows.
    while (!((await checkpointed()) >= 100 && (await written()) > (await checkpointed()))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child never got between two checkpoints: ${child.stderrText()}`);
      await sleep(10);
    }
    child.kill('SIGKILL');
    await exited;
    await waitUntilEngineLocksReleased(db.url);
    const killedAt = await checkpointed();
    const writtenAtKill = await written();
    expect(writtenAtKill).toBeGreaterThan(killedAt);
    // The cadence's promise: at most 4 batches of 20 rows committed since the last checkpoint.
    expect(writtenAtKill - killedAt).toBeLessThanOrEqual(80);

    const events: BackfillProgress[] = [];
    const engine = testEngine(db.url, { backfill: { batchSize: 100 }, onProgress: (p) => events.push(p) });
    try {
      await engine.complete();
    } finally {
      await engine.close();
    }
    expect(events[0]).toMatchObject({ resumedFrom: killedAt, rowsDone: killedAt + 100 });
    expect(events.at(-1)).toMatchObject({ rowsDone: 1000, done: true, checkpointed: true });
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n, count(*) FILTER (WHERE rating = n)::int AS ok FROM sparse`)).toEqual([{ n: 1000, ok: 1000 }]);
  });
});
