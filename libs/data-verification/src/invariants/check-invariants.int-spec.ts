import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { InvalidExpressionError } from '../errors/invalid-expression.error';
import { checkInvariants } from './check-invariants';

describe('checkInvariants', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('dv_invariants');
    pool = new Pool({ connectionString: database.url, max: 2 });
    await pool.query('CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL, currency text)');
    await pool.query(`INSERT INTO accounts VALUES (1, 100, 'EUR'), (2, -5, 'EUR'), (3, 0, NULL)`);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('reports pass and fail per invariant with the actual value', async () => {
    const results = await checkInvariants(pool, [
      { name: 'row-count', sql: 'SELECT count(*) FROM accounts', expect: 3 },
      { name: 'no-negative-balance', sql: 'SELECT count(*) FROM accounts WHERE balance < 0', expect: 0 },
      { name: 'total', sql: 'SELECT sum(balance) FROM accounts', expect: '95' },
      {
        name: 'currencies',
        sql: 'SELECT currency, count(*) AS n FROM accounts GROUP BY currency ORDER BY currency NULLS LAST',
        expect: [
          { currency: 'EUR', n: 2 },
          { currency: null, n: 1 },
        ],
      },
      { name: 'has-rows', sql: 'SELECT exists (SELECT FROM accounts)', expect: true },
    ]);
    expect(results.map((r) => [r.name, r.passed, r.actual])).toEqual([
      ['row-count', true, '3'],
      ['no-negative-balance', false, '1'],
      ['total', true, '95'],
      ['currencies', true, [{ currency: 'EUR', n: '2' }, { currency: null, n: '1' }]],
      ['has-rows', true, 't'],
    ]);
  });

  it('fails an invariant whose query errors at run time, and still runs the others', async () => {
    const results = await checkInvariants(pool, [
      { name: 'missing', sql: 'SELECT count(*) FROM no_such_table', expect: 0 },
      { name: 'writes', sql: 'WITH gone AS (DELETE FROM accounts RETURNING 1) SELECT count(*) FROM gone', expect: 0 },
      { name: 'fine', sql: 'SELECT 1', expect: 1 },
    ]);
    expect(results[0]).toMatchObject({ passed: false, actual: null, error: { code: '42P01' } });
    expect(results[1]).toMatchObject({ passed: false, error: { code: '25006' } });
    expect(results[2]).toMatchObject({ passed: true });
    expect((await pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(3);
  });

  it('rejects the whole list before running anything if one is not a single query', async () => {
    await pool.query('CREATE TABLE marker (id int)');
    for (const sql of ['SELECT 1; INSERT INTO marker VALUES (1)', 'SELECT 1; COMMIT; DROP TABLE accounts', 'DROP TABLE accounts', 'SELECT 1\0']) {
      await expect(
        checkInvariants(pool, [
          { name: 'first', sql: 'SELECT count(*) FROM marker', expect: 0 },
          { name: 'hostile', sql, expect: 0 },
        ]),
      ).rejects.toBeInstanceOf(InvalidExpressionError);
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(3);
  });

  it('fails a slow invariant at statement_timeout', async () => {
    const [result] = await checkInvariants(pool, [{ name: 'slow', sql: 'SELECT pg_sleep(1)::text', expect: '' }], { statementTimeoutMs: 50 });
    expect(result).toMatchObject({ passed: false, error: { code: 'QUERY_TIMEOUT' } });
  });
});
