import { lintSql } from './lint-sql';

describe('lintSql (real squawk)', () => {
  it('reports a blocking index build with the concurrent alternative, 1-based positions', async () => {
    const findings = await lintSql('SELECT 1;\nCREATE INDEX users_email ON users (email);\n');
    const finding = findings.find((f) => f.rule === 'require-concurrent-index-creation');
    expect(finding).toMatchObject({ level: 'warning', line: 2, column: 1 });
    expect(finding?.help).toContain('create_index');
  });

  it('reports a column type change (table rewrite under ACCESS EXCLUSIVE)', async () => {
    const findings = await lintSql('ALTER TABLE reviews ALTER COLUMN rating TYPE integer;');
    const finding = findings.find((f) => f.rule === 'changing-column-type');
    expect(finding?.message).toContain('ACCESS EXCLUSIVE');
    expect(finding?.help).toContain('alter_column');
  });

  it('finds nothing in a safe statement and honours exclude', async () => {
    expect(await lintSql('SELECT 1;')).toEqual([]);
    const sql = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);';
    const all = await lintSql(sql);
    expect(all.map((f) => f.rule)).toContain('require-lock-timeout');
    const filtered = await lintSql(sql, { exclude: ['require-lock-timeout', 'require-statement-timeout'] });
    expect(filtered.map((f) => f.rule)).not.toContain('require-lock-timeout');
  });

  it('applies the rules of the target Postgres version', async () => {
    const sql = 'ALTER TABLE t ADD COLUMN c bigint DEFAULT 1;';
    expect((await lintSql(sql, { pgVersion: '10' })).map((f) => f.rule)).toContain('adding-field-with-default');
    expect((await lintSql(sql, { pgVersion: '15' })).map((f) => f.rule)).not.toContain('adding-field-with-default');
  });

  it('reports syntax errors as error-level findings', async () => {
    const findings = await lintSql('SELEC 1 FROM;');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.rule === 'syntax-error' && f.level === 'error')).toBe(true);
  });

  it('flags CONCURRENTLY inside an explicit transaction', async () => {
    const findings = await lintSql('BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nCOMMIT;');
    expect(findings.find((f) => f.rule === 'ban-concurrent-index-creation-in-transaction')).toMatchObject({ line: 2 });
  });

  it('passes assumeInTransaction to squawk (no "missing transaction" complaint)', async () => {
    const sql = 'ALTER TABLE t ALTER COLUMN a DROP DEFAULT;\nALTER TABLE t ALTER COLUMN a SET DEFAULT 1;';
    const without = await lintSql(sql);
    const assumed = await lintSql(sql, { assumeInTransaction: true });
    expect(without.some((f) => f.message.includes('Missing transaction'))).toBe(true);
    expect(assumed.some((f) => f.message.includes('Missing transaction'))).toBe(false);
  });
});
