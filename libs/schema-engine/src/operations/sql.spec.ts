import { loadSqlParser } from '../format/sql-parser';
import { sql, SqlBody } from './sql';
import { contextFor, tableModel } from './test-support/table-model';

describe('sql', () => {
  beforeAll(() => loadSqlParser());
  const ctx = contextFor([tableModel('t')]);

  it('runs up at start and down at rollback, as one transactional script', () => {
    const op = SqlBody.parse({ up: 'CREATE TABLE a (x int); INSERT INTO a VALUES (1);', down: 'DROP TABLE a' });
    expect(sql.validate(op, ctx)).toEqual([]);
    expect(sql.start(op, ctx)).toEqual({ actions: [{ kind: 'sql', sql: 'CREATE TABLE a (x int); INSERT INTO a VALUES (1);', description: 'run sql up' }], model: ctx.model });
    expect(sql.complete(op, ctx)).toEqual([]);
    expect(sql.rollback(op, ctx)).toEqual([{ kind: 'sql', sql: 'DROP TABLE a', description: 'run sql down' }]);
    expect(sql.isolated?.(op)).toBe(true);
    expect(sql.refreshesModel?.(op)).toBe(true);
  });

  it('runs up at complete with onComplete, and may then share its migration', () => {
    const op = SqlBody.parse({ up: 'ANALYZE t', onComplete: true });
    expect(sql.start(op, ctx).actions).toEqual([]);
    expect(sql.complete(op, ctx)).toEqual([{ kind: 'sql', sql: 'ANALYZE t', description: 'run sql up (on complete)' }]);
    expect(sql.rollback(op, ctx)).toEqual([]);
    expect(sql.isolated?.(op)).toBe(false);
  });

  it('runs statements that cannot be in a transaction on their own, outside one', () => {
    const op = SqlBody.parse({ up: "CREATE TABLE a (x text); -- a; comment\nINSERT INTO a VALUES ('é;'); CREATE INDEX CONCURRENTLY a_x ON a (x); VACUUM a; ANALYZE a" });
    expect(sql.start(op, ctx).actions).toEqual([
      { kind: 'sql', sql: "CREATE TABLE a (x text)\n;\n-- a; comment\nINSERT INTO a VALUES ('é;')", description: 'run sql up' },
      { kind: 'sql', sql: 'CREATE INDEX CONCURRENTLY a_x ON a (x)', description: 'run sql up', transactional: false },
      { kind: 'sql', sql: 'VACUUM a', description: 'run sql up', transactional: false },
      { kind: 'sql', sql: 'ANALYZE a', description: 'run sql up' },
    ]);
  });

  it.each([
    [{ up: 'CREAT TABLE a (x int)' }, 'operations[0].sql.up', 'invalid_sql'],
    [{ up: 'SELECT 1', down: 'DROP TABL a' }, 'operations[0].sql.down', 'invalid_sql'],
    [{ up: 'BEGIN; CREATE TABLE a (x int); COMMIT;' }, 'operations[0].sql.up', 'transaction_control_not_allowed'],
  ])('reports %j at %s', (input, path, code) => {
    expect(sql.validate(SqlBody.parse(input), ctx)).toContainEqual(expect.objectContaining({ path, code }));
  });

  it.each([{ up: '' }, { up: '   ' }, { up: 'SELECT 1', down: 'SELECT 2', onComplete: true }, { up: 'SELECT 1', extra: true }, { down: 'SELECT 1' }])('refuses %j', (input) => {
    expect(SqlBody.safeParse(input).success).toBe(false);
  });
});
