import type { TestDatabase } from '@bascule/testing';
import type { BackfillProgress } from './backfill-progress';
import { createCycleDatabase, migrationOf, sqlOn, testEngine } from '../testing';
import { MAX_STEP_FACTOR } from './batch-sizing';

const toInteger = (table: string) =>
  migrationOf(`sized_${table}`, [
    { alter_column: { table, column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } },
  ]);

/** Each size is within a factor of MAX_STEP_FACTOR of the one before. */
function expectStepsBounded(sizes: number[]) {
  sizes.slice(1).forEach((size, i) => {
    expect(size).toBeLessThanOrEqual(sizes[i] * MAX_STEP_FACTOR);
    expect(size).toBeGreaterThanOrEqual(Math.floor(sizes[i] / MAX_STEP_FACTOR));
  });
}

describe('backfill batches sized by time (real Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_batch_sizing');
  });
  afterAll(() => db.drop());

  async function backfill(table: string, rows: number, backfillOptions: Record<string, number>): Promise<number[]> {
    const events: BackfillProgress[] = [];
    const engine = testEngine(db.url, { backfill: backfillOptions, onProgress: (p) => events.push(p) });
    try {
      await engine.start(toInteger(table), { complete: true });
    } finally {
      await engine.close();
    }
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n, count(*) FILTER (WHERE rating = n)::int AS ok FROM ${table}`)).toEqual([{ n: rows, ok: rows }]);
    expect(events.at(-1)).toMatchObject({ rowsDone: rows, done: true, checkpointed: true });
    return events.map((event) => event.batch.askedRows);
  }

  it('grows the batches of an idle table from a small first one', async () => {
    await sqlOn(
      db.url,
      `CREATE TABLE idle (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO idle SELECT g, g % 7, (g % 7)::text FROM generate_series(1, 20000) g; ANALYZE idle`,
    );
    // 100 rows of an idle table take a few ms: far under the 200 ms target.
    const sizes = await backfill('idle', 20_000, { batchSize: 100, targetBatchMs: 200, minBatchSize: 50 });
    expect(sizes[0]).toBe(100);
    expect(sizes[1]).toBeGreaterThan(sizes[0]);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(800);
    expectStepsBounded(sizes);
  });

  it('shrinks the batches when they get slow (a row trigger that sleeps), to a fraction of the first', async () => {
    await sqlOn(
      db.url,
      `CREATE TABLE busy (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO busy SELECT g, g % 7, (g % 7)::text FROM generate_series(1, 1000) g; ANALYZE busy;
       CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$;
       CREATE TRIGGER slow_row BEFORE UPDATE ON busy FOR EACH ROW EXECUTE FUNCTION slow_row()`,
    );
    // At ≥ 1 ms a row, 400 rows take ≥ 400 ms against a 20 ms target: ≤ 20 rows would be on time.
    const sizes = await backfill('busy', 1000, { batchSize: 400, targetBatchMs: 20, minBatchSize: 10 });
    expect(sizes[0]).toBe(400);
    expect(sizes[1]).toBeLessThan(sizes[0]);
    expect(Math.min(...sizes)).toBeLessThanOrEqual(50);
    expectStepsBounded(sizes);
  });

  it('keeps a batchSize given without a target fixed', async () => {
    await sqlOn(
      db.url,
      `CREATE TABLE fixed (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO fixed SELECT g, g % 7, (g % 7)::text FROM generate_series(1, 700) g; ANALYZE fixed`,
    );
    expect(await backfill('fixed', 700, { batchSize: 100 })).toEqual(Array.from({ length: 7 }, () => 100));
  });
});
