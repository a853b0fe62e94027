import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { ColumnNotFoundError } from '../errors/column-not-found.error';
import { InvalidExpressionError } from '../errors/invalid-expression.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { verifyColumnEquivalence } from './verify-column-equivalence';

describe('verifyColumnEquivalence', () => {
  let database: TestDatabase;
  let pool: Pool;
  const table = { schema: 'public', table: 'accounts', oldColumn: 'balance', newColumn: '_pgroll_new_balance' };

  beforeAll(async () => {
    database = await createTestDatabase('dv_equivalence');
    pool = new Pool({ connectionString: database.url, max: 2 });
    await pool.query('CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(10,2), _pgroll_new_balance bigint)');
    await pool.query(`INSERT INTO accounts SELECT g, CASE WHEN g % 100 = 0 THEN NULL ELSE g / 4.0 END, NULL FROM generate_series(1, 20000) g`);
    // The backfill: cents from euros; one row deliberately wrong.
    await pool.query('UPDATE accounts SET _pgroll_new_balance = (balance * 100)::bigint');
    await pool.query('UPDATE accounts SET _pgroll_new_balance = 0 WHERE id = 4242');
    await pool.query('ANALYZE accounts');
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('finds the one wrong row of a full check, with its key and values', async () => {
    const report = await verifyColumnEquivalence(pool, { ...table, up: '(balance * 100)::bigint' });
    expect(report).toEqual({
      ok: false,
      checkedRows: 20000,
      mismatchedRows: 1,
      sampled: false,
      seed: null,
      examples: [{ key: { id: '4242' }, old: '1060.50', new: '0', expected: '106050' }],
    });
  });

  it('passes once the row is fixed, NULL matching NULL', async () => {
    await pool.query('UPDATE accounts SET _pgroll_new_balance = 106050 WHERE id = 4242');
    try {
      const report = await verifyColumnEquivalence(pool, { ...table, up: '(balance * 100)::bigint' });
      expect(report).toMatchObject({ ok: true, mismatchedRows: 0, checkedRows: 20000, examples: [] });
    } finally {
      await pool.query('UPDATE accounts SET _pgroll_new_balance = 0 WHERE id = 4242');
    }
  });

  it('checks about the requested sample size, reproducibly with a seed', async () => {
    const wrongEverywhere = { ...table, up: '(balance * 1000)::bigint', sample: 500, seed: 42, maxExamples: 3 };
    const first = await verifyColumnEquivalence(pool, wrongEverywhere);
    const second = await verifyColumnEquivalence(pool, wrongEverywhere);
    expect(first.sampled).toBe(true);
    expect(first.checkedRows).toBeGreaterThan(300);
    expect(first.checkedRows).toBeLessThanOrEqual(500);
    // Only rows with a NULL or zero balance agree with the wrong expression.
    expect(first.mismatchedRows).toBeGreaterThan(first.checkedRows * 0.9);
    expect(first.examples).toHaveLength(3);
    expect(second).toEqual(first);
  });

  it('rejects smuggled statements and clauses before running anything', async () => {
    for (const up of ['1; DROP TABLE accounts', '1) FROM pg_authid WHERE (true', 'balance -- comment', 'a\0b']) {
      await expect(verifyColumnEquivalence(pool, { ...table, up })).rejects.toBeInstanceOf(InvalidExpressionError);
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(20000);
  });

  it('turns Postgres objections to the expression into InvalidExpressionError', async () => {
    await expect(verifyColumnEquivalence(pool, { ...table, up: 'no_such_column * 2' })).rejects.toMatchObject({
      code: 'INVALID_EXPRESSION',
      message: /no_such_column/,
    });
    await expect(verifyColumnEquivalence(pool, { ...table, up: `balance / 0` })).rejects.toMatchObject({
      code: 'INVALID_EXPRESSION',
      message: /division by zero/,
    });
  });

  it('runs the expression READ ONLY', async () => {
    await pool.query('CREATE SEQUENCE sneaky');
    await expect(verifyColumnEquivalence(pool, { ...table, up: `nextval('sneaky')` })).rejects.toMatchObject({ code: '25006' });
    expect((await pool.query('SELECT last_value::int, is_called FROM sneaky')).rows[0]).toEqual({ last_value: 1, is_called: false });
  });

  it('rejects unknown columns and bad options', async () => {
    await expect(verifyColumnEquivalence(pool, { ...table, newColumn: 'ghost' })).rejects.toBeInstanceOf(ColumnNotFoundError);
    await expect(verifyColumnEquivalence(pool, { ...table, sample: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
