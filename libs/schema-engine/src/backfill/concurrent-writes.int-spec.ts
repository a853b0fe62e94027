import { Client } from 'pg';
import type { TestDatabase } from '@bascule/testing';
import { applyMigration, createCycleDatabase, migrationOf, sqlOn, testEngine, withVersion } from '../testing';

const ROWS = 3000;

interface Writer {
  stop(): void;
  done: Promise<void>;
  writes: number;
  failures: string[];
}

/** Writers update disjoint sets of seeded rows (`id % WRITERS`), so each row's last value is one writer's last write. */
const WRITERS = 3;

/**
 * Inserts and updates as fast as it can through one client; records every expected value by id.
 * `value(k)` is what the writer sends for the number k (text for the old version, integer for the new).
 * Two writers updating one row would make `expected` a guess: their replies may come back in
 * another order than their commits.
 */
function startWriter(client: Client, slot: number, firstId: number, expected: Map<number, number>, value: (k: number) => unknown): Writer {
  let running = true;
  const writer: Writer = { stop: () => (running = false), done: Promise.resolve(), writes: 0, failures: [] };
  writer.done = (async () => {
    let next = firstId;
    while (running) {
      const k = next % 100;
      try {
        await client.query('INSERT INTO reviews (id, n, rating) VALUES ($1, $2, $3)', [next, k, value(k)]);
        expected.set(next, k);
        const target = WRITERS * (1 + Math.floor(Math.random() * (ROWS / WRITERS - 1))) + slot;
        const m = (target * 7 + next) % 100;
        await client.query('UPDATE reviews SET n = $2, rating = $3 WHERE id = $1', [target, m, value(m)]);
        expected.set(target, m);
        writer.writes += 2;
      } catch (error) {
        writer.failures.push((error as Error).message);
      }
      next += 1;
    }
  })();
  return writer;
}

describe('a migration under concurrent writes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_concurrent');
    await applyMigration(
      db.url,
      migrationOf('base', [
        {
          create_table: {
            name: 'reviews',
            columns: [
              { name: 'id', type: 'integer', pk: true },
              { name: 'n', type: 'integer' },
              { name: 'rating', type: 'text', nullable: true },
            ],
          },
        },
      ]),
    );
    await sqlOn(db.url, `INSERT INTO reviews SELECT g, g % 100, (g % 100)::text FROM generate_series(1, ${ROWS}) g`);
  });
  afterAll(() => db.drop());

  it('loses no row and fails no write while start, backfill and complete run', async () => {
    const expected = new Map<number, number>(Array.from({ length: ROWS }, (_, i) => [i + 1, (i + 1) % 100]));
    // The old version through its version schema's view, and a writer straight on the table.
    const oldClients = [await withVersion(db.url, 'public_base'), await withVersion(db.url, 'public')];
    const oldWriters = oldClients.map((client, i) => startWriter(client, i, 100_000 * (i + 1), expected, (k) => String(k)));
    const engine = testEngine(db.url, {
      backfill: { batchSize: 200, delayMs: 5 },
      lockTimeoutMs: 300,
    });
    let newClient: Client | null = null;
    let newWriter: Writer | null = null;
    try {
      const started = await engine.start(
        migrationOf('rating_int', [
          { alter_column: { table: 'reviews', column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } },
        ]),
      );
      newClient = await withVersion(db.url, started.versionSchema);
      newWriter = startWriter(newClient, 2, 900_000, expected, (k) => k);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // pgroll's contract: complete comes once the old version is retired.
      for (const writer of oldWriters) writer.stop();
      await Promise.all(oldWriters.map((writer) => writer.done));
      await engine.complete();
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      for (const writer of [...oldWriters, newWriter]) writer?.stop();
      await Promise.all([...oldWriters, newWriter].map((writer) => writer?.done));
      await Promise.all([...oldClients, newClient].map((client) => client?.end()));
      await engine.close();
    }
    const writers = [...oldWriters, newWriter as Writer];
    expect(writers.flatMap((writer) => writer.failures)).toEqual([]);
    expect(writers.every((writer) => writer.writes > 0)).toBe(true);

    const rows = await sqlOn(db.url, 'SELECT id, n, rating FROM reviews');
    expect(rows).toHaveLength(expected.size);
    const wrong = rows.filter((row) => row.rating !== expected.get(Number(row.id)) || row.rating !== row.n);
    expect(wrong).toEqual([]);
  });
});
