import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { dropBaselineRows } from '../baseline/row-hash-store';
import { takeBaseline } from '../baseline/take-baseline';
import { BaselineNotComparableError } from '../errors/baseline-not-comparable.error';
import { compareWithBaseline } from './compare-with-baseline';

describe('compareWithBaseline with a row-level baseline', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('dv_compare');
    pool = new Pool({ connectionString: database.url, max: 4 });
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  async function freshAccounts(rows: number): Promise<void> {
    await pool.query('DROP TABLE IF EXISTS accounts');
    await pool.query('CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(12,2), opened_at timestamptz NOT NULL)');
    await pool.query(
      `INSERT INTO accounts SELECT g, 'owner-' || g, g * 1.5, timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, $1::int) g`,
      [rows],
    );
  }

  const rowsBaseline = () => takeBaseline(pool, { schema: 'public', table: 'accounts', mode: 'rows', segmentRows: 100 });

  it('reports ok and identical counts when nothing changed', async () => {
    await freshAccounts(1000);
    const baseline = await rowsBaseline();
    const report = await compareWithBaseline(pool, baseline);
    expect(report).toMatchObject({ ok: true, rowCount: { before: 1000, after: 1000 }, mismatchedSegments: [] });
    expect(report.differingKeys).toEqual({
      added: { count: 0, keys: [], truncated: false },
      removed: { count: 0, keys: [], truncated: false },
      changed: { count: 0, keys: [], truncated: false },
    });
    await dropBaselineRows(pool, baseline);
  });

  it('names exactly the updated, deleted and inserted keys and a changed key', async () => {
    await freshAccounts(1000);
    const baseline = await rowsBaseline();
    await pool.query(`UPDATE accounts SET balance = balance + 0.01 WHERE id = 417`);
    await pool.query('DELETE FROM accounts WHERE id = 5');
    await pool.query(`INSERT INTO accounts VALUES (5000, 'new', 0, now())`);
    await pool.query('UPDATE accounts SET id = 1500 WHERE id = 900');

    const report = await compareWithBaseline(pool, baseline, { leafRows: 10, bisectionFactor: 4 });

    expect(report.ok).toBe(false);
    expect(report.rowCount).toEqual({ before: 1000, after: 1000 });
    expect(report.differingKeys?.changed).toEqual({ count: 1, keys: [{ id: '417' }], truncated: false });
    expect(report.differingKeys?.removed.keys).toEqual(expect.arrayContaining([{ id: '5' }, { id: '900' }]));
    expect(report.differingKeys?.removed.count).toBe(2);
    expect(report.differingKeys?.added.keys).toEqual(expect.arrayContaining([{ id: '5000' }, { id: '1500' }]));
    expect(report.differingKeys?.added.count).toBe(2);
    // 5, 417 and 900 sit in three different 100-row segments; 1500 and 5000 both land in the last.
    expect(report.mismatchedSegments).toHaveLength(4);
    expect(report.mismatchedSegments[0]).toMatchObject({ lower: null, upper: { id: '101' }, before: { rowCount: 100 }, after: { rowCount: 99 } });
    await dropBaselineRows(pool, baseline);
  });

  it('sees a change that keeps the row count and only touches a timestamp', async () => {
    await freshAccounts(300);
    const baseline = await rowsBaseline();
    await pool.query(`UPDATE accounts SET opened_at = opened_at + interval '1 microsecond' WHERE id = 250`);
    const report = await compareWithBaseline(pool, baseline);
    expect(report.differingKeys?.changed.keys).toEqual([{ id: '250' }]);
    await dropBaselineRows(pool, baseline);
  });

  it('finds the 3 changed keys among 50 000 rows by bisection, fetching few rows', async () => {
    await freshAccounts(50_000);
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'accounts', mode: 'rows' });
    expect(baseline.segments).toHaveLength(5);
    await pool.query(`UPDATE accounts SET owner = owner || '!' WHERE id IN (7, 23456, 49999)`);

    const report = await compareWithBaseline(pool, baseline, { leafRows: 100 });

    expect(report.differingKeys?.changed.keys).toEqual([{ id: '7' }, { id: '23456' }, { id: '49999' }]);
    expect(report.differingKeys?.added.count).toBe(0);
    expect(report.differingKeys?.removed.count).toBe(0);
    expect(report.mismatchedSegments).toHaveLength(3);
    // 3 leaves of at most 100 rows per side: bisection read a few hundred rows, not 50 000.
    expect(report.bisection?.leafRanges).toBe(3);
    expect(report.bisection?.rowsFetched).toBeLessThanOrEqual(600);
    await dropBaselineRows(pool, baseline);
  });

  it('names keys of a composite primary key', async () => {
    await pool.query('CREATE TABLE ledger (tenant int, entry text, amount int NOT NULL, PRIMARY KEY (tenant, entry))');
    await pool.query(`INSERT INTO ledger SELECT t, 'e' || lpad(e::text, 3, '0'), e FROM generate_series(1, 5) t, generate_series(1, 200) e`);
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'ledger', mode: 'rows', segmentRows: 64 });
    await pool.query(`UPDATE ledger SET amount = -1 WHERE tenant = 3 AND entry = 'e150'`);
    await pool.query(`DELETE FROM ledger WHERE tenant = 5 AND entry = 'e001'`);
    await pool.query(`INSERT INTO ledger VALUES (2, 'e150x', 1)`);

    const report = await compareWithBaseline(pool, baseline, { leafRows: 8, bisectionFactor: 2 });

    expect(report.differingKeys?.changed.keys).toEqual([{ tenant: '3', entry: 'e150' }]);
    expect(report.differingKeys?.removed.keys).toEqual([{ tenant: '5', entry: 'e001' }]);
    expect(report.differingKeys?.added.keys).toEqual([{ tenant: '2', entry: 'e150x' }]);
    expect(report.rowCount).toEqual({ before: 1000, after: 1000 });
    await dropBaselineRows(pool, baseline);
  });

  it('keeps bounds, buckets and key order consistent for a text key with a non-default collation', async () => {
    // en-x-icu orders 'a' < 'B'; the database default (C.UTF-8 here) orders 'B' < 'a'.
    await pool.query('CREATE TABLE labels (tenant int, label text COLLATE "en-x-icu", n int NOT NULL, PRIMARY KEY (tenant, label))');
    await pool.query(`INSERT INTO labels SELECT t, l, 0 FROM generate_series(1, 3) t, unnest(ARRAY['a', 'B', 'c', 'D', 'e', 'F']) l`);
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'labels', mode: 'rows', segmentRows: 4 });
    expect(baseline.segments.map((segment) => segment.rowCount)).toEqual([4, 4, 4, 4, 2]);
    await pool.query(`UPDATE labels SET n = 1 WHERE tenant = 2 AND label = 'B'`);
    const report = await compareWithBaseline(pool, baseline, { leafRows: 1, bisectionFactor: 2 });
    expect(report.differingKeys?.changed.keys).toEqual([{ tenant: '2', label: 'B' }]);
    expect(report.mismatchedSegments).toHaveLength(1);
    await dropBaselineRows(pool, baseline);
  });

  it('refuses to compare once the stored row hashes are gone', async () => {
    await freshAccounts(10);
    const baseline = await rowsBaseline();
    await dropBaselineRows(pool, baseline);
    await expect(compareWithBaseline(pool, baseline)).rejects.toBeInstanceOf(BaselineNotComparableError);
  });

  it('refuses to compare when a baseline column was dropped', async () => {
    await freshAccounts(10);
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'accounts' });
    await pool.query('ALTER TABLE accounts DROP COLUMN owner');
    await expect(compareWithBaseline(pool, baseline)).rejects.toMatchObject({ code: 'BASELINE_NOT_COMPARABLE', message: /"owner"/ });
  });
});
