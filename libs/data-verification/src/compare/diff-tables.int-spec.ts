import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { ColumnNotFoundError } from '../errors/column-not-found.error';
import { NoKeyError } from '../errors/no-key.error';
import { diffTables } from './diff-tables';

describe('diffTables', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let sourcePool: Pool;
  let targetPool: Pool;
  const accounts = { schema: 'public', table: 'accounts' };
  const snapshot = { schema: 'public', table: 'accounts_snapshot' };

  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase('dv_diff_a'), createTestDatabase('dv_diff_b')]);
    sourcePool = new Pool({ connectionString: source.url, max: 3 });
    targetPool = new Pool({ connectionString: target.url, max: 2 });
    const create = 'CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL, tags text[])';
    const fill = `INSERT INTO accounts SELECT g, md5(g::text), g * 7, ARRAY['t' || (g % 5)] FROM generate_series(1, 50000) g`;
    for (const pool of [sourcePool, targetPool]) {
      await pool.query(create);
      await pool.query(fill);
    }
    await sourcePool.query('CREATE TABLE accounts_snapshot (LIKE accounts INCLUDING ALL)');
    await sourcePool.query('INSERT INTO accounts_snapshot SELECT * FROM accounts');
  });

  afterAll(async () => {
    await Promise.all([sourcePool.end(), targetPool.end()]);
    await Promise.all([source.drop(), target.drop()]);
  });

  it('reports identical tables as ok after one checksum per side', async () => {
    const report = await diffTables(sourcePool, snapshot, sourcePool, accounts);
    expect(report).toMatchObject({ ok: true, rowCount: { before: 50000, after: 50000 }, mismatchedSegments: [] });
    expect(report.bisection).toEqual({ checksumQueries: 1, leafRanges: 0, rowsFetched: 0 });
  });

  it('bisects 50 000 rows down to the 3 changed keys of a snapshot vs the current table', async () => {
    await sourcePool.query(`UPDATE accounts SET balance = balance + 1 WHERE id IN (3, 31337, 45000)`);
    try {
      const report = await diffTables(sourcePool, snapshot, sourcePool, accounts, { leafRows: 200 });
      expect(report.ok).toBe(false);
      expect(report.differingKeys?.changed).toEqual({ count: 3, keys: [{ id: '3' }, { id: '31337' }, { id: '45000' }], truncated: false });
      expect(report.differingKeys?.added.count).toBe(0);
      expect(report.differingKeys?.removed.count).toBe(0);
      expect(report.mismatchedSegments).toHaveLength(3);
      expect(report.bisection?.rowsFetched).toBeLessThanOrEqual(3 * 2 * 200);
    } finally {
      await sourcePool.query(`UPDATE accounts SET balance = balance - 1 WHERE id IN (3, 31337, 45000)`);
    }
  });

  it('compares a source and a target in different databases, naming added and removed keys', async () => {
    await targetPool.query('DELETE FROM accounts WHERE id BETWEEN 100 AND 104');
    await targetPool.query(`INSERT INTO accounts VALUES (60001, 'x', 1, NULL)`);
    await targetPool.query(`UPDATE accounts SET tags = ARRAY['t1', NULL] WHERE id = 20000`);

    const report = await diffTables(sourcePool, accounts, targetPool, accounts, { maxKeys: 3 });

    expect(report.rowCount).toEqual({ before: 50000, after: 49996 });
    expect(report.differingKeys?.removed).toEqual({ count: 5, keys: [{ id: '100' }, { id: '101' }, { id: '102' }], truncated: true });
    expect(report.differingKeys?.added.keys).toEqual([{ id: '60001' }]);
    expect(report.differingKeys?.changed.keys).toEqual([{ id: '20000' }]);
  });

  it('compares only the named columns', async () => {
    const report = await diffTables(sourcePool, accounts, targetPool, accounts, { columns: ['id', 'owner', 'balance'] });
    expect(report.differingKeys?.changed.count).toBe(0);
    expect(report.differingKeys?.removed.count).toBe(5);
  });

  it('shares one transaction when both sides are the same held client', async () => {
    const client = await sourcePool.connect();
    try {
      await client.query(`UPDATE accounts_snapshot SET owner = 'changed' WHERE id = 777`);
      const report = await diffTables(client, snapshot, client, accounts);
      expect(report.differingKeys?.changed.keys).toEqual([{ id: '777' }]);
    } finally {
      await client.query(`UPDATE accounts_snapshot SET owner = md5('777') WHERE id = 777`);
      client.release();
    }
  });

  it('refuses tables it cannot name rows in, or lacking a compared column', async () => {
    await sourcePool.query('CREATE TABLE heap_copy AS SELECT * FROM accounts');
    await expect(diffTables(sourcePool, { schema: 'public', table: 'heap_copy' }, sourcePool, accounts)).rejects.toBeInstanceOf(NoKeyError);
    await expect(diffTables(sourcePool, accounts, sourcePool, { schema: 'public', table: 'heap_copy' })).rejects.toMatchObject({
      code: 'KEY_NOT_USABLE',
    });
    await sourcePool.query('CREATE TABLE narrow (id int PRIMARY KEY, owner text)');
    await expect(diffTables(sourcePool, accounts, sourcePool, { schema: 'public', table: 'narrow' })).rejects.toBeInstanceOf(ColumnNotFoundError);
  });
});
