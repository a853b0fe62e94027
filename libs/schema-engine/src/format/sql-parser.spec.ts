import { loadSqlParser, singleStatementProblem, SqlParserNotLoadedError, sqlExpressionProblem, sqlTypeProblem } from './sql-parser';
import { splitSqlScript } from './sql-script';

describe('Postgres parser checks', () => {
  it('refuses to guess before the parser is loaded', () => {
    expect(() => sqlTypeProblem('integer')).toThrow(SqlParserNotLoadedError);
  });

  describe('once loaded', () => {
    beforeAll(() => loadSqlParser());

    it.each(['integer', 'varchar(20)', 'timestamp(3) with time zone', 'text[]', 'public.citext', '"MyType"', 'numeric(10, 2)'])('accepts type %s', (type) => {
      expect(sqlTypeProblem(type)).toBeNull();
    });

    it.each(['no such type', 'int) FROM users WHERE (true', '1', "int, 'x'"])('refuses type %j', (type) => {
      expect(sqlTypeProblem(type)).not.toBeNull();
    });

    it.each(["now()", "price * quantity", "CASE WHEN a THEN 1 ELSE 2 END", "'{}'::jsonb", "a IS NOT NULL AND b <> ''"])('accepts expression %s', (expression) => {
      expect(sqlExpressionProblem(expression)).toBeNull();
    });

    it.each(['1 +', 'a) FROM generate_series(1, 2) AS g(a', '1), (2', 'FROM t'])('refuses expression %j', (expression) => {
      expect(sqlExpressionProblem(expression)).not.toBeNull();
    });

    it('checks that a built statement is exactly one statement of the expected kind', () => {
      expect(singleStatementProblem('CREATE TABLE t (a int)', 'CreateStmt')).toBeNull();
      expect(singleStatementProblem('CREATE TABLE t (a int); DROP TABLE u', 'CreateStmt')).toContain('exactly one statement');
      expect(singleStatementProblem('DROP TABLE u', 'CreateStmt')).toContain('must build a CreateStmt');
      expect(singleStatementProblem('CREATE TABLE t (', 'CreateStmt')).toContain('not valid SQL');
    });

    it('splits a script into statements by UTF-8 byte offsets, flagging what cannot run in a transaction', () => {
      expect(splitSqlScript("INSERT INTO t VALUES ('żółw;'); CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY i; VACUUM t; SELECT 'ü'")).toEqual([
        { sql: "INSERT INTO t VALUES ('żółw;')", kind: 'InsertStmt', outsideTransaction: false },
        { sql: 'CREATE INDEX CONCURRENTLY i ON t (a)', kind: 'IndexStmt', outsideTransaction: true },
        { sql: 'DROP INDEX CONCURRENTLY i', kind: 'DropStmt', outsideTransaction: true },
        { sql: 'VACUUM t', kind: 'VacuumStmt', outsideTransaction: true },
        { sql: "SELECT 'ü'", kind: 'SelectStmt', outsideTransaction: false },
      ]);
      expect(splitSqlScript('SELEC 1')).toEqual(expect.stringContaining('syntax error'));
    });
  });
});
