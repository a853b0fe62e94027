import { InvalidExpressionError } from '../errors/invalid-expression.error';
import { assertSingleExpression, assertSingleQuery } from './expression-guard';

describe('assertSingleExpression', () => {
  it.each(['balance * 100', 'coalesce(a, 0)::bigint', `CASE WHEN x > 0 THEN 'p' ELSE 'n' END`, '(SELECT 1)'])(
    'accepts %s',
    async (expression) => {
      await expect(assertSingleExpression(expression, 'up')).resolves.toBeUndefined();
    },
  );

  it.each([
    ['1) FROM pg_authid WHERE (true', /adds a clause/],
    ['1), (2', /not a single SQL expression/],
    ['1; DROP TABLE t', /";"/],
    ['1 --', /comment/],
    ['(1', /does not parse/],
    ['   ', /empty/],
  ])('rejects %j', async (expression, reason) => {
    const error = await assertSingleExpression(expression, 'up').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidExpressionError);
    expect((error as InvalidExpressionError).code).toBe('INVALID_EXPRESSION');
    expect((error as Error).message).toMatch(reason);
  });
});

describe('assertSingleQuery', () => {
  it('accepts one SELECT, VALUES or WITH query', async () => {
    for (const sql of ['SELECT count(*) FROM t', 'VALUES (1)', 'WITH x AS (SELECT 1) SELECT * FROM x']) {
      await expect(assertSingleQuery(sql, 'invariant')).resolves.toBeUndefined();
    }
  });

  it.each([
    ['SELECT 1; DROP TABLE t', /2 statements/],
    ['DELETE FROM t', /DeleteStmt, not a query/],
    ['SELECT 1; COMMIT', /2 statements/],
    ['SELEC 1', /does not parse/],
  ])('rejects %j', async (sql, reason) => {
    await expect(assertSingleQuery(sql, 'invariant "x"')).rejects.toThrow(reason);
  });
});
