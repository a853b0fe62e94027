import { Client } from 'pg';
import type { TestDatabase } from '@bascule/testing';
import { createCycleDatabase, migrationOf, sqlOn, testEngine } from '../testing';

const ROWS = 2000;
const WRITERS = 4;

interface PhysicalWriter {
  stop(): void;
  done: Promise<void>;
  /** Committed increments, per id. */
  increments: Map<number, number>;
  /** Writes that committed after complete began. */
  writesDuringComplete: number;
  failures: string[];
}

/**
 * Like pgbench: writes the physical table `public.accounts` by the old column name, no version
 * schema on the search_path, in a tight loop — one increment and one read per transaction.
 */
function startWriter(client: Client, completing: () => boolean): PhysicalWriter {
  let running = true;
  const writer: PhysicalWriter = { stop: () => (running = false), done: Promise.resolve(), increments: new Map(), writesDuringComplete: 0, failures: [] };
  writer.done = (async () => {
    while (running) {
      const id = 1 + Math.floor(Math.random() * ROWS);
      try {
        await client.query('BEGIN');
        await client.query('UPDATE public.accounts SET balance = balance + 1 WHERE id = $1', [id]);
        await client.query('SELECT balance FROM public.accounts WHERE id = $1', [id]);
        await client.query('COMMIT');
        writer.increments.set(id, (writer.increments.get(id) ?? 0) + 1);
        if (completing()) writer.writesDuringComplete += 1;
      } catch (error) {
        writer.failures.push((error as Error).message);
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
  })();
  return writer;
}

describe('complete swaps the column in atomically', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_atomic_complete');
  });
  afterAll(() => db.drop());

  it('a writer hammering the old column name through the physical table sees no error and loses no write', async () => {
    await sqlOn(
      db.url,
      `CREATE TABLE accounts (id integer PRIMARY KEY, balance integer, note text);
       INSERT INTO accounts SELECT g, 0, 'n' FROM generate_series(1, ${ROWS}) g;
       CREATE INDEX accounts_balance_idx ON accounts (balance)`,
    );
    const engine = testEngine(db.url, { backfill: { batchSize: 500, delayMs: 0 } });
    const clients = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const client = new Client({ connectionString: db.url });
        await client.connect();
        return client;
      }),
    );
    let completing = false;
    const writers = clients.map((client) => startWriter(client, () => completing));
    try {
      await engine.start(
        migrationOf('widen', [
          { alter_column: { table: 'accounts', column: 'balance', type: 'bigint', nullable: false, up: 'COALESCE(balance, 0)', down: 'CAST(balance AS integer)' } },
        ]),
      );
      completing = true;
      await engine.complete();
      // Keep writing a moment on the final shape, so a writer stuck on a broken plan would show.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      writers.forEach((writer) => writer.stop());
      await Promise.all(writers.map((writer) => writer.done));
      await Promise.all(clients.map((client) => client.end()));
      await engine.close();
    }

    expect(writers.flatMap((writer) => writer.failures)).toEqual([]);
    expect(writers.reduce((sum, writer) => sum + writer.writesDuringComplete, 0)).toBeGreaterThan(0);
    const column = await sqlOn(
      db.url,
      `SELECT format_type(atttypid, atttypmod) AS type, attnotnull AS not_null FROM pg_attribute
        WHERE attrelid = 'public.accounts'::regclass AND attname = 'balance' AND NOT attisdropped`,
    );
    expect(column).toEqual([{ type: 'bigint', not_null: true }]);
    // Every committed increment is in the swapped-in column: none fell between trigger and swap.
    const expected = new Map<number, number>();
    for (const writer of writers) for (const [id, n] of writer.increments) expected.set(id, (expected.get(id) ?? 0) + n);
    const rows = await sqlOn(db.url, 'SELECT id, balance::int AS balance FROM accounts WHERE balance <> 0 ORDER BY id');
    expect(new Map(rows.map((row) => [row.id as number, row.balance as number]))).toEqual(expected);
    expect(await sqlOn(db.url, `SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' ORDER BY 1`)).toEqual([
      { indexname: 'accounts_balance_idx' },
      { indexname: 'accounts_pkey' },
    ]);
  });
});
