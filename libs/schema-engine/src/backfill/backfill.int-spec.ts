import type { TestDatabase } from '@bascule/testing';
import { BackfillInterruptedError } from '../errors';
import type { BackfillProgress } from './backfill-progress';
import { createCycleDatabase, migrationOf, sqlOn, testEngine } from '../testing';

const toInteger = (table: string) =>
  migrationOf(`int_${table}`, [
    { alter_column: { table, column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } },
  ]);

/** Every row's rating, after complete, equals the number its text had before. */
async function expectAllConverted(url: string, table: string, rows: number) {
  const result = await sqlOn(url, `SELECT count(*)::int AS n, count(*) FILTER (WHERE rating = n)::int AS ok FROM ${table}`);
  expect(result).toEqual([{ n: rows, ok: rows }]);
  expect(await sqlOn(url, `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = '${table}'::regclass AND attname = 'rating'`)).toEqual([
    { t: 'integer' },
  ]);
}

describe('backfill (real Postgres, through alter_column)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_backfill');
  });
  afterAll(() => db.drop());

  async function run(table: string, setup: string, rows: number) {
    await sqlOn(db.url, setup);
    await sqlOn(db.url, `ANALYZE ${table}`);
    const events: BackfillProgress[] = [];
    const engine = testEngine(db.url, { backfill: { batchSize: 50, delayMs: 0 }, onProgress: (p) => events.push(p) });
    try {
      await engine.start(toInteger(table), { complete: true });
    } finally {
      await engine.close();
    }
    await expectAllConverted(db.url, table, rows);
    return events;
  }

  it('walks a single-column primary key in keyset batches, checkpointing each', async () => {
    const events = await run(
      'single_pk',
      `CREATE TABLE single_pk (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO single_pk SELECT g, g % 97, (g % 97)::text FROM generate_series(1, 537) g`,
      537,
    );
    // 11 batches of ≤ 50 rows: the last one is short (fewer keys than a batch were left), which ends the walk.
    expect(events.map((e) => e.batches)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ rowsDone: 537, done: true, lastKey: ['537'], totalEstimate: 537 });
    expect(events[0]).toMatchObject({ rowsDone: 50, lastKey: ['50'] });
  });

  it('walks a composite primary key with row-value comparison', async () => {
    const events = await run(
      'composite_pk',
      `CREATE TABLE composite_pk (region text, id integer, n integer NOT NULL, rating text, PRIMARY KEY (region, id));
       INSERT INTO composite_pk SELECT r, g, g % 13, (g % 13)::text FROM unnest(ARRAY['eu', 'us', 'ap']) r, generate_series(1, 70) g`,
      210,
    );
    expect(events.at(-1)).toMatchObject({ rowsDone: 210, done: true, lastKey: ['us', '70'] });
    expect(events[0].lastKey).toEqual(['ap', '50']);
  });

  it('uses a unique NOT NULL column when there is no primary key', async () => {
    const events = await run(
      'unique_key',
      `CREATE TABLE unique_key (code text NOT NULL UNIQUE, n integer NOT NULL, rating text);
       INSERT INTO unique_key SELECT 'c' || lpad(g::text, 4, '0'), g % 7, (g % 7)::text FROM generate_series(1, 120) g`,
      120,
    );
    expect(events.at(-1)).toMatchObject({ rowsDone: 120, lastKey: ['c0120'] });
  });

  it('walks block ranges (ctid) when the table has no key at all', async () => {
    const events = await run(
      'no_key',
      `CREATE TABLE no_key (n integer NOT NULL, rating text, padding text);
       INSERT INTO no_key SELECT g % 11, (g % 11)::text, repeat('x', 200) FROM generate_series(1, 400) g`,
      400,
    );
    expect(events.length).toBeGreaterThan(1);
    expect(events.at(-1)?.done).toBe(true);
    expect(events.at(-1)?.rowsDone).toBeGreaterThanOrEqual(400);
  });

  it('resumes an interrupted backfill from its checkpoint, not from zero', async () => {
    await sqlOn(
      db.url,
      `CREATE TABLE paused (id integer PRIMARY KEY, n integer NOT NULL, rating text);
       INSERT INTO paused SELECT g, g % 5, (g % 5)::text FROM generate_series(1, 400) g`,
    );
    const abort = new AbortController();
    const first: BackfillProgress[] = [];
    const engine = testEngine(db.url, {
      onProgress: (p) => {
        first.push(p);
        if (p.batches === 3) abort.abort();
      },
    });
    const error = await engine.start(toInteger('paused'), { signal: abort.signal }).catch((e: unknown) => e);
    await engine.close();
    expect(error).toBeInstanceOf(BackfillInterruptedError);
    expect(first.map((p) => p.rowsDone)).toEqual([50, 100, 150]);
    expect(await sqlOn(db.url, `SELECT status FROM bascule_schema.migrations WHERE name = 'int_paused'`)).toEqual([{ status: 'backfilling' }]);

    const second: BackfillProgress[] = [];
    const resumed = testEngine(db.url, { onProgress: (p) => second.push(p) });
    await resumed.complete();
    await resumed.close();
    expect(second[0]).toMatchObject({ resumedFrom: 150, rowsDone: 200, batches: 4 });
    expect(second.at(-1)).toMatchObject({ rowsDone: 400, done: true });
    await expectAllConverted(db.url, 'paused', 400);
  });
});
